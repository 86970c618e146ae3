import { Client as Pg, Notification } from 'pg';
import { startApp, TestApp } from './support/app';
import { createOrganizationWithPeople, OrganizationOf } from './support/organizations';

const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`;
const UPDATE = `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id enabled } }`;
const FIELDS = `id webhookId eventId eventType status attempts responseStatus responseBody error createdAt lastAttemptAt nextAttemptAt`;
const PAGE = `query($e: ID!, $first: Int, $after: String, $status: WebhookDeliveryStatus) {
  webhookDeliveries(endpointId: $e, first: $first, after: $after, status: $status) { deliveries { ${FIELDS} } hasNextPage endCursor } }`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { ${FIELDS} } }`;
const TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;

interface Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
}

interface Row {
  id: string;
  status: string;
  attempts: number;
  due_now: boolean;
  retry_hours: number;
  finished_at: Date | null;
  response_status: number | null;
  next_attempt_at: Date;
}

/**
 * The delivery log (webhookDeliveries) and redelivery (redeliverWebhook), on a real server and database.
 * The server delivers nothing (WEBHOOK_DELIVERY=false): the fan-out trigger writes PENDING rows for real
 * events, and the other statuses are set by SQL as the worker would leave them.
 */
describe('webhook delivery log and redelivery', () => {
  let app: TestApp;
  let endpointId: string;
  let other: OrganizationOf;
  let otherEndpointId: string;
  let otherDeliveryId: string;
  let serial = 0;

  const deliveries = (id = endpointId) =>
    app.sql<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC`, [id]);
  const row = async (id: string) =>
    (
      await app.sql<Row>(
        `SELECT id, status, attempts, next_attempt_at <= now() AS due_now, finished_at, response_status, next_attempt_at,
                round(extract(epoch FROM retry_until - now()) / 3600)::int AS retry_hours
           FROM webhook_deliveries WHERE id = $1`,
        [id],
      )
    )[0];
  const redelivered = () =>
    app.sql<{ details: Record<string, unknown>; actor_id: string }>(
      `SELECT details, actor_id FROM audit_events WHERE action = 'webhook_delivery.redelivered' ORDER BY id`,
    );
  /** Everything a refused request must leave as it was. */
  const state = async () =>
    (
      await app.sql<{ f: string }>(
        `SELECT (SELECT count(*) || ':' || coalesce(sum(hashtext(d::text)::bigint), 0) FROM webhook_deliveries d)
             || '|' || (SELECT count(*) FROM audit_events) AS f`,
      )
    )[0].f;
  /** A new team: its team.created event fans out to the endpoint; the delivery's id. */
  const newDelivery = async (): Promise<string> => {
    const before = new Set((await deliveries()).map((d) => d.id));
    await app.admin.ok(TEAM, { n: `Log team ${++serial}` });
    const fresh = (await deliveries()).filter((d) => !before.has(d.id));
    expect(fresh).toHaveLength(1);
    return fresh[0].id;
  };
  const walk = async (first: number, status?: string): Promise<string[]> => {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const page: { deliveries: Delivery[]; hasNextPage: boolean; endCursor: string | null } = (
        await app.admin.ok(PAGE, { e: endpointId, first, after, status })
      ).webhookDeliveries;
      expect(page.deliveries.length).toBeLessThanOrEqual(first);
      ids.push(...page.deliveries.map((d) => d.id));
      if (!page.hasNextPage) return ids;
      expect(page.deliveries).toHaveLength(first);
      after = page.endCursor;
    }
    throw new Error('the walk does not end');
  };

  beforeAll(async () => {
    // No delivery here (webhooks-delivery.spec.ts delivers): rows stay as the fan-out and the SQL leave them.
    app = await startApp('webhooks-log', { WEBHOOK_DELIVERY: 'false' });
    endpointId = (
      await app.admin.ok(CREATE, { i: { url: 'https://1.1.1.1/log', eventTypes: ['team.created', 'team.renamed'], description: 'Log' } })
    ).createWebhookEndpoint.endpoint.id;
    // Another organization with an endpoint and a delivery of its own, made the same way.
    other = await createOrganizationWithPeople(app, app.admin, { slug: 'zz-log-b', prefix: 'zz-log-b-' });
    const otherAdmin = other.people.ADMIN.client;
    otherEndpointId = (await otherAdmin.ok(CREATE, { i: { url: 'https://1.1.1.1/zz-log-b', eventTypes: ['team.created'] } }))
      .createWebhookEndpoint.endpoint.id;
    await otherAdmin.ok(TEAM, { n: 'B team' });
    [{ id: otherDeliveryId }] = await deliveries(otherEndpointId);
    await app.sql(`UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = 1, finished_at = now() WHERE id = $1`, [otherDeliveryId]);
  }, 120_000);
  afterAll(() => app?.close());

  it('lists the deliveries real events produced, PENDING with no attempt (no worker yet)', async () => {
    const teamId = (await app.admin.ok(TEAM, { n: 'Listed' })).createTeam.id;
    await app.admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Listed again" }) { id } }`, { id: teamId });
    await app.admin.ok(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: teamId }); // not subscribed
    // The endpoint's organization's two newest subscribed events, newest first: what its log shows first.
    const events = await app.sql<{ id: string; action: string }>(
      `SELECT a.id::text, a.action FROM audit_events a JOIN webhook_endpoints e ON e.organization_id = a.organization_id
        WHERE e.id = $1 AND a.action = ANY (e.event_types) ORDER BY a.id DESC LIMIT 2`,
      [endpointId],
    );
    expect(events.map((e) => e.action)).toEqual(['team.renamed', 'team.created']);
    const page = (await app.admin.ok(PAGE, { e: endpointId, first: 2 })).webhookDeliveries;
    const [renamed, created] = page.deliveries as Delivery[];
    expect(page.deliveries.map((d: Delivery) => [d.eventType, d.eventId])).toEqual(events.map((e) => [e.action, e.id]));
    const [stored] = await app.sql<{ audit_event_id: string; created_at: Date; next_attempt_at: Date }>(
      `SELECT audit_event_id::text, created_at, next_attempt_at FROM webhook_deliveries WHERE id = $1`,
      [created.id],
    );
    const [event] = await app.sql<{ action: string }>(`SELECT action FROM audit_events WHERE id = $1`, [stored.audit_event_id]);
    expect(event.action).toBe('team.created');
    expect(created).toEqual({
      id: created.id,
      webhookId: `msg_${created.id.replace(/-/g, '')}`,
      eventId: stored.audit_event_id,
      eventType: 'team.created',
      status: 'PENDING',
      attempts: 0,
      responseStatus: null,
      responseBody: null,
      error: null,
      createdAt: stored.created_at.toISOString(),
      lastAttemptAt: null,
      nextAttemptAt: stored.next_attempt_at.toISOString(),
    });
    expect(renamed).toMatchObject({ eventType: 'team.renamed', status: 'PENDING' });
    // Nothing older (the endpoint is new); past the end, an empty page.
    expect(page.hasNextPage).toBe(false);
    expect(page.endCursor).toEqual(expect.any(String));
    expect((await app.admin.ok(PAGE, { e: endpointId, after: page.endCursor })).webhookDeliveries).toEqual({
      deliveries: [],
      hasNextPage: false,
      endCursor: null,
    });
    // The other organization's deliveries are not in this endpoint's log.
    const all = (await app.admin.ok(PAGE, { e: endpointId, first: 200 })).webhookDeliveries.deliveries as Delivery[];
    expect(all.map((d) => d.id)).not.toContain(otherDeliveryId);
  });

  it("walks the log by cursor in the table's order, rows sharing an instant included; the status filter on the same walk", async () => {
    for (let i = 0; i < 7; i++) await app.admin.ok(TEAM, { n: `Walk ${i}` });
    // Rows sharing one created_at (a bulk of events in one transaction): only the id tells them apart.
    await app.sql(
      `INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type, status, created_at)
       SELECT organization_id, id, 1, 'team.created', (ARRAY['PENDING', 'RETRYING', 'DELIVERED', 'FAILED'])[1 + i % 4],
              '2026-12-01T10:00:00.123456Z'::timestamptz
         FROM webhook_endpoints, generate_series(1, 13) i WHERE id = $1`,
      [endpointId],
    );
    const table = (await deliveries()).map((d) => d.id);
    expect(table.length).toBeGreaterThan(20);
    for (const first of [1, 3, 7, 50]) expect({ first, ids: await walk(first) }).toEqual({ first, ids: table });

    for (const status of ['PENDING', 'RETRYING', 'DELIVERED', 'FAILED']) {
      const expected = (
        await app.sql<{ id: string }>(
          `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND status = $2 ORDER BY created_at DESC, id DESC`,
          [endpointId, status],
        )
      ).map((d) => d.id);
      expect(expected.length).toBeGreaterThan(2);
      expect({ status, ids: await walk(2, status) }).toEqual({ status, ids: expected });
      const page = (await app.admin.ok(PAGE, { e: endpointId, first: 200, status })).webhookDeliveries.deliveries as Delivery[];
      expect(page.every((d) => d.status === status)).toBe(true);
      // The next attempt's time is told for waiting deliveries only.
      expect(page.every((d) => (d.nextAttemptAt !== null) === (status === 'PENDING' || status === 'RETRYING'))).toBe(true);
    }
  });

  it('clamps first to 1–200', async () => {
    await app.sql(
      `INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type, status, created_at)
       SELECT organization_id, id, 2, 'team.renamed', 'DELIVERED', now() - i * interval '1 second'
         FROM webhook_endpoints, generate_series(1, 210) i WHERE id = $1`,
      [endpointId],
    );
    const size = async (first?: number) =>
      ((await app.admin.ok(PAGE, first === undefined ? { e: endpointId } : { e: endpointId, first })).webhookDeliveries.deliveries as [])
        .length;
    expect(await size()).toBe(50);
    expect(await size(0)).toBe(1);
    expect(await size(-5)).toBe(1);
    expect(await size(1)).toBe(1);
    expect(await size(200)).toBe(200);
    expect(await size(201)).toBe(200);
    expect(await size(2 ** 31 - 1)).toBe(200);
  });

  it("answers NOT_FOUND for another organization's endpoint or delivery, as for unknown ids; nothing of it changes", async () => {
    const before = await state();
    const unknown = '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b';
    expect(await app.admin.code(PAGE, { e: otherEndpointId })).toBe('NOT_FOUND');
    expect(await app.admin.code(PAGE, { e: unknown })).toBe('NOT_FOUND');
    expect(await app.admin.code(REDELIVER, { id: otherDeliveryId })).toBe('NOT_FOUND');
    expect(await app.admin.code(REDELIVER, { id: unknown })).toBe('NOT_FOUND');
    // The same messages: nothing tells B's ids from random ones.
    const message = async (q: string, v: Record<string, unknown>) => (await app.admin.gql(q, v)).errors?.[0]?.message;
    expect(await message(PAGE, { e: otherEndpointId })).toBe(await message(PAGE, { e: unknown }));
    expect(await message(REDELIVER, { id: otherDeliveryId })).toBe(await message(REDELIVER, { id: unknown }));
    // A cursor made in B's log finds nothing of B's in A's.
    const bPage = (await other.people.ADMIN.client.ok(PAGE, { e: otherEndpointId, first: 1 })).webhookDeliveries;
    expect(bPage.deliveries.map((d: Delivery) => d.id)).toEqual([otherDeliveryId]);
    expect(await state()).toBe(before);
    expect((await row(otherDeliveryId)).status).toBe('DELIVERED');
    // Its own admin may redeliver it.
    expect((await other.people.ADMIN.client.ok(REDELIVER, { id: otherDeliveryId })).redeliverWebhook.status).toBe('PENDING');
    await app.sql(`UPDATE webhook_deliveries SET status = 'DELIVERED', finished_at = now() WHERE id = $1`, [otherDeliveryId]);
  });

  it('redelivers DELIVERED and FAILED as PENDING due now for 24 more hours, attempts and the last answer kept; audited; notifies w', async () => {
    const listener = new Pg({ connectionString: app.db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n: Notification) => heard.push(n.payload ?? ''));
    await listener.query('LISTEN roster_changes');
    try {
      for (const status of ['DELIVERED', 'FAILED']) {
        const id = await newDelivery();
        await until(() => heard.includes('w')); // the fan-out's own wake-up, heard before listening for the redelivery's
        await app.sql(
          `UPDATE webhook_deliveries SET status = $2, attempts = 3, response_status = 500, response_body = 'nope', last_error = NULL,
                  last_attempt_at = now() - interval '2 hours', next_attempt_at = now() - interval '2 hours',
                  retry_until = now() - interval '1 hour', finished_at = now() - interval '1 hour'
            WHERE id = $1`,
          [id, status],
        );
        const [{ audit_event_id: eventId }] = await app.sql<{ audit_event_id: string }>(
          `SELECT audit_event_id::text FROM webhook_deliveries WHERE id = $1`,
          [id],
        );
        const audits = (await redelivered()).length;
        heard.length = 0;
        const answer: Delivery = (await app.admin.ok(REDELIVER, { id })).redeliverWebhook;
        expect(answer).toMatchObject({
          id,
          webhookId: `msg_${id.replace(/-/g, '')}`,
          eventId,
          status: 'PENDING',
          attempts: 3,
          responseStatus: 500,
          responseBody: 'nope',
        });
        expect(answer.nextAttemptAt).toEqual(expect.any(String));
        const after = await row(id);
        expect(after).toMatchObject({
          status: 'PENDING',
          attempts: 3,
          due_now: true,
          retry_hours: 24,
          finished_at: null,
          response_status: 500,
        });
        const events = await redelivered();
        expect(events).toHaveLength(audits + 1);
        expect(events.at(-1)).toEqual({
          details: { endpointId, deliveryId: id, eventId, eventType: 'team.created' },
          actor_id: app.adminId,
        });
        await until(() => heard.includes('w'));
      }
    } finally {
      await listener.end();
    }
  });

  it('redelivers RETRYING as due now unless leased; leaves PENDING as it is; only a change is audited', async () => {
    // RETRYING, its next attempt an hour away (the last one ten minutes ago): due now.
    const waiting = await newDelivery();
    await app.sql(
      `UPDATE webhook_deliveries SET status = 'RETRYING', attempts = 4, response_status = 503, last_attempt_at = now() - interval '10 minutes',
              next_attempt_at = now() + interval '1 hour', retry_until = now() + interval '5 hours' WHERE id = $1`,
      [waiting],
    );
    let audits = (await redelivered()).length;
    expect((await app.admin.ok(REDELIVER, { id: waiting })).redeliverWebhook).toMatchObject({ status: 'RETRYING', attempts: 4 });
    expect(await row(waiting)).toMatchObject({ status: 'RETRYING', attempts: 4, due_now: true, retry_hours: 5 });
    expect(await redelivered()).toHaveLength(++audits);

    // RETRYING and leased (claimed a second ago: the lease ends 20 s after the claim): left to the attempt under way.
    const leased = await newDelivery();
    await app.sql(
      `UPDATE webhook_deliveries SET status = 'RETRYING', attempts = 2, last_attempt_at = now() - interval '1 second',
              next_attempt_at = now() + interval '19 seconds' WHERE id = $1`,
      [leased],
    );
    const leasedBefore = await row(leased);
    const answer = (await app.admin.ok(REDELIVER, { id: leased })).redeliverWebhook;
    expect(answer).toMatchObject({ status: 'RETRYING', attempts: 2, nextAttemptAt: leasedBefore.next_attempt_at.toISOString() });
    expect(await row(leased)).toEqual({ ...leasedBefore, retry_hours: expect.any(Number) });

    // PENDING (never attempted, and leased PENDING): answered as it is.
    const pending = await newDelivery();
    const pendingBefore = await row(pending);
    expect((await app.admin.ok(REDELIVER, { id: pending })).redeliverWebhook).toMatchObject({
      id: pending,
      status: 'PENDING',
      attempts: 0,
    });
    expect(await row(pending)).toEqual({ ...pendingBefore, retry_hours: expect.any(Number) });
    await app.sql(
      `UPDATE webhook_deliveries SET attempts = 1, last_attempt_at = now(), next_attempt_at = now() + interval '20 seconds' WHERE id = $1`,
      [pending],
    );
    expect((await app.admin.ok(REDELIVER, { id: pending })).redeliverWebhook).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect((await row(pending)).due_now).toBe(false);
    expect(await redelivered()).toHaveLength(audits);
  });

  it('refuses on a disabled endpoint with WEBHOOK_ENDPOINT_DISABLED, changing nothing; enabled again, redelivers', async () => {
    const id = await newDelivery();
    await app.sql(`UPDATE webhook_deliveries SET status = 'FAILED', attempts = 5, finished_at = now() WHERE id = $1`, [id]);
    await app.admin.ok(UPDATE, { i: { id: endpointId, enabled: false } });
    try {
      const before = await state();
      const r = await app.admin.gql(REDELIVER, { id });
      expect(r.errors?.[0]?.extensions?.code).toBe('WEBHOOK_ENDPOINT_DISABLED');
      expect(r.data).toBeNull();
      expect(await state()).toBe(before);
      // The log still reads.
      expect((await app.admin.ok(PAGE, { e: endpointId, first: 1 })).webhookDeliveries.deliveries).toHaveLength(1);
    } finally {
      await app.admin.ok(UPDATE, { i: { id: endpointId, enabled: true } });
    }
    expect((await app.admin.ok(REDELIVER, { id })).redeliverWebhook).toMatchObject({ status: 'PENDING', attempts: 5 });
  });

  it('parallel redeliveries of one delivery leave one consistent row and one audit event', async () => {
    const id = await newDelivery();
    await app.sql(
      `UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = 1, response_status = 204, last_attempt_at = now(),
              finished_at = now() WHERE id = $1`,
      [id],
    );
    const audits = (await redelivered()).length;
    const answers = await Promise.all(Array.from({ length: 12 }, () => app.admin.gql(REDELIVER, { id })));
    expect(answers.map((r) => r.errors ?? r.data.redeliverWebhook.status)).toEqual(Array(12).fill('PENDING'));
    expect(new Set(answers.map((r) => r.data.redeliverWebhook.attempts))).toEqual(new Set([1]));
    expect(await row(id)).toMatchObject({ status: 'PENDING', attempts: 1, due_now: true, retry_hours: 24, finished_at: null });
    const events = (await redelivered()).slice(audits);
    expect(events.map((e) => e.details.deliveryId)).toEqual([id]);
  });

  it('refuses malformed ids, cursors and arguments with typed errors, changing nothing', async () => {
    const before = await state();
    const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const [{ id: realId }] = await deliveries();
    const badCursors = [
      'garbage',
      '',
      '%%%',
      cursorOf(['2026-12-01T10:00:00.123456Z']),
      cursorOf(['2026-12-01T10:00:00.123456Z', 'not-a-uuid']),
      cursorOf(['2026-02-30T10:00:00.123456Z', realId]),
      cursorOf(['2026-12-01T10:00:00.123Z', realId]),
      cursorOf(['0000-12-01T10:00:00.123456Z', realId]),
      cursorOf([1, realId]),
      cursorOf({ at: '2026-12-01T10:00:00.123456Z', id: realId }),
      cursorOf(['2026-12-01T10:00:00.123456Z', realId, 'x']),
      cursorOf(['2026-12-01T10:00:00.123456Z', '1']),
      `${cursorOf(['2026-12-01T10:00:00.123456Z', realId])}${'A'.repeat(200)}`,
    ];
    for (const after of badCursors) {
      const r = await app.admin.gql(PAGE, { e: endpointId, after });
      expect({ after, code: r.errors?.[0]?.extensions?.code, fields: r.errors?.[0]?.extensions?.fields }).toEqual({
        after,
        code: 'BAD_USER_INPUT',
        fields: { after: ['cursor'] },
      });
    }
    // A well-formed cursor of no existing row is a position like any other.
    const nowhere = (await app.admin.ok(PAGE, { e: endpointId, after: cursorOf(['1970-01-01T00:00:00.000000Z', realId]) }))
      .webhookDeliveries;
    expect(nowhere).toEqual({ deliveries: [], hasNextPage: false, endCursor: null });

    for (const e of ['nope', '', '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7', `${endpointId}x`, "' OR 1=1 --"]) {
      expect({ e, code: await app.admin.code(PAGE, { e }) }).toEqual({ e, code: 'BAD_USER_INPUT' });
    }
    for (const id of ['nope', '', '1', `${realId} `, "'; DELETE FROM webhook_deliveries; --"]) {
      expect({ id, code: await app.admin.code(REDELIVER, { id }) }).toEqual({ id, code: 'BAD_USER_INPUT' });
    }
    // Values the schema refuses before any resolver: an unknown status, a page size that is not an Int.
    for (const variables of [
      { e: endpointId, status: 'NOPE' },
      { e: endpointId, status: 'pending' },
      { e: endpointId, first: 'ten' },
      { e: endpointId, first: 2 ** 31 },
      { e: endpointId, first: 1.5 },
    ]) {
      const r = await app.admin.gql(PAGE, variables);
      expect(r.status).toBeLessThan(500);
      expect({ variables, code: r.errors?.[0]?.extensions?.code }).toEqual({ variables, code: 'BAD_USER_INPUT' });
    }
    expect(await state()).toBe(before);
  });

  it('is for holders of webhooks:manage only: a Manager is refused, an Admin token allowed', async () => {
    const manager = await app.register('log-manager@example.com', 'MANAGER');
    const [{ id }] = await deliveries();
    const before = await state();
    expect(await manager.client.code(PAGE, { e: endpointId })).toBe('FORBIDDEN');
    expect(await manager.client.code(REDELIVER, { id })).toBe('FORBIDDEN');
    expect(await state()).toBe(before);
    const token = (await app.admin.ok(`mutation { createApiToken(input: { name: "log" }) { secret } }`)).createApiToken.secret;
    const bearer = app.client({ bearer: token });
    expect((await bearer.ok(PAGE, { e: endpointId, first: 1 })).webhookDeliveries.deliveries).toHaveLength(1);
  });
});

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not seen in time');
    await new Promise((ok) => setTimeout(ok, 20));
  }
}
