import { createHash } from 'node:crypto';
import { startServer } from '../../../tools/testing/server';
import { SecretBox } from '../src/core/security/secret-box';
import { STRONG_PASSWORD, startApp, TestApp } from './support/app';
import { Client } from './support/client';

const CREATE = `mutation($i: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $i) { secret endpoint { id url eventTypes enabled description disabledReason disabledAt createdAt updatedAt } } }`;
const UPDATE = `mutation($i: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $i) { id url eventTypes enabled description disabledReason disabledAt } }`;
const ROTATE = `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { id secretRotatedAt previousSecretExpiresAt } } }`;
const DELETE = `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`;
const LIST = `{ webhookEndpoints { id url eventTypes enabled description } }`;

/** The forms of a private or special-use address the design lists (IP literals, as typed, and localhost names). */
const REFUSED_HOSTS = [
  '127.0.0.1',
  '2130706433',
  '0x7f.1',
  '0177.0.0.1',
  '127.1',
  '%31%32%37.0.0.1',
  '0',
  '0.0.0.0',
  '[::1]',
  '[::]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[0:0:0:0:0:ffff:127.0.0.1]',
  '[::169.254.169.254]',
  '[64:ff9b::7f00:1]',
  '[64:ff9b::a9fe:a9fe]',
  '10.0.0.1',
  '172.16.0.1',
  '192.168.0.1',
  '169.254.169.254',
  '100.100.100.200',
  '100.64.0.1',
  '198.18.0.1',
  '192.0.0.192',
  '[fd00:ec2::254]',
  '[fe80::1]',
  '[fc00::1]',
  '[2002:7f00:1::1]',
  'localhost',
  'LOCALHOST.',
  'a.b.localhost',
  '%6c%6fcalhost',
];

/**
 * Webhook endpoints (the API half; webhooks-delivery.spec.ts delivers). The server runs with
 * ALLOW_PRIVATE_TARGETS=false; URLs accepted are public IP literals (nothing to resolve, no network needed).
 */
