import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';
import { CONSOLE_OPERATIONS } from '../graphql/console-operations';
import { VERSION } from '../config/version';
import { fastPathUses, type FastPathTrick } from '../fast-path/uses';

/**
 * Prometheus metrics of one process (prom-client's default registry): HTTP and GraphQL counts and
 * latencies, errors by code, the connection pool, sign-ins (password and SSO), rate-limit refusals,
 * exported rows, the build, the change feed, the email outbox and webhook deliveries. Served by GET /metrics with
 * METRICS_TOKEN, or on METRICS_PORT (see main.ts; several processes: cluster-metrics.ts); never public
 * by default.
 */
export const metricsRegistry = register;

let started = false;
/** Process metrics (CPU, memory, event loop lag, GC), once per process. */
export function startDefaultMetrics(): void {
  if (started) return;
  started = true;
  collectDefaultMetrics({ prefix: 'roster_' });
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'roster_http_requests_total',
  help: 'HTTP requests answered, by method, route and status code.',
  labelNames: ['method', 'route', 'status'] as const,
});
export const httpDuration = new Histogram({
  name: 'roster_http_request_duration_seconds',
  help: 'Time to answer HTTP requests, by method and route.',
  labelNames: ['method', 'route'] as const,
  buckets: SECONDS,
});
export const graphqlOperations = new Counter({
  name: 'roster_graphql_operations_total',
  help: 'GraphQL operations executed, by operation name and type.',
  labelNames: ['operation', 'type'] as const,
});
export const graphqlDuration = new Histogram({
  name: 'roster_graphql_operation_duration_seconds',
  help: 'Time from receiving a GraphQL operation to its response, by operation name.',
  labelNames: ['operation'] as const,
  buckets: SECONDS,
});
export const graphqlErrors = new Counter({
  name: 'roster_graphql_errors_total',
  help: 'Errors in GraphQL responses, by error code (extensions.code).',
  labelNames: ['code'] as const,
});
export const signIns = new Counter({
  name: 'roster_sign_ins_total',
  help: 'Password sign-in attempts, by outcome (success, second_factor, failure, refused).',
  labelNames: ['outcome'] as const,
});
export const rateLimitRefusals = new Counter({
  name: 'roster_rate_limit_refusals_total',
  help: 'Requests refused by a rate limit, by limit.',
  labelNames: ['limit'] as const,
});
export const exportRows = new Counter({
  name: 'roster_export_rows_total',
  help: 'Rows written to exports, by format.',
  labelNames: ['format'] as const,
});

/** The pool's figures, read when Prometheus scrapes (registered by whoever owns the pool). */
let poolStats: (() => { total: number; idle: number; waiting: number; max?: number }) | null = null;
export function watchPool(stats: () => { total: number; idle: number; waiting: number; max?: number }): void {
  poolStats = stats;
}
new Gauge({
  name: 'roster_db_pool_connections',
  help: 'Connections of the PostgreSQL pool, by state (in_use, idle).',
  labelNames: ['state'] as const,
  collect() {
    const s = poolStats?.();
    if (!s) return;
    this.set({ state: 'in_use' }, s.total - s.idle);
    this.set({ state: 'idle' }, s.idle);
  },
});
new Gauge({
  name: 'roster_db_pool_waiting',
  help: 'Requests waiting for a connection of the PostgreSQL pool.',
  collect() {
    const s = poolStats?.();
    if (s) this.set(s.waiting);
  },
});

new Gauge({
  name: 'roster_db_pool_max',
  help: 'Most connections the PostgreSQL pool opens (DATABASE_POOL_SIZE).',
  collect() {
    const s = poolStats?.();
    if (s?.max !== undefined) this.set(s.max);
  },
});

new Gauge({
  name: 'roster_build_info',
  help: "Roster's version and Node.js's, as labels (value 1).",
  labelNames: ['version', 'node'] as const,
  aggregator: 'max',
  collect() {
    this.set({ version: VERSION, node: process.versions.node }, 1);
  },
});

