import http, { type Agent, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { VERSION } from '../core/config/version';
import { outboundAgent, urlRefusal } from '../core/security/outbound';
import { WEBHOOK_ATTEMPT_TIMEOUT_MS, WEBHOOK_ERROR_MAX, WEBHOOK_IN_FLIGHT_PER_PROCESS, WEBHOOK_RESPONSE_BODY_MAX } from './webhook-limits';

/**
 * One HTTP POST of a delivery: the URL checked again (the switch may have changed since the endpoint was
 * saved), then node:http(s) through the process's guarded keep-alive agent (every address a name resolves
 * to checked, and the socket's remote address once connected), no redirect followed (a 3xx is an answer
 * like another), everything — connect, TLS, headers and body — within 10 s, the body read up to 4,096
 * bytes and the socket destroyed beyond them.
 */

/** What an attempt came to, as the metrics count it. */
export type AttemptOutcome = 'delivered' | 'http_error' | 'timeout' | 'network' | 'refused';

export interface AttemptResult {
  outcome: AttemptOutcome;
  /** The answer's status; null: no HTTP answer. */
  status: number | null;
  /** The answer's first 4,096 bytes as text (UTF-8 with replacement, NUL removed); null: no answer. */
  body: string | null;
  /** Why there was no answer, as the delivery log shows it to the organization's admins; null when answered. */
  error: string | null;
  /** The precise cause, for the server's log only (it may name an internal address). */
  detail: string | null;
  /** The answer's Retry-After header. */
  retryAfter: string | string[] | null;
  /** From the request's start to the outcome. */
  seconds: number;
}

export interface AttemptRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The agents of one process: one per scheme, keep-alive, as many sockets per origin as attempts in flight
 * in the process (WEBHOOK_IN_FLIGHT_PER_PROCESS), so that a request never waits for a socket: the worker's
 * slots per endpoint are the limit. A smaller limit per origin would make the endpoints sharing a host
 * (other paths, other organizations) queue behind one slow endpoint's requests, their 10 s running.
 */
export class WebhookAgents {
  private readonly agents = new Map<string, Agent>();

  constructor(private readonly allowPrivateTargets: boolean) {}

  of(protocol: 'https:' | 'http:'): Agent {
    let agent = this.agents.get(protocol);
    if (!agent) {
      agent = outboundAgent(protocol, { allowPrivateTargets: this.allowPrivateTargets, maxSockets: WEBHOOK_IN_FLIGHT_PER_PROCESS });
      this.agents.set(protocol, agent);
    }
    return agent;
  }

  get allowsPrivateTargets(): boolean {
    return this.allowPrivateTargets;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** An answer's bytes as the log keeps them: UTF-8 with replacement characters, NUL removed. */
export function responseText(bytes: Buffer): string {
  return bytes.subarray(0, WEBHOOK_RESPONSE_BODY_MAX).toString('utf8').replaceAll('\u0000', '');
}

const TLS_CODES =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|HOSTNAME_MISMATCH|ERR_OSSL_|EPROTO$)/;
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_FAIL', 'EAI_NONAME']);

/** What the log says of an attempt that got no answer (never an address: the admins' names could point anywhere). */
export function failureOf(e: unknown, timedOut: boolean): Pick<AttemptResult, 'outcome' | 'error' | 'detail'> {
  const err = e as NodeJS.ErrnoException | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const detail = (err instanceof Error ? `${code ? `${code}: ` : ''}${err.message}` : String(e)).slice(0, 500);
  if (code === 'ERR_OUTBOUND_REFUSED') return { outcome: 'refused', error: 'no public address', detail };
  if (timedOut || err?.name === 'TimeoutError' || err?.name === 'AbortError') return { outcome: 'timeout', error: 'timeout', detail };
  if (UNRESOLVED.has(code)) return { outcome: 'network', error: 'no public address', detail };
  if (code === 'ECONNREFUSED') return { outcome: 'network', error: 'connection refused', detail };
  if (TLS_CODES.test(code)) {
    const reason = (err?.message ?? code).replace(/\s+/g, ' ').trim();
    return { outcome: 'network', error: `TLS: ${reason}`.slice(0, WEBHOOK_ERROR_MAX), detail };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return { outcome: 'network', error: 'connection reset', detail };
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { outcome: 'network', error: 'host unreachable', detail };
  return { outcome: 'network', error: 'connection failed', detail };
}

/** POSTs one delivery; never throws. */
export function attempt(request: AttemptRequest, agents: WebhookAgents, timeoutMs = WEBHOOK_ATTEMPT_TIMEOUT_MS): Promise<AttemptResult> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const noAnswer = (failure: Pick<AttemptResult, 'outcome' | 'error' | 'detail'>): AttemptResult => ({
    ...failure,
    status: null,
    body: null,
    retryAfter: null,
    seconds: seconds(),
  });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.resolve(noAnswer({ outcome: 'refused', error: 'no public address', detail: 'not a URL' }));
  }
  const refusal = urlRefusal(url, { allowPrivateTargets: agents.allowsPrivateTargets });
  if (refusal === 'SCHEME') return Promise.resolve(noAnswer({ outcome: 'refused', error: 'https required', detail: url.protocol }));
  if (refusal === 'ADDRESS') return Promise.resolve(noAnswer({ outcome: 'refused', error: 'no public address', detail: url.host }));
  const protocol = url.protocol as 'https:' | 'http:';

  return new Promise<AttemptResult>((resolve) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let settled = false;
    const settle = (result: AttemptResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const body = Buffer.from(request.body, 'utf8');
    const req = (protocol === 'https:' ? https : http).request(url, {
      method: 'POST',
      agent: agents.of(protocol),
      signal,
      headers: { ...request.headers, 'content-length': String(body.length) },
    });
    req.on('error', (e) => settle(noAnswer(failureOf(e, signal.aborted))));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const answered = () => {
        const status = res.statusCode ?? 0;
        settle({
          outcome: status >= 200 && status < 300 ? 'delivered' : 'http_error',
          status,
          body: responseText(Buffer.concat(chunks)),
          error: null,
          detail: null,
          retryAfter: res.headers['retry-after'] ?? null,
          seconds: seconds(),
        });
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        kept += chunk.length;
        if (kept >= WEBHOOK_RESPONSE_BODY_MAX) {
          // Enough: a bigger answer costs nothing more (the socket goes, not back to the pool).
          answered();
          res.destroy();
          req.destroy();
        }
      });
      res.on('end', answered);
      res.on('error', (e) => settle(noAnswer(failureOf(e, signal.aborted))));
      res.on('aborted', () => settle(noAnswer(failureOf(new Error('answer cut short'), signal.aborted))));
    });
    req.end(body);
  });
}

/** The headers of one attempt, the signature aside. */
export function webhookHeaders(id: string, timestamp: number, signature: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': `Roster-Webhooks/${VERSION}`,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature,
  };
}
