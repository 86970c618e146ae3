import { randomBytes } from 'node:crypto';
import { startServer, TestServer } from '../../../tools/testing/server';
import { startApp, TestApp } from './support/app';

/**
 * Expired sessions, 2FA challenges, SSO states and rate-limit counters are purged; live ones stay.
 * Two instances run their janitors on one database at once without getting in each other's way.
 */
describe('janitor', () => {
  let app: TestApp;
  let second: TestServer;

  beforeAll(async () => {
    app = await startApp('janitor', { JANITOR_INTERVAL_SECONDS: '1' });
    second = await startServer(app.db.url, { JANITOR_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await second?.stop();
    await app?.close();
  });

  const rows = async (table: string) => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

  it('purges what has expired and keeps what has not, with two instances running it', async () => {
    const user = app.adminId;
    const bytes = () => randomBytes(32);
    const live = `now() + interval '1 hour'`;
    const dead = `now() - interval '1 minute'`;
    const tables = ['sessions', 'mfa_challenges', 'oidc_states', 'rate_limits', 'oidc_payloads'];
    const before: Record<string, number> = {};
    for (const t of tables) before[t] = await rows(t);
    for (const expires of [live, dead, dead]) {
      await app.sql(`INSERT INTO sessions (user_id, token_hash, last_seen_at, expires_at) VALUES ($1, $2, now(), ${expires})`, [
        user,
        bytes(),
      ]);
      await app.sql(`INSERT INTO mfa_challenges (user_id, token_hash, expires_at) VALUES ($1, $2, ${expires})`, [user, bytes()]);
      await app.sql(`INSERT INTO oidc_states (handle_hash, browser_hash, context, expires_at) VALUES ($1, $2, '{}', ${expires})`, [
        bytes(),
        bytes(),
      ]);
      await app.sql(`INSERT INTO rate_limits (key, points, expire) VALUES ($1, 1, (extract(epoch FROM ${expires}) * 1000)::bigint)`, [
        bytes().toString('hex'),
      ]);
      await app.sql(`INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES ('AccessToken', $1, '{}', ${expires})`, [
        bytes().toString('hex'),
      ]);
    }
    // Each owner's table is purged by its own statement, in the order the owners registered: wait for all.
    const settled = async () => {
      for (const t of tables) if ((await rows(t)) > before[t] + 1) return false;
      return true;
    };
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(await settled())) await new Promise((r) => setTimeout(r, 250));
    // One live row of each kind was added and stays; both expired ones are gone.
    for (const t of tables) expect([t, await rows(t)]).toEqual([t, before[t] + 1]);
    // The admin's own session was never touched.
    expect((await app.admin.ok(`{ me { user { id } } }`)).me.user.id).toBe(user);
    for (const output of [app.server.output(), second.output()]) expect(output).not.toMatch(/Purge skipped|"level":50/);
  });

  it('purges webhook deliveries finished over 30 days ago and clears previous secrets past their time', async () => {
    const [{ id: organizationId }] = await app.sql<{ id: string }>(`SELECT id FROM organizations`);
    const endpoint = async (previousExpires: string) =>
      (
        await app.sql<{ id: string }>(
          `INSERT INTO webhook_endpoints (organization_id, url, event_types, secret_sealed, previous_secret_sealed, previous_secret_expires_at)
           VALUES ($1, 'https://hooks.example.com/', '{team.created}', 'new', 'old', ${previousExpires}) RETURNING id`,
          [organizationId],
        )
      )[0].id;
    const rotated = await endpoint(`now() + interval '1 hour'`);
    const expired = await endpoint(`now() - interval '1 minute'`);
    const delivery = (status: string, finished: string) =>
      app.sql(
        `INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type, status, finished_at)
         VALUES ($1, $2, 1, 'team.created', $3, ${finished})`,
        [organizationId, rotated, status],
      );
    await delivery('PENDING', 'NULL');
    await delivery('RETRYING', 'NULL');
    await delivery('DELIVERED', `now() - interval '29 days'`);
    await delivery('FAILED', `now() - interval '29 days'`);
    await delivery('DELIVERED', `now() - interval '31 days'`);
    await delivery('FAILED', `now() - interval '31 days'`);
    const state = async () => ({
      deliveries: (await app.sql<{ status: string }>(`SELECT status FROM webhook_deliveries ORDER BY status`)).map((r) => r.status),
      secrets: await app.sql(
        `SELECT id, previous_secret_sealed AS previous, previous_secret_expires_at IS NOT NULL AS expires FROM webhook_endpoints ORDER BY id`,
      ),
    });
    const expected = {
      deliveries: ['DELIVERED', 'FAILED', 'PENDING', 'RETRYING'],
      secrets: [
        { id: rotated, previous: 'old', expires: true },
        { id: expired, previous: null, expires: false },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && JSON.stringify(await state()) !== JSON.stringify(expected))
      await new Promise((r) => setTimeout(r, 250));
    expect(await state()).toEqual(expected);
    for (const output of [app.server.output(), second.output()]) expect(output).not.toMatch(/Purge skipped|skipped:|"level":50/);
  });
});
