import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort, startServer, TestServer } from '../../../tools/testing/server';
import { STRONG_PASSWORD, startApp, TestApp } from './support/app';
import { Client } from './support/client';
import { WebhookReceiver } from './support/webhook-receiver';

const CREATE = `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id } } }`;
const UPDATE = `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id enabled disabledReason } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`;
const CREATE_TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
const BASE_MS = 100;
const METRICS_TOKEN = 'webhooks-delivery-metrics-token';

interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  response_status: number | null;
  response_body: string | null;
  last_error: string | null;
  audit_event_id: string;
  event_type: string;
}

/**
 * The delivery worker against a real receiver on loopback (every request verified with `standardwebhooks`
 * on the raw body), on the built server: ALLOW_PRIVATE_TARGETS=true (loopback and http allowed),
 * WEBHOOK_RETRY_BASE_MS=100, a loopback SMTP server for the disabling email.
 */
describe('webhook delivery', () => {
  let app: TestApp;
  let receiver: WebhookReceiver;
  let smtp: SMTPServer;
  let organization: { id: string; slug: string };
  const mails: ParsedMail[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (e: Error) => callback(e),
        );
      },
    });
    await new Promise<void>((ok) => smtp.listen(0, '127.0.0.1', ok));
    env = {
      ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: String(BASE_MS),
      SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}?tls=none`,
      SMTP_FROM: 'Roster <roster@example.test>',
      SMTP_POLL_SECONDS: '1',
      METRICS_TOKEN,
    };
    app = await startApp('webhooks-delivery', env);
    [organization] = await app.sql<{ id: string; slug: string }>(`SELECT id, slug FROM organizations ORDER BY created_at, id LIMIT 1`);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await new Promise<void>((ok) => (smtp ? smtp.close(() => ok()) : ok()));
  });
  // Locked in id order, as the worker's outcomes lock them (a plain DELETE could deadlock with a batch).
  afterEach(() => app.sql(`DELETE FROM webhook_endpoints WHERE id IN (SELECT id FROM webhook_endpoints ORDER BY id FOR UPDATE)`));

  /** An endpoint of the first organization on the receiver's `path`, its secret registered there. */
  async function endpoint(path: string, eventTypes: string[], by: Client = app.admin): Promise<{ id: string; secret: string }> {
    const r = (await by.ok(CREATE, { i: { url: receiver.url(path), eventTypes, description: `hooks ${path.slice(1)}` } }))
      .createWebhookEndpoint;
    receiver.secret(path, r.secret);
    return { id: r.endpoint.id, secret: r.secret };
  }
  const deliveries = (endpointId: string) =>
    app.sql<DeliveryRow>(
      `SELECT id, status, attempts, response_status, response_body, last_error, audit_event_id::text, event_type
         FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY audit_event_id`,
      [endpointId],
    );
  async function settled(endpointId: string, status: string, count = 1, timeoutMs = 15_000): Promise<DeliveryRow[]> {
    let rows: DeliveryRow[] = [];
    await receiver.until(
      async () => {
        rows = await deliveries(endpointId);
        return rows.filter((r) => r.status === status).length >= count;
      },
      `${count} ${status} deliveries of ${endpointId}`,
      timeoutMs,
    );
    return rows;
  }
  const endpointRow = (id: string) =>
    app
      .sql<{
        enabled: boolean;
        disabled_reason: string | null;
        failing_since: Date | null;
        last_success_at: Date | null;
      }>(`SELECT enabled, disabled_reason, failing_since, last_success_at FROM webhook_endpoints WHERE id = $1`, [id])
      .then((r) => r[0]);

  it("delivers each subscribed event once, verified, its data the audit log's; platform events and other types never", async () => {
    const types = [
      'api_token.created',
      'invitation.accepted',
      'invitation.created',
      'team.created',
      'team.renamed',
      'user.password_reset_created',
      'webhook_endpoint.updated',
    ];
    const hook = await endpoint('/all', types);
    const secrets: string[] = [hook.secret, STRONG_PASSWORD];
    const team = (await app.admin.ok(CREATE_TEAM, { n: 'Delivered' })).createTeam.id;
    await app.admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Delivered again" }) { id } }`, { id: team });
    const invited = await app.invite('hooked-invitee@example.com', 'VIEWER');
    secrets.push(invited.token);
    const member = await app.register('hooked-member@example.com', 'MEMBER');
    const reset = (await app.admin.ok(`mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: member.userId }))
      .createPasswordReset.url as string;
    secrets.push(new URL(reset).searchParams.get('token') as string);
    const token = (await app.admin.ok(`mutation { createApiToken(input: { name: "hooked" }) { secret } }`)).createApiToken.secret;
    secrets.push(token);
    await app.admin.ok(UPDATE, { i: { id: hook.id, description: 'renamed hooks' } });
    // Not subscribed, and a platform event: no delivery.
    await app.admin.ok(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: team });
    await app.admin.ok(`mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }`, {
      i: { id: organization.id, name: 'Hooked organization' },
    });

    const rows = await deliveries(hook.id);
    expect([...new Set(rows.map((r) => r.event_type))].sort()).toEqual(types);
    await settled(hook.id, 'DELIVERED', rows.length);
    await new Promise((r) => setTimeout(r, 300)); // nothing more comes
    const got = receiver.at('/all');
    expect(got).toHaveLength(rows.length);
    expect(new Set(got.map((r) => r.id)).size).toBe(rows.length);
    expect(got.map((r) => r.id).sort()).toEqual(rows.map((r) => `msg_${r.id.replace(/-/g, '')}`).sort());
    for (const r of got) {
      expect(r.verifiedWith).toEqual([hook.secret]);
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toMatch(/^Roster-Webhooks\//);
    }

    const events: {
      id: string;
      createdAt: string;
      actorId: string | null;
      actorEmail: string | null;
      action: string;
      targetId: string | null;
      targetEmail: string | null;
      details: string;
    }[] = (
      await app.admin.ok(`{ auditEvents(first: 200) { events { id createdAt actorId actorEmail action targetId targetEmail details } } }`)
    ).auditEvents.events;
    const byId = new Map(events.map((e) => [e.id, e]));
    const party = (id: string | null, email: string | null) => (id === null && email === null ? null : { id, email });
    for (const r of got) {
      const payload = JSON.parse(r.body);
      const e = byId.get(payload.data.id);
      expect(e).toBeDefined();
      if (!e) continue;
      expect(payload).toEqual({
        type: e.action,
        timestamp: e.createdAt,
        data: {
          id: e.id,
          action: e.action,
          createdAt: e.createdAt,
          organization: organization,
          actor: party(e.actorId, e.actorEmail),
          target: party(e.targetId, e.targetEmail),
          details: JSON.parse(e.details),
        },
      });
      expect(rows.find((d) => d.audit_event_id === e.id)?.event_type).toBe(e.action);
    }
    // No secret Roster issued is in any body received.
    const bodies = got.map((r) => r.body).join('\n');
    for (const s of secrets)
      expect({ secret: s.slice(0, 12), found: bodies.includes(s) }).toEqual({ secret: s.slice(0, 12), found: false });
    expect(bodies).not.toContain(hook.secret.slice(6, 26));
  });

  it('retries after 500s: the same webhook-id, signed anew at each attempt, after the backoff', async () => {
    receiver.answer('/flaky', (_r, nth) => (nth <= 2 ? { status: 500, body: `no ${nth}` } : { status: 204 }));
    const hook = await endpoint('/flaky', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Flaky' });
    const [row] = await settled(hook.id, 'DELIVERED');
    expect(row).toMatchObject({ attempts: 3, response_status: 204, response_body: '', last_error: null });
    const got = receiver.at('/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    expect(new Set(got.map((r) => r.body)).size).toBe(1);
    for (const r of got) {
      expect(r.verifiedWith).toEqual([hook.secret]);
      // Signed at the attempt's own time.
      expect(Math.abs(r.timestamp - Math.floor(r.at / 1000))).toBeLessThanOrEqual(1);
    }
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(0.8 * BASE_MS);
    expect(got[2].at - got[1].at).toBeGreaterThanOrEqual(0.8 * 2 * BASE_MS);
    expect((await endpointRow(hook.id)).failing_since).toBeNull();
    expect((await endpointRow(hook.id)).last_success_at).not.toBeNull();
  });

  it('sends a delivery made due at a time before the claims started their scans (the poll scans from the start)', async () => {
    const hook = await endpoint('/behind', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Behind one' });
    await app.admin.ok(CREATE_TEAM, { n: 'Behind two' });
    const [first, second] = await settled(hook.id, 'DELIVERED', 2);
    // The claims' scans now start after both. The first is made due an hour ago, as a transaction that
    // began long before its commit would write it; the second is made due now: each is sent again.
    await app.sql(
      `UPDATE webhook_deliveries SET status = 'PENDING', finished_at = NULL,
              next_attempt_at = CASE WHEN id = $1 THEN now() - interval '1 hour' ELSE now() END
        WHERE id IN ($1, $2)`,
      [first.id, second.id],
    );
    await receiver.until(() => receiver.at('/behind').length === 4, 'both sent again');
    const rows = await settled(hook.id, 'DELIVERED', 2);
    expect(rows.map((r) => r.attempts)).toEqual([2, 2]);
    expect(receiver.at('/behind').filter((r) => r.id === `msg_${first.id.replaceAll('-', '')}`)).toHaveLength(2);
  });

  it('keeps trying a receiver that is down (no HTTP answer), and delivers once it is up', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/later`;
    const { id } = (await app.admin.ok(CREATE, { i: { url, eventTypes: ['team.created'] } })).createWebhookEndpoint.endpoint;
    await app.admin.ok(CREATE_TEAM, { n: 'Later' });
    // A second claim (attempts count claims): the first attempt failed and was retried.
    await receiver.until(async () => ((await deliveries(id))[0]?.attempts ?? 0) >= 2, 'a failed attempt retried');
    const [down] = await deliveries(id);
    expect(down).toMatchObject({ status: 'RETRYING', response_status: null, last_error: 'connection refused' });
    expect((await endpointRow(id)).failing_since).not.toBeNull();
    const late = await WebhookReceiver.start(port);
    try {
      await receiver.until(async () => (await deliveries(id))[0]?.status === 'DELIVERED', 'delivered once up');
      expect(late.at('/later')).toHaveLength(1);
      expect((await endpointRow(id)).failing_since).toBeNull();
    } finally {
      await late.close();
    }
  });

  it('honours Retry-After on a 429, up to an hour', async () => {
    receiver.answer('/busy', (_r, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const hook = await endpoint('/busy', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Busy' });
    await settled(hook.id, 'DELIVERED');
    const [first, second] = receiver.at('/busy');
    expect(second.at - first.at).toBeGreaterThanOrEqual(2_000);

    receiver.answer('/slow-down', () => ({ status: 503, headers: { 'retry-after': '100000' } }));
    const slow = await endpoint('/slow-down', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Slow down' });
    await receiver.until(async () => (await deliveries(slow.id))[0]?.status === 'RETRYING', 'a 503 answered');
    const [wait] = await app.sql<{ seconds: number }>(
      `SELECT extract(epoch FROM next_attempt_at - now())::float8 AS seconds FROM webhook_deliveries WHERE endpoint_id = $1`,
      [slow.id],
    );
    expect(wait.seconds).toBeGreaterThan(3_500);
    expect(wait.seconds).toBeLessThanOrEqual(3_600);
  });

  it('gives up (FAILED) once the delivery is past its 24 hours', async () => {
    receiver.answer('/never', () => ({ status: 500, body: 'still broken' }));
    const hook = await endpoint('/never', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Never' });
    await receiver.until(async () => (await deliveries(hook.id))[0]?.status === 'RETRYING', 'a first failure');
    await app.sql(
      `UPDATE webhook_deliveries SET retry_until = now() - interval '1 second', next_attempt_at = now() WHERE endpoint_id = $1`,
      [hook.id],
    );
    const [row] = await settled(hook.id, 'FAILED');
    expect(row).toMatchObject({ response_status: 500, response_body: 'still broken' });
    const attempts = row.attempts;
    await new Promise((r) => setTimeout(r, 5 * BASE_MS));
    expect((await deliveries(hook.id))[0].attempts).toBe(attempts);
    expect(receiver.at('/never')).toHaveLength(attempts);
  });

  it('disables an endpoint answering 410 at once: audited, its admins emailed in their language, nothing more enqueued', async () => {
    receiver.answer('/gone', () => ({ status: 410, body: 'gone for good' }));
    const french = await app.register('hooks-admin-fr@example.com', 'ADMIN');
    await french.client.ok(`mutation { updateMyProfile(input: { language: FR }) { language } }`);
    await app.register('hooks-manager@example.com', 'MANAGER');
    const hook = await endpoint('/gone', ['team.created', 'team.renamed']);
    await app.admin.ok(CREATE_TEAM, { n: 'Gone' });
    const [row] = await settled(hook.id, 'FAILED');
    expect(row).toMatchObject({ attempts: 1, response_status: 410, response_body: 'gone for good' });
    expect(await endpointRow(hook.id)).toMatchObject({ enabled: false, disabled_reason: 'GONE' });
    const [event] = await app.sql<{ actor_id: string | null; actor_email: string | null; organization_id: string; details: unknown }>(
      `SELECT actor_id, actor_email, organization_id, details FROM audit_events WHERE action = 'webhook_endpoint.disabled' ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toEqual({
      actor_id: null,
      actor_email: null,
      organization_id: organization.id,
      details: { endpointId: hook.id, host: `127.0.0.1:${receiver.port}`, reason: 'GONE', responseStatus: 410, failingSince: null },
    });
    // Later events of its types are not enqueued.
    await app.admin.ok(CREATE_TEAM, { n: 'Gone again' });
    expect(await deliveries(hook.id)).toHaveLength(1);

    const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
    const disabledMails = () => mails.filter((m) => /webhook|point de réception/i.test(m.subject ?? ''));
    await receiver.until(() => disabledMails().length >= 2, 'two webhook_disabled emails');
    await new Promise((r) => setTimeout(r, 1_500)); // nobody else
    const sent = disabledMails();
    expect(sent.map(to).sort()).toEqual(['admin@example.com', 'hooks-admin-fr@example.com']);
    const en = sent.find((m) => to(m) === 'admin@example.com') as ParsedMail;
    expect(en.subject).toBe('Webhooks of Hooked organization: an endpoint was disabled');
    expect(en.text).toContain(`“hooks gone” (127.0.0.1:${receiver.port})`);
    expect(en.text).toContain('It answered 410 Gone');
    expect(en.text).toContain(`/o/${organization.slug}/webhooks`);
    expect(en.text).not.toContain('/gone”');
    const fr = sent.find((m) => to(m) === 'hooks-admin-fr@example.com') as ParsedMail;
    expect(fr.subject).toBe('Webhooks de Hooked organization : un point de réception a été désactivé');
  });

  it('disables an endpoint failing for 3 days at its next failure (FAILING), parks its deliveries; enabling resumes them', async () => {
    let healthy = false;
    receiver.answer('/failing', () => (healthy ? { status: 200 } : { status: 500 }));
    const hook = await endpoint('/failing', ['team.created']);
    await app.sql(`UPDATE webhook_endpoints SET failing_since = now() - interval '73 hours' WHERE id = $1`, [hook.id]);
    await app.admin.ok(CREATE_TEAM, { n: 'Failing' });
    await receiver.until(async () => (await endpointRow(hook.id)).enabled === false, 'disabled');
    expect((await endpointRow(hook.id)).disabled_reason).toBe('FAILING');
    const [parked] = await app.sql<{ status: string; parked: boolean }>(
      `SELECT status, next_attempt_at = retry_until AS parked FROM webhook_deliveries WHERE endpoint_id = $1`,
      [hook.id],
    );
    expect(parked).toEqual({ status: 'RETRYING', parked: true });
    const [event] = await app.sql<{ details: { reason: string; failingSince: string; responseStatus: number } }>(
      `SELECT details FROM audit_events WHERE action = 'webhook_endpoint.disabled' ORDER BY id DESC LIMIT 1`,
    );
    expect(event.details).toMatchObject({ endpointId: hook.id, reason: 'FAILING', responseStatus: 500 });
    expect(Date.now() - Date.parse(event.details.failingSince)).toBeGreaterThan(72 * 3_600_000);
    const attempts = receiver.at('/failing').length;
    await new Promise((r) => setTimeout(r, 5 * BASE_MS));
    expect(receiver.at('/failing')).toHaveLength(attempts);

    healthy = true;
    expect((await app.admin.ok(UPDATE, { i: { id: hook.id, enabled: true } })).updateWebhookEndpoint).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    await settled(hook.id, 'DELIVERED');
    expect(await endpointRow(hook.id)).toMatchObject({ enabled: true, failing_since: null });
  });

  it('counts attempts, lag and disablings, and reads the outbox at each scrape, with no organization, endpoint or URL label', async () => {
    const text = await (await fetch(`${app.server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (sample: string) => Number(new RegExp(`^${sample.replace(/[{}"().]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    expect(value('roster_webhook_attempts_total{outcome="delivered"}')).toBeGreaterThan(10);
    expect(value('roster_webhook_attempts_total{outcome="http_error"}')).toBeGreaterThan(3);
    // The receiver that was down: its first attempt failed for certain; the retry may find it up.
    expect(value('roster_webhook_attempts_total{outcome="network"}')).toBeGreaterThanOrEqual(1);
    expect(value('roster_webhook_attempt_duration_seconds_count')).toBeGreaterThan(15);
    expect(value('roster_webhook_delivery_lag_seconds_count')).toBeGreaterThan(10);
    expect(value('roster_webhook_endpoints_disabled_total{reason="gone"}')).toBe(1);
    expect(value('roster_webhook_endpoints_disabled_total{reason="failing"}')).toBe(1);
    expect(value('roster_webhook_outbox_deliveries{status="pending"}')).toBeGreaterThanOrEqual(0);
    // The 503 asking for an hour waits, not due: nothing is late.
    expect(value('roster_webhook_outbox_deliveries{status="retrying"}')).toBeGreaterThanOrEqual(0);
    expect(value('roster_webhook_outbox_oldest_due_seconds')).toBeLessThan(5);
    const labels = [...text.matchAll(/^roster_webhook_\w+\{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((l) => l.split('=')[0]));
    expect([...new Set(labels)].sort()).toEqual(['le', 'outcome', 'reason', 'status']);
  });

  it('parks the deliveries of an endpoint disabled by hand, and fails without sending those that expire parked', async () => {
    // Asked to come back in an hour: no attempt is under way while the endpoint is disabled.
    receiver.answer('/manual', () => ({ status: 429, headers: { 'retry-after': '3600' } }));
    const hook = await endpoint('/manual', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Manual' });
    await receiver.until(async () => (await deliveries(hook.id))[0]?.status === 'RETRYING', 'a failure');
    const [before] = await app.sql<{ parked: boolean }>(
      `SELECT next_attempt_at = retry_until AS parked FROM webhook_deliveries WHERE endpoint_id = $1`,
      [hook.id],
    );
    expect(before.parked).toBe(false);
    await app.admin.ok(UPDATE, { i: { id: hook.id, enabled: false } });
    const [after] = await app.sql<{ parked: boolean }>(
      `SELECT next_attempt_at = retry_until AS parked FROM webhook_deliveries WHERE endpoint_id = $1`,
      [hook.id],
    );
    expect(after.parked).toBe(true);
    const sent = receiver.at('/manual').length;
    expect(sent).toBe(1);
    // Its window ends: found parked and still disabled, it fails without an attempt.
    await app.sql(`UPDATE webhook_deliveries SET retry_until = now(), next_attempt_at = now() WHERE endpoint_id = $1`, [hook.id]);
    const [row] = await settled(hook.id, 'FAILED');
    expect(row.last_error).toBe('endpoint disabled');
    expect(row.attempts).toBe(sent);
    expect(receiver.at('/manual')).toHaveLength(sent);
  });

  it('keeps 4,096 bytes of an answer (cleaned), closing the connection; follows no redirect', async () => {
    const big = Buffer.concat([Buffer.from('ok\u0000'), Buffer.from([0xff, 0xfe]), Buffer.alloc(1024 * 1024, 'x')]);
    receiver.answer('/big', () => ({ status: 200, body: big }));
    const hook = await endpoint('/big', ['team.created']);
    const trap = await WebhookReceiver.start();
    receiver.answer('/redirect', () => ({ status: 302, headers: { location: trap.url('/trap') }, body: 'moved' }));
    const moved = await endpoint('/redirect', ['team.created']);
    try {
      await app.admin.ok(CREATE_TEAM, { n: 'Big answer' });
      const [row] = await settled(hook.id, 'DELIVERED');
      expect(row.response_body).toBe(`ok\uFFFD\uFFFD${'x'.repeat(4096 - 5)}`);
      await receiver.until(() => receiver.closed.includes('/big'), 'the connection closed');

      await receiver.until(async () => ((await deliveries(moved.id))[0]?.attempts ?? 0) >= 2, 'two attempts');
      expect((await deliveries(moved.id))[0]).toMatchObject({ status: 'RETRYING', response_status: 302, response_body: 'moved' });
      expect(trap.received).toEqual([]);
    } finally {
      await trap.close();
    }
  });

  it('sends two signatures after a rotation, each verifying with its secret', async () => {
    const hook = await endpoint('/rotated', ['team.created']);
    const rotated = (await app.admin.ok(ROTATE, { id: hook.id })).rotateWebhookSecret.secret as string;
    receiver.secret('/rotated', rotated);
    await app.admin.ok(CREATE_TEAM, { n: 'Rotated' });
    await settled(hook.id, 'DELIVERED');
    const [r] = receiver.at('/rotated');
    expect(r.signature.split(' ')).toHaveLength(2);
    expect(r.verifiedWith.sort()).toEqual([hook.secret, rotated].sort());
    // The previous secret expired: one signature, the new one's.
    await app.sql(`UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`, [hook.id]);
    await app.admin.ok(CREATE_TEAM, { n: 'Rotated once' });
    await settled(hook.id, 'DELIVERED', 2);
    const last = receiver.at('/rotated')[1];
    expect(last.signature.split(' ')).toHaveLength(1);
    expect(last.verifiedWith).toEqual([rotated]);
  });

  it('gives up an attempt after 10 s without an answer: timeout', async () => {
    receiver.answer('/hang', () => 'hang');
    const hook = await endpoint('/hang', ['team.created']);
    await app.admin.ok(CREATE_TEAM, { n: 'Hang' });
    await receiver.until(() => receiver.at('/hang').length === 1, 'the request');
    const started = receiver.at('/hang')[0].at;
    // The next attempt hangs too: the first one's outcome stays in the log meanwhile.
    await receiver.until(async () => (await deliveries(hook.id))[0]?.last_error === 'timeout', 'a timeout', 15_000);
    expect(Date.now() - started).toBeGreaterThan(9_500);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'RETRYING', response_status: null });
  }, 30_000);

  it('two instances on one database deliver each event exactly once', async () => {
    const second: TestServer = await startServer(app.db.url, env);
    try {
      const hook = await endpoint('/batch', ['team.created']);
      // 300 events at once, through the real trigger.
      await app.sql(
        `INSERT INTO audit_events (organization_id, action, details)
         SELECT $1, 'team.created', jsonb_build_object('n', n) FROM generate_series(1, 300) n`,
        [organization.id],
      );
      await settled(hook.id, 'DELIVERED', 300, 30_000);
      await new Promise((r) => setTimeout(r, 500));
      const ids = receiver.at('/batch').map((r) => r.id);
      expect(ids).toHaveLength(300);
      expect(new Set(ids).size).toBe(300);
      expect(receiver.at('/batch').every((r) => r.verifiedWith.length === 1)).toBe(true);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
