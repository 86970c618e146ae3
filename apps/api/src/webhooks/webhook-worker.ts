import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { auditEventData, type AuditEventRow } from '../audit/audit-json';
import { APP_CONFIG, type AppConfig } from '../core/config/config';
import { ChangeFeed } from '../core/database/change-feed';
import { checkedRows } from '../core/database/checked-rows';
import { poolOf } from '../core/database/pool';
import { PreparedStatements } from '../core/fast-path/prepared';
import { lifecycle } from '../core/http/lifecycle';
import { webhookAttemptDuration, webhookAttempts, webhookDeliveryLag } from '../core/observability/metrics';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { OrganizationsService } from '../organizations/organizations.service';
import { retryDelayMs } from './backoff';
import { sign, webhookId } from './signature';
import { attempt, type AttemptResult, WebhookAgents, webhookHeaders } from './webhook-attempt';
import { WebhookDisabling } from './webhook-disabling';
import {
  WEBHOOK_ERROR_MAX,
  WEBHOOK_FAILING_DISABLE_HOURS,
  WEBHOOK_IN_FLIGHT_PER_ENDPOINT,
  WEBHOOK_IN_FLIGHT_PER_PROCESS,
  WEBHOOK_LEASE_SECONDS,
  WEBHOOK_MAX_LOOP_LAG_MS,
  WEBHOOK_WORKER_CONNECTIONS,
} from './webhook-limits';
import { webhookHost } from './webhook-url';

/** A delivery this process claimed (its lease runs). */
interface Claimed {
  id: string;
  organization_id: string;
  endpoint_id: string;
  audit_event_id: string;
  event_type: string;
  attempts: number;
  /** Milliseconds from the claim to `retry_until` (≤ 0: past it), by the database's clock. */
  remaining_ms: number;
}

/** A claimed delivery with its endpoint and its event, as the claim's statement returns them. */
interface ClaimedRow extends Claimed {
  /** The endpoint's columns: null when it is gone. */
  endpoint_organization_id: string | null;
  url: string | null;
  enabled: boolean | null;
  secret_sealed: string | null;
  /** Set only while the previous secret still signs. */
  previous_secret_sealed: string | null;
  failing_since: Date | null;
  /** The event's columns (`AuditEventRow`, prefixed): null when it is not found. */
  event_id: string | null;
  event_organization_id: string | null;
  event_created_at: Date | null;
  event_actor_id: string | null;
  event_actor_email: string | null;
  event_action: string | null;
  event_target_id: string | null;
  event_target_email: string | null;
  event_details: Record<string, unknown> | null;
}

/** What one attempt needs, read before it (no connection is held while it runs). */
interface Prepared {
  delivery: Claimed;
  claimedAt: number;
  url: string;
  secrets: string[];
  body: string;
  eventAt: Date;
  /** The endpoint's first failure since its last success, as read before the attempt. */
  failingSince: Date | null;
}

interface Success {
  id: string;
  endpointId: string;
  attempts: number;
  status: number;
  body: string;
}

/**
 * Due rows a claim reads, at most, to choose from fairly across endpoints: every claim pays for reading and
 * sorting them once a backlog forms (the 16 an endpoint may take, and room for the others' turns).
 */
const SCAN = 128;
/** Successes written together: every 50 ms, or 100 at once. */
const SUCCESS_BATCH_MS = 50;
const SUCCESS_BATCH_MAX = 100;
/** How often the event loop's lag is measured. */
const LAG_PROBE_MS = 20;
/**
 * The least time between the starts of two claim rounds. Every attempt that ends asks for a round (its slot
 * is free): at a thousand a second, one claim each would cost the database more than the deliveries. Spaced
 * so, what ended meanwhile is claimed together (at most 250 rounds a second), and an endpoint's 8 slots
 * still turn over well above a thousand a second when its receiver answers in a few milliseconds.
 */
const CLAIM_GAP_MS = 4;
/**
 * Deliveries claimed ahead of the slots: per endpoint (and in all), as many again as may run, queued in the
 * process and started as attempts end, so that an endpoint's slots do not sit idle while the next claim's
 * round trip runs. Not for an endpoint whose last attempt took over SLOW_ATTEMPT_MS: its queue would wait
 * on slow attempts.
 */
