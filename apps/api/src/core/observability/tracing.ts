/**
 * Optional OpenTelemetry traces, on when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
 * is set: one trace per HTTP request with its GraphQL parse/validate/execute spans (named after the
 * operation) and a span per SQL statement, sent over OTLP/HTTP (JSON) in batches. Imported first by
 * main.ts: instrumentation hooks modules as they load, so it must run before express, graphql and pg
 * are required. Nothing of it is loaded when tracing is off.
 */
function startTracing(): void {
  const endpoint = process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint || !/^https?:\/\/[^/]/.test(endpoint.trim())) return; // a malformed value is reported by the configuration check
  const api: typeof import('@opentelemetry/api') = require('@opentelemetry/api');
  const { TracerProvider, BatchSpanProcessor }: typeof import('@opentelemetry/sdk-trace') = require('@opentelemetry/sdk-trace');
  const {
    AsyncLocalStorageContextManager,
  }: typeof import('@opentelemetry/context-async-hooks') = require('@opentelemetry/context-async-hooks');
  const { resourceFromAttributes }: typeof import('@opentelemetry/resources') = require('@opentelemetry/resources');
  const {
    OTLPTraceExporter,
  }: typeof import('@opentelemetry/exporter-trace-otlp-http') = require('@opentelemetry/exporter-trace-otlp-http');
  const { W3CTraceContextPropagator }: typeof import('@opentelemetry/core') = require('@opentelemetry/core');
  const { registerInstrumentations }: typeof import('@opentelemetry/instrumentation') = require('@opentelemetry/instrumentation');
  const { HttpInstrumentation }: typeof import('@opentelemetry/instrumentation-http') = require('@opentelemetry/instrumentation-http');
  const {
    ExpressInstrumentation,
    ExpressLayerType,
  }: typeof import('@opentelemetry/instrumentation-express') = require('@opentelemetry/instrumentation-express');
  const {
    GraphQLInstrumentation,
  }: typeof import('@opentelemetry/instrumentation-graphql') = require('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation }: typeof import('@opentelemetry/instrumentation-pg') = require('@opentelemetry/instrumentation-pg');

  // URLs lose their query string: it carries set-up, invitation and reset tokens, OIDC codes, searched emails.
  const withoutQuery: import('@opentelemetry/sdk-trace').SpanProcessor = {
    onStart(span) {
      const attributes = (span as unknown as { attributes: Record<string, unknown> }).attributes;
      for (const key of ['url.query', 'http.target', 'http.url', 'url.full']) {
        const value = attributes[key];
        if (typeof value !== 'string') continue;
        span.setAttribute(key, key === 'url.query' ? '[redacted]' : value.replace(/\?.*$/, value.includes('?') ? '?[redacted]' : ''));
      }
    },
    onEnd: () => undefined,
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env['OTEL_SERVICE_NAME'] || 'roster' }),
    spanProcessors: [
      withoutQuery,
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter(),
        scheduledDelayMillis: Number(process.env['OTEL_BSP_SCHEDULE_DELAY']) || 5_000,
      }),
    ],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Health probes would drown everything else.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') }),
      // Route handlers only: a span per middleware (helmet, cookies, body parsing…) says little.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] }),
      // The operation's parse, validate and execute; not a span per field.
      new GraphQLInstrumentation({ ignoreTrivialResolveSpans: true, depth: 0, mergeItems: true }),
      // SQL text without its parameters (they can hold emails and tokens' hashes).
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  shutdown = () => provider.shutdown().catch(() => undefined);
}

let shutdown: () => Promise<void> = () => Promise.resolve();

/** Sends the spans still queued (on shutdown). */
export function stopTracing(): Promise<void> {
  return shutdown();
}

startTracing();