const TRICKS: Record<FastPathTrick, string> = {
  directHttp: 'direct_http',
  compiled: 'compiled',
  resultJson: 'result_json',
  validationShortcut: 'validation_shortcut',
  plainFields: 'plain_fields',
  negotiation: 'negotiation',
  queryHash: 'query_hash',
};
new Gauge({
  name: 'roster_fast_path_uses',
  help: 'What the GraphQL fast path did (all 0 with GRAPHQL_FAST_PATH=off): requests, operations, answers or argument objects served by each trick since start; plain_fields: fields read without their Nest resolver; negotiation: media types answered from memory; query_hash: query texts whose hash was remembered.',
  labelNames: ['trick'] as const,
  collect() {
    for (const [key, trick] of Object.entries(TRICKS)) this.set({ trick }, fastPathUses[key as FastPathTrick]);
  },
});

/** Whether the change feed (LISTEN roster_changes) receives notifications now. */
let changeFeedLive: (() => boolean) | null = null;
export function watchChangeFeed(live: () => boolean): void {
  changeFeedLive = live;
}
new Gauge({
  name: 'roster_change_feed_up',
  help: "1 while the change feed's LISTEN connection receives notifications (caches on), 0 otherwise.",
  // Several processes: 0 as soon as one of them is deaf.
  aggregator: 'min',
  collect() {
    if (changeFeedLive) this.set(changeFeedLive() ? 1 : 0);
  },
});

/** The email outbox's counts, read at scrape time (off the request pool); nothing is reported when they cannot be read. */
let outboxCounts: (() => Promise<{ pending: number; failed: number }>) | null = null;
export function watchEmailOutbox(read: () => Promise<{ pending: number; failed: number }>): void {
  outboxCounts = read;
}
new Gauge({
  name: 'roster_email_outbox_emails',
  help: 'Emails in the outbox, by status (pending: not sent yet; failed: given up), each counted up to 10,000.',
  labelNames: ['status'] as const,
  // The same table whichever process reads it.
  aggregator: 'max',
  async collect() {
    this.reset();
    const counts = await outboxCounts?.().catch(() => null);
    if (!counts) return;
    this.set({ status: 'pending' }, counts.pending);
    this.set({ status: 'failed' }, counts.failed);
  },
});

/** Webhook attempts by outcome: delivered (2xx), http_error (another status), timeout, network (DNS, connect, TLS), refused (an address not public). */
export const webhookAttempts = new Counter({
  name: 'roster_webhook_attempts_total',
  help: 'Webhook delivery attempts, by outcome (delivered: a 2xx; http_error: another status; timeout; network: DNS, connection or TLS; refused: an address that is not public).',
  labelNames: ['outcome'] as const,
});
export const webhookAttemptDuration = new Histogram({
  name: 'roster_webhook_attempt_duration_seconds',
  help: 'Time of webhook delivery attempts, from the request to its outcome.',
  buckets: SECONDS,
});
export const webhookDeliveryLag = new Histogram({
  name: 'roster_webhook_delivery_lag_seconds',
  help: 'From an audit event to the 2xx answer of its webhook delivery, for deliveries that succeed.',
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400],
});
export const webhookEndpointsDisabled = new Counter({
  name: 'roster_webhook_endpoints_disabled_total',
  help: 'Webhook endpoints Roster disabled, by reason (gone: it answered 410; failing: no success for 3 days).',
  labelNames: ['reason'] as const,
});

