/**
 * `npm run bench:webhooks [-- --database-url URL] [--users 500000 --organizations 10000 --org-size 50] [--seconds 60]
 *   [--rate 1000] [--page-seconds 10] [--light-think-ms 20] [--think-ms 2] [--passes 3] [--teams 200] [--drain-seconds 60]
 *   [--delivery-elsewhere]`
 * Signed webhooks at 1,000 events a second (issue 29; docs/design/webhooks.md §12). On the organizations shape of
 * `npm run bench` (organizations-seed.ts; a fresh database, or one it seeded given by --database-url, topped up),
 * the real server runs as the Dockerfile runs it (its environment and Node flags, `LOG_LEVEL` info, its pool) plus
 * `ALLOW_PRIVATE_TARGETS=true` (the receiver is on loopback; `WEBHOOK_RETRY_BASE_MS` at its default unless the
 * environment sets it) and `METRICS_PORT` (the mean of its attempts' durations is read there). A receiver in its own process (webhook-receiver.ts) verifies every request's signature with
 * `node:crypto`, counts, and records the lag from each event's time to its arrival. Endpoints are the large
 * organization's, created through GraphQL with an API token of its admin; events are made by SQL through the real
 * fan-out trigger (`INSERT INTO audit_events … SELECT … FROM generate_series(1, rate / 10)` ten times a second, action
 * `team.renamed`), so what is measured is the fan-out and the delivery, not the mutations that would record them.
 *
 * - **Fan-out cost**: `createTeam` p50/p95, one at a time, with the trigger disabled (as a build without it), with no
 *   endpoint, with 20 endpoints not subscribed to `team.created`, with one subscribed.
 * - **Throughput**: --seconds (60) at --rate (1,000) events/s to one endpoint subscribed to `team.renamed`: delivered
 *   per second, the backlog when the events stop and the time it takes to drain, lag p50/p99, and the CPU seconds
 *   per 1,000 deliveries of the server, PostgreSQL and the receiver (from /proc, production and drain included);
 *   before it, the same rate of events no endpoint is subscribed to (`team.deleted`) for up to 10 s: the CPU of
 *   writing them and running the trigger, with nothing delivered.
 * - **Users page** (large organization, 50 rows + count, the document of `npm run bench`) by wrk, without events,
 *   with events not subscribed, and with events delivered: light, one connection pausing --light-think-ms (20)
 *   between an answer and its next request (the page as people load it: p50 and p99); steady below saturation, 4
 *   connections each pausing
 *   --think-ms (2) between an answer and its next request (p50 and p99; on 2 cores 4 connections without a pause
 *   keep both busy), and saturated, 16 connections (req/s); --passes (3) passes interleaved, --page-seconds (10)
 *   each, the backlog drained before each run; medians of the passes.
 * - **Bloat**: live and dead rows, updates (HOT ones), sizes of `webhook_deliveries` and of each of its indexes: before
 *   the throughput (after a VACUUM: a clean start), once it drained, at the end, and after a timed VACUUM at the end;
 *   in between only autovacuum runs (its settings are printed: a server with it off shows the worst case).
 *
 * `--delivery-elsewhere`: the users page part alone, its server with `WEBHOOK_DELIVERY=false` and a second server of the
 * same build and configuration delivering (sent no request): instances that serve pages apart from those that deliver.
 *
 * Endpoints and teams it creates are removed at the end (and a crashed run's at the start); the events stay in the
 * audit log. Prints figures; asserts nothing but the receiver's self-check (a hand-signed request verifies, a
 * tampered one does not).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Client as Pg } from 'pg';
import { arg } from '../cli-args';
import { createTestDatabase } from '../testing/database';
import { freePort, ROOT, startServer, type TestServer } from '../testing/server';
import { BENCH_ADMIN, benchSession, ORGANIZATION_HEADER, PAGE, quiesce } from './common';
import { deployedConfiguration } from './deployed';
import { type Load, loadGenerator, type LoadResult, runLoad } from './load';
import { seedOrganizations } from './organizations-seed';
import { cpuMs, postgresCpuMs, processTree } from './proc';
import { type ReceiverStats, secretKey } from './webhook-receiver';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const USERS = arg('users', env('BENCH_USERS', 500_000));
const ORGANIZATIONS = arg('organizations', env('BENCH_ORGANIZATIONS', 10_000));
const ORG_SIZE = arg('org-size', env('BENCH_ORG_SIZE', 50));
/** Length of the throughput phase, and events per second (in ten batches a second). */
const SECONDS = arg('seconds', 60);
const RATE = arg('rate', 1000);
const PAGE_SECONDS = arg('page-seconds', 10);
/** The steady load's pause between an answer and the next request of each of its 4 connections, in ms (0: none). */
const THINK_MS = arg('think-ms', 2);
/** The light load's pause between an answer and the next request of its one connection, in ms: an admin's page loads. */
const LIGHT_THINK_MS = arg('light-think-ms', 20);
const PASSES = arg('passes', 3);
/** createTeam calls per fan-out case (after 20 to warm up). */
const TEAMS = arg('teams', 200);
/** How long to wait for a backlog to drain, at most. */
const DRAIN_SECONDS = arg('drain-seconds', 60);
/** Whether this build delivers (false once the probe found its deliveries left PENDING: no draining waited for). */
let delivers = true;
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : null);
/** The users page's server does not deliver; a second server does (the users page part alone). */
const DELIVERY_ELSEWHERE = process.argv.includes('--delivery-elsewhere');
/** Roster's pool in the bench, the image's (DATABASE_POOL_SIZE, or the server's default), as `npm run bench`. */
const POOL_SIZE = deployedConfiguration().poolSize;
/** What the bench's endpoints' descriptions and teams' names start with (to find a crashed run's). */
const MARK = 'bench:webhooks';
const TEAM_PREFIX = 'bench-webhooks-';
const BATCHES_PER_SECOND = 10;
/** The action of events the bench's endpoint is not subscribed to: written and run through the trigger, delivered nowhere. */
const UNDELIVERED = 'team.deleted';

