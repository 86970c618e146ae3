import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Step } from '../fast-path/graphql-http';

/** A GraphQL operation name as the language allows it (anything else is not logged: the body is not validated yet). */
const OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/**
 * The request log of the direct GraphQL path (graphql-http.ts): one line per request when its answer
 * is sent (or the client leaves first), with the fields of the Express path's log (pino-http's
 * `request completed`: the request's id, method, URL and client address, the status and the time
 * taken) plus the operation's name. No request logger is made per request and no header is
 * serialised: what a line costs is one small object written by the process's own pino logger.
 * `POST /graphql` carries no query string, so there is nothing secret in its URL.
 */
export function graphqlRequestLog(root: Logger): Step {
  // The root logger serialises `req` and `res` as Node's request and response (pino-http's
  // serialisers) and redacts their headers: these lines carry plain objects already, and no header, so
  // nothing to redact (a copy of each line's `req` and `res` made for nothing: ~2 % of a small request).
  const logger = root.child({}, { redact: [], serializers: { req: (r: unknown) => r, res: (r: unknown) => r } });
  let sequence = 0;
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    const started = performance.now();
    const id = ++sequence;
    let done = false;
    const log = (aborted: boolean) => {
      if (done) return;
      done = true;
      const operation: unknown = (req as IncomingMessage & { body?: { operationName?: unknown } }).body?.operationName;
      const line = {
        req: {
          id,
          method: req.method,
          url: req.url,
          remoteAddress: req.socket.remoteAddress,
          ...(typeof operation === 'string' && OPERATION_NAME.test(operation) ? { operationName: operation } : {}),
        },
        res: { statusCode: aborted ? undefined : res.statusCode },
        responseTime: Math.round(performance.now() - started),
      };
      if (aborted) logger.warn(line, 'request aborted');
      else if (res.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    };
    res.once('finish', () => log(false));
    res.once('close', () => log(!res.writableFinished));
    next();
  };
}