const AHEAD_PER_ENDPOINT = WEBHOOK_IN_FLIGHT_PER_ENDPOINT;
const AHEAD_PER_PROCESS = WEBHOOK_IN_FLIGHT_PER_PROCESS;
const SLOW_ATTEMPT_MS = 1_000;
/**
 * A queued delivery claimed longer ago than this is given back instead of started: claiming ahead is for
 * endpoints that answer fast, and a delivery is not sent long after its claim read its endpoint (which may
 * have been disabled or deleted since).
 */
const QUEUED_MAX_MS = SLOW_ATTEMPT_MS;
/**
 * A claim's scan starts this far before the first due delivery the previous one saw (see `claim`): rows
 * written due by a transaction that began before it, and committed since, are still found at once.
 */
const FLOOR_SLACK_MS = 250;
/** A claim leaves out the endpoints whose slots are all taken at each poll and at most this often (see `claim`). */
const EXCLUDING_SCAN_MS = 100;
/** Endpoints remembered as slow, at most (forgotten all at once beyond). */
const SLOW_ENDPOINTS_MAX = 10_000;

/**
 * Locks endpoints (the ids of an array expression) before their deliveries, as deleting or changing an
 * endpoint does (its row, then its deliveries by cascade or parking): an outcome joins its delivery to
 * this, so a delivery row is locked only once its endpoint's is, and no two writers wait on each other.
 * In id order, so that two batches do not either.
 */
const LOCK_ENDPOINTS = (ids: string) => `SELECT id FROM webhook_endpoints WHERE id = ANY(${ids}) ORDER BY id FOR NO KEY UPDATE`;