describe('webhook endpoints', () => {
  let app: TestApp;
  let box: SecretBox;

  const endpointRows = () => app.sql<{ id: string }>(`SELECT id FROM webhook_endpoints ORDER BY created_at`);
  const auditOf = (action: string) =>
    app.sql<{ details: Record<string, unknown> }>(`SELECT details FROM audit_events WHERE action = $1 ORDER BY id`, [action]);

  beforeAll(async () => {
    app = await startApp('webhooks');
    const previous = process.env['ROSTER_SECRET_KEY'];
    process.env['ROSTER_SECRET_KEY'] = createHash('sha256').update(new URL(app.db.url).pathname).digest('base64');
    box = SecretBox.fromEnvironment('/nonexistent', () => undefined);
    if (previous === undefined) delete process.env['ROSTER_SECRET_KEY'];
    else process.env['ROSTER_SECRET_KEY'] = previous;
  });
  afterAll(() => app?.close());
  afterEach(() => app.sql(`DELETE FROM webhook_endpoints`));

  it('lists the event types: the organization actions, alphabetical, no platform one', async () => {
    const { webhookEventTypes } = await app.admin.ok(`{ webhookEventTypes }`);
    expect(webhookEventTypes).toContain('team.created');
    expect(webhookEventTypes).toContain('webhook_endpoint.created');
    expect(webhookEventTypes.filter((t: string) => /^(organization|operator)\./.test(t))).toEqual([]);
    expect([...webhookEventTypes].sort()).toEqual(webhookEventTypes);
  });

  it('creates an endpoint: the secret shown once, sealed in the row; audited with the host only', async () => {
    const url = 'https://1.1.1.1:8443/hooks/secret-path?token=query-secret';
    const r = (
      await app.admin.ok(CREATE, { i: { url, eventTypes: ['team.deleted', 'team.created', 'team.created'], description: ' CRM sync ' } })
    ).createWebhookEndpoint;
    expect(r.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(r.secret.slice(6), 'base64')).toHaveLength(32);
    expect(r.endpoint).toMatchObject({ url, eventTypes: ['team.created', 'team.deleted'], enabled: true, description: 'CRM sync' });
    expect(r.endpoint.disabledReason).toBeNull();

    const [row] = await app.sql<{ secret_sealed: string; created_by: string }>(
      `SELECT secret_sealed, created_by FROM webhook_endpoints WHERE id = $1`,
      [r.endpoint.id],
    );
    expect(row.secret_sealed).not.toContain(r.secret.slice(6));
    expect(box.open(row.secret_sealed)).toBe(r.secret);
    expect(row.created_by).toBe(app.adminId);

    // Never again: the list has no secret field, and nothing answers it.
    const listed = (await app.admin.ok(LIST)).webhookEndpoints;
    expect(listed).toEqual([
      { id: r.endpoint.id, url, eventTypes: ['team.created', 'team.deleted'], enabled: true, description: 'CRM sync' },
    ]);
    expect((await app.admin.gql(`{ webhookEndpoints { id secret } }`)).errors?.length).toBeGreaterThan(0);

    const [event] = await auditOf('webhook_endpoint.created');
    expect(event.details).toEqual({
      endpointId: r.endpoint.id,
      host: '1.1.1.1:8443',
      eventTypes: ['team.created', 'team.deleted'],
      enabled: true,
      description: 'CRM sync',
    });
    const everything = JSON.stringify(await app.sql(`SELECT details FROM audit_events`));
    for (const leak of ['secret-path', 'query-secret', r.secret.slice(6, 20)]) expect(everything).not.toContain(leak);
  });

  it('updates (fields left out stay), disables and enables, rotates and deletes; each audited', async () => {
    const created = (await app.admin.ok(CREATE, { i: { url: 'https://1.1.1.1/a', eventTypes: ['team.created'] } })).createWebhookEndpoint;
    const id = created.endpoint.id;
    const [before] = await app.sql<{ secret_sealed: string }>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [id]);

    const changed = (await app.admin.ok(UPDATE, { i: { id, url: 'https://8.8.8.8/b/private?q=1', description: 'Two' } }))
      .updateWebhookEndpoint;
    expect(changed).toMatchObject({
      url: 'https://8.8.8.8/b/private?q=1',
      eventTypes: ['team.created'],
      enabled: true,
      description: 'Two',
    });
    // A URL change keeps the secret.
    const [after] = await app.sql<{ secret_sealed: string }>(`SELECT secret_sealed FROM webhook_endpoints WHERE id = $1`, [id]);
    expect(after.secret_sealed).toBe(before.secret_sealed);
    const [updated] = await auditOf('webhook_endpoint.updated');
    expect(updated.details).toMatchObject({
      endpointId: id,
      host: '8.8.8.8',
      from: { host: '1.1.1.1', description: '' },
      to: { host: '8.8.8.8', description: 'Two' },
    });
    expect(JSON.stringify(updated.details)).not.toContain('private');

    const off = (await app.admin.ok(UPDATE, { i: { id, enabled: false } })).updateWebhookEndpoint;
    expect(off).toMatchObject({ enabled: false, disabledReason: 'MANUAL' });
    expect(off.disabledAt).toEqual(expect.any(String));
    const on = (await app.admin.ok(UPDATE, { i: { id, enabled: true, eventTypes: ['user.deleted', 'team.created'] } }))
      .updateWebhookEndpoint;
    expect(on).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, eventTypes: ['team.created', 'user.deleted'] });
    // Nothing changed: nothing audited.
    const updates = (await auditOf('webhook_endpoint.updated')).length;
    await app.admin.ok(UPDATE, { i: { id, enabled: true } });
    expect(await auditOf('webhook_endpoint.updated')).toHaveLength(updates);

    // Rotation: a new secret, the previous one kept 24 h; a second rotation drops the oldest.
    const first = (await app.admin.ok(ROTATE, { id })).rotateWebhookSecret;
    expect(first.secret).toMatch(/^whsec_/);
    expect(first.secret).not.toBe(created.secret);
    const [r1] = await app.sql<{ secret_sealed: string; previous_secret_sealed: string; hours: number }>(
      `SELECT secret_sealed, previous_secret_sealed,
              round(extract(epoch FROM previous_secret_expires_at - now()) / 3600)::int AS hours FROM webhook_endpoints WHERE id = $1`,
      [id],
    );
    expect(box.open(r1.secret_sealed)).toBe(first.secret);
    expect(box.open(r1.previous_secret_sealed)).toBe(created.secret);
    expect(r1.hours).toBe(24);
    expect(first.endpoint.previousSecretExpiresAt).toEqual(expect.any(String));
    const second = (await app.admin.ok(ROTATE, { id })).rotateWebhookSecret;
    const [r2] = await app.sql<{ secret_sealed: string; previous_secret_sealed: string }>(
      `SELECT secret_sealed, previous_secret_sealed FROM webhook_endpoints WHERE id = $1`,
      [id],
    );
    expect(box.open(r2.secret_sealed)).toBe(second.secret);
    expect(box.open(r2.previous_secret_sealed)).toBe(first.secret);
    expect(await auditOf('webhook_endpoint.secret_rotated')).toHaveLength(2);
    const audited = JSON.stringify(await app.sql(`SELECT details FROM audit_events`));
    for (const s of [created.secret, first.secret, second.secret]) expect(audited).not.toContain(s.slice(6, 20));

    expect((await app.admin.ok(DELETE, { id })).deleteWebhookEndpoint).toBe(true);
    expect(await endpointRows()).toEqual([]);
    expect((await auditOf('webhook_endpoint.deleted')).at(-1)?.details).toMatchObject({ endpointId: id, host: '8.8.8.8' });
    // Gone: the same answer as an id that never existed.
    expect(await app.admin.code(DELETE, { id })).toBe('NOT_FOUND');
    expect(await app.admin.code(ROTATE, { id: '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b' })).toBe('NOT_FOUND');
  });

  it('a subscribed event is enqueued in its transaction; others are not', async () => {
    const { id } = (await app.admin.ok(CREATE, { i: { url: 'https://1.1.1.1/q', eventTypes: ['team.created'] } })).createWebhookEndpoint
      .endpoint;
    // Nothing leaves this suite: the worker refuses a loopback address (webhooks-delivery.spec.ts delivers).
    await app.sql(`UPDATE webhook_endpoints SET url = 'https://127.0.0.1:9/q' WHERE id = $1`, [id]);
    await app.admin.ok(`mutation { createTeam(input: { name: "Hooked" }) { id } }`);
    const rows = await app.sql<{ event_type: string; status: string }>(
      `SELECT event_type, status FROM webhook_deliveries WHERE endpoint_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ event_type: 'team.created', status: expect.stringMatching(/^(PENDING|RETRYING)$/) }]);
  });

  it('refuses event types: empty, unknown, other case, platform actions; nothing written', async () => {
    for (const [eventTypes, eventType] of [
      [[], null],
      [['team.created', 'team.nope'], 'team.nope'],
      [['TEAM.CREATED'], 'TEAM.CREATED'],
      [['organization.created'], 'organization.created'],
    ] as const) {
      const r = await app.admin.gql(CREATE, { i: { url: 'https://1.1.1.1/e', eventTypes } });
      expect({ eventTypes, code: r.errors?.[0]?.extensions?.code, eventType: r.errors?.[0]?.extensions?.eventType }).toEqual({
        eventTypes,
        code: 'WEBHOOK_EVENT_TYPE_UNKNOWN',
        eventType,
      });
    }
    expect(await endpointRows()).toEqual([]);
  });

  it('refuses malformed URLs and descriptions as BAD_USER_INPUT', async () => {
    for (const url of [
      'not a url',
      '/relative',
      'https://user:pw@1.1.1.1/',
      'https://1.1.1.1/#fragment',
      'https://1.1.1.1/a b',
      'https://1.1.1.1\\a',
      'https://1.1.1.1/\u0000',
      `https://1.1.1.1/${'a'.repeat(2000)}`,
      'https://*.example/',
    ]) {
      expect({ url, code: await app.admin.code(CREATE, { i: { url, eventTypes: ['team.created'] } }) }).toEqual({
        url,
        code: 'BAD_USER_INPUT',
      });
    }
    for (const description of ['x'.repeat(501), 'a\u0000b', 'lone \uD800']) {
      expect(await app.admin.code(CREATE, { i: { url: 'https://1.1.1.1/d', eventTypes: ['team.created'], description } })).toBe(
        'BAD_USER_INPUT',
      );
    }
    expect(await endpointRows()).toEqual([]);
  });

  it('refuses http and every private or localhost form with WEBHOOK_URL_REFUSED, at creation and at update; nothing written', async () => {
    const refused: string[] = [];
    const check = async (url: string, reason: string) => {
      const r = await app.admin.gql(CREATE, { i: { url, eventTypes: ['team.created'] } });
      const e = r.errors?.[0]?.extensions;
      if (e?.code !== 'WEBHOOK_URL_REFUSED' || e.reason !== reason) refused.push(`${url}: ${JSON.stringify(r.errors ?? r.data)}`);
    };
    await check('http://1.1.1.1/hooks', 'SCHEME');
    await check('ftp://1.1.1.1/hooks', 'SCHEME');
    for (const host of REFUSED_HOSTS) await check(`https://${host}/hooks`, 'ADDRESS');
    expect(refused).toEqual([]);
    expect(await endpointRows()).toEqual([]);

    // An update to such a URL changes nothing.
    const { id, url } = (await app.admin.ok(CREATE, { i: { url: 'https://1.1.1.1/kept', eventTypes: ['team.created'] } }))
      .createWebhookEndpoint.endpoint;
    const audits = (await auditOf('webhook_endpoint.updated')).length;
    for (const host of ['127.0.0.1', '[::ffff:7f00:1]', 'localhost', '169.254.169.254']) {
      const r = await app.admin.gql(UPDATE, { i: { id, url: `https://${host}/moved` } });
      expect({ host, code: r.errors?.[0]?.extensions?.code }).toEqual({ host, code: 'WEBHOOK_URL_REFUSED' });
    }
    expect((await app.admin.gql(UPDATE, { i: { id, url: 'http://8.8.8.8/' } })).errors?.[0]?.extensions?.reason).toBe('SCHEME');
    expect((await app.admin.ok(LIST)).webhookEndpoints.map((e: { url: string }) => e.url)).toEqual([url]);
    expect(await auditOf('webhook_endpoint.updated')).toHaveLength(audits);
  });

  it('accepts public literals, NAT64 of a public IPv4 included', async () => {
    for (const url of [
      'https://1.1.1.1/',
      'https://[64:ff9b::808:808]/h',
      'https://[2606:4700:4700::1111]/h',
      'https://8.8.8.8:8443/x?y=z',
    ]) {
      expect({ url, ok: (await app.admin.gql(CREATE, { i: { url, eventTypes: ['team.created'] } })).errors }).toEqual({
        url,
        ok: undefined,
      });
    }
  });

  it('allows at most 20 endpoints per organization (LIMIT_REACHED), also when asked at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => app.admin.gql(CREATE, { i: { url: `https://1.1.1.1/n${i}`, eventTypes: ['team.created'] } })),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(20);
    expect(codes.filter((c) => c !== 'OK')).toEqual(Array(4).fill('LIMIT_REACHED'));
    expect(results.find((r) => r.errors)?.errors?.[0]?.extensions?.limit).toBe(20);
    expect(await endpointRows()).toHaveLength(20);
  });

  it('is for holders of webhooks:manage only: a Manager is refused, an Admin token allowed', async () => {
    const manager = await app.register('hooks-manager@example.com', 'MANAGER');
    expect(await manager.client.code(LIST)).toBe('FORBIDDEN');
    expect(await manager.client.code(CREATE, { i: { url: 'https://1.1.1.1/m', eventTypes: ['team.created'] } })).toBe('FORBIDDEN');
    const token = (await app.admin.ok(`mutation { createApiToken(input: { name: "hooks" }) { secret } }`)).createApiToken.secret;
    const bearer = app.client({ bearer: token });
    expect(
      (await bearer.ok(CREATE, { i: { url: 'https://1.1.1.1/t', eventTypes: ['team.created'] } })).createWebhookEndpoint.secret,
    ).toMatch(/^whsec_/);
  });

  it('with ALLOW_PRIVATE_TARGETS=true, loopback and http are accepted', async () => {
    const allowing = await startServer(app.db.url, { ALLOW_PRIVATE_TARGETS: 'true' });
    try {
      const admin = new Client(allowing.url);
      await admin.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
        i: { email: 'admin@example.com', password: STRONG_PASSWORD },
      });
      for (const url of ['http://127.0.0.1:9/hooks', 'https://[::1]/h', 'http://localhost:8080/h', 'https://169.254.169.254/']) {
        expect({ url, errors: (await admin.gql(CREATE, { i: { url, eventTypes: ['team.created'] } })).errors }).toEqual({
          url,
          errors: undefined,
        });
      }
      // Plain http still needs a host, and other schemes stay refused.
      expect(
        (await admin.gql(CREATE, { i: { url: 'ftp://127.0.0.1/', eventTypes: ['team.created'] } })).errors?.[0]?.extensions?.reason,
      ).toBe('SCHEME');
    } finally {
      await allowing.stop();
    }
  });
});
