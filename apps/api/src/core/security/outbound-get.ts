import http from 'node:http';
import https from 'node:https';
import { outboundAgent, urlRefusal } from './outbound';

/** Why a guarded GET found no usable answer. `unreachable` covers a refused address too (see `getJson`). */
export type OutboundGetFailure =
  { kind: 'unreachable' } | { kind: 'timeout' } | { kind: 'status'; status: number } | { kind: 'not-json' } | { kind: 'too-large' };

export interface OutboundGetOptions {
  /** ALLOW_PRIVATE_TARGETS: no address rule, and plain http allowed. */
  allowPrivateTargets: boolean;
  timeoutMs: number;
  /** Bytes of body read at most; a longer answer is `too-large` (its socket destroyed). */
  maxBytes: number;
}

const agents = new Map<string, http.Agent>();

/** One keep-alive agent per protocol and switch, for the process (sockets shared by every caller). */
function agentFor(protocol: 'https:' | 'http:', allowPrivateTargets: boolean): http.Agent {
  const key = `${protocol}${allowPrivateTargets}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = outboundAgent(protocol, { allowPrivateTargets, maxSockets: 8 });
    agents.set(key, agent);
  }
  return agent;
}

/** The agent requests to a URL an organization configured go through (for libraries that take one). */
export function outboundAgentFor(url: URL, allowPrivateTargets: boolean): http.Agent | null {
  if (urlRefusal(url, { allowPrivateTargets })) return null;
  return agentFor(url.protocol as 'https:' | 'http:', allowPrivateTargets);
}

/**
 * GETs a JSON document from an address an organization configured (its identity provider's discovery and
 * keys), under the outbound rule: `https:` only (and a public host) unless the switch is on, every address
 * checked when connecting, no redirect followed, at most `maxBytes` read within `timeoutMs`. A refused
 * address answers `unreachable`, as a host that does not answer does: what an organization's admin reads
 * is no oracle of the internal network.
 */
export function getJson(
  raw: string,
  options: OutboundGetOptions,
): Promise<{ ok: true; body: unknown } | ({ ok: false } & OutboundGetFailure)> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return Promise.resolve({ ok: false, kind: 'unreachable' });
  }
  const agent = outboundAgentFor(url, options.allowPrivateTargets);
  if (!agent) return Promise.resolve({ ok: false, kind: 'unreachable' });
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const req = request(url, { method: 'GET', agent, signal, headers: { accept: 'application/json' } }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.destroy();
        return resolve({ ok: false, kind: 'status', status });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          res.destroy();
          return resolve({ ok: false, kind: 'too-large' });
        }
        chunks.push(chunk);
      });
      res.on('error', () => resolve({ ok: false, kind: signal.aborted ? 'timeout' : 'unreachable' }));
      res.on('end', () => {
        try {
          resolve({ ok: true, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
        } catch {
          resolve({ ok: false, kind: 'not-json' });
        }
      });
    });
    req.on('error', () => resolve({ ok: false, kind: signal.aborted ? 'timeout' : 'unreachable' }));
    req.end();
  });
}