/** A counting semaphore: the worker's share of the connection pool. */
class Semaphore {
  private readonly waiting: (() => void)[] = [];
  constructor(private free: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((go) => this.waiting.push(go));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * The webhook delivery worker, in every server process (each cluster worker; none with WEBHOOK_DELIVERY=false),
 * never inside a request.
 *
 * Woken by the change feed's `w` (the fan-out trigger's notification, delivered at commit, so the rows are
 * visible), by a poll every quarter of WEBHOOK_RETRY_BASE_MS (50 ms to 1 s: the only wake-up while the feed
 * is down) and by a timer for the earliest retry this process scheduled; rounds start CLAIM_GAP_MS apart at
 * least. A round claims due deliveries and reads their endpoints and events in one statement (`FOR UPDATE
 * SKIP LOCKED`, a 20 s lease) and starts their attempts: at most 8 per endpoint in flight in this process,
 * 64 in all, and as many again claimed ahead, started as attempts end. No database connection is held while
 * an attempt runs, the worker uses at most 2 of the pool's at once, and it claims nothing while requests
 * wait for a connection or the event loop lags: requests come first. Each outcome is written
 * `WHERE id = $1 AND attempts = $n` (a process whose lease ran out cannot overwrite a newer attempt);
 * successes are written in batches.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly agents: WebhookAgents;
  private readonly connections = new Semaphore(WEBHOOK_WORKER_CONNECTIONS);
  /** Per endpoint: deliveries claimed and not finished (queued or running), and those running. */
  private readonly perEndpoint = new Map<string, number>();
  private readonly runningPerEndpoint = new Map<string, number>();
  /** Per endpoint: deliveries claimed ahead, waiting for a slot (in claim order). */
  private readonly queued = new Map<string, Prepared[]>();
  /** Endpoints whose last attempt took over SLOW_ATTEMPT_MS: nothing is claimed ahead for them. */
  private readonly slow = new Set<string>();
  private readonly attemptsInFlight = new Set<Promise<void>>();
  private readonly slugs = new Map<string, Promise<string | null>>();
  private readonly pollMs: number;
  private pool: Pool | null = null;
  /** Deliveries claimed and not finished, and those running. */
  private inFlight = 0;
  private running = 0;
  private round: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private started = false;
  private poll: NodeJS.Timeout | null = null;
  private lagProbe: NodeJS.Timeout | null = null;
  private lagMs = 0;
  private retryTimer: { at: number; timer: NodeJS.Timeout } | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private lastRoundAt = -Infinity;
  /** Where the next claim's scan starts (null: from the start); from the start again at each poll. */
  private floor: Date | null = null;
  private fullScan = true;
  /** When a claim last left out the endpoints whose slots are all taken. */
  private excludedAt = -Infinity;
  private successes: Success[] = [];
  private successTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly feed: ChangeFeed,
    private readonly prepared: PreparedStatements,
    private readonly organizations: OrganizationsService,
    private readonly disabling: WebhookDisabling,
  ) {
    this.agents = new WebhookAgents(config.allowPrivateTargets);
    this.pollMs = Math.min(Math.max(Math.floor(config.webhookRetryBaseMs / 4), 50), 1000);
  }

  onApplicationBootstrap(): void {
    if (!this.config.webhookDelivery) return; // WEBHOOK_DELIVERY=false: other instances deliver
    this.started = true;
    this.pool = poolOf(this.db);
    this.feed.subscribe((change) => {
      if ('webhooksDue' in change) this.kick();
      else if ('organizationId' in change) this.slugs.delete(change.organizationId);
      else if ('all' in change) this.slugs.clear();
    });
    let last = performance.now();
    this.lagProbe = setInterval(() => {
      const now = performance.now();
      this.lagMs = Math.max(0, now - last - LAG_PROBE_MS);
      last = now;
    }, LAG_PROBE_MS).unref();
    this.poll = setInterval(() => {
      this.fullScan = true;
      this.kick();
    }, this.pollMs).unref();
    this.kick();
  }

  /**
   * Shutdown: no new claim; the deliveries claimed ahead are given back, the attempts in flight finish
   * (each within its 10 s, the whole within SHUTDOWN_GRACE_SECONDS) and their outcomes are written. Anything
   * cut short is attempted again by another instance once its lease ends.
   */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const timer of [this.poll, this.lagProbe, this.retryTimer?.timer, this.successTimer, this.gapTimer])
      if (timer) clearTimeout(timer);
    if (!this.started) return;
    const grace = new Promise<void>((done) => setTimeout(done, Math.max(this.config.shutdownGraceSeconds, 1) * 1000).unref());
    const finished = async () => {
      // A round under way may still queue the deliveries of its claim: they are given back too.
      await this.round;
      const queued = [...this.queued.values()].flat();
      this.queued.clear();
      await this.giveBack(queued);
      while (this.attemptsInFlight.size) await Promise.allSettled([...this.attemptsInFlight]);
    };
    await Promise.race([finished(), grace]);
    await this.flush();
    this.agents.destroy();
  }

  /**
   * Starts a round unless one runs (then another follows it) or one started less than CLAIM_GAP_MS ago (then
   * one starts when that has passed). Nothing is claimed once SIGTERM came: the process may keep serving
   * SHUTDOWN_DELAY_SECONDS before it closes, and what it claims then would be cut short or hold the shutdown.
   */
  kick(): void {
    if (this.stopping || !this.started || lifecycle.draining) return;
    if (this.round) {
      this.again = true;
      return;
    }
    const wait = this.lastRoundAt + CLAIM_GAP_MS - performance.now();
    if (wait > 0) {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = null;
        this.kick();
      }, Math.ceil(wait));
      return;
    }
    this.lastRoundAt = performance.now();
    this.round = this.claimRound()
      .catch((e: unknown) => this.logger.warn(`Webhook round failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.round = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Whether requests should have the database and the CPU first. */
  private busy(): boolean {
    return (this.pool?.waitingCount ?? 0) > 0 || this.lagMs > WEBHOOK_MAX_LOOP_LAG_MS;
  }

  private async claimRound(): Promise<void> {
    while (!this.stopping && !lifecycle.draining) {
      const free = WEBHOOK_IN_FLIGHT_PER_PROCESS + AHEAD_PER_PROCESS - this.inFlight;
      if (free <= 0 || this.busy()) return; // the poll comes back
      const claimed = await this.connections.run(() => this.claim(free));
      if (!claimed.length) return;
      const claimedAt = performance.now();
      for (const d of claimed) this.hold(d.endpoint_id, 1);
      let prepared: Prepared[];
      try {
        prepared = await this.connections.run(() => this.prepare(claimed, claimedAt));
      } catch (e) {
        for (const d of claimed) this.hold(d.endpoint_id, -1);
        throw e;
      }
      for (const p of prepared) {
        const queue = this.queued.get(p.delivery.endpoint_id);
        if (queue) queue.push(p);
        else this.queued.set(p.delivery.endpoint_id, [p]);
      }
      this.startQueued();
      if (claimed.length < free) return;
    }
  }

  /**
   * Starts queued deliveries while their endpoints and the process have free slots, in claim order per
   * endpoint. One claimed too long ago for its attempt to end within its lease is given back instead.
   */
  private startQueued(): void {
    if (this.stopping || lifecycle.draining) return; // given back at shutdown
    const stale: Prepared[] = [];
    for (const [endpointId, queue] of this.queued) {
      while (queue.length && this.running < WEBHOOK_IN_FLIGHT_PER_PROCESS) {
        if ((this.runningPerEndpoint.get(endpointId) ?? 0) >= WEBHOOK_IN_FLIGHT_PER_ENDPOINT) break;
        const p = queue.shift() as Prepared;
        if (performance.now() - p.claimedAt > QUEUED_MAX_MS) stale.push(p);
        else this.start(p);
      }
      if (!queue.length) this.queued.delete(endpointId);
    }
    if (stale.length) void this.giveBack(stale);
  }

  private start(p: Prepared): void {
    const endpointId = p.delivery.endpoint_id;
    this.running++;
    this.runningPerEndpoint.set(endpointId, (this.runningPerEndpoint.get(endpointId) ?? 0) + 1);
    const running = this.deliver(p).finally(() => {
      this.attemptsInFlight.delete(running);
      this.running--;
      const left = (this.runningPerEndpoint.get(endpointId) ?? 0) - 1;
      if (left > 0) this.runningPerEndpoint.set(endpointId, left);
      else this.runningPerEndpoint.delete(endpointId);
      this.hold(endpointId, -1);
      this.startQueued();
      this.kick(); // its slot is free: claimed with the others that end within CLAIM_GAP_MS
    });
    this.attemptsInFlight.add(running);
  }

  /**
   * Claimed deliveries not attempted after all (shutdown, or queued too long): their claim undone (the
   * attempt count back, due now), for this or another process to claim again.
   */
  private async giveBack(deliveries: Prepared[]): Promise<void> {
    if (!deliveries.length) return;
    for (const p of deliveries) this.hold(p.delivery.endpoint_id, -1);
    try {
      await this.connections.run(() =>
        this.db.query(
          `UPDATE webhook_deliveries d SET attempts = d.attempts - 1, next_attempt_at = now()
             FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
            WHERE d.id = c.id AND d.attempts = c.attempts`,
          [deliveries.map((p) => p.delivery.id), deliveries.map((p) => p.delivery.attempts)],
        ),
      );
    } catch (e) {
      // Their leases end and they are claimed again then.
      this.logger.warn(`Webhook claims not given back (${deliveries.length}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Counts a delivery of an endpoint claimed (+1) or finished, or not attempted (−1). */
  private hold(endpointId: string, n: 1 | -1): void {
    this.inFlight += n;
    const left = (this.perEndpoint.get(endpointId) ?? 0) + n;
    if (left > 0) this.perEndpoint.set(endpointId, left);
    else this.perEndpoint.delete(endpointId);
  }

  /**
   * What the claim counts as taken per endpoint: its deliveries claimed and not finished, plus the share
   * claimed ahead for an endpoint remembered as slow (none is claimed ahead for it).
   */
  private taken(): Map<string, number> {
    const taken = new Map(this.perEndpoint);
    for (const id of this.slow) taken.set(id, (taken.get(id) ?? 0) + AHEAD_PER_ENDPOINT);
    return taken;
  }

  /**
   * Claims up to `limit` due deliveries, fair across endpoints, and reads their endpoints and events, in one
   * statement. The scan leaves out the endpoints whose slots this process has all taken: otherwise a slow
   * endpoint's backlog of more than one scan, due before everyone else's, would fill every scan and no other
   * endpoint would get a claim until it drained. Leaving them out costs a walk over their whole backlog, so
   * it is done at each poll and at most every EXCLUDING_SCAN_MS; the claims in between read SCAN rows at
   * most (what follows an attempt's end, mostly: its endpoint has a slot free). The row lock re-checks that a
   * row is still due: a row another process claimed meanwhile has its next attempt in the future (its lease)
   * and drops out, so a delivery is attempted by one process at a time.
   *
   * The scan starts at a floor: a little before the first due delivery the previous claim saw. Every claimed
   * or finished delivery leaves its old index entry at the head of the due index until a vacuum, and a scan
   * from the start walks all of them: at a thousand deliveries a second, tens of thousands a minute, each
   * claim slower than the last. Rows are made due at their transaction's `now()`, so only one written by a
   * transaction older than the slack lands before the floor: the scan from the start at each poll finds it.
   * The row lock's step is bounded by the floor and by the last row chosen too, and the update finds the rows
   * it locked by their tuple ids (the lock is held, so they stay put): this statement runs on a plan made once
   * per connection, and one made while the table was nearly empty walked the whole due index, backlog
   * included, for the lock, and the whole table for the update.
   */
  private async claim(limit: number): Promise<ClaimedRow[]> {
    const perEndpoint = WEBHOOK_IN_FLIGHT_PER_ENDPOINT + AHEAD_PER_ENDPOINT;
    const taken = this.taken();
    const from = this.fullScan ? null : this.floor;
    const full = [...taken].filter(([, n]) => n >= perEndpoint).map(([id]) => id);
    const excluding = full.length > 0 && (this.fullScan || performance.now() - this.excludedAt >= EXCLUDING_SCAN_MS);
    if (excluding) this.excludedAt = performance.now();
    this.fullScan = false;
    // Named: planning this statement costs the database more than running it.
    const rows = await this.prepared.query<ClaimedRow & { floor: Date }>(
      `WITH head AS (SELECT coalesce((SELECT next_attempt_at FROM webhook_deliveries
                                       WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()
                                         AND next_attempt_at >= coalesce($5::timestamptz, '-infinity')
                                       ORDER BY next_attempt_at LIMIT 1), now())
                             - interval '${FLOOR_SLACK_MS} milliseconds' AS floor),
            due AS (SELECT id, endpoint_id, next_attempt_at FROM webhook_deliveries
                     WHERE status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()
                       AND next_attempt_at >= coalesce($5::timestamptz, '-infinity')
                       AND endpoint_id <> ALL($4::uuid[])
                     ORDER BY next_attempt_at LIMIT ${SCAN}),
            fair AS (SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at, endpoint_id,
                                            row_number() OVER (PARTITION BY endpoint_id ORDER BY next_attempt_at) AS n
                                       FROM due) r
                      WHERE n <= $2 - coalesce(($3::jsonb ->> endpoint_id::text)::int, 0)
                      ORDER BY next_attempt_at LIMIT $1),
            mine AS (SELECT ctid FROM webhook_deliveries WHERE id IN (SELECT id FROM fair)
                        AND status IN ('PENDING', 'RETRYING') AND next_attempt_at <= now()
                        AND next_attempt_at >= coalesce($5::timestamptz, '-infinity')
                        AND next_attempt_at <= (SELECT max(next_attempt_at) FROM fair)
                        FOR UPDATE SKIP LOCKED),
            claimed AS (
              UPDATE webhook_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(),
                     next_attempt_at = now() + interval '${WEBHOOK_LEASE_SECONDS} seconds'
                FROM mine WHERE d.ctid = mine.ctid
              RETURNING d.id, d.organization_id, d.endpoint_id, d.audit_event_id, d.event_type, d.attempts,
                        (extract(epoch FROM d.retry_until - now()) * 1000)::float8 AS remaining_ms)
       SELECT h.floor, c.*, e.organization_id AS endpoint_organization_id, e.url, e.enabled, e.secret_sealed,
              e.failing_since, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret_sealed END AS previous_secret_sealed,
              a.id AS event_id, a.organization_id AS event_organization_id, a.created_at AS event_created_at,
              a.actor_id AS event_actor_id, a.actor_email AS event_actor_email, a.action AS event_action,
              a.target_id AS event_target_id, a.target_email AS event_target_email, a.details AS event_details
         FROM head h
         LEFT JOIN (claimed c
                    LEFT JOIN webhook_endpoints e ON e.id = c.endpoint_id
                    LEFT JOIN audit_events a ON a.id = c.audit_event_id) ON true`,
      [limit, perEndpoint, JSON.stringify(Object.fromEntries(taken)), excluding ? full : [], from],
    );
    // One row at least, for the floor; a claimed delivery on each when there are any.
    if (rows[0]) this.floor = rows[0].floor;
    return rows.filter((r) => r.id !== null);
  }

  /**
   * Each claimed delivery rendered into its body. Deliveries whose endpoint is disabled or gone meanwhile are
   * not attempted: given their claim back, parked until their window ends, or FAILED once it has.
   */
  private async prepare(claimed: ClaimedRow[], claimedAt: number): Promise<Prepared[]> {
    const idle = claimed.filter((d) => !d.enabled);
    if (idle.length) await this.setAside(idle);

    const secretsOf = new Map<string, string[] | null>();
    const prepared: Prepared[] = [];
    for (const row of claimed) {
      if (!row.enabled) continue;
      const delivery: Claimed = {
        id: row.id,
        organization_id: row.organization_id,
        endpoint_id: row.endpoint_id,
        audit_event_id: row.audit_event_id,
        event_type: row.event_type,
        attempts: row.attempts,
        remaining_ms: row.remaining_ms,
      };
      // A delivery's event and endpoint are its organization's: anything else is a bug, said loudly.
      checkedRows(delivery.organization_id, [row], (r) => r.endpoint_organization_id ?? '', 'Webhook endpoint');
      if (row.event_id === null) {
        await this.failNow(delivery, 'event not found');
        continue;
      }
      checkedRows(delivery.organization_id, [row], (r) => r.event_organization_id ?? '', 'Webhook event');
      const event: AuditEventRow = {
        id: row.event_id,
        organization_id: row.event_organization_id,
        created_at: row.event_created_at as Date,
        actor_id: row.event_actor_id,
        actor_email: row.event_actor_email,
        action: row.event_action as string,
        target_id: row.event_target_id,
        target_email: row.event_target_email,
        details: row.event_details,
      };
      let secrets = secretsOf.get(row.endpoint_id);
      if (secrets === undefined) {
        try {
          secrets = [this.box.open(row.secret_sealed as string)];
          if (row.previous_secret_sealed) secrets.push(this.box.open(row.previous_secret_sealed));
        } catch {
          // Not sealed with this ROSTER_SECRET_KEY: left to its lease (an instance with the right key may send it).
          this.logger.warn(`Webhook endpoint ${row.endpoint_id}: its secret cannot be opened with this ROSTER_SECRET_KEY`);
          secrets = null;
        }
        secretsOf.set(row.endpoint_id, secrets);
      }
      if (!secrets) continue;
      const organization = { id: delivery.organization_id, slug: await this.slug(delivery.organization_id) };
      const body = JSON.stringify({
        type: delivery.event_type,
        timestamp: event.created_at.toISOString(),
        data: auditEventData(event, organization),
      });
      prepared.push({
        delivery,
        claimedAt,
        url: row.url as string,
        secrets,
        body,
        eventAt: event.created_at,
        failingSince: row.failing_since,
      });
    }
    // Released here: the caller counted every claimed delivery, and only the prepared ones run.
    const started = new Set(prepared.map((p) => p.delivery.id));
    for (const d of claimed) if (!started.has(d.id)) this.hold(d.endpoint_id, -1);
    return prepared;
  }

  /** The organization's slug (cached; dropped when the change feed says the organization changed). */
  private slug(organizationId: string): Promise<string | null> {
    let slug = this.slugs.get(organizationId);
    if (!slug) {
      slug = this.organizations.byId(organizationId).then(
        (o) => o?.slug ?? null,
        (e: unknown) => {
          this.slugs.delete(organizationId);
          throw e;
        },
      );
      this.slugs.set(organizationId, slug);
    }
    return slug;
  }

  /**
   * Deliveries of an endpoint disabled or deleted since they were due: not attempted (their attempt count
   * back to what it was), parked until their window ends, FAILED once it has.
   */
  private async setAside(deliveries: Claimed[]): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries d
          SET attempts = d.attempts - 1,
              status = CASE WHEN d.retry_until <= now() THEN 'FAILED' ELSE d.status END,
              finished_at = CASE WHEN d.retry_until <= now() THEN now() END,
              last_error = CASE WHEN d.retry_until <= now() THEN 'endpoint disabled' ELSE d.last_error END,
              next_attempt_at = d.retry_until
         FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
        WHERE d.id = c.id AND d.attempts = c.attempts`,
      [deliveries.map((d) => d.id), deliveries.map((d) => d.attempts)],
    );
  }

  /** A delivery that cannot be sent at all. */
  private async failNow(delivery: Claimed, error: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'FAILED', finished_at = now(), last_error = $3 WHERE id = $1 AND attempts = $2`,
      [delivery.id, delivery.attempts, error],
    );
  }

  /** One attempt and its outcome; never throws. */
  private async deliver(p: Prepared): Promise<void> {
    const { delivery } = p;
    const id = webhookId(delivery.id);
    const timestamp = Math.floor(Date.now() / 1000);
    let result: AttemptResult;
    try {
      result = await attempt(
        { url: p.url, headers: webhookHeaders(id, timestamp, sign(p.secrets, id, timestamp, p.body)), body: p.body },
        this.agents,
      );
    } catch (e) {
      this.logger.warn(`Webhook attempt ${delivery.id} failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    webhookAttempts.inc({ outcome: result.outcome });
    webhookAttemptDuration.observe(result.seconds);
    if (result.seconds * 1000 > SLOW_ATTEMPT_MS) {
      if (this.slow.size >= SLOW_ENDPOINTS_MAX) this.slow.clear();
      this.slow.add(delivery.endpoint_id);
    } else this.slow.delete(delivery.endpoint_id);
    try {
      if (result.outcome === 'delivered') {
        webhookDeliveryLag.observe(Math.max(0, (Date.now() - p.eventAt.getTime()) / 1000));
        this.succeeded({
          id: delivery.id,
          endpointId: delivery.endpoint_id,
          attempts: delivery.attempts,
          status: result.status as number,
          body: result.body ?? '',
        });
      } else if (result.status === 410) {
        await this.gone(p, result);
      } else {
        await this.failed(p, result);
      }
    } catch (e) {
      // The lease ends and another attempt follows: at least once.
      this.logger.warn(`Webhook outcome of ${delivery.id} not written: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private succeeded(success: Success): void {
    this.successes.push(success);
    if (this.successes.length >= SUCCESS_BATCH_MAX) void this.flush();
    else this.successTimer ??= setTimeout(() => void this.flush(), SUCCESS_BATCH_MS);
  }

  /** Writes the successes gathered so far: DELIVERED, and their endpoints healthy. */
  private flush(): Promise<void> {
    if (this.successTimer) clearTimeout(this.successTimer);
    this.successTimer = null;
    const batch = this.successes;
    this.successes = [];
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.connections
        .run(() =>
          // Unnamed: planned for the table as it is (a plan made once, while the table was small, scanned all of
          // it); a few a second at most.
          this.db.query(
            `WITH e AS (${LOCK_ENDPOINTS('$5::uuid[]')}),
                  done AS (
               UPDATE webhook_deliveries d
                  SET status = 'DELIVERED', finished_at = now(), response_status = s.status, response_body = s.body, last_error = NULL
                 FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[]) AS s(id, attempts, status, body)
                WHERE d.id = s.id AND d.attempts = s.attempts AND d.endpoint_id IN (SELECT id FROM e)
                RETURNING d.endpoint_id)
             UPDATE webhook_endpoints e SET last_success_at = now(), failing_since = NULL
              WHERE e.id IN (SELECT endpoint_id FROM done)`,
            [
              batch.map((s) => s.id),
              batch.map((s) => s.attempts),
              batch.map((s) => s.status),
              batch.map((s) => s.body),
              [...new Set(batch.map((s) => s.endpointId))],
            ],
          ),
        )
        .then(
          () => undefined,
          (e: unknown) =>
            this.logger.warn(`Webhook successes not written (${batch.length}): ${e instanceof Error ? e.message : String(e)}`),
        ),
    );
    return this.flushing;
  }

  /**
   * A 410: the endpoint disabled GONE at once and the delivery FAILED, in one transaction (the endpoint
   * first, as every writer of both locks them).
   */
  private async gone(p: Prepared, result: AttemptResult): Promise<void> {
    const { delivery } = p;
    const disabled = await this.connections.run(() =>
      this.db.transaction(async (tx) => {
        const done = await this.disabling.disableIn(tx, delivery.endpoint_id, 'GONE', result.status);
        await tx.query(
          `UPDATE webhook_deliveries SET status = 'FAILED', finished_at = now(), response_status = $3, response_body = $4, last_error = NULL
            WHERE id = $1 AND attempts = $2`,
          [delivery.id, delivery.attempts, result.status, result.body],
        );
        return done;
      }),
    );
    if (disabled) this.disabling.announce(disabled);
  }

  /**
   * Another status, no answer, or an address refused: RETRYING after the backoff (FAILED past the window);
   * the endpoint failing since its first failure, and disabled FAILING once that is 72 h old — in the same
   * transaction, so that no attempt starts between the two.
   */
  private async failed(p: Prepared, result: AttemptResult): Promise<void> {
    const { delivery } = p;
    const delay = retryDelayMs({
      attempts: delivery.attempts,
      baseMs: this.config.webhookRetryBaseMs,
      remainingMs: delivery.remaining_ms - (performance.now() - p.claimedAt),
      status: result.status,
      retryAfter: result.retryAfter,
    });
    if (result.error) {
      this.logger.log(
        `Webhook attempt ${delivery.id} to endpoint ${delivery.endpoint_id} (${webhookHost(p.url)}): ${result.error} (${result.detail ?? ''})`,
      );
    }
    const outcome = `WITH e AS (${LOCK_ENDPOINTS('ARRAY[$7::uuid]')}),
         d AS (
           UPDATE webhook_deliveries
              SET status = CASE WHEN $3::int IS NULL THEN 'FAILED' ELSE 'RETRYING' END,
                  next_attempt_at = CASE WHEN $3::int IS NULL THEN next_attempt_at ELSE now() + $3::int * interval '1 millisecond' END,
                  finished_at = CASE WHEN $3::int IS NULL THEN now() END,
                  response_status = $4, response_body = $5, last_error = $6
            WHERE id = $1 AND attempts = $2 AND endpoint_id IN (SELECT id FROM e)
            RETURNING endpoint_id)
         UPDATE webhook_endpoints e SET failing_since = coalesce(e.failing_since, now()), last_failure_at = now()
           FROM d WHERE e.id = d.endpoint_id
         RETURNING e.enabled AND e.failing_since <= now() - interval '${WEBHOOK_FAILING_DISABLE_HOURS} hours' AS overdue`;
    const params = [
      delivery.id,
      delivery.attempts,
      delay,
      result.status,
      result.body,
      result.error?.slice(0, WEBHOOK_ERROR_MAX) ?? null,
      delivery.endpoint_id,
    ];
    const disabled = await this.connections.run(async () => {
      // One statement while the endpoint's failures are young (the usual case); a transaction once it may be
      // disabled (an hour early: the database's clock decides).
      const old = p.failingSince !== null && Date.now() - p.failingSince.getTime() > (WEBHOOK_FAILING_DISABLE_HOURS - 1) * 3_600_000;
      if (!old) {
        await this.db.query(outcome, params);
        return null;
      }
      return this.db.transaction(async (tx) => {
        const [rows]: [{ overdue: boolean }[], number] = await tx.query(outcome, params);
        return rows[0]?.overdue ? this.disabling.disableIn(tx, delivery.endpoint_id, 'FAILING', result.status) : null;
      });
    });
    if (disabled) this.disabling.announce(disabled);
    if (delay !== null) this.retryIn(delay);
  }

  /** Wakes this process for the earliest retry it scheduled (the poll would find it too, later). */
  private retryIn(delayMs: number): void {
    if (this.stopping) return;
    const at = Date.now() + delayMs;
    if (this.retryTimer && this.retryTimer.at <= at) return;
    if (this.retryTimer) clearTimeout(this.retryTimer.timer);
    this.retryTimer = {
      at,
      timer: setTimeout(() => {
        this.retryTimer = null;
        this.kick();
      }, delayMs + 5).unref(),
    };
  }
}