/** The interval of the timer that samples the server's event loop delay (prom-client's, Node's default). */
const LOOP_TIMER_MS = 10;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A GraphQL request with an API token; throws on errors. */
async function graphql<T>(server: TestServer, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await res.json()) as { data?: T; errors?: unknown[] };
  if (answer.errors) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** An API token of the bench admin in the organization `slug` (no cap: the admin's permissions), as scim.ts makes one. */
async function adminToken(server: TestServer, session: Record<string, string>, slug: string): Promise<string> {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { ...session, [ORGANIZATION_HEADER]: slug },
    body: JSON.stringify({
      query: `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`,
      variables: { i: { name: `${MARK} ${Date.now()}` } },
    }),
  });
  const answer = (await res.json()) as { data?: { createApiToken: { secret: string } }; errors?: unknown[] };
  if (!answer.data) throw new Error(`createApiToken: ${JSON.stringify(answer.errors)}`);
  return answer.data.createApiToken.secret;
}

/** The receiver's process: its port and pid, endpoints it verifies, and its counts. */
class Receiver {
  private next = 0;
  private readonly waiting = new Map<number, (s: ReceiverStats) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (m: { id?: number; stats?: ReceiverStats }) => {
      if (m.id !== undefined && m.stats) {
        this.waiting.get(m.id)?.(m.stats);
        this.waiting.delete(m.id);
      }
    });
  }

  static async start(): Promise<Receiver> {
    const child = fork(join(__dirname, 'webhook-receiver.ts'), [], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tools/tsconfig.json') },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const port = await new Promise<number>((ok, ko) => {
      child.once('message', (m: { type?: string; port?: number }) =>
        m.type === 'listening' ? ok(m.port ?? 0) : ko(new Error('receiver')),
      );
      child.once('exit', (code) => ko(new Error(`receiver exited (${code})`)));
    });
    return new Receiver(child, port);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  endpoint(path: string, secret: string): void {
    this.child.send({ type: 'endpoint', path, secret });
  }

  reset(): void {
    this.child.send({ type: 'reset' });
  }

  stats(): Promise<ReceiverStats> {
    const id = this.next++;
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.child.send({ type: 'stats', id });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

/** `v1,` + base64 HMAC-SHA256 of `${id}.${timestamp}.${body}` under the secret's bytes (Standard Webhooks), by hand. */
const handSignature = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/**
 * The receiver checked before it counts anything: a request signed by hand with `node:crypto` verifies; the same
 * with its body changed, and one signed with another secret, do not.
 */
async function selfCheck(receiver: Receiver): Promise<void> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  receiver.endpoint('/self-check', secret);
  receiver.reset();
  const id = `msg_${randomUUID().replace(/-/g, '')}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({ type: 'team.renamed', timestamp: new Date().toISOString(), data: {} });
  const post = (b: string, signature: string) =>
    fetch(receiver.url('/self-check'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
      body: b,
    }).then((r) => r.status);
  const other = `whsec_${randomBytes(32).toString('base64')}`;
  const statuses = [
    await post(body, `v1,${'A'.repeat(43)}= ${handSignature(secret, id, timestamp, body)}`),
    await post(body.replace('team', 'user'), handSignature(secret, id, timestamp, body)),
    await post(body, handSignature(other, id, timestamp, body)),
  ];
  const s = await receiver.stats();
  if (statuses.join() !== '200,401,401' || s.verified !== 1 || s.bad !== 2) {
    throw new Error(`receiver self-check failed: ${statuses.join()} ${JSON.stringify(s)}`);
  }
  receiver.reset();
}

/**
 * Events of the large organization, made by SQL through the real trigger: `rate / 10` rows of `team.renamed` by the
 * bench admin ten times a second, each batch one `INSERT … SELECT … FROM generate_series` (one statement: the fan-out
 * runs once per batch). On its own connection; a batch late by more than its tick is sent at once (the rate holds on
 * average). `run` until `stop`.
 */
class Producer {
  private stopped = false;
  private done: Promise<void> = Promise.resolve();
  events = 0;
  batches = 0;
  /** Batches that started over 100 ms late (the inserts could not keep up). */
  late = 0;
  /** The slowest batch, in ms. */
  slowest = 0;

  constructor(
    private readonly pg: Pg,
    private readonly organizationId: string,
    private readonly actor: { id: string; email: string },
    private readonly team: { id: string; name: string },
    private readonly rate: number,
  ) {}

  /** `action`: another one than the endpoint's `team.renamed` writes the events and runs the trigger, but delivers nothing. */
  start(seconds = Infinity, action = 'team.renamed'): void {
    this.stopped = false;
    this.events = this.batches = this.late = this.slowest = 0;
    const batch = Math.max(1, Math.round(this.rate / BATCHES_PER_SECOND));
    const tick = 1000 / BATCHES_PER_SECOND;
    this.done = (async () => {
      const t0 = performance.now();
      for (let k = 0; !this.stopped && k * tick < seconds * 1000; k++) {
        const wait = t0 + k * tick - performance.now();
        if (wait > 0) await sleep(wait);
        else if (wait < -tick) this.late++;
        if (this.stopped) break;
        const t = performance.now();
        await this.pg.query(
          `INSERT INTO audit_events (organization_id, actor_id, actor_email, action, details)
           SELECT $1, $2, $3, $7, jsonb_build_object('teamId', $4::text, 'from', $5::text, 'to', $5::text || ' ' || g)
             FROM generate_series(1, $6::int) g`,
          [this.organizationId, this.actor.id, this.actor.email, this.team.id, this.team.name, batch, action],
        );
        this.slowest = Math.max(this.slowest, performance.now() - t);
        this.events += batch;
        this.batches++;
      }
    })();
  }

  /** Waits for the last batch (and, with no stop, for the seconds given to `start`). */
  finished(): Promise<void> {
    return this.done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

/** Deliveries of `endpointId` not settled yet (PENDING or RETRYING), and how many FAILED. */
async function backlog(pg: Pg, endpointId: string): Promise<{ waiting: number; failed: number; delivered: number; retried: number }> {
  const r = (
    await pg.query(
      `SELECT count(*) FILTER (WHERE status IN ('PENDING', 'RETRYING')) AS waiting, count(*) FILTER (WHERE status = 'FAILED') AS failed,
              count(*) FILTER (WHERE status = 'DELIVERED') AS delivered, count(*) FILTER (WHERE attempts > 1) AS retried
         FROM webhook_deliveries WHERE endpoint_id = $1`,
      [endpointId],
    )
  ).rows[0] as Record<string, string>;
  return { waiting: Number(r.waiting), failed: Number(r.failed), delivered: Number(r.delivered), retried: Number(r.retried) };
}

/**
 * Waits until nothing of `endpointId` waits, or --drain-seconds, or 10 s without progress (a build without the
 * worker never drains). Returns the seconds it took, or null when it did not drain.
 */
async function drain(pg: Pg, endpointId: string): Promise<{ seconds: number | null; left: number }> {
  const t0 = performance.now();
  if (!delivers) return { seconds: null, left: (await backlog(pg, endpointId)).waiting };
  let last = Infinity;
  let progressAt = t0;
  for (;;) {
    const { waiting } = await backlog(pg, endpointId);
    const now = performance.now();
    if (waiting === 0) return { seconds: (now - t0) / 1000, left: 0 };
    if (waiting < last) {
      last = waiting;
      progressAt = now;
    }
    if (now - t0 > DRAIN_SECONDS * 1000 || now - progressAt > 10_000) return { seconds: null, left: waiting };
    await sleep(100);
  }
}

/**
 * The server's delivery attempts so far: their count and total seconds (its Prometheus histogram); and its event
 * loop's delay p99 and maximum since the previous reading (each reading starts the next interval), in ms.
 */
async function attemptTotals(metricsUrl: string): Promise<{ count: number; seconds: number; loopP99Ms: number; loopMaxMs: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    count: value('roster_webhook_attempt_duration_seconds_count'),
    seconds: value('roster_webhook_attempt_duration_seconds_sum'),
    // Sampled by a 10 ms timer (Node's default resolution): its interval is the delay's floor, left out here.
    loopP99Ms: Math.max(0, value('roster_nodejs_eventloop_lag_p99_seconds') * 1000 - LOOP_TIMER_MS),
    loopMaxMs: Math.max(0, value('roster_nodejs_eventloop_lag_max_seconds') * 1000 - LOOP_TIMER_MS),
  };
}

/** Mean attempt duration between two readings, in ms. */
const meanAttemptMs = (a: { count: number; seconds: number }, b: { count: number; seconds: number }) =>
  b.count > a.count ? ((b.seconds - a.seconds) / (b.count - a.count)) * 1000 : NaN;

/** CPU (ms) of the server's processes, PostgreSQL's and the receiver's, now. */
function cpuNow(server: TestServer, receiver: Receiver) {
  return {
    server: processTree(server.pid).reduce((ms, p) => ms + cpuMs(p), 0),
    postgres: postgresCpuMs(),
    receiver: cpuMs(receiver.pid),
  };
}

interface Bloat {
  moment: string;
  'live rows': number;
  'dead rows': number;
  'heap MB': string;
  [index: string]: string | number;
}

/** The table's updates counted before the throughput (the counters are cumulative). */
let updated = { all: 0, hot: 0 };

/**
 * `webhook_deliveries`: live and dead rows, updates since the `first` moment (HOT ones), autovacuums so far, heap and
 * index sizes.
 */
async function bloat(pg: Pg, moment: string, first = false): Promise<Bloat> {
  // Statistics reach the cumulative counters when a backend is idle (at most a second later).
  await sleep(1000);
  const t = (
    await pg.query(
      `SELECT n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd, autovacuum_count, pg_relation_size(relid) AS heap
         FROM pg_stat_user_tables WHERE relname = 'webhook_deliveries' AND schemaname = current_schema()`,
    )
  ).rows[0] as Record<string, string>;
  const indexes = (
    await pg.query(
      `SELECT indexrelname AS name, pg_relation_size(indexrelid) AS size FROM pg_stat_user_indexes
        WHERE relname = 'webhook_deliveries' AND schemaname = current_schema() ORDER BY indexrelname`,
    )
  ).rows as { name: string; size: string }[];
  const mb = (bytes: string | number) => (Number(bytes) / 1048576).toFixed(1);
  if (first) updated = { all: Number(t.n_tup_upd), hot: Number(t.n_tup_hot_upd) };
  return {
    moment,
    'live rows': Number(t.n_live_tup),
    'dead rows': Number(t.n_dead_tup),
    'updates (HOT) since before': `${(Number(t.n_tup_upd) - updated.all).toLocaleString('en')} (${(Number(t.n_tup_hot_upd) - updated.hot).toLocaleString('en')})`,
    autovacuums: Number(t.autovacuum_count),
    'heap MB': mb(t.heap),
    ...Object.fromEntries(
      indexes.map((i) => [`${i.name.replace('webhook_deliveries_', '').replace('PK_webhook_deliveries', 'pkey')} MB`, mb(i.size)]),
    ),
  };
}

interface Endpoint {
  id: string;
  secret: string;
  path: string;
}

const CREATE_ENDPOINT = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } secret } }`;

/** An endpoint of the token's organization at the receiver's `path`, subscribed to `eventTypes`; the receiver told its secret. */
async function createEndpoint(
  server: TestServer,
  token: string,
  receiver: Receiver,
  path: string,
  eventTypes: string[],
): Promise<Endpoint> {
  const data = await graphql<{ createWebhookEndpoint: { endpoint: { id: string }; secret: string } }>(server, token, CREATE_ENDPOINT, {
    i: { url: receiver.url(path), eventTypes, description: `${MARK} ${path}` },
  });
  receiver.endpoint(path, data.createWebhookEndpoint.secret);
  return { id: data.createWebhookEndpoint.endpoint.id, secret: data.createWebhookEndpoint.secret, path };
}

/** Deletes the organization's endpoints made by a bench run (this one's, or a crashed one's), through GraphQL. */
async function deleteEndpoints(server: TestServer, token: string): Promise<void> {
  const { webhookEndpoints } = await graphql<{ webhookEndpoints: { id: string; description: string }[] }>(
    server,
    token,
    `
      {
        webhookEndpoints {
          id
          description
        }
      }
    `,
  );
  for (const e of webhookEndpoints.filter((x) => x.description.startsWith(MARK))) {
    await graphql(
      server,
      token,
      `
        mutation ($id: ID!) {
          deleteWebhookEndpoint(id: $id)
        }
      `,
      { id: e.id },
    );
  }
}

/** `createTeam` p50/p95 over TEAMS calls one at a time (after 20 to warm up), in the token's organization. */
async function createTeams(server: TestServer, token: string, label: string): Promise<{ p50: number; p95: number }> {
  const run = Date.now().toString(36);
  const make = (n: number) =>
    graphql(
      server,
      token,
      `
        mutation ($i: TeamNameInput!) {
          createTeam(input: $i) {
            id
          }
        }
      `,
      { i: { name: `${TEAM_PREFIX}${run}-${label}-${n}` } },
    );
  for (let n = 0; n < 20; n++) await make(-n - 1);
  const times: number[] = [];
  for (let n = 0; n < TEAMS; n++) {
    const t = performance.now();
    await make(n);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

async function benchFanOut(pg: Pg, server: TestServer, token: string, receiver: Receiver): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  const add = (label: string, r: { p50: number; p95: number }) => {
    rows.push({ case: label, 'createTeam p50 ms': r.p50.toFixed(2), 'p95 ms': r.p95.toFixed(2) });
    console.log(`  ${label}: p50 ${r.p50.toFixed(2)} ms`);
  };
  // A build without the trigger: the same server with the trigger disabled for the case (ALTER TABLE … DISABLE TRIGGER).
  await pg.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_webhooks`);
  try {
    add('no trigger (disabled for the case)', await createTeams(server, token, 'off'));
  } finally {
    await pg.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_webhooks`);
  }
  add('trigger, no endpoint', await createTeams(server, token, 'none'));
  for (let n = 0; n < 20; n++) await createEndpoint(server, token, receiver, `/unsubscribed-${n}`, ['role.deleted']);
  add('20 endpoints, none subscribed to team.created', await createTeams(server, token, 'twenty'));
  await deleteEndpoints(server, token);
  const one = await createEndpoint(server, token, receiver, '/team-created', ['team.created']);
  add('one endpoint subscribed to team.created', await createTeams(server, token, 'one'));
  const settled = await drain(pg, one.id);
  const b = await backlog(pg, one.id);
  console.log(
    `  team.created deliveries: ${b.delivered} delivered, ${b.failed} failed, ${settled.left} waiting` +
      (settled.seconds === null ? ' (not drained)' : ''),
  );
  await deleteEndpoints(server, token);
  console.log(`\nFan-out cost: createTeam (API token of the large organization's admin), ${TEAMS} calls one at a time after 20:`);
  console.table(rows);
}

