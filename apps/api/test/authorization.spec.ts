import { readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { join } from 'node:path';
import { Client, defined } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/** Each operation × anonymous, Viewer, Member, Manager, Admin (the API is the wall). */
type Who = 'anonymous' | 'VIEWER' | 'MEMBER' | 'MANAGER' | 'ADMIN';

const PUBLIC_OPERATIONS = new Set([
  'me',
  'invitation',
  'signIn',
  'acceptInvitation',
  'setupFirstAdmin',
  'verifyTwoFactor',
  'authConfig',
  'passwordReset',
  'resetPassword',
  'requestPasswordReset',
  'signInMethod',
]);

describe('authorization matrix', () => {
  let app: TestApp;
  const clients = {} as Record<Who, Client>;
  let memberId: string;
  let teamId: string;
  /** A fresh person for the operations that act on someone, renewed before each case. */
  let victimId = '';

  beforeAll(async () => {
    app = await startApp('authz');
    clients.anonymous = app.client();
    clients.ADMIN = app.admin;
    for (const role of ['VIEWER', 'MEMBER', 'MANAGER'] as const) {
      const r = await app.register(`${role.toLowerCase()}@example.com`, role);
      clients[role] = r.client;
      if (role === 'MEMBER') memberId = r.userId;
    }
    teamId = (await app.admin.ok(`mutation { createTeam(input: { name: "Base" }) { id } }`)).createTeam.id;
  });
  afterAll(() => app?.close());

  // Operations that need a fresh target each time, so one role's success does not spoil the next.
  const cases: { name: string; allowed: Who[]; run: (c: Client) => Promise<string | undefined> }[] = [
    { name: 'users', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ users { totalCount } }`) },
    {
      name: 'user',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `query($id: ID!) { user(id: $id) { email } }`, { id: memberId }),
    },
    { name: 'roles', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ roles { key } }`) },
    { name: 'teams', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ teams { name } }`) },
    { name: 'pendingInvitations', allowed: ['MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ pendingInvitations { email } }`) },
    { name: 'auditEvents', allowed: ['ADMIN'], run: (c) => outcome(c, `{ auditEvents { hasNextPage } }`) },
    {
      name: 'auditEvents (filtered)',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `{ auditEvents(first: 5, action: "team.created", actor: "admin@example.com") { endCursor } }`),
    },
    { name: 'auditActions', allowed: ['ADMIN'], run: (c) => outcome(c, `{ auditActions }`) },
    // The audit log's CSV export (REST): the same permission as the screen.
    { name: 'GET /api/export/audit', allowed: ['ADMIN'], run: (c) => httpOutcome(c, '/api/export/audit?action=team.created') },
    {
      name: 'createInvitation',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) =>
        outcome(c, `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
          i: { email: `new-${Math.random()}@example.com`, roleId: app.roles['VIEWER'], teamIds: [] },
        }),
    },
    {
      name: 'createInvitations',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) =>
        outcome(c, `mutation($i: CreateInvitationsInput!) { createInvitations(input: $i) { url } }`, {
          i: { invitations: [{ email: `bulk-${Math.random()}@example.com`, roleId: app.roles['VIEWER'], teamIds: [] }] },
        }),
    },
    {
      name: 'emailsInUse',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `query($e: [String!]!) { emailsInUse(emails: $e) { email } }`, { e: ['admin@example.com'] }),
    },
    {
      name: 'regenerateInvitation',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) =>
        outcome(c, `mutation($u: ID!) { regenerateInvitation(userId: $u) { url } }`, {
          u: (await app.invite(`r-${Math.random()}@example.com`, 'VIEWER')).userId,
        }),
    },
    {
      name: 'revokeInvitation',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) =>
        outcome(c, `mutation($u: ID!) { revokeInvitation(userId: $u) }`, {
          u: (await app.invite(`x-${Math.random()}@example.com`, 'VIEWER')).userId,
        }),
    },
    {
      name: 'updateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) =>
        outcome(c, `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
          i: { id: memberId, lastName: `L${Math.random()}` },
        }),
    },
    {
      name: 'deleteUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) =>
        outcome(c, `mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, {
          i: { id: (await app.invite(`d-${Math.random()}@example.com`, 'VIEWER')).userId, confirmation: 'DELETE' },
        }),
    },
    {
      name: 'deactivateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) => {
        // Active again before each caller, so every caller faces the same request.
        await app.sql(`UPDATE memberships SET status = 'ACTIVE' WHERE user_id = $1`, [victimId]);
        return outcome(c, `mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: victimId });
      },
    },
    {
      name: 'reactivateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) => {
        await app.sql(`UPDATE memberships SET status = 'DEACTIVATED' WHERE user_id = $1`, [victimId]);
        return outcome(c, `mutation($id: ID!) { reactivateUser(id: $id) { status } }`, { id: victimId });
      },
    },
    {
      name: 'createPasswordReset',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: victimId }),
    },
    {
      name: 'revokeUserSessions',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { revokeUserSessions(userId: $u) }`, { u: victimId }),
    },
    {
      name: 'createTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `T${Math.random()}` }),
    },
    {
      name: 'renameTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) =>
        outcome(c, `mutation($id: ID!, $n: String!) { renameTeam(id: $id, input: { name: $n }) { id } }`, {
          id: teamId,
          n: `Base ${Math.random()}`,
        }),
    },
    {
      name: 'deleteTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) =>
        outcome(c, `mutation($id: ID!) { deleteTeam(id: $id) }`, {
          id: (await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `D${Math.random()}` }))
            .createTeam.id,
        }),
    },
    {
      name: 'updateMyProfile',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation { updateMyProfile(input: { theme: DARK }) { theme } }`),
    },
    {
      name: 'changeMyPassword',
      allowed: [],
      // Everyone signed in reaches the resolver (WRONG_PASSWORD); anonymous is refused before.
      run: (c) =>
        outcome(
          c,
          `mutation { changeMyPassword(input: { currentPassword: "wrong-wrong", newPassword: "x", newPasswordConfirmation: "x" }) }`,
        ),
    },
    { name: 'signOut', allowed: [], run: async () => outcome(app.client(), `mutation { signOut }`) },
    {
      name: 'startTwoFactorSetup',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation { startTwoFactorSetup { secret } }`),
    },
    {
      name: 'completeTwoFactorSetup',
      allowed: [],
      // Every signed-in person reaches the check (no set-up started here), anonymous does not.
      run: async (c) => {
        const r = await outcome(c, `mutation { completeTwoFactorSetup(input: { code: "000000" }) { recoveryCodes } }`);
        return r === 'TWO_FACTOR_SETUP_NOT_STARTED' || r === 'TWO_FACTOR_CODE_INVALID' ? 'REACHED' : r;
      },
    },
    {
      name: 'disableTwoFactor',
      allowed: [],
      run: async (c) => {
        const r = await outcome(c, `mutation { disableTwoFactor(input: { password: "wrong password", code: "000000" }) }`);
        return r === 'WRONG_PASSWORD' ? 'REACHED' : r;
      },
    },
    {
      name: 'resetUserTwoFactor',
      allowed: ['ADMIN'],
      run: async (c) => {
        const r = await outcome(c, `mutation($u: ID!) { resetUserTwoFactor(userId: $u) }`, { u: victimId });
        return r === 'TWO_FACTOR_NOT_ENABLED' ? 'OK' : r;
      },
    },
    { name: 'myApiTokens', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ myApiTokens { id } }`) },
    { name: 'apiTokens', allowed: ['ADMIN'], run: (c) => outcome(c, `{ apiTokens { id } }`) },
    { name: 'allApiTokens', allowed: ['ADMIN'], run: (c) => outcome(c, `{ allApiTokens { totalCount } }`) },
    { name: 'mySessions', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ mySessions { id } }`) },
    {
      name: 'revokeMySession',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      // One of the caller's own sessions: a second sign-in of theirs, ended from the first.
      run: async (c) => {
        const email = (await c.gql(`{ me { user { email } } }`)).data?.me?.user.email as string | undefined;
        let id = '00000000-0000-4000-8000-000000000000';
        if (email) {
          const second = app.client();
          await second.ok(`mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`, {
            e: email,
            p: STRONG_PASSWORD,
          });
          id = (await second.ok(`{ mySessions { id current } }`)).mySessions.find((x: { current: boolean }) => x.current).id;
        }
        return outcome(c, `mutation($id: ID!) { revokeMySession(id: $id) }`, { id });
      },
    },
    {
      name: 'revokeMyOtherSessions',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation { revokeMyOtherSessions }`),
    },
    {
      name: 'userSessions',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `query($u: ID!) { userSessions(userId: $u) { id } }`, { u: victimId }),
    },
    {
      name: 'revokeSession',
      allowed: ['ADMIN'],
      run: async (c) => {
        const [session] = await app.sql<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1`, [victimId]);
        return outcome(c, `mutation($id: ID!) { revokeSession(id: $id) }`, { id: session.id });
      },
    },
    { name: 'twoFactorPolicy', allowed: ['ADMIN'], run: (c) => outcome(c, `{ twoFactorPolicy { ssoMode } }`) },
    {
      name: 'setTwoFactorPolicy',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation { setTwoFactorPolicy(input: { requiredRoleIds: [], ssoMode: TRUST_PROVIDER }) { ssoMode } }`),
    },
    {
      name: 'createApiToken',
      allowed: ['MEMBER', 'MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation { createApiToken(input: { name: "t" }) { secret } }`),
    },
    {
      name: 'revokeApiToken',
      allowed: ['ADMIN'],
      // Someone else's token: only admins (tokens:manage-all) may revoke it; others do not even see it.
      run: async (c) => {
        const t = (await app.admin.ok(`mutation { createApiToken(input: { name: "victim" }) { token { id } } }`)).createApiToken.token.id;
        const r = await outcome(c, `mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: t });
        return r === 'NOT_FOUND' ? 'FORBIDDEN' : r;
      },
    },
    // Single sign-on of the organization: admins (sso:manage), from a browser session.
    { name: 'ssoConnection', allowed: ['ADMIN'], run: (c) => outcome(c, `{ ssoConnection { issuer hasSecret } }`) },
    {
      name: 'testSsoConnection',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation { testSsoConnection(input: { issuer: "https://127.0.0.1:9" }) { ok message } }`),
    },
    {
      name: 'setSsoConnection',
      allowed: ['ADMIN'],
      run: (c) =>
        outcome(c, `mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { hasSecret } }`, {
          i: {
            issuer: 'https://sso.invalid',
            clientId: 'roster',
            clientSecret: 'secret',
            label: 'SSO',
            defaultRoleId: app.roles['MEMBER'],
            requireSso: false,
          },
        }),
    },
    { name: 'deleteSsoConnection', allowed: ['ADMIN'], run: (c) => outcome(c, `mutation { deleteSsoConnection }`) },
    // Platform operations: operators only (the set-up admin is one; an admin's role alone is not enough).
    { name: 'organizations', allowed: ['ADMIN'], run: (c) => outcome(c, `{ organizations(first: 5) { hasNextPage } }`) },
    {
      name: 'setOperator',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { setOperator(userId: $u, operator: true) { id } }`, { u: victimId }),
    },
    // The organizations' life-cycle, each on an organization of its own (made by the operator).
    {
      name: 'createOrganization',
      allowed: ['ADMIN'],
      run: (c) => {
        const slug = `authz-${Math.random().toString(36).slice(2, 10)}`;
        return outcome(c, `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
          i: { name: slug, slug, firstAdminEmail: `${slug}@example.com` },
        });
      },
    },
    {
      name: 'updateOrganization',
      allowed: ['ADMIN'],
      run: async (c) =>
        outcome(c, `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { id } }`, {
          i: { id: (await organization()).id, name: 'Renamed' },
        }),
    },
    {
      name: 'suspendOrganization',
      allowed: ['ADMIN'],
      run: async (c) => outcome(c, `mutation($id: ID!) { suspendOrganization(id: $id) { id } }`, { id: (await organization()).id }),
    },
    {
      name: 'reactivateOrganization',
      allowed: ['ADMIN'],
      run: async (c) => {
        const { id } = await organization();
        await app.admin.ok(`mutation($id: ID!) { suspendOrganization(id: $id) { id } }`, { id });
        return outcome(c, `mutation($id: ID!) { reactivateOrganization(id: $id) { id } }`, { id });
      },
    },
    {
      name: 'deleteOrganization',
      allowed: ['ADMIN'],
      run: async (c) => {
        const { id, slug } = await organization();
        return outcome(c, `mutation($i: DeleteOrganizationInput!) { deleteOrganization(input: $i) }`, { i: { id, confirmation: slug } });
      },
    },
    {
      name: 'setOrganizationDomains',
      allowed: ['ADMIN'],
      run: async (c) => {
        const [first] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
        return outcome(c, `mutation($o: ID!) { setOrganizationDomains(id: $o, domains: []) }`, { o: first.id });
      },
    },
  ];

  /** A new organization, made by the operator (the set-up admin). */
  async function organization(): Promise<{ id: string; slug: string }> {
    const slug = `authz-${Math.random().toString(36).slice(2, 10)}`;
    const r = await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } } }`, {
      i: { name: slug, slug, firstAdminEmail: `${slug}@example.com` },
    });
    return r.createOrganization.organization;
  }

  async function outcome(c: Client, query: string, variables: Record<string, unknown> = {}): Promise<string | undefined> {
    const r = await c.gql(query, variables);
    expect(r.status).toBeLessThan(500);
    return r.errors?.[0]?.extensions?.code ?? 'OK';
  }

  /** A REST download: OK when it streams, else the code of its JSON refusal. */
  async function httpOutcome(c: Client, path: string): Promise<string | undefined> {
    const res = await c.fetch(path);
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) {
      await res.arrayBuffer();
      return 'OK';
    }
    return ((await res.json()) as { code?: string }).code;
  }

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const victim = await app.register(`victim-${Math.random()}@example.com`, 'VIEWER');
    victimId = victim.userId;
    const seen: Record<string, string | undefined> = {};
    for (const who of ['anonymous', 'VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'] as Who[]) seen[who] = await c.run(clients[who]);
    const expected: Record<string, string> = {};
    for (const who of ['anonymous', 'VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'] as Who[]) {
      if (who === 'anonymous') expected[who] = 'UNAUTHENTICATED';
      else if (c.name === 'changeMyPassword') expected[who] = 'WRONG_PASSWORD';
      else if (c.name === 'completeTwoFactorSetup' || c.name === 'disableTwoFactor') expected[who] = 'REACHED';
      else expected[who] = c.allowed.includes(who) ? 'OK' : 'FORBIDDEN';
    }
    if (c.name === 'signOut') expected['VIEWER'] = expected['MEMBER'] = expected['MANAGER'] = expected['ADMIN'] = 'UNAUTHENTICATED';
    expect(seen).toEqual(expected);
  });

  it('covers every operation of the schema, and each one refuses anonymous callers unless public', async () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../schema.gql'), 'utf8'));
    const ops = [
      ...Object.keys(defined(schema.getQueryType(), 'Query type').getFields()),
      ...Object.keys(defined(schema.getMutationType(), 'Mutation type').getFields()),
    ];
    const covered = new Set([...cases.map((c) => c.name), ...PUBLIC_OPERATIONS]);
    expect(ops.filter((o) => !covered.has(o))).toEqual([]);
  });

  it('refuses cookie requests without the CSRF header, and a Manager granting Admin', async () => {
    const noCsrf = app.client({ csrf: false });
    for (const [k, v] of app.admin.cookies) noCsrf.cookies.set(k, v);
    expect(await noCsrf.code(`{ users { totalCount } }`)).toBe('CSRF_INVALID');
    const grant = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`;
    expect(await clients.MANAGER.code(grant, { i: { id: memberId, roleId: app.roles['ADMIN'] } })).toBe('ROLE_NOT_GRANTABLE');
    expect(
      await clients.MANAGER.code(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
        i: { email: 'boss@example.com', roleId: app.roles['ADMIN'], teamIds: [] },
      }),
    ).toBe('ROLE_NOT_GRANTABLE');
    expect(await clients.MANAGER.code(grant, { i: { id: app.adminId, lastName: 'Demoted' } })).toBe('FORBIDDEN');
    expect(await app.sql(`SELECT 1 FROM users WHERE email = 'boss@example.com'`)).toHaveLength(0);
  });
});
