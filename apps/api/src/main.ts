import './core/config/env-defaults';
import { stopTracing } from './core/observability/tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import helmet from 'helmet';
import { Logger, PinoLogger } from 'nestjs-pino';
import { graphqlRequestLog } from './core/observability/request-log';
import cluster from 'node:cluster';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, RequestListener, Server, ServerResponse } from 'node:http';
import { DataSource } from 'typeorm';
import { poolOf } from './core/database/pool';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './core/config/config';
import { readCookies } from './core/http/cookies';
import { EmbeddedDatabase, startEmbeddedDatabase } from './core/database/embedded-db';
import { sqlStatements } from './core/observability/sql-counter';
import { validationPipe } from './core/graphql/validation';
import { serveGraphQLDirectly, type Step } from './core/fast-path/graphql-http';
import { logsEveryRequest } from './core/roots';
import { GraphQLModule } from '@nestjs/graphql';
import type { ApolloDriver } from '@nestjs/apollo';
import { migrate } from './core/database/data-source';
import { issueSetupUrl } from './invitations/setup.service';
import { SecretBox } from './core/security/secret-box';
import { lifecycle } from './core/http/lifecycle';
import {
  httpMetrics,
  metricsRegistry,
  startDefaultMetrics,
  watchChangeFeed,
  watchEmailOutbox,
  watchPool,
} from './core/observability/metrics';
import { aggregateWorkers, metricsOfAllWorkers, type MetricsSource } from './core/observability/cluster-metrics';
import { ChangeFeed } from './core/database/change-feed';
import { DatabaseProbe } from './health/database-probe';
import { secretKeyMatches } from './core/security/secret-key-check';

/** Bulk invitations (up to 1,000 people) exceed the default 100 kB; anything larger is refused (413). */
const JSON_BODY_LIMIT = '1mb';
const API_PATHS = /^\/(graphql|api|auth|playground|healthz|readyz|metrics)(\/|$|\?)/;
const say = (msg: string) => process.stdout.write(`[roster] ${msg}\n`);

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

/** One HTTP server: the Nest app (GraphQL, export, SSO, health) and the console's files. */
async function serve(config: AppConfig, databaseUrl: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  startDefaultMetrics();
  app.use(httpMetrics);
  const pool = poolOf(app.get(DataSource));
  watchPool(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max }));
  const feed = app.get(ChangeFeed);
  watchChangeFeed(() => feed.live);
  const probe = app.get(DatabaseProbe);
  watchEmailOutbox(() => probe.emailOutbox());
  // With several processes each worker also answers the primary's requests for its metrics.
  const metricsSource = cluster.isWorker && (config.metrics.token || config.metrics.port) ? metricsOfAllWorkers() : metricsRegistry;
  if (config.metrics.token) app.use('/metrics', metricsWithToken(config.metrics.token, metricsSource));
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
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  // SQL_STATEMENT_HEADER: each request counts its statements in its own async context.
  const countStatements = config.sqlStatementHeader
    ? (_req: unknown, _res: unknown, next: () => void) => sqlStatements.run({ n: 0 }, next)
    : null;
  if (countStatements) app.use(countStatements);
  app.useGlobalPipes(validationPipe);

  // The console: static files, and index.html for its client-side routes.
  if (existsSync(join(config.consoleDir, 'index.html'))) {
    const assets = express.static(config.consoleDir, { index: false, maxAge: '1h' });
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
      API_PATHS.test(req.path) ? next() : assets(req, res, next),
    );
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' || API_PATHS.test(req.path) || !req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(config.consoleDir, 'index.html'));
    });
  } else if (!cluster.isWorker || cluster.worker?.id === 1) {
    say(`No console build in ${config.consoleDir}: serving the API only.`);
  }
  await app.init();
  // GraphQL POSTs go from Node's server straight to Apollo (graphql-http.ts), logged there one line each
  // at `info` (request-log.ts); through Express under tracing (the route's span lives in its pipeline)
  // or with GRAPHQL_FAST_PATH=false.
  if (config.graphqlFastPath && !config.tracing) {
    const apollo = (app.get(GraphQLModule) as GraphQLModule<ApolloDriver>).graphQlAdapter.instance;
    serveGraphQLDirectly(app.getHttpServer() as Server, app.getHttpAdapter().getInstance() as RequestListener, apollo, {
      steps: [
        httpMetrics,
        ...(logsEveryRequest(config) ? [graphqlRequestLog(PinoLogger.root)] : []),
        ...(proxyWarning ? [proxyWarning] : []),
        securityHeaders,
        ...(countStatements ? [countStatements] : []),
      ] as Step[],
      json: express.json({ limit: JSON_BODY_LIMIT }) as Step,
      trustProxy: config.trustProxy,
    });
  }
  await app.listen(config.port, config.host);
  return app;
}

/**
 * GET /metrics on the main port, for a scraper that sends `Authorization: Bearer METRICS_TOKEN`; with
 * several processes, whichever takes the scrape answers for all of them (cluster-metrics.ts).
 */
