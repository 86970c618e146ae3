import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/** Bad input gets a typed error and changes nothing (no 500s, no stack traces, no half-writes). */
describe('guard rails and bad input', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('rails')));
  afterAll(() => app?.close());

  const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`;
  const DELETE = `mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`;

  it('forbids self-demotion and self-deletion, and keeps an admin in charge', async () => {
    expect(await app.admin.code(UPDATE, { i: { id: app.adminId, roleId: app.roles['VIEWER'] } })).toBe('SELF_ROLE_CHANGE');
    expect(await app.admin.code(DELETE, { i: { id: app.adminId, confirmation: 'DELETE' } })).toBe('SELF_DELETE');
    // With two admins, one may demote the other; the one left cannot demote or delete themselves.
    const second = await app.register('second-admin@example.com', 'ADMIN');
    await second.client.ok(UPDATE, { i: { id: app.adminId, roleId: app.roles['MANAGER'] } });
    expect(await second.client.code(UPDATE, { i: { id: second.userId, roleId: app.roles['MANAGER'] } })).toBe('SELF_ROLE_CHANGE');
    expect(await second.client.code(DELETE, { i: { id: second.userId, confirmation: 'DELETE' } })).toBe('SELF_DELETE');
    // A Manager (the demoted first admin) cannot touch an Admin at all.
    expect(await app.admin.code(UPDATE, { i: { id: second.userId, roleId: app.roles['VIEWER'] } })).toBe('FORBIDDEN');
    expect(await app.admin.code(DELETE, { i: { id: second.userId, confirmation: 'DELETE' } })).toBe('FORBIDDEN');
    const admins = await app.sql(`SELECT m.email FROM memberships m JOIN roles r ON r.id = m.role_id WHERE r.key = 'ADMIN'`);
    expect(admins).toEqual([{ email: 'second-admin@example.com' }]);
    await second.client.ok(UPDATE, { i: { id: app.adminId, roleId: app.roles['ADMIN'] } });
    await app.register('third@example.com', 'MANAGER');
  });

  it.each([
    ['a malformed id', UPDATE, { i: { id: 'nope', firstName: 'X' } }, 'BAD_USER_INPUT'],
    ['an empty name', UPDATE, { i: { id: '8f0e9d6c-0000-4000-8000-000000000000', firstName: '   ' } }, 'BAD_USER_INPUT'],
    [
      'a name with control characters',
      UPDATE,
      { i: { id: '8f0e9d6c-0000-4000-8000-000000000000', firstName: 'a\u0000b' } },
      'BAD_USER_INPUT',
    ],
    ['an unknown user', UPDATE, { i: { id: '8f0e9d6c-0000-4000-8000-000000000000', firstName: 'X' } }, 'NOT_FOUND'],
    [
      'an unknown role',
      `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`,
      { i: { email: 'r@example.com', roleId: '8f0e9d6c-0000-4000-8000-000000000000', teamIds: [] } },
      'NOT_FOUND',
    ],
    ['a huge page (over the query cost limit)', `{ users(first: 100000) { totalCount } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['a page size over 200', `{ users(first: 201) { totalCount } }`, {}, 'BAD_USER_INPUT'],
    ['an empty page', `{ users(first: 0) { totalCount } }`, {}, 'BAD_USER_INPUT'],
    ['a forged cursor', `{ users(after: "bm9wZQ") { totalCount } }`, {}, 'BAD_USER_INPUT'],
    ['a wrong type', `{ users(first: "ten") { totalCount } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['an unknown field', `{ users { passwordHash } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
    ['broken syntax', `{ users { `, {}, 'GRAPHQL_PARSE_FAILED'],
    ['deleting an unknown team', `mutation { deleteTeam(id: "8f0e9d6c-0000-4000-8000-000000000000") }`, {}, 'NOT_FOUND'],
    ['an empty team name', `mutation { createTeam(input: { name: "  " }) { id } }`, {}, 'BAD_USER_INPUT'],
  ])('answers %s with a typed error', async (_label, query, variables, code) => {
    const before = await app.sql(
      `SELECT (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM teams) AS t, (SELECT max(updated_at) FROM users) AS m`,
    );
    expect(await app.admin.code(query as string, variables as Record<string, unknown>)).toBe(code);
    expect(
      await app.sql(
        `SELECT (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM teams) AS t, (SELECT max(updated_at) FROM users) AS m`,
      ),
    ).toEqual(before);
  });

  it('refuses duplicate team names case-insensitively', async () => {
    await app.admin.ok(`mutation { createTeam(input: { name: "Sales" }) { id } }`);
    expect(await app.admin.code(`mutation { createTeam(input: { name: "sales " }) { id } }`)).toBe('TEAM_NAME_TAKEN');
  });

  it('rate-limits repeated wrong passwords, shared through the database, without locking out a known browser', async () => {
    const signIn = `mutation { signIn(input: { email: "third@example.com", password: "wrong password!" }) { me { user { id } } } }`;
    const right = `mutation { signIn(input: { email: "third@example.com", password: "${STRONG_PASSWORD}" }) { me { user { id } } } }`;
    // The person's usual browser signed in before: it holds a device cookie for this account.
    const usual = app.client();
    await usual.ok(right);
    expect(usual.cookies.get('roster_device')).toBeTruthy();
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 11; i++) codes.push(await app.client().code(signIn));
    expect(codes.slice(0, 10).every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(codes[10]).toBe('RATE_LIMITED');
    // Counters are keyed by a hash: no email in clear, and any email fits.
    const rows = await app.sql<{ key: string; points: number }>(`SELECT key, points FROM rate_limits WHERE key LIKE 'signin:%'`);
    expect(rows).toEqual([{ key: expect.stringMatching(/^signin:[A-Za-z0-9_-]{43}$/), points: 11 }]);
    expect(JSON.stringify(await app.sql(`SELECT * FROM rate_limits`))).not.toContain('third@');
    // Even the right password waits now, from a browser the account has never used...
    expect(await app.client().code(right)).toBe('RATE_LIMITED');
    // ...but the person's usual browser still gets in.
    expect((await usual.ok(right)).signIn.me.user.id).toBeTruthy();
  });

  it('does not tell unknown emails from wrong passwords', async () => {
    expect(
      await app
        .client()
        .code(`mutation { signIn(input: { email: "nobody@example.com", password: "whatever it is" }) { me { user { id } } } }`),
    ).toBe('INVALID_CREDENTIALS');
  });
});