async function benchThroughput(
  pg: Pg,
  server: TestServer,
  receiver: Receiver,
  producer: Producer,
  endpoint: Endpoint,
  metricsUrl: string,
): Promise<void> {
  // The same events not subscribed first: what writing them and running the trigger costs, with nothing delivered.
  const alone = cpuNow(server, receiver);
  producer.start(Math.min(10, SECONDS), UNDELIVERED);
  await producer.finished();
  const written = cpuNow(server, receiver);
  const perEvents = (ms: number) => (ms / producer.events).toFixed(2);
  console.log(
    `  ${producer.events.toLocaleString('en')} events not subscribed (${UNDELIVERED}) in ${(producer.batches / BATCHES_PER_SECOND).toFixed(0)} s: ` +
      `CPU seconds per 1,000 events: server ${perEvents(written.server - alone.server)}, PostgreSQL ${perEvents(written.postgres - alone.postgres)}`,
  );
  await quiesce(pg);
  receiver.reset();
  const before = cpuNow(server, receiver);
  const attempts = await attemptTotals(metricsUrl);
  const startedAt = Date.now();
  const t0 = performance.now();
  producer.start(SECONDS);
  // A line every 10 s: what arrived so far.
  const progress = setInterval(() => {
    void receiver
      .stats()
      .then((s) => console.log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${producer.events} events, ${s.verified} delivered`));
  }, 10_000);
  await producer.finished();
  clearInterval(progress);
  const produced = performance.now();
  const atEnd = await backlog(pg, endpoint.id);
  const arrivedAtEnd = (await receiver.stats()).verified;
  const settled = await drain(pg, endpoint.id);
  const after = cpuNow(server, receiver);
  const attemptMs = meanAttemptMs(attempts, await attemptTotals(metricsUrl));
  const s = await receiver.stats();
  const b = await backlog(pg, endpoint.id);
  // The production window: its last batch starts a tick before its end.
  const seconds = Math.max((produced - t0) / 1000, producer.batches / BATCHES_PER_SECOND);
  // Deliveries per second of arrival, over the whole seconds of the production window after its first two.
  const from = Math.ceil(startedAt / 1000) + 2;
  const to = Math.floor((startedAt + seconds * 1000) / 1000);
  const steady = Array.from({ length: Math.max(0, to - from) }, (_, k) => s.perSecond[String(from + k)] ?? 0);
  // CPU ms per delivery = CPU seconds per 1,000 deliveries.
  const per1000 = (ms: number) => (s.verified ? ms / s.verified : NaN).toFixed(2);
  console.log(
    `\nThroughput: ${producer.events.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${Math.round(producer.events / seconds)}/s, ` +
      `${producer.batches} batches of ${Math.round(RATE / BATCHES_PER_SECOND)}, ${producer.late} late, slowest ${producer.slowest.toFixed(0)} ms), one endpoint:`,
  );
  const figures: Record<string, string | number> = {
    'delivered while producing /s': Math.round(arrivedAtEnd / seconds),
    'per second: median (min) after 2 s': steady.length ? `${median(steady)} (${Math.min(...steady)})` : '-',
    'backlog when the events stopped': atEnd.waiting,
    'drained in s': settled.seconds === null ? `not (${settled.left} left)` : settled.seconds.toFixed(1),
    delivered: s.verified,
    'lag p50 ms': s.lag ? Math.round(s.lag.p50) : '-',
    'lag p99 ms': s.lag ? Math.round(s.lag.p99) : '-',
    'lag max ms': s.lag ? Math.round(s.lag.max) : '-',
    'bad signatures': s.bad,
    duplicates: s.duplicates,
    'retried / failed': `${b.retried} / ${b.failed}`,
    "attempt ms (the server's mean)": attemptMs.toFixed(1),
  };
  console.table(Object.entries(figures).map(([figure, value]) => ({ figure, value })));
  console.log(
    `CPU seconds per 1,000 deliveries (production and drain, ${((performance.now() - t0) / 1000).toFixed(1)} s): server ${per1000(after.server - before.server)}, ` +
      `PostgreSQL ${per1000(after.postgres - before.postgres)} (the inserts and their fan-out included), receiver ${per1000(after.receiver - before.receiver)}; ` +
      `all: ${(((after.server - before.server + after.postgres - before.postgres + after.receiver - before.receiver) / 1000 / ((performance.now() - t0) / 1000)) * 100).toFixed(0)} % of one core on average`,
  );
  if (s.reasons.length) console.log(`  refused by the receiver: ${s.reasons.join('; ')}`);
}

interface PageRun extends LoadResult {
  delivered: number;
  /** Mean duration of the server's delivery attempts during the load, in ms (NaN: none). */
  attemptMs: number;
  /** The server's event loop delay during the load, p99 and maximum, in ms. */
  loopP99Ms: number;
  loopMaxMs: number;
}

/**
 * The users page at 1 connection with pauses (as people load it), 4 and 16 connections, without and with the events, interleaved in --passes passes after a
 * 2-second warm-up each; the backlog drained (and PostgreSQL quiet) before each run. With events, the producer starts
 * 2 s before the load and stops with it.
 */
async function benchPage(
  pg: Pg,
  receiver: Receiver,
  producer: Producer,
  endpoint: Endpoint,
  load: Load,
  metrics: { page: string; delivery: string },
): Promise<void> {
  const loads = [
    { label: `1 connection, ${LIGHT_THINK_MS} ms pauses`, connections: 1, thinkMs: LIGHT_THINK_MS },
    { label: THINK_MS ? `4 connections, ${THINK_MS} ms pauses` : '4 connections', connections: 4, thinkMs: THINK_MS },
    { label: '16 connections', connections: 16, thinkMs: 0 },
  ];
  const cases = loads.flatMap(({ label, connections, thinkMs }) => [
    { name: `${label}, no events`, connections, thinkMs, events: null },
    { name: `${label}, events not subscribed`, connections, thinkMs, events: UNDELIVERED },
    { name: `${label}, events delivered`, connections, thinkMs, events: 'team.renamed' },
  ]);
  const runOne = async (c: (typeof cases)[number], seconds: number): Promise<PageRun> => {
    await drain(pg, endpoint.id);
    await quiesce(pg);
    receiver.reset();
    if (c.events) {
      producer.start(Infinity, c.events);
      await sleep(2000);
      receiver.reset();
    }
    const attempts = await attemptTotals(metrics.delivery);
    if (metrics.page !== metrics.delivery) await attemptTotals(metrics.page); // the page's loop delay from here
    const r = await runLoad({ ...load, thinkMs: c.thinkMs }, c.connections, seconds);
    const delivered = (await receiver.stats()).verified;
    const after = await attemptTotals(metrics.delivery);
    const loop = metrics.page === metrics.delivery ? after : await attemptTotals(metrics.page);
    if (c.events) await producer.stop();
    return { ...r, delivered, attemptMs: meanAttemptMs(attempts, after), loopP99Ms: loop.loopP99Ms, loopMaxMs: loop.loopMaxMs };
  };
  for (const c of cases) await runOne(c, 2);
  const runs = new Map(cases.map((c) => [c.name, [] as PageRun[]]));
  for (let i = 0; i < PASSES; i++) {
    for (const c of cases) {
      const r = await runOne(c, PAGE_SECONDS);
      runs.get(c.name)?.push(r);
      console.log(
        `  pass ${i + 1}, ${c.name}: ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms` +
          `, loop delay p99 ${r.loopP99Ms.toFixed(1)} ms (max ${r.loopMaxMs.toFixed(1)})` +
          (c.events === 'team.renamed'
            ? `, ${Math.round(r.delivered / PAGE_SECONDS)} deliveries/s, attempts ${r.attemptMs.toFixed(1)} ms on average`
            : ''),
      );
    }
  }
  await drain(pg, endpoint.id);
  const med = (name: string) => {
    const passes = runs.get(name) ?? [];
    return {
      rps: median(passes.map((p) => p.rps)),
      p50: median(passes.map((p) => p.p50)),
      p99: median(passes.map((p) => p.p99)),
      errors: passes.reduce((n, p) => n + p.errors, 0),
      delivered: median(passes.map((p) => p.delivered)),
      attemptMs: median(passes.map((p) => p.attemptMs)),
      loopP99Ms: median(passes.map((p) => p.loopP99Ms)),
      loopMaxMs: median(passes.map((p) => p.loopMaxMs)),
    };
  };
  const change = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)} %`;
  const rows = cases.map((c) => {
    const m = med(c.name);
    const base = med(cases.find((x) => x.connections === c.connections && x.thinkMs === c.thinkMs && !x.events)?.name ?? c.name);
    return {
      load: c.name,
      'req/s': Math.round(m.rps),
      'p50 ms': m.p50.toFixed(1),
      'p99 ms': m.p99.toFixed(1),
      'vs no events: req/s, p50, p99': c.events ? [m.rps / base.rps, m.p50 / base.p50, m.p99 / base.p99].map(change).join(', ') : '',
      'deliveries/s': c.events === 'team.renamed' ? Math.round(m.delivered / PAGE_SECONDS) : '',
      'attempt ms': c.events === 'team.renamed' ? m.attemptMs.toFixed(1) : '',
      'loop delay p99 (max) ms': `${m.loopP99Ms.toFixed(1)} (${m.loopMaxMs.toFixed(1)})`,
      errors: m.errors,
    };
  });
  console.log(
    `\nUsers page of the large organization (50 rows + count), ${loadGenerator}, ${PAGE_SECONDS} s per run, ${PASSES} passes interleaved, ` +
      `medians; events at ${RATE}/s during the "events" runs (not subscribed: action ${UNDELIVERED}, written and through the trigger, delivered nowhere):`,
  );
  console.table(rows);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const reuse = option('database-url');
  const db = reuse ? { url: reuse, drop: async () => undefined } : await createTestDatabase('bench_webhooks');
  const image = deployedConfiguration();
  const metricsPort = await freePort();
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  const serverEnv: Record<string, string> = {
    LOG_LEVEL: 'info',
    ...image.env,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    ALLOW_PRIVATE_TARGETS: 'true',
    // Prometheus on a port of its own (the attempts' durations; scraped a few times a run).
    METRICS_PORT: String(metricsPort),
    ...(process.env['WEBHOOK_RETRY_BASE_MS'] ? { WEBHOOK_RETRY_BASE_MS: process.env['WEBHOOK_RETRY_BASE_MS'] } : {}),
  };
  const pg = new Pg({ connectionString: db.url, application_name: 'bench-webhooks' });
  pg.on('error', () => undefined);
  await pg.connect();
  // A crashed run may have left the trigger disabled (the fan-out case): on again before the server starts.
  await pg.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_webhooks`).catch(() => undefined);
  const server = await startServer(db.url, DELIVERY_ELSEWHERE ? { ...serverEnv, WEBHOOK_DELIVERY: 'false' } : serverEnv, undefined, {
    baseFlags: image.nodeFlags,
  });
  const deliveryMetricsUrl = DELIVERY_ELSEWHERE ? `http://127.0.0.1:${await freePort()}/metrics` : metricsUrl;
  const deliverer = DELIVERY_ELSEWHERE
    ? await startServer(db.url, { ...serverEnv, METRICS_PORT: new URL(deliveryMetricsUrl).port }, undefined, { baseFlags: image.nodeFlags })
    : null;
  const events = new Pg({ connectionString: db.url, application_name: 'bench-webhooks-events' });
  events.on('error', () => undefined);
  await events.connect();
  const receiver = await Receiver.start();
  let token: string | null = null;
  try {
    const session = await benchSession(server);
    const seeded = await seedOrganizations(pg, { large: USERS, organizations: ORGANIZATIONS, size: ORG_SIZE });
    const large = seeded.large;
    const shape = (
      await pg.query(
        `SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM memberships) AS memberships,
                (SELECT sum(total - invited) FROM membership_counts WHERE organization_id = $1) AS large`,
        [large.id],
      )
    ).rows[0] as { orgs: string; memberships: string; large: string };
    console.log(
      `Ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${Number(shape.orgs).toLocaleString('en')} organizations, ` +
        `${Number(shape.memberships).toLocaleString('en')} memberships; large organization "${large.slug}": ` +
        `${Number(shape.large).toLocaleString('en')} members. Server: the Dockerfile's configuration ` +
        `(${Object.entries(image.env)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}, node ${image.nodeFlags.join(' ')}, LOG_LEVEL info) + ALLOW_PRIVATE_TARGETS=true` +
        `${serverEnv['WEBHOOK_RETRY_BASE_MS'] ? ` WEBHOOK_RETRY_BASE_MS=${serverEnv['WEBHOOK_RETRY_BASE_MS']}` : ''}, pool ${POOL_SIZE}; ` +
        `${cpus().length} cores; the receiver (pid ${receiver.pid}) and the load generator on the same machine.` +
        (deliverer
          ? ` Deliveries by a second server of the same configuration (pid ${deliverer.pid}); the page's with WEBHOOK_DELIVERY=false.`
          : ''),
    );
    await selfCheck(receiver);
    console.log('Receiver self-check: a hand-signed request verifies, a tampered body and another secret do not.');

    token = await adminToken(server, session, large.slug);
    await deleteEndpoints(server, token);
    await pg.query(`DELETE FROM teams WHERE organization_id = $1 AND name LIKE $2`, [large.id, `${TEAM_PREFIX}%`]);
    const actor = (await pg.query(`SELECT id, email FROM users WHERE email = $1`, [BENCH_ADMIN])).rows[0] as { id: string; email: string };
    const team = (await pg.query(`SELECT id, name FROM teams WHERE organization_id = $1 ORDER BY name LIMIT 1`, [large.id])).rows[0] as {
      id: string;
      name: string;
    };
    const producer = new Producer(events, large.id, actor, team, RATE);

    if (!DELIVERY_ELSEWHERE) {
      console.log('\nFan-out cost...');
      await benchFanOut(pg, server, token, receiver);
    }

    const endpoint = await createEndpoint(server, token, receiver, '/hooks/roster', ['team.renamed']);
    // One batch first: does this build deliver at all (a build without the worker leaves its deliveries PENDING)?
    producer.start(0.1);
    await producer.finished();
    const probe = await drain(pg, endpoint.id);
    const written = await backlog(pg, endpoint.id);
    delivers = probe.seconds !== null;
    console.log(
      `\nProbe: ${producer.events} events wrote ${written.waiting + written.delivered + written.failed} deliveries; ` +
        (probe.seconds === null
          ? `${probe.left} still waiting after 10 s: no worker delivers on this build (they stay PENDING)`
          : `delivered in ${probe.seconds.toFixed(1)} s`),
    );
    // A clean start (earlier runs' deleted endpoints left their deliveries dead), then no vacuum but autovacuum's.
    await pg.query(`VACUUM webhook_deliveries`);
    const bloatRows = [await bloat(pg, 'before (after a VACUUM)', true)];
    if (!DELIVERY_ELSEWHERE) {
      console.log(`\nThroughput: ${SECONDS} s at ${RATE} events/s...`);
      await benchThroughput(pg, server, receiver, producer, endpoint, metricsUrl);
      bloatRows.push(await bloat(pg, 'after the throughput'));
    }

    const body = JSON.stringify({ query: PAGE, variables: { sortBy: 'EMAIL' } });
    const headers = { ...session, [ORGANIZATION_HEADER]: large.slug };
    const check = (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers, body })).json()) as { errors?: unknown[] };
    if (check.errors) throw new Error(`users page: ${JSON.stringify(check.errors)}`);
    console.log('\nUsers page...');
    await benchPage(
      pg,
      receiver,
      producer,
      endpoint,
      { url: `${server.url}/graphql`, method: 'POST', headers, body },
      {
        page: metricsUrl,
        delivery: deliveryMetricsUrl,
      },
    );
    bloatRows.push(await bloat(pg, 'at the end'));
    // What a pass of vacuum finds and takes at the end (autovacuum's, were it due; the bench's when it is off).
    const v = performance.now();
    await pg.query(`VACUUM webhook_deliveries`);
    bloatRows.push(await bloat(pg, `after a VACUUM (${((performance.now() - v) / 1000).toFixed(1)} s)`));
    const settings = (
      await pg.query(
        `SELECT string_agg(name || ' ' || setting, ', ' ORDER BY name) AS s FROM pg_settings
          WHERE name IN ('autovacuum', 'autovacuum_vacuum_scale_factor', 'autovacuum_vacuum_threshold', 'autovacuum_naptime')`,
      )
    ).rows[0] as { s: string };
    console.log(`\nwebhook_deliveries (${settings.s}):`);
    console.table(bloatRows);
    console.log(`Done in ${((Date.now() - t0) / 1000).toFixed(0)} s.`);
  } finally {
    if (token) await deleteEndpoints(server, token).catch((e) => console.error('cleaning endpoints:', e));
    await pg.query(`DELETE FROM teams WHERE name LIKE $1`, [`${TEAM_PREFIX}%`]).catch(() => undefined);
    receiver.stop();
    await events.end();
    await pg.end();
    await server.stop();
    await deliverer?.stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
