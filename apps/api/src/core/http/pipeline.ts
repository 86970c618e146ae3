import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import { PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '../config/config';
import type { DirectGraphQLOptions, Step } from '../fast-path/graphql-http';
import { jsonBody } from '../fast-path/json-body';
import { validationPipe } from '../graphql/validation';
import type { MetricsSource } from '../observability/cluster-metrics';
import { httpMetrics } from '../observability/metrics';
import { metricsWithToken } from '../observability/metrics-endpoints';
import { graphqlRequestLog } from '../observability/request-log';
import { say } from '../observability/say';
import { sqlStatements } from '../observability/sql-counter';
import { logsEveryRequest } from '../roots';
import { serveConsole } from './console-files';
import { readCookies } from './cookies';
import { hostIdentityHeaders } from './host-identity-headers';

/** Bulk invitations (up to 1,000 people) exceed the default 100 kB; anything larger is refused (413). */
const JSON_BODY_LIMIT = 1024 * 1024;

/**
 * Behind a proxy with TRUST_PROXY unset, every client has the proxy's address: per-address limits
 * then treat everyone as one client. Say so once, in the log, when forwarded requests arrive.
 */
function warnOnceAboutUntrustedProxy() {
  let warned = false;
  return (req: express.Request, _res: express.Response, next: express.NextFunction) => {
    if (!warned && req.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      say(
        "Requests carry X-Forwarded-For but TRUST_PROXY is not set: every client counts as the proxy's address for rate limits. Set TRUST_PROXY to the number of proxies in front of Roster.",
      );
    }
    next();
  };
}

/** A path under which a feature parses request bodies itself (given by the composition root: core imports no feature). */
export interface OwnBody {
  path: string;
  parse: express.RequestHandler;
}

/** The same steps for GraphQL POSTs served without Express (core/fast-path/graphql-http.ts). */
export interface HttpPipeline {
  /** Read once the app is initialised (its root logger exists then). */
  direct(): DirectGraphQLOptions;
}

/**
 * What every request goes through before its route, in order: metrics, GET /metrics with a token
 * (METRICS_TOKEN), the client's address (TRUST_PROXY), security headers, cookies, whoami's CORS, the bodies
 * features parse themselves (`ownBodies`), the JSON body, statement
 * counting (SQL_STATEMENT_HEADER), input validation; then the console's files. Returns the same steps
 * for the direct GraphQL path.
 */
export function httpPipeline(
  app: NestExpressApplication,
  config: AppConfig,
  metrics: MetricsSource,
  ownBodies: OwnBody[] = [],
): HttpPipeline {
  app.use(httpMetrics);
  if (config.metrics.token) app.use('/metrics', metricsWithToken(config.metrics.token, metrics));
  app.set('trust proxy', config.trustProxy);
  const proxyWarning = config.trustProxy === false ? warnOnceAboutUntrustedProxy() : null;
  if (proxyWarning) app.use(proxyWarning);
  app.disable('x-powered-by');
  // No ETag on API answers (a hash of every GraphQL response for clients that never send it back);
  // the console's static files keep theirs (serve-static sets its own).
  app.set('etag', false);
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  app.use(securityHeaders);
  // The same cookie parser as the direct GraphQL path's (graphql-http.ts), so a credential reads the same on both.
  app.use(readCookies);
  // GET /auth/whoami and /auth/forward: no-store, and CORS for RETURN_TO_ORIGINS (preflights end here).
  app.use('/auth', hostIdentityHeaders(config));
  // Paths that read their bodies themselves (SCIM: its media type and its error bodies), before the JSON parser.
  for (const own of ownBodies) app.use(own.path, own.parse);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // SQL_STATEMENT_HEADER: each request counts its statements in its own async context.
  const countStatements = config.sqlStatementHeader
    ? (_req: unknown, _res: unknown, next: () => void) => sqlStatements.run({ n: 0 }, next)
    : null;
  if (countStatements) app.use(countStatements);
  app.useGlobalPipes(validationPipe(config));
  serveConsole(app, config);
  return {
    direct: () => ({
      steps: [
        httpMetrics,
        ...(logsEveryRequest(config) ? [graphqlRequestLog(PinoLogger.root)] : []),
        ...(proxyWarning ? [proxyWarning] : []),
        securityHeaders,
        ...(countStatements ? [countStatements] : []),
      ] as Step[],
      json: jsonBody(JSON_BODY_LIMIT, express.json({ limit: JSON_BODY_LIMIT }) as Step),
      trustProxy: config.trustProxy,
    }),
  };
}
