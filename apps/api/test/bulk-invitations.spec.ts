import { startApp, TestApp } from './support/app';

/** Many invitations in one transaction: all or none, same rules as one, up to 1,000, safe in parallel. */
describe('bulk invitations', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('bulk-invitations')));
  afterAll(() => app?.close());

  const BULK = `mutation($i: CreateInvitationsInput!) { createInvitations(input: $i) { url user { email status role { key } teams { name } } } }`;
  const row = (email: string, role = 'VIEWER', teamIds: string[] = []) => ({ email, roleId: app.roles[role], teamIds });
  const invitedCount = async () => Number((await app.sql(`SELECT count(*) AS n FROM invitations`))[0].n);

  it('creates every invitation with its own role and teams, and one URL each', async () => {
    const team = (await app.admin.ok(`mutation { createTeam(input: { name: "Field" }) { id } }`)).createTeam.id;
    const r = await app.admin.ok(BULK, { i: { invitations: [row('one@example.com'), row('two@example.com', 'MANAGER', [team])] } });
    expect(r.createInvitations.map((x: { user: unknown }) => x.user)).toEqual([
      { email: 'one@example.com', status: 'INVITED', role: { key: 'VIEWER' }, teams: [] },
      { email: 'two@example.com', status: 'INVITED', role: { key: 'MANAGER' }, teams: [{ name: 'Field' }] },
    ]);
    expect(new Set(r.createInvitations.map((x: { url: string }) => x.url)).size).toBe(2);
    const used = await app.admin.ok(`query($e: [String!]!) { emailsInUse(emails: $e) { email status pending } }`, {
      e: ['ONE@example.com', 'nobody@example.com', 'admin@example.com'],
    });
    expect(used.emailsInUse).toEqual(
      expect.arrayContaining([
        { email: 'one@example.com', status: 'INVITED', pending: true },
        { email: 'admin@example.com', status: 'ACTIVE', pending: false },
      ]),
    );
    expect(used.emailsInUse).toHaveLength(2);
  });

  it('makes none when one row is refused, and names that row', async () => {
    const before = await invitedCount();
    const cases: [unknown[], string, number][] = [
      [[row('fresh1@example.com'), row('admin@example.com')], 'EMAIL_TAKEN', 1],
      [[row('fresh2@example.com'), row('one@example.com')], 'INVITATION_PENDING', 1],
      [[row('fresh3@example.com'), row('fresh3@example.com')], 'BAD_USER_INPUT', 1],
      [[row('fresh4@example.com'), { ...row('fresh5@example.com'), roleId: '8f0e9d6c-0000-4000-8000-000000000000' }], 'NOT_FOUND', 1],
    ];
    for (const [invitations, code, index] of cases) {
      const r = await app.admin.gql(BULK, { i: { invitations } });
      expect([code, r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.row]).toEqual([code, code, index]);
    }
    const manager = await app.register('boss@example.com', 'MANAGER');
    expect(await manager.client.code(BULK, { i: { invitations: [row('fresh6@example.com'), row('fresh7@example.com', 'ADMIN')] } })).toBe(
      'ROLE_NOT_GRANTABLE',
    );
    expect(await invitedCount()).toBe(before);
    expect(await app.sql(`SELECT email FROM users WHERE email LIKE 'fresh%'`)).toEqual([]);
  });

  it('takes up to 1,000 at once and refuses more, and two parallel batches sharing emails make each person once', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => row(`many${i}@example.com`));
    const r = await app.admin.ok(`mutation($i: CreateInvitationsInput!) { createInvitations(input: $i) { url } }`, {
      i: { invitations: many },
    });
    expect(r.createInvitations).toHaveLength(1000);
    const tooMany = Array.from({ length: 1001 }, (_, i) => row(`over${i}@example.com`));
    expect(await app.admin.code(BULK, { i: { invitations: tooMany } })).toBe('BAD_USER_INPUT');

    // Two batches overlapping on 20 emails, at once: one wins them, the other is refused whole
    // (busy while the first runs, or the emails already pending once it is done).
    const a = Array.from({ length: 40 }, (_, i) => row(`race${i}@example.com`));
    const b = Array.from({ length: 40 }, (_, i) => row(`race${i + 20}@example.com`));
    const results = await Promise.all([app.admin.gql(BULK, { i: { invitations: a } }), app.admin.gql(BULK, { i: { invitations: b } })]);
    expect(results.filter((x) => !x.errors)).toHaveLength(1);
    expect(['INVITATION_PENDING', 'BULK_INVITATIONS_BUSY']).toContain(results.find((x) => x.errors)?.errors?.[0]?.extensions?.code);
    const race = await app.sql(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'race%'`);
    expect(race[0].n).toBe(40);
  });

  it("refuses a batch at once while another runs, and a bystander's read never waits on them", async () => {
    const manager = await app.register('sender@example.com', 'MANAGER');
    const batches = Array.from({ length: 12 }, (_, b) =>
      manager.client.gql(BULK, { i: { invitations: Array.from({ length: 1000 }, (_, i) => row(`b${b}-${i}@example.com`)) } }),
    );
    const bystander = app.client();
    for (const [k, v] of app.admin.cookies) bystander.cookies.set(k, v);
    const reads: { ms: number; code: unknown }[] = [];
    const reading = (async () => {
      for (let i = 0; i < 40; i++) {
        const t = Date.now();
        const r = await bystander.gql(`{ users(first: 1) { totalCount } }`);
        reads.push({ ms: Date.now() - t, code: r.errors?.[0]?.extensions?.code ?? 'OK' });
      }
    })();
    const results = await Promise.all(batches);
    await reading;
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c === 'OK').length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c !== 'OK' && c !== 'BULK_INVITATIONS_BUSY')).toEqual([]);
    const busy = results.find((r) => r.errors)?.errors?.[0]?.extensions;
    if (busy) expect(busy.retryAfterSeconds).toBe(5);
    expect(reads.filter((r) => r.code !== 'OK')).toEqual([]);
    // Each accepted batch made its 1,000 people, each refused one none.
    const made = await app.sql(`SELECT count(*)::int AS n FROM users WHERE email ~ '^b[0-9]+-'`);
    expect(made[0].n).toBe(1000 * codes.filter((c) => c === 'OK').length);
  });
});