/** The webhook outbox's figures, read at scrape time (off the request pool); nothing is reported when they cannot be read. */
export interface WebhookOutboxCounts {
  pending: number;
  retrying: number;
  oldestDueSeconds: number;
}
let webhookOutboxCounts: (() => Promise<WebhookOutboxCounts>) | null = null;
/** One read per scrape, shared by the two gauges that show it. */
let webhookOutboxRead: Promise<WebhookOutboxCounts | null> | null = null;
export function watchWebhookOutbox(read: () => Promise<WebhookOutboxCounts>): void {
  webhookOutboxCounts = read;
}
function readWebhookOutbox(): Promise<WebhookOutboxCounts | null> {
  const read = (webhookOutboxRead ??= webhookOutboxCounts?.().catch(() => null) ?? Promise.resolve(null));
  void read.finally(() => setTimeout(() => webhookOutboxRead === read && (webhookOutboxRead = null), 100).unref());
  return read;
}
new Gauge({
  name: 'roster_webhook_outbox_deliveries',
  help: 'Webhook deliveries waiting, by status (pending: no attempt yet; retrying: an attempt failed), each counted up to 10,000.',
  labelNames: ['status'] as const,
  // The same table whichever process reads it.
  aggregator: 'max',
  async collect() {
    this.reset();
    const counts = await readWebhookOutbox();
    if (!counts) return;
    this.set({ status: 'pending' }, counts.pending);
    this.set({ status: 'retrying' }, counts.retrying);
  },
});
new Gauge({
  name: 'roster_webhook_outbox_oldest_due_seconds',
  help: 'Age of the oldest webhook delivery due and not attempted yet (0 when none): deliveries are late when it grows.',
  aggregator: 'max',
  async collect() {
    this.reset();
    const counts = await readWebhookOutbox();
    if (counts) this.set(counts.oldestDueSeconds);
  },
});

export const ssoSignIns = new Counter({
  name: 'roster_sso_sign_ins_total',
  help: 'Returns from the identity provider, by outcome (success, second_factor, linked, denied, refused, failure).',
  labelNames: ['outcome'] as const,
});

/** Routes as labels: the path's first segment only, so label values stay few whatever clients ask. */
function routeOf(req: Request): string {
  const path = (req.originalUrl || req.url).split('?')[0];
  const m = /^\/(graphql|api\/export|auth\/sso|healthz|readyz|metrics|playground)/.exec(path);
  return m ? `/${m[1]}` : 'console';
}

export function httpMetrics(req: Request, res: Response, next: NextFunction): void {
  const end = httpDuration.startTimer();
  res.once('finish', () => {
    const route = routeOf(req);
    end({ method: req.method, route });
    httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}

/**
 * Operation names as labels, bounded whatever clients send. The console's own operations (the names of
 * its documents, known at build time: console-operations.ts) are always counted by name, whoever sends
 * them, so no one can crowd them out. Beyond those, each signed-in person may bring a few names of their
 * own (an integration's operations), at most NAMES_PER_PERSON, and MAX_ADDED_NAMES for everyone: filling
 * those takes ten people's accounts, and costs the console's names nothing. Anything else is "other".
 */
const CONSOLE_NAMES: ReadonlySet<string> = new Set(CONSOLE_OPERATIONS);
const NAMES_PER_PERSON = 10;
const MAX_ADDED_NAMES = 100;
/** Names signed-in people brought (beyond the console's), and how many each person brought. */
const addedNames = new Set<string>();
const addedBy = new Map<string, number>();
/** The labels this file gives for no name, an unparsed document and everything else. */
const RESERVED = new Set(['anonymous', 'unparsed', 'other']);

function operationLabel(name: string | null | undefined, userId: string | null): string {
  if (!name) return 'anonymous';
  if (CONSOLE_NAMES.has(name) || addedNames.has(name)) return name;
  if (userId === null || RESERVED.has(name) || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  const brought = addedBy.get(userId) ?? 0;
  if (brought >= NAMES_PER_PERSON || addedNames.size >= MAX_ADDED_NAMES) return 'other';
  addedNames.add(name);
  addedBy.set(userId, brought + 1);
  return name;
}

export const metricsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const end = graphqlDuration.startTimer();
    return {
      async willSendResponse({ response, operationName, operation: op, contextValue }) {
        // Counted at the end: by then the guard has resolved who is calling.
        const req = (contextValue as { req?: { principal?: { userId: string } | null } }).req;
        const operation = op ? operationLabel(operationName, req?.principal?.userId ?? null) : 'unparsed';
        if (op) graphqlOperations.inc({ operation, type: op.operation });
        end({ operation });
        const body = response.body;
        const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
        for (const e of errors ?? []) graphqlErrors.inc({ code: String(e.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR') });
      },
    };
  },
};
