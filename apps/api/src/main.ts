import './core/env-defaults';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { AppModule } from './app.module';
import { AppConfig, loadConfig } from './core/config';
import { EmbeddedDatabase, startEmbeddedDatabase } from './core/embedded-db';
import { sqlStatements } from './core/sql-counter';
import { validationPipe } from './core/validation';
import { migrate } from './database/data-source';
import { issueSetupUrl } from './invitations/setup.service';

const API_PATHS = /^\/(graphql|api|auth|playground|healthz|readyz)(\/|$|\?)/;
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
  app.set('trust proxy', config.trustProxy);
  if (config.trustProxy === false) app.use(warnOnceAboutUntrustedProxy());
  app.disable('x-powered-by');
  app.use(
    helmet({
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
    }),
  );
  app.use(cookieParser());
  // Bulk invitations (up to 1,000 people) exceed the default 100 kB; anything larger is refused (413).
  app.useBodyParser('json', { limit: '1mb' });
  if (config.sqlStatementHeader) {
    app.use((_req: express.Request, _res: express.Response, next: express.NextFunction) => sqlStatements.run({ n: 0 }, next));
  }
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
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  return app;
}

/**
 * Start-up: the database (embedded unless DATABASE_URL), migrations under a lock, the first
 * admin's set-up URL, then WEB_CONCURRENCY server processes sharing the port (cluster), or one.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isWorker) {
    await serve(config, process.env['DATABASE_URL'] as string);
    return;
  }
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase(config.dataDir, say);
    databaseUrl = embedded.url;
    say(`Embedded PostgreSQL running, data in ${config.dataDir}`);
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);

  let app: NestExpressApplication | null = null;
  let stopping = false;
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
    stopping = true;
    say(`${signal}: shutting down`);
    await app?.close().catch(() => undefined);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`[roster] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
