import './core/config/env-defaults';
import './core/fast-path/query-hash-hook';
import { stopTracing } from './core/observability/tracing';
import 'reflect-metadata';
import type { ApolloDriver } from '@nestjs/apollo';
import { NestFactory } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import cluster from 'node:cluster';
import type { RequestListener, Server } from 'node:http';
import { Client } from 'pg';
import { AppModule } from './app.module';
import { AppConfig, ConfigError, loadConfig } from './core/config/config';
import { openDatabase } from './core/database/open-database';
import { serveGraphQLDirectly } from './core/fast-path/graphql-http';
import { startWorkers } from './core/http/cluster';
import { drain, onStopSignal } from './core/http/drain';
import { httpPipeline } from './core/http/pipeline';
import { watchGauges } from './core/observability/gauges';
import { metricsSource, serveMetricsPort } from './core/observability/metrics-endpoints';
import { say } from './core/observability/say';
import { DatabaseProbe } from './health/database-probe';
import { issueSetupUrl } from './invitations/setup.service';
import { scimBody } from './scim/body';

/** One HTTP server: the Nest app (GraphQL, export, SSO, health) and the console's files. */
async function serve(config: AppConfig, databaseUrl: string): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const probe = app.get(DatabaseProbe);
  watchGauges(app, { email: () => probe.emailOutbox(), webhooks: () => probe.webhookOutbox() });
  const pipeline = httpPipeline(app, config, metricsSource(config), [{ path: '/scim', parse: scimBody }]);
  await app.init();
  // GraphQL POSTs go from Node's server straight to Apollo (graphql-http.ts), logged there one line each
  // at `info` (request-log.ts); through Express under tracing (the route's span lives in its pipeline)
  // or with GRAPHQL_FAST_PATH=off.
  if (config.graphqlFastPath && !config.tracing) {
    const apollo = (app.get(GraphQLModule) as GraphQLModule<ApolloDriver>).graphQlAdapter.instance;
    const express = app.getHttpAdapter().getInstance() as RequestListener;
    serveGraphQLDirectly(app.getHttpServer() as Server, express, apollo, pipeline.direct());
  }
  await app.listen(config.port, config.host);
  return app;
}

/** A worker process (WEB_CONCURRENCY > 1): serves until SIGTERM/SIGINT, then drains and exits. */
async function worker(config: AppConfig): Promise<void> {
  const app = await serve(config, process.env['DATABASE_URL'] as string);
  onStopSignal(
    () =>
      void drain(app, config.shutdownGraceSeconds, config.shutdownDelaySeconds)
        .then(stopTracing)
        .finally(() => process.exit(0)),
  );
}

/**
 * Start-up: the database (embedded unless DATABASE_URL), migrations under a lock, the secret-key check,
 * WEB_CONCURRENCY server processes sharing the port (cluster) or one, then the first admin's set-up URL.
 */
async function primary(config: AppConfig): Promise<void> {
  for (const warning of config.warnings) process.stderr.write(`[roster] configuration warning: ${warning}\n`);
  const database = await openDatabase(config, say);
  const metrics = metricsSource(config);
  const workers = config.workers > 1 ? await startWorkers(config.workers, database.url, say) : null;
  const app = workers ? null : await serve(config, database.url);
  const metricsServer = config.metrics.port ? serveMetricsPort(config, metrics) : null;
  say(
    `Roster listening on ${config.publicUrl} (GraphQL at ${config.publicUrl}/graphql${config.playground ? ', playground on' : ''}` +
      `${config.workers > 1 ? `, ${config.workers} processes` : ''})`,
  );
  const pg = new Client({ connectionString: database.url });
  await pg.connect();
  const setupUrl = await issueSetupUrl(pg, config.publicUrl).finally(() => pg.end());
  if (setupUrl) {
    say('No admin yet. Open this one-time URL to register the first admin:');
    process.stdout.write(`\n    ${setupUrl}\n\n`);
  }
  say('Ready.');

  let stopping = false;
  onStopSignal(async (signal) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: finishing the requests in flight, then stopping`);
    metricsServer?.close();
    await workers?.stop((config.shutdownGraceSeconds + config.shutdownDelaySeconds + 5) * 1000);
    if (app) await drain(app, config.shutdownGraceSeconds, config.shutdownDelaySeconds).catch(() => undefined);
    await database.embedded?.stop().catch(() => undefined);
    await stopTracing();
    say('Stopped.');
    process.exit(0);
  });
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { worker: cluster.isWorker });
  await (cluster.isWorker ? worker(config) : primary(config));
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
