import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { HttpException } from '@nestjs/common';
import { STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config/config';
import { parseCookies } from '../http/cookies';
import type { CallerRequest, HttpContext } from '../http/http-context';
import { answerHttpError } from '../errors/http-error.filter';
import { fastPathUses } from './uses';

/** A step of the pipeline in Connect's shape (helmet, metrics, body parsing). */
export type Step = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

export interface DirectGraphQLOptions {
  /** Run first, in order, as Express runs them for every request (metrics, security headers, statement counting). */
  steps: Step[];
  /** Reads and parses the JSON body into `req.body` (the same parser, with the same limit, as Express's). */
  json: Step;
  trustProxy: TrustProxy;
}

/**
 * Serves `POST /graphql` with a JSON body straight from Node's HTTP server to Apollo, without Express;
 * everything else (other routes, GraphQL over GET, bodies that are not plain JSON) still goes to Express.
 *
 * Why: Express attaches its request and response prototypes to every request (`Object.setPrototypeOf`),
 * which V8 pays for with garbage that outlives young collections: under load, megabytes promoted to the
 * old generation every few milliseconds and a full collection several times a second. On the users page
 * that was most of the difference with a bare `node:http` server.
 *
 * What a resolver gets is the same as through Express: the headers, the cookies (`req.cookies`, read by
 * the same function as Express's, core/cookies.ts), the client's address through trusted proxies
 * (`req.ip`), the same security headers and metrics, the same body limit and the same error answers for
 * a body that is not valid JSON or too large.
 */
export function serveGraphQLDirectly(
  server: Server,
  express: RequestListener,
  apollo: ApolloServer<BaseContext>,
  options: DirectGraphQLOptions,
): void {
  const trust = compileTrust(options.trustProxy);
  // Only Express's listener is replaced: others (Apollo's drain, which tracks requests in flight so that
  // a shutdown waits for them) still see every request.
  if (!server.listeners('request').includes(express)) throw new Error('serveGraphQLDirectly: Express does not serve this server');
  server.removeListener('request', express);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isPlainJsonPost(req)) return express(req, res);
    fastPathUses.directHttp++;
    // A step that throws gets the answer Express's router would give it, not an uncaught exception.
    try {
      runSteps(options.steps, req, res, () => readBody(req, res));
    } catch (e) {
      answerHttpError(res, e);
    }
  });

  function readBody(req: IncomingMessage, res: ServerResponse): void {
    options.json(req, res, (err) => {
      if (err) return answerHttpError(res, asHttpException(err));
      const caller = req as CallerRequest;
      try {
        caller.cookies = parseCookies(req.headers.cookie);
        caller.ip = proxyaddr(req, trust);
      } catch (e) {
        return answerHttpError(res, e);
      }
      void execute(caller, res);
    });
  }

  async function execute(req: CallerRequest, res: ServerResponse): Promise<void> {
    try {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const answer = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: (req as { body?: unknown }).body },
        context: async (): Promise<HttpContext> => ({ req, res }),
      });
      for (const [key, value] of answer.headers) res.setHeader(key, value);
      res.statusCode = answer.status ?? 200;
      if (answer.body.kind === 'complete') {
        res.setHeader('Content-Length', Buffer.byteLength(answer.body.string));
        res.end(answer.body.string);
        return;
      }
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (e) {
      if (res.headersSent) res.destroy();
      else answerHttpError(res, e);
    }
  }
}

/**
 * Exactly `POST /graphql` (no query string) with `Content-Type: application/json` (UTF-8) and no
 * content encoding: what the console, the playground and API clients send. Anything else goes to Express.
 */
function isPlainJsonPost(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type']?.toLowerCase().replace(/\s+/g, '');
  return type === 'application/json' || type === 'application/json;charset=utf-8';
}

function runSteps(steps: Step[], req: IncomingMessage, res: ServerResponse, done: () => void, i = 0): void {
  if (i === steps.length) return done();
  steps[i](req, res, (err) => (err ? answerHttpError(res, err) : runSteps(steps, req, res, done, i + 1)));
}

/** A body-parser error as Nest turns it into an HTTP exception (a 4xx the client may see), else as is. */
function asHttpException(err: unknown): unknown {
  const e = err as { expose?: unknown; statusCode?: unknown; status?: unknown; message?: string };
  if (
    err instanceof Error &&
    typeof e.expose === 'boolean' &&
    typeof e.statusCode === 'number' &&
    e.status === e.statusCode &&
    e.statusCode < 500
  ) {
    const message = e.expose ? err.message : (STATUS_CODES[e.statusCode] ?? 'Bad request');
    return new HttpException(message, e.statusCode, { cause: err });
  }
  return err;
}

/** TRUST_PROXY as Express compiles it: nothing, the first N hops, or the listed addresses and ranges. */
function compileTrust(trust: TrustProxy): (address: string, hop: number) => boolean {
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}
