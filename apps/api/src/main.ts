import './core/env-defaults';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from './app.module';
import { loadConfig } from './core/config';
import { EmbeddedDatabase, startEmbeddedDatabase } from './core/embedded-db';
import { sqlStatements } from './core/sql-counter';
import { validationPipe } from './core/validation';
import { migrate } from './database/data-source';
import { SetupService } from './invitations/setup.service';
import { playground } from './playground/playground';

const API_PATHS = /^\/(graphql|api|auth|playground|healthz|readyz)(\/|$|\?)/;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const say = (msg: string) => process.stdout.write(`[roster] ${msg}\n`);
  let embedded: EmbeddedDatabase | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase(config.dataDir, say);
    databaseUrl = embedded.url;
    say(`Embedded PostgreSQL running, data in ${config.dataDir}`);
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) say(`Applied migrations: ${applied.join(', ')}`);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  if (config.trustProxy) app.set('trust proxy', true);
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
  if (config.sqlStatementHeader) {
    app.use((_req: express.Request, _res: express.Response, next: express.NextFunction) => sqlStatements.run({ n: 0 }, next));
  }
  app.useGlobalPipes(validationPipe);
  if (config.playground) app.use(playground());

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
  } else {
    say(`No console build in ${config.consoleDir}: serving the API only.`);
  }

  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  say(`Roster listening on ${config.publicUrl} (GraphQL at ${config.publicUrl}/graphql${config.playground ? ', playground on' : ''})`);

  const setupUrl = await app.get(SetupService).issueSetupUrl();
  if (setupUrl) {
    say('No admin yet. Open this one-time URL to register the first admin:');
    process.stdout.write(`\n    ${setupUrl}\n\n`);
  }
  say('Ready.');

  const stop = async (signal: string) => {
    say(`${signal}: shutting down`);
    await app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

bootstrap().catch((e) => {
  process.stderr.write(`[roster] failed to start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