function metricsWithToken(token: string, source: MetricsSource) {
  const expected = createHash('sha256').update(`Bearer ${token}`).digest();
  return (req: express.Request, res: express.Response) => {
    const given = createHash('sha256')
      .update(req.headers.authorization ?? '')
      .digest();
    if (req.method !== 'GET' || !timingSafeEqual(given, expected)) {
      res.status(401).json({ code: 'UNAUTHENTICATED', message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    void sendMetrics(source, res);
  };
}

async function sendMetrics(registry: MetricsSource, res: ServerResponse): Promise<void> {
  try {
    const body = await registry.metrics();
    res.writeHead(200, { 'Content-Type': registry.contentType });
    res.end(body);
  } catch {
    res.writeHead(500).end();
  }
}

/**
 * METRICS_PORT: /metrics alone on its own port (no token: keep that port private). With several
 * processes (WEB_CONCURRENCY) the primary answers for all of them (prom-client's cluster aggregation).
 */
function serveMetricsPort(config: AppConfig, source: MetricsSource): Server {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') void sendMetrics(source, res);
    else res.writeHead(404).end();
  });
  server.listen(config.metrics.port as number, config.metrics.host);
  return server;
}

/**
 * SIGTERM/SIGINT: readiness turns 503 (load balancers stop sending), the port stops accepting, the
 * requests in flight finish (kept-alive connections close as they go idle), then the pools close.
 * After SHUTDOWN_GRACE_SECONDS whatever is still open is cut.
 */
async function drain(app: NestExpressApplication, graceSeconds: number, delaySeconds = 0): Promise<void> {
  lifecycle.draining = true;
  // Still serving, readiness already 503: a load balancer that polls /readyz stops sending first.
  if (delaySeconds > 0) await new Promise((ok) => setTimeout(ok, delaySeconds * 1000));
  const server = app.getHttpServer() as Server;
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  const cut = setTimeout(() => server.closeAllConnections(), graceSeconds * 1000);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
}

/** Every instance on one database must seal secrets with the same key: refuse to start with another. */
async function assertSecretKey(databaseUrl: string, config: AppConfig): Promise<void> {
  const box = SecretBox.fromEnvironment(config.dataDir, say);
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const matches = await secretKeyMatches(pg, box).finally(() => pg.end());
  if (!matches) {
    throw new ConfigError([
      process.env['ROSTER_SECRET_KEY']
        ? "ROSTER_SECRET_KEY is not the key this database's secrets are sealed with: give every instance the same ROSTER_SECRET_KEY"
        : `ROSTER_SECRET_KEY is required: this database's secrets are sealed with another key than ${join(config.dataDir, 'secret.key')} (another instance's, or a key file that was replaced): set that key as ROSTER_SECRET_KEY on every instance`,
    ]);
  }
  if (config.databaseUrl && !process.env['ROSTER_SECRET_KEY']) {
    say(`ROSTER_SECRET_KEY is not set: the key in ${config.dataDir} is used. Set ROSTER_SECRET_KEY before running a second instance.`);
  }
}

/**
 * Start-up: the database (embedded unless DATABASE_URL), migrations under a lock, the first
 * admin's set-up URL, then WEB_CONCURRENCY server processes sharing the port (cluster), or one.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env, { worker: cluster.isWorker });
  if (cluster.isWorker) {
    const app = await serve(config, process.env['DATABASE_URL'] as string);
    const stop = () =>
      void drain(app, config.shutdownGraceSeconds, config.shutdownDelaySeconds)
        .then(stopTracing)
        .finally(() => process.exit(0));
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    return;
  }
  for (const warning of config.warnings) process.stderr.write(`[roster] configuration warning: ${warning}\n`);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase(config.dataDir, say);
    databaseUrl = embedded.url;
    say(`Embedded PostgreSQL running, data in ${config.dataDir}`);
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);
  // Refused: the embedded PostgreSQL (if this process started it) stops with it.
  await assertSecretKey(databaseUrl, config).catch(async (e: unknown) => {
    await embedded?.stop().catch(() => undefined);
    throw e;
  });

  let app: NestExpressApplication | null = null;
  let stopping = false;
  // Several processes: the primary sums their metrics, for METRICS_PORT and for workers asked on the main port.
  const clusterMetrics = config.workers > 1 && (config.metrics.token || config.metrics.port) ? aggregateWorkers() : null;
  if (config.workers > 1) {
    const url = databaseUrl;
    const fork = () => cluster.fork({ DATABASE_URL: url });
    cluster.on('exit', (worker, code) => {
      if (stopping) return;
      say(`Worker ${worker.process.pid} exited (${code}); starting another.`);
      fork();
    });
    const listening = new Promise<void>((resolve) => {
      let n = 0;
      cluster.on('listening', () => ++n === config.workers && resolve());
    });
    for (let i = 0; i < config.workers; i++) fork();
    await listening;
  } else {
    app = await serve(config, databaseUrl);
  }
  const metricsServer = config.metrics.port ? serveMetricsPort(config, clusterMetrics ?? metricsRegistry) : null;
  say(
    `Roster listening on ${config.publicUrl} (GraphQL at ${config.publicUrl}/graphql${config.playground ? ', playground on' : ''}` +
      `${config.workers > 1 ? `, ${config.workers} processes` : ''})`,
  );

  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const setupUrl = await issueSetupUrl(pg, config.publicUrl).finally(() => pg.end());
  if (setupUrl) {
    say('No admin yet. Open this one-time URL to register the first admin:');
    process.stdout.write(`\n    ${setupUrl}\n\n`);
  }
  say('Ready.');

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing the requests in flight, then stopping`);
    metricsServer?.close();
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    const exited = Promise.all(workers.map((w) => new Promise((ok) => (w.isDead() ? ok(null) : w.once('exit', ok)))));
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.race([
      exited,
      new Promise((ok) => setTimeout(ok, (config.shutdownGraceSeconds + config.shutdownDelaySeconds + 5) * 1000)),
    ]);
    if (app) await drain(app, config.shutdownGraceSeconds, config.shutdownDelaySeconds).catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    await stopTracing();
    say('Stopped.');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  // A configuration mistake is said in one line per variable, without a stack trace.
  if (e instanceof ConfigError) {
    for (const problem of e.problems) process.stderr.write(`[roster] configuration error: ${problem}\n`);
  } else {
    process.stderr.write(`[roster] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
  process.exit(1);
});
