/**
 * The receiver of `npm run bench:webhooks`, in a process of its own (webhooks.ts forks it and talks to it over IPC),
 * so that what it costs is read from /proc apart from the server and the bench. A `node:http` server on loopback
 * that does what a receiver following Standard Webhooks does with each request: reads the raw body, verifies the
 * signature with `node:crypto` (HMAC-SHA256 under the secret's bytes, base64 after `whsec_`, over
 * `${webhook-id}.${webhook-timestamp}.${body}`; any `v1,` signature of the header may match), refuses a timestamp
 * more than 5 minutes away, parses the JSON, and answers 200 (401 for a bad signature, 404 for an unknown path).
 * It counts, notes each `webhook-id` (a second arrival is a duplicate), and records the lag from the event's time
 * (the payload's `timestamp`) to the request's arrival.
 *
 * Messages from the bench: `{ type: 'endpoint', path, secret }` (a path of the endpoint and its signing secret),
 * `{ type: 'reset' }` (counts back to zero: a new phase), `{ type: 'stats', id }` (answered `{ id, stats }`).
 * On start it sends `{ type: 'listening', port }`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface ReceiverStats {
  /** Requests received since the last reset. */
  received: number;
  /** Of which verified (signature and timestamp). */
  verified: number;
  /** Of which refused: missing headers, a signature that matches no secret, a timestamp over 5 minutes away, an unknown path. */
  bad: number;
  /** Verified requests whose `webhook-id` had arrived before (since the last reset). */
  duplicates: number;
  /** Verified requests per second of arrival (epoch seconds → count). */
  perSecond: Record<string, number>;
  /** Lag from the event's time to the arrival, in ms, of the verified requests. */
  lag: { p50: number; p99: number; max: number } | null;
  /** The first few reasons for refusals (to print). */
  reasons: string[];
}

type Message = { type: 'endpoint'; path: string; secret: string } | { type: 'reset' } | { type: 'stats'; id: number };

/** Standard Webhooks: signatures of a timestamp further than this from now are refused. */
const TOLERANCE_S = 300;

/** Why a request does not verify, or null when one of its `v1,` signatures matches. */
export function signatureProblem(key: Buffer, headers: http.IncomingHttpHeaders, body: Buffer, nowS = Date.now() / 1000): string | null {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return 'missing headers';
  if (!/^\d+$/.test(timestamp) || Math.abs(nowS - Number(timestamp)) > TOLERANCE_S) return `timestamp ${timestamp} out of tolerance`;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  for (const part of signature.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'no signature matches';
}

/** The HMAC key of a `whsec_…` secret. */
export const secretKey = (secret: string) => Buffer.from(secret.replace(/^whsec_/, ''), 'base64');

function main(): void {
  const keys = new Map<string, Buffer>();
  let received = 0;
  let verified = 0;
  let bad = 0;
  let duplicates = 0;
  let seen = new Set<string>();
  let perSecond = new Map<number, number>();
  let lags: number[] = [];
  let reasons: string[] = [];
  const refuse = (reason: string) => {
    bad++;
    if (reasons.length < 5) reasons.push(reason);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrival = Date.now();
      received++;
      const key = keys.get(req.url ?? '');
      const body = Buffer.concat(chunks);
      const problem = key ? signatureProblem(key, req.headers, body, arrival / 1000) : `unknown path ${req.url}`;
      if (problem) {
        refuse(problem);
        res.writeHead(key ? 401 : 404).end();
        return;
      }
      let eventAt = NaN;
      try {
        eventAt = Date.parse((JSON.parse(body.toString('utf8')) as { timestamp?: string }).timestamp ?? '');
      } catch {
        // counted below
      }
      if (!Number.isFinite(eventAt)) {
        refuse('no timestamp in the payload');
        res.writeHead(400).end();
        return;
      }
      verified++;
      const id = req.headers['webhook-id'] as string;
      if (seen.has(id)) duplicates++;
      else seen.add(id);
      const second = Math.floor(arrival / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      lags.push(arrival - eventAt);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  // Keep the worker's connections open between deliveries (its agent keeps them alive).
  server.keepAliveTimeout = 60_000;

  process.on('message', (m: Message) => {
    if (m.type === 'endpoint') keys.set(m.path, secretKey(m.secret));
    else if (m.type === 'reset') {
      received = verified = bad = duplicates = 0;
      seen = new Set();
      perSecond = new Map();
      lags = [];
      reasons = [];
    } else if (m.type === 'stats') {
      const sorted = Float64Array.from(lags).sort();
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
      const stats: ReceiverStats = {
        received,
        verified,
        bad,
        duplicates,
        perSecond: Object.fromEntries(perSecond),
        lag: sorted.length ? { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] } : null,
        reasons,
      };
      process.send?.({ id: m.id, stats });
    }
  });
  process.on('disconnect', () => process.exit(0));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });
}

if (require.main === module) main();
