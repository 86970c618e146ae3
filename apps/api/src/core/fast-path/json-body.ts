import type { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type { Step } from './graphql-http';

/**
 * The JSON body of a direct GraphQL POST, read without body-parser when it is the usual one: a
 * Content-Length within the limit and a JSON object that parses. Every other body (no length, too large,
 * empty, anything that is not an object, invalid JSON) goes to `parser`, the same
 * parser with the same limit as Express's: it answers those with its own errors, so refusals read the same
 * on both paths. A body read here and then handed over is replayed to it byte for byte.
 *
 * Why: body-parser's generic steps (content-type matching, a charset decoder, the raw-body reader) cost
 * a GraphQL request about as much as its resolver on a small query. What this path reads is exactly what
 * body-parser would: the bytes decoded as UTF-8 (the direct path only takes `application/json` in UTF-8,
 * graphql-http.ts) and parsed by JSON.parse; a leading byte-order mark, which body-parser strips, is not
 * `{` and goes to it.
 */
export function jsonBody(limitBytes: number, parser: Step): Step {
  return (req, res, done) => {
    // What follows runs in the request's async context (the statement counter's, for one), not in that of
    // the stream event that ends the body. Not AsyncResource.bind: it also defines deprecated accessors on
    // every function it returns (~5 µs a request).
    const context = new AsyncResource('roster.json-body');
    const next = (err?: unknown) => context.runInAsyncScope(done, null, err);
    const header = req.headers['content-length'];
    const length = header === undefined ? NaN : Number(header);
    if (!Number.isSafeInteger(length) || length <= 0 || length > limitBytes || req.headers['transfer-encoding'] !== undefined) {
      return parser(req, res, next);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    };
    const onEnd = () => {
      cleanup();
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
      if (received === length && body[0] === 0x7b /* { */) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return replay(req, res, next, body, parser);
        }
        (req as { body?: unknown }).body = parsed;
        return next();
      }
      replay(req, res, next, body, parser);
    };
    // Cut short: the answer body-parser gives a request that ends before its body (the client is gone).
    const onError = () => {
      cleanup();
      next(Object.assign(new Error('request aborted'), { expose: true, statusCode: 400, status: 400, type: 'request.aborted' }));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('aborted', onError);
  };
}

/** Hands `body` to the parser as if it were the request: the same headers, the bytes read so far. */
function replay(req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void, body: Buffer, parser: Step): void {
  const copy = Readable.from(body.length ? [body] : []) as Readable & Partial<IncomingMessage>;
  copy.headers = req.headers;
  copy.method = req.method;
  copy.url = req.url;
  parser(copy as IncomingMessage, res, (err?: unknown) => {
    if (!err) (req as { body?: unknown }).body = (copy as { body?: unknown }).body;
    next(err);
  });
}
