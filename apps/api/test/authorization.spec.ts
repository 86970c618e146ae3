import { readdirSync, readFileSync } from 'node:fs';
import { buildSchema } from 'graphql';
import { join } from 'node:path';
import * as ts from 'typescript';
import { ALL_PERMISSIONS, BUILT_IN_ROLES, Permission, RoleKey } from '@roster/contracts/permissions';
import { Client, defined } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import {
  createOrganizationWithPeople,
  firstOrganization,
  joinSignedIn,
  OPEN_TO_ANYONE,
  OrganizationOf,
  OrgClient,
} from './support/organizations';

/**
 * Each operation × anonymous, Viewer, Member, Manager, Admin (the API is the wall), in two organizations: A (the
 * set-up one, whose Admin is a platform operator) and B (made by the operator; its people name it in every request).
 * In each, also a person P of both (Admin in A, Viewer in B) naming that organization, and API tokens: its Admin's and
 * P's (P's of B made while a Member of B, then P made a Viewer there). P acts with the role of the organization the
 * request names; a token never does more than its owner's role there would by cookie.
 */
type Who = 'anonymous' | 'VIEWER' | 'MEMBER' | 'MANAGER' | 'ADMIN';

/** One caller of the matrix in one organization: acting with `role` there (a platform operator or not), by cookie or token. */
interface Caller {
  name: string;
  client: Client;
  role: Who;
  operator: boolean;
  token: boolean;
}

/** One organization the matrix runs in: its callers and what its cases act on. */
interface Side {
  label: 'A' | 'B';
  organizationId: string;
  roles: Record<string, string>;
  /** Its Admin (A: the operator), preparing what the cases need. */
  admin: Client;
  callers: Caller[];
  memberId: string;
  adminId: string;
  teamId: string;
  /** The permissions of the roles the cases create and edit (within what the side's callers may grant). */
  grantable: string[];
  invite(email: string, roleKey: string): Promise<{ userId: string }>;
  register(email: string, roleKey: string): Promise<{ userId: string }>;
}

/** The operators' operations: open to a platform operator's session only, whatever their role. */
const PLATFORM_OPERATIONS = new Set([
  'organizations',
  'setOperator',
  'createOrganization',
  'updateOrganization',
  'suspendOrganization',
  'reactivateOrganization',
  'deleteOrganization',
  'setOrganizationDomains',
]);

/** What tokens must answer exactly as their owner's role would by cookie (reads and writes a token may do). */
const TOKEN_EXACT = new Set(['users', 'user', 'roles', 'teams', 'pendingInvitations', 'createInvitation', 'updateUser', 'createTeam']);

/** An operation's access rule as its decorator declares it (what the guard enforces), and whether it writes. */
type AccessRule = {
  kind: 'public' | 'authenticated' | 'permission' | 'operator';
  permission?: string;
  sessionOnly?: boolean;
  tokenPermission?: string;
  write: boolean;
};

/**
 * The access rule of every GraphQL operation and REST route of the API, read from the source: the `@Public`,
 * `@Authenticated`, `@RequirePermission` and `@RequireOperator` decorators of the resolvers' and controllers' methods
 * (or of their class), keyed by operation name (`GET /api/export/users` for a route).
 */
function accessRules(): Map<string, AccessRule> {
  const src = join(__dirname, '../src');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : /\.(resolver|controller)\.ts$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  const value = (e: ts.Expression): unknown => {
    if (ts.isPropertyAccessExpression(e) && e.expression.getText() === 'Permission') {
      return defined(Permission[e.name.text as keyof typeof Permission], e.getText());
    }
    if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
    if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
    if (ts.isStringLiteral(e)) return e.text;
    throw new Error(`unreadable decorator argument ${e.getText()}`);
  };
  const options = (e: ts.Expression | undefined): Record<string, unknown> =>
    e && ts.isObjectLiteralExpression(e)
      ? Object.fromEntries(e.properties.filter(ts.isPropertyAssignment).map((a) => [a.name.getText(), value(a.initializer)]))
      : {};
  const decorators = (n: ts.Node) =>
    (ts.canHaveDecorators(n) ? (ts.getDecorators(n) ?? []) : [])
      .map((d) => d.expression)
      .filter(ts.isCallExpression)
      .map((c) => ({ name: c.expression.getText(), args: [...c.arguments] }));
  const ACCESS = ['Public', 'Authenticated', 'RequirePermission', 'RequireOperator'];
  const HTTP = ['Get', 'Post', 'Put', 'Patch', 'Delete'];
  const rules = new Map<string, AccessRule>();
  for (const file of walk(src)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const cls of source.statements.filter(ts.isClassDeclaration)) {
      const onClass = decorators(cls);
      const controller = onClass.find((d) => d.name === 'Controller');
      for (const method of cls.members.filter(ts.isMethodDeclaration)) {
        const on = decorators(method);
        const op = on.find((d) => d.name === 'Query' || d.name === 'Mutation');
        const route = on.find((d) => HTTP.includes(d.name));
        const name = op
          ? method.name.getText()
          : route && controller
            ? `${route.name.toUpperCase()} /${[...controller.args, ...route.args].map(value).join('/')}`
            : undefined;
        if (!name) continue;
        const access = on.find((d) => ACCESS.includes(d.name)) ?? onClass.find((d) => ACCESS.includes(d.name));
        if (!access) throw new Error(`${name} declares no access rule (the guard refuses it to everyone)`);
        const write = op ? op.name === 'Mutation' : route?.name !== 'Get';
        const rule: AccessRule =
          access.name === 'Public'
            ? { kind: 'public', write }
            : access.name === 'RequireOperator'
              ? { kind: 'operator', sessionOnly: true, write }
              : access.name === 'Authenticated'
                ? { kind: 'authenticated', ...options(access.args[0]), write }
                : { kind: 'permission', permission: value(access.args[0]) as string, ...options(access.args[1]), write };
        rules.set(name, rule);
      }
    }
  }
  return rules;
}

describe('authorization matrix', () => {
  let app: TestApp;
  const sides = {} as Record<'A' | 'B', Side>;
  let b: OrganizationOf;
  /** P: Admin in A, Viewer in B (one browser session), naming A or B; its tokens of A (Admin) and of B (Viewer now). */
  const p = {} as { userId: string; inA: Client; inB: Client; tokenA: string; tokenB: string };
  /** A fresh person for the operations that act on someone, renewed before each case. */
  let victim = { userId: '', email: '' };

  const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
  const UPDATE_USER = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`;
  const bearer = (secret: string, slug: string) => new OrgClient(app.client(), slug, { bearer: secret });

  beforeAll(async () => {
    // Nothing delivered (WEBHOOK_DELIVERY=false): the cases' deliveries stay as written, and nothing leaves the machine.
    app = await startApp('authz', { WEBHOOK_DELIVERY: 'false' });
    const a = await firstOrganization(app);
    const clientsA = { anonymous: app.client(), ADMIN: app.admin } as Record<Who, Client>;
    let memberA = '';
    for (const role of ['VIEWER', 'MEMBER', 'MANAGER'] as const) {
      const r = await app.register(`${role.toLowerCase()}@example.com`, role);
      clientsA[role] = r.client;
      if (role === 'MEMBER') memberA = r.userId;
    }
    b = await createOrganizationWithPeople(app, app.admin, { slug: 'authz-b', prefix: 'b-' });

    // P: registered in A as an Admin, joins B as a Member (signed in, the invitation's token alone), makes a token of B,
    // and is then made a Viewer of B.
    const pa = await app.invite('pat@example.com', 'ADMIN');
    const pBase = app.client();
    await pBase.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: { token: pa.token, firstName: 'Pat', lastName: 'Both', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    p.userId = pa.userId;
    p.inA = new OrgClient(pBase, a.slug);
    p.inB = await joinSignedIn(pBase, (await b.invite('pat@example.com', 'MEMBER')).token, b);
    p.tokenA = (await p.inA.ok(CREATE_TOKEN, { i: { name: 'pat in A' } })).createApiToken.secret;
    p.tokenB = (await p.inB.ok(CREATE_TOKEN, { i: { name: 'pat in B' } })).createApiToken.secret;
    await b.people.ADMIN.client.ok(UPDATE_USER, { i: { id: p.userId, roleId: b.roles['VIEWER'] } });
    expect((await p.inB.ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('VIEWER');
    expect((await p.inA.ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('ADMIN');

    const tokenOfA = (await app.admin.ok(CREATE_TOKEN, { i: { name: 'admin of A' } })).createApiToken.secret;
    const tokenOfB = (await b.people.ADMIN.client.ok(CREATE_TOKEN, { i: { name: 'admin of B' } })).createApiToken.secret;
    const cookieCallers = (clients: Record<Who, Client>, adminIsOperator: boolean): Caller[] =>
      (['anonymous', 'VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'] as Who[]).map((role) => ({
        name: role,
        client: clients[role],
        role,
        operator: role === 'ADMIN' && adminIsOperator,
        token: false,
      }));
    const createTeam = (c: Client) => c.ok(`mutation { createTeam(input: { name: "Base" }) { id } }`);
    sides.A = {
      label: 'A',
      organizationId: a.id,
      roles: app.roles,
      admin: app.admin,
      callers: [
        ...cookieCallers(clientsA, true),
        { name: 'P (Admin in A)', client: p.inA, role: 'ADMIN', operator: false, token: false },
        { name: "the operator's token", client: bearer(tokenOfA, a.slug), role: 'ADMIN', operator: false, token: true },
        { name: "P's token of A", client: bearer(p.tokenA, a.slug), role: 'ADMIN', operator: false, token: true },
      ],
      memberId: memberA,
      adminId: app.adminId,
      grantable: ['users:read'],
      teamId: (await createTeam(app.admin)).createTeam.id,
      invite: (email, roleKey) => app.invite(email, roleKey),
      register: (email, roleKey) => app.register(email, roleKey),
    };
    const bClients: Record<Who, Client> = {
      anonymous: new OrgClient(app.client(), b.slug),
      VIEWER: b.people.VIEWER.client,
      MEMBER: b.people.MEMBER.client,
      MANAGER: b.people.MANAGER.client,
      ADMIN: b.people.ADMIN.client,
    };
    sides.B = {
      label: 'B',
      organizationId: b.id,
      roles: b.roles,
      admin: b.people.ADMIN.client,
      callers: [
        ...cookieCallers(bClients, false),
        { name: 'P (Viewer in B)', client: p.inB, role: 'VIEWER', operator: false, token: false },
        { name: "B's Admin's token", client: bearer(tokenOfB, b.slug), role: 'ADMIN', operator: false, token: true },
        { name: "P's token of B (a Viewer's now)", client: bearer(p.tokenB, b.slug), role: 'VIEWER', operator: false, token: true },
      ],
      memberId: b.people.MEMBER.userId,
      adminId: b.people.ADMIN.userId,
      grantable: ['users:read'],
      teamId: (await createTeam(b.people.ADMIN.client)).createTeam.id,
      invite: (email, roleKey) => b.invite(email, roleKey),
      register: (email, roleKey) => b.register(email, roleKey),
    };
  });
  afterAll(() => app?.close());

  /** A fresh custom role of the side, nobody holds (made by its Admin). */
  const customRole = async (s: Side): Promise<string> =>
    (
      await s.admin.ok(`mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
        i: { name: `C${Math.random()}`, permissions: s.grantable },
      })
    ).createRole.id;

  // Operations that need a fresh target each time, so one role's success does not spoil the next.
  const cases: { name: string; allowed: Who[]; run: (c: Client, s: Side) => Promise<string | undefined> }[] = [
    { name: 'users', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ users { totalCount } }`) },
    {
      name: 'user',
      allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'],
      run: (c, s) => outcome(c, `query($id: ID!) { user(id: $id) { email } }`, { id: s.memberId }),
    },
    { name: 'roles', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ roles { key } }`) },
    { name: 'permissions', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ permissions { key label } }`) },
    {
      name: 'createRole',
      allowed: ['ADMIN'],
      run: (c, s) =>
        outcome(c, `mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
          i: { name: `R${Math.random()}`, permissions: s.grantable },
        }),
    },
    {
      name: 'updateRole',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($i: UpdateRoleInput!) { updateRole(input: $i) { id } }`, {
          i: { id: await customRole(s), description: `D${Math.random()}` },
        }),
    },
    {
      name: 'deleteRole',
      allowed: ['ADMIN'],
      run: async (c, s) => outcome(c, `mutation($id: ID!) { deleteRole(id: $id) }`, { id: await customRole(s) }),
    },
    { name: 'teams', allowed: ['VIEWER', 'MEMBER', 'MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ teams { name } }`) },
    { name: 'pendingInvitations', allowed: ['MANAGER', 'ADMIN'], run: (c) => outcome(c, `{ pendingInvitations { email } }`) },
    { name: 'auditEvents', allowed: ['ADMIN'], run: (c) => outcome(c, `{ auditEvents { hasNextPage } }`) },
    {
      name: 'auditEvents (filtered)',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `{ auditEvents(first: 5, action: "team.created", actor: "admin@example.com") { endCursor } }`),
    },
    { name: 'auditActions', allowed: ['ADMIN'], run: (c) => outcome(c, `{ auditActions }`) },
    // The people's export (REST): its own permission, which Managers and Admins hold.
    { name: 'GET /api/export/users', allowed: ['MANAGER', 'ADMIN'], run: (c) => httpOutcome(c, '/api/export/users?format=csv') },
    // The audit log's CSV export (REST): the same permission as the screen.
    { name: 'GET /api/export/audit', allowed: ['ADMIN'], run: (c) => httpOutcome(c, '/api/export/audit?action=team.created') },
    {
      name: 'createInvitation',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c, s) =>
        outcome(c, `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
          i: { email: `new-${Math.random()}@example.com`, roleId: s.roles['VIEWER'], teamIds: [] },
        }),
    },
    {
      name: 'createInvitations',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c, s) =>
        outcome(c, `mutation($i: CreateInvitationsInput!) { createInvitations(input: $i) { url } }`, {
          i: { invitations: [{ email: `bulk-${Math.random()}@example.com`, roleId: s.roles['VIEWER'], teamIds: [] }] },
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
      run: async (c, s) =>
        outcome(c, `mutation($u: ID!) { regenerateInvitation(userId: $u) { url } }`, {
          u: (await s.invite(`r-${Math.random()}@example.com`, 'VIEWER')).userId,
        }),
    },
    {
      name: 'revokeInvitation',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($u: ID!) { revokeInvitation(userId: $u) }`, {
          u: (await s.invite(`x-${Math.random()}@example.com`, 'VIEWER')).userId,
        }),
    },
    {
      name: 'updateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c, s) =>
        outcome(c, `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
          i: { id: s.memberId, lastName: `L${Math.random()}` },
        }),
    },
    {
      name: 'deleteUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, {
          i: { id: (await s.invite(`d-${Math.random()}@example.com`, 'VIEWER')).userId, confirmation: 'DELETE' },
        }),
    },
    {
      name: 'deactivateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) => {
        // Active again before each caller, so every caller faces the same request.
        await app.sql(`UPDATE memberships SET status = 'ACTIVE' WHERE user_id = $1`, [victim.userId]);
        return outcome(c, `mutation($id: ID!) { deactivateUser(id: $id) { status } }`, { id: victim.userId });
      },
    },
    {
      name: 'reactivateUser',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c) => {
        await app.sql(`UPDATE memberships SET status = 'DEACTIVATED' WHERE user_id = $1`, [victim.userId]);
        return outcome(c, `mutation($id: ID!) { reactivateUser(id: $id) { status } }`, { id: victim.userId });
      },
    },
    {
      name: 'createPasswordReset',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { createPasswordReset(userId: $u) { url } }`, { u: victim.userId }),
    },
    {
      name: 'revokeUserSessions',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { revokeUserSessions(userId: $u) }`, { u: victim.userId }),
    },
    {
      name: 'createTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c) => outcome(c, `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `T${Math.random()}` }),
    },
    {
      name: 'renameTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: (c, s) =>
        outcome(c, `mutation($id: ID!, $n: String!) { renameTeam(id: $id, input: { name: $n }) { id } }`, {
          id: s.teamId,
          n: `Base ${Math.random()}`,
        }),
    },
    {
      name: 'deleteTeam',
      allowed: ['MANAGER', 'ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($id: ID!) { deleteTeam(id: $id) }`, {
          id: (await s.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `D${Math.random()}` })).createTeam
            .id,
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
        const r = await outcome(c, `mutation($u: ID!) { resetUserTwoFactor(userId: $u) }`, { u: victim.userId });
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
      run: (c) => outcome(c, `query($u: ID!) { userSessions(userId: $u) { id } }`, { u: victim.userId }),
    },
    {
      name: 'revokeSession',
      allowed: ['ADMIN'],
      run: async (c) => {
        // A new session of the victim's for each caller (an earlier caller may have revoked the one before).
        await app.client().ok(`mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`, {
          e: victim.email,
          p: STRONG_PASSWORD,
        });
        const [session] = await app.sql<{ id: string }>(`SELECT id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [
          victim.userId,
        ]);
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
      run: async (c, s) => {
        const t = (await s.admin.ok(`mutation { createApiToken(input: { name: "victim" }) { token { id } } }`)).createApiToken.token.id;
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
      run: async (c, s) => {
        const r = await outcome(c, `mutation($i: SetSsoConnectionInput!) { setSsoConnection(input: $i) { hasSecret } }`, {
          i: {
            issuer: 'https://sso.invalid',
            clientId: 'roster',
            clientSecret: 'secret',
            label: 'SSO',
            defaultRoleId: s.roles['MEMBER'],
            requireSso: false,
          },
        });
        // Gone again: with a connection, the next cases' victims would be invited through its provider.
        await app.sql(`DELETE FROM sso_connections`);
        return r;
      },
    },
    { name: 'deleteSsoConnection', allowed: ['ADMIN'], run: (c) => outcome(c, `mutation { deleteSsoConnection }`) },
    // The applications signing people in through Roster: admins (oidc-clients:manage), writes from a browser session.
    { name: 'oidcClients', allowed: ['ADMIN'], run: (c) => outcome(c, `{ oidcClients { id } }`) },
    {
      name: 'createOidcClient',
      allowed: ['ADMIN'],
      run: async (c) => {
        const r = await outcome(c, `mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { clientSecret } }`, {
          i: { name: 'authz', redirectUris: ['https://app.example.com/cb'], public: false, firstParty: true },
        });
        await app.sql(`DELETE FROM oidc_clients WHERE name = 'authz'`);
        return r;
      },
    },
    {
      name: 'updateOidcClient',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($i: UpdateOidcClientInput!) { updateOidcClient(input: $i) { id } }`, {
          i: { id: await oidcClient(s), name: 'Renamed', redirectUris: ['https://app.example.com/cb'], firstParty: true },
        }),
    },
    {
      name: 'rotateOidcClientSecret',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($id: ID!) { rotateOidcClientSecret(id: $id) { clientSecret } }`, { id: await oidcClient(s) }),
    },
    {
      name: 'deleteOidcClient',
      allowed: ['ADMIN'],
      run: async (c, s) => outcome(c, `mutation($id: ID!) { deleteOidcClient(id: $id) }`, { id: await oidcClient(s) }),
    },
    // Webhook endpoints: admins (webhooks:manage), API tokens allowed. Public IP literals: nothing is resolved.
    { name: 'webhookEventTypes', allowed: ['ADMIN'], run: (c) => outcome(c, `{ webhookEventTypes }`) },
    { name: 'webhookEndpoints', allowed: ['ADMIN'], run: (c) => outcome(c, `{ webhookEndpoints { id } }`) },
    {
      name: 'createWebhookEndpoint',
      allowed: ['ADMIN'],
      run: async (c) => {
        const r = await outcome(c, `mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }`, {
          i: { url: 'https://1.1.1.1/authz-created', eventTypes: ['team.created'] },
        });
        await app.sql(`DELETE FROM webhook_endpoints WHERE url = 'https://1.1.1.1/authz-created'`);
        return r;
      },
    },
    {
      name: 'updateWebhookEndpoint',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }`, {
          i: { id: await webhookEndpoint(s), description: 'Changed', enabled: false },
        }),
    },
    {
      name: 'rotateWebhookSecret',
      allowed: ['ADMIN'],
      run: async (c, s) => outcome(c, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: await webhookEndpoint(s) }),
    },
    {
      name: 'deleteWebhookEndpoint',
      allowed: ['ADMIN'],
      run: async (c, s) => outcome(c, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: await webhookEndpoint(s) }),
    },
    {
      name: 'webhookDeliveries',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `query($e: ID!) { webhookDeliveries(endpointId: $e, first: 5) { deliveries { id } hasNextPage } }`, {
          e: await webhookEndpoint(s),
        }),
    },
    {
      name: 'redeliverWebhook',
      allowed: ['ADMIN'],
      run: async (c, s) =>
        outcome(c, `mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`, { id: await webhookDelivery(s) }),
    },
    // Platform operations: operators only (the set-up admin is one; an admin's role alone is not enough).
    { name: 'organizations', allowed: ['ADMIN'], run: (c) => outcome(c, `{ organizations(first: 5) { hasNextPage } }`) },
    {
      name: 'setOperator',
      allowed: ['ADMIN'],
      run: (c) => outcome(c, `mutation($u: ID!) { setOperator(userId: $u, operator: true) { id } }`, { u: victim.userId }),
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
      run: async (c, s) => {
        return outcome(c, `mutation($o: ID!) { setOrganizationDomains(id: $o, domains: []) }`, { o: s.organizationId });
      },
    },
  ];

  /** A fresh confidential client of the side's organization, made by its admin. */
  async function oidcClient(s: { admin: Client }): Promise<string> {
    // The cases' own clients go first: every case makes one, and an organization holds at most 50.
    await app.sql(`DELETE FROM oidc_clients WHERE name LIKE 'authz %'`);
    const r = await s.admin.ok(`mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { id } } }`, {
      i: { name: `authz ${Math.random()}`, redirectUris: ['https://app.example.com/cb'], public: false, firstParty: true },
    });
    return r.createOidcClient.client.id;
  }

  /** A fresh webhook endpoint of the side's organization, made by its admin. */
  async function webhookEndpoint(s: { admin: Client }): Promise<string> {
    // The cases' own endpoints go first: every case makes one, and an organization holds at most 20.
    await app.sql(`DELETE FROM webhook_endpoints WHERE url LIKE 'https://1.1.1.1/authz%'`);
    const r = await s.admin.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`, {
      i: { url: 'https://1.1.1.1/authz', eventTypes: ['team.created'] },
    });
    return r.createWebhookEndpoint.endpoint.id;
  }

  /** A delivery of a fresh endpoint of the side's organization, settled DELIVERED (as the worker leaves it): redelivery changes it. */
  async function webhookDelivery(s: { admin: Client }): Promise<string> {
    const [{ id }] = await app.sql<{ id: string }>(
      `INSERT INTO webhook_deliveries (organization_id, endpoint_id, audit_event_id, event_type, status, attempts, finished_at)
       SELECT organization_id, id, 0, 'team.created', 'DELIVERED', 1, now() FROM webhook_endpoints WHERE id = $1 RETURNING id`,
      [await webhookEndpoint(s)],
    );
    return id;
  }

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

  /** What a caller of `role` gets by cookie: its role's answer, the operators' operations for operators only. */
  function expectedOf(c: (typeof cases)[number], role: Who, operator: boolean): string {
    if (role === 'anonymous' || c.name === 'signOut') return 'UNAUTHENTICATED';
    if (c.name === 'changeMyPassword') return 'WRONG_PASSWORD';
    if (c.name === 'completeTwoFactorSetup' || c.name === 'disableTwoFactor') return 'REACHED';
    if (PLATFORM_OPERATIONS.has(c.name)) return operator ? 'OK' : 'FORBIDDEN';
    return c.allowed.includes(role) ? 'OK' : 'FORBIDDEN';
  }

  describe.each(['A', 'B'] as const)('in organization %s', (label) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const s = sides[label];
      const email = `victim-${Math.random()}@example.com`;
      victim = { userId: (await s.register(email, 'VIEWER')).userId, email };
      const seen: Record<string, string | undefined> = {};
      const expected: Record<string, string> = {};
      for (const caller of s.callers) {
        const got = await c.run(caller.client, s);
        seen[caller.name] = got;
        const cookie = expectedOf(c, caller.role, caller.operator);
        // A token answers as its owner's role would by cookie, or is refused (what needs a browser session): never more.
        expected[caller.name] = caller.token && !TOKEN_EXACT.has(c.name) && got === 'FORBIDDEN' ? 'FORBIDDEN' : cookie;
      }
      expect(seen).toEqual(expected);
    });
  });

  it('covers every operation of the schema, and each one refuses anonymous callers unless public', async () => {
    const schema = buildSchema(readFileSync(join(__dirname, '../schema.gql'), 'utf8'));
    const ops = [
      ...Object.keys(defined(schema.getQueryType(), 'Query type').getFields()),
      ...Object.keys(defined(schema.getMutationType(), 'Mutation type').getFields()),
    ];
    const covered = new Set([...cases.map((c) => c.name), ...OPEN_TO_ANYONE]);
    expect(ops.filter((o) => !covered.has(o))).toEqual([]);
  });

  it.each(['A', 'B'] as const)('refuses cookie requests without the CSRF header, and a Manager granting Admin (in %s)', async (label) => {
    const s = sides[label];
    const who = (role: Who) =>
      defined(
        s.callers.find((c) => c.name === role),
        role,
      ).client;
    const noCsrf = new OrgClient(app.client(), label === 'B' ? b.slug : null, { csrf: false });
    for (const [k, v] of who('ADMIN').cookies) noCsrf.cookies.set(k, v);
    expect(await noCsrf.code(`{ users { totalCount } }`)).toBe('CSRF_INVALID');
    const manager = who('MANAGER');
    expect(await manager.code(UPDATE_USER, { i: { id: s.memberId, roleId: s.roles['ADMIN'] } })).toBe('ROLE_NOT_GRANTABLE');
    expect(
      await manager.code(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, {
        i: { email: `boss-${label}@example.com`, roleId: s.roles['ADMIN'], teamIds: [] },
      }),
    ).toBe('ROLE_NOT_GRANTABLE');
    expect(await manager.code(UPDATE_USER, { i: { id: s.adminId, lastName: 'Demoted' } })).toBe('FORBIDDEN');
    expect(await app.sql(`SELECT 1 FROM users WHERE email = $1`, [`boss-${label}@example.com`])).toHaveLength(0);
  });

  /** The organization's rows a write would add to: its teams and invitations (pending memberships). */
  const rowsOf = async (organizationId: string) =>
    (
      await app.sql<{ n: string }>(
        `SELECT (SELECT count(*) FROM teams WHERE organization_id = $1) || '/' || (SELECT count(*) FROM invitations WHERE organization_id = $1) AS n`,
        [organizationId],
      )
    )[0].n;
  const ME = `{ me { organization { id } user { role { key } } permissions } }`;
  const TEAM = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
  const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`;
  const permissionsOf = async (roleId: string) =>
    [...(await app.sql<{ permissions: string[] }>(`SELECT permissions FROM roles WHERE id = $1`, [roleId]))[0].permissions].sort();

  it("P acts with the role of the organization the request names: Admin's in A, a Viewer's in B (cookie)", async () => {
    const [a, bId] = [sides.A.organizationId, b.id];
    const inA = (await p.inA.ok(ME)).me;
    expect({ org: inA.organization.id, role: inA.user.role.key }).toEqual({ org: a, role: 'ADMIN' });
    expect([...inA.permissions].sort()).toEqual(await permissionsOf(sides.A.roles['ADMIN']));
    const inB = (await p.inB.ok(ME)).me;
    expect({ org: inB.organization.id, role: inB.user.role.key }).toEqual({ org: bId, role: 'VIEWER' });
    expect([...inB.permissions].sort()).toEqual(await permissionsOf(b.roles['VIEWER']));

    // Naming B, P writes nothing there (a Viewer), though an Admin of A; naming A, the same session writes in A.
    const before = { a: await rowsOf(a), b: await rowsOf(bId) };
    expect(await p.inB.code(TEAM, { n: 'P in B' })).toBe('FORBIDDEN');
    expect(await p.inB.code(INVITE, { i: { email: 'p-invites@example.com', roleId: b.roles['VIEWER'], teamIds: [] } })).toBe('FORBIDDEN');
    expect(await p.inB.code(UPDATE_USER, { i: { id: b.people.MEMBER.userId, roleId: b.roles['VIEWER'] } })).toBe('FORBIDDEN');
    expect({ a: await rowsOf(a), b: await rowsOf(bId) }).toEqual(before);
    const made = (await p.inA.ok(TEAM, { n: 'P in A' })).createTeam.id;
    expect(await app.sql(`SELECT organization_id FROM teams WHERE id = $1`, [made])).toEqual([{ organization_id: a }]);
    expect(await rowsOf(bId)).toBe(before.b);
  });

  it("P's tokens act only in their own organization, with P's role there", async () => {
    const [a, bId] = [sides.A.organizationId, b.id];
    const tokenA = (slug: string | null) => new OrgClient(app.client(), slug, { bearer: p.tokenA });
    const tokenB = (slug: string | null) => new OrgClient(app.client(), slug, { bearer: p.tokenB });
    // Of A (made by an Admin of A): an Admin's there, with or without the header; naming B, refused whole.
    expect((await tokenA(null).ok(ME)).me.organization.id).toBe(a);
    const before = { a: await rowsOf(a), b: await rowsOf(bId) };
    for (const c of [tokenA(b.slug), tokenA(bId)]) {
      expect(await c.code(`{ users { totalCount } }`)).toBe('FORBIDDEN');
      expect(await c.code(TEAM, { n: 'token A in B' })).toBe('FORBIDDEN');
    }
    // Of B (made while a Member there, P now a Viewer): a Viewer's, reading B's people only; naming A, refused whole.
    const emails = (await tokenB(null).ok(`{ users(first: 50) { edges { node { email } } } }`)).users.edges.map(
      (e: { node: { email: string } }) => e.node.email,
    );
    expect(emails).toContain(b.people.MEMBER.email);
    expect(emails.filter((e: string) => e === 'member@example.com' || e === 'admin@example.com')).toEqual([]);
    expect((await tokenB(null).ok(ME)).me.user.role.key).toBe('VIEWER');
    expect(await tokenB(b.slug).code(TEAM, { n: 'token B' })).toBe('FORBIDDEN');
    expect(await tokenB(null).code(INVITE, { i: { email: 'tb@example.com', roleId: b.roles['VIEWER'], teamIds: [] } })).toBe('FORBIDDEN');
    for (const c of [tokenB(sides.A.organizationId), tokenB('nobody-here')]) {
      expect(await c.code(`{ users { totalCount } }`)).toBe('FORBIDDEN');
      expect(await c.code(TEAM, { n: 'token B in A' })).toBe('FORBIDDEN');
    }
    expect({ a: await rowsOf(a), b: await rowsOf(bId) }).toEqual(before);
    // The token of A writes in A.
    await tokenA(null).ok(TEAM, { n: 'token A in A' });
    expect(await rowsOf(bId)).toBe(before.b);
  });
  /**
   * Generated custom roles: for each permission of the vocabulary, the Admin makes a role holding only it and invites
   * someone into it. That person (by cookie, and by a token of theirs) runs every case of the matrix: an operation
   * needing that permission, or none, answers as it does for an Admin; one needing another permission is FORBIDDEN,
   * naming the permission it lacks; an operator's operation is FORBIDDEN; and a refused write changes nothing. Which
   * permission an operation needs is read from the API's source (the decorator the guard enforces), not listed here.
   * The cases act on people and roles of the generated role itself (a role ⊆ the caller's), so the subset rule lets
   * the holder act wherever the permission is enough.
   */
  describe('generated custom roles, one permission each', () => {
    const rules = accessRules();
    const ruleOf = (c: (typeof cases)[number]) => defined(rules.get(c.name.replace(/ \(.*\)$/, '')), `the access rule of ${c.name}`);
    /**
     * What an operation checks in its service beyond its decorator. revokeApiToken is open to anyone signed in (one's
     * own tokens); the case revokes someone else's, which needs tokens:manage-all (else NOT_FOUND, which it reads as
     * FORBIDDEN).
     */
    const CHECKED_INSIDE: Record<string, string> = { revokeApiToken: Permission.TokensManageAll };
    /**
     * Where a single permission reaches the operation but the subset rule then refuses, because the case acts on
     * something beyond one permission: the token revoked is the Admin's (an Admin's role is not within
     * tokens:manage-all alone).
     */
    const BEYOND_ONE_PERMISSION: Record<string, string> = { revokeApiToken: 'ROLE_NOT_GRANTABLE' };
    /**
     * Permissions of the vocabulary no operation needs yet. Remove each from here in the change that adds its
     * first case.
     */
    const GUARDS_NOTHING_YET: readonly string[] = [];

    /** Tables a refused write must leave as they were (their volatile columns aside: sign-ins, expiries, last use). */
    const TABLES = [
      'organizations',
      'users',
      'memberships',
      'roles',
      'teams',
      'user_teams',
      'invitations',
      'api_tokens',
      'sessions',
      'sso_connections',
      'two_factor_policy',
      'totp_secrets',
      'webhook_endpoints',
      'webhook_deliveries',
    ];
    const VOLATILE = [
      'last_sign_in_at',
      'last_organization_id',
      'expires_at',
      'updated_at',
      'last_used_at',
      'last_seen_at',
      'totp_last_step',
      'last_step',
      'attempts',
    ];
    let FINGERPRINT = '';
    /** Per table, its row count and the sum of its rows' hashes (no sort: asked around every write). */
    const fingerprint = async () => {
      if (!FINGERPRINT) {
        const columns = await app.sql<{ table_name: string; column_name: string }>(
          `SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ANY($1) AND NOT column_name = ANY($2) ORDER BY ordinal_position`,
          [TABLES, VOLATILE],
        );
        const row = (t: string) => columns.filter((c) => c.table_name === t).map((c) => `"${c.column_name}"`);
        expect(TABLES.filter((t) => row(t).length === 0)).toEqual([]);
        FINGERPRINT = `SELECT concat_ws('|', ${TABLES.map(
          (t) => `(SELECT count(*) || ':' || coalesce(sum(hashtext(ROW(${row(t).join(', ')})::text)::bigint), 0) FROM ${t})`,
        ).join(', ')}) AS f`;
      }
      return (await app.sql<{ f: string }>(FINGERPRINT))[0].f;
    };

    /** The caller's client, noting the permission its last GraphQL refusal names and the refused writes that changed something. */
    function watched(c: Client, note: { permission?: string; changed: string[] }): Client {
      const w = Object.create(c) as Client;
      w.gql = async (query, variables = {}) => {
        const before = /^\s*mutation/.test(query) ? await fingerprint() : undefined;
        const r = await c.gql(query, variables);
        note.permission = r.errors?.[0]?.extensions?.permission as string | undefined;
        if (before !== undefined && r.errors?.length && (await fingerprint()) !== before) note.changed.push(query);
        return r;
      };
      return w;
    }

    /** What the holder of `held` alone gets, by cookie or by token (a token first answers for what tokens may not do). */
    function expectedFor(c: (typeof cases)[number], held: string, token: boolean): string {
      const rule = ruleOf(c);
      const tokenRefused =
        token &&
        (rule.sessionOnly ||
          (rule.write && rule.kind === 'authenticated' && !rule.tokenPermission) ||
          (rule.tokenPermission && rule.tokenPermission !== held));
      if (c.name === 'signOut') return expectedOf(c, 'ADMIN', false); // asked by a client of its own
      if (rule.kind === 'operator' || tokenRefused) return 'FORBIDDEN';
      // GraphQL names the permission missing; a REST refusal gives its code only.
      if (rule.kind === 'permission' && rule.permission !== held)
        return c.name.includes(' /') ? 'FORBIDDEN' : `FORBIDDEN (${rule.permission})`;
      if (CHECKED_INSIDE[c.name] && CHECKED_INSIDE[c.name] !== held) return 'FORBIDDEN';
      return BEYOND_ONE_PERMISSION[c.name] ?? expectedOf(c, 'ADMIN', false);
    }

    it('knows the rule of every case, and every permission guards some case', () => {
      const needed = new Set(cases.map((c) => ruleOf(c)).flatMap((r) => (r.kind === 'permission' ? [r.permission] : [])));
      expect(ALL_PERMISSIONS.filter((p) => !needed.has(p) && !GUARDS_NOTHING_YET.includes(p))).toEqual([]);
      expect(GUARDS_NOTHING_YET.filter((p) => needed.has(p))).toEqual([]);
      // The matrix's hand-written lists agree with the decorators: a case needing a permission is allowed to exactly
      // the built-in roles holding it.
      const holding = (p: string) =>
        (Object.keys(BUILT_IN_ROLES) as RoleKey[]).filter((k) => BUILT_IN_ROLES[k].permissions.includes(p as Permission));
      const disagree = cases.flatMap((c) => {
        const rule = ruleOf(c);
        const p = CHECKED_INSIDE[c.name] ?? (rule.kind === 'permission' ? rule.permission : undefined);
        return p && [...c.allowed].sort().join() !== holding(p).sort().join() ? [`${c.name}: ${c.allowed.join()} but ${p}`] : [];
      });
      expect(disagree).toEqual([]);
      // The scan sees the decorators at all: every operation of the schema has its rule.
      const schema = buildSchema(readFileSync(join(__dirname, '../schema.gql'), 'utf8'));
      const ops = [schema.getQueryType(), schema.getMutationType()].flatMap((t) => Object.keys(defined(t, 'root type').getFields()));
      expect(ops.filter((o) => !rules.has(o))).toEqual([]);
    });

    it.each(ALL_PERMISSIONS.map((p) => [p] as const))('a role of %s alone', async (held) => {
      const UPDATE_ROLE = `mutation($i: UpdateRoleInput!) { updateRole(input: $i) { id } }`;
      const before = await fingerprint();
      const roleId = (
        await app.admin.ok(`mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
          i: { name: `Only ${held.replace(/[^a-z]+/g, ' ')}`, permissions: [held] },
        })
      ).createRole.id;
      expect(await fingerprint()).not.toBe(before); // it sees a write
      const invite = async (email: string) => {
        const r = await app.admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`, {
          i: { email, roleId, teamIds: [] },
        });
        return { token: new URL(r.createInvitation.url).searchParams.get('token') as string, userId: r.createInvitation.user.id as string };
      };
      const register = async (email: string) => {
        const { token, userId } = await invite(email);
        const client = app.client();
        await client.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
          i: { token, firstName: 'Only', lastName: 'One', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
        });
        return { client, userId };
      };
      const slug = held.replace(/[^a-z]+/g, '-');
      const holder = (await register(`holder-${slug}@example.com`)).client;
      // A token of the holder's: made while the role also held tokens:create (a person makes their own), then the role
      // holds only its permission again; the token acts with its owner's role.
      if (held !== Permission.TokensCreate)
        await app.admin.ok(UPDATE_ROLE, { i: { id: roleId, permissions: [held, Permission.TokensCreate] } });
      const secret = (await holder.ok(CREATE_TOKEN, { i: { name: 'one permission' } })).createApiToken.secret;
      if (held !== Permission.TokensCreate) await app.admin.ok(UPDATE_ROLE, { i: { id: roleId, permissions: [held] } });
      const token = new OrgClient(app.client(), null, { bearer: secret });
      for (const c of [holder, token]) expect((await c.ok(`{ me { permissions } }`)).me.permissions).toEqual([held]);

      const email = `victim-${slug}@example.com`;
      victim = { userId: (await register(email)).userId, email };
      const side: Side = {
        ...sides.A,
        roles: { VIEWER: roleId, MEMBER: roleId, MANAGER: roleId, ADMIN: roleId },
        grantable: [held],
        callers: [],
        memberId: (await register(`member-${slug}@example.com`)).userId,
        invite: (e) => invite(e),
        register: (e) => register(e),
      };
      const seen: Record<string, string | undefined> = {};
      const expected: Record<string, string> = {};
      const changed: string[] = [];
      for (const c of cases) {
        // One victim for every case here: active again before each (deactivateUser/reactivateUser leave it either way).
        await app.sql(`UPDATE memberships SET status = 'ACTIVE' WHERE user_id = $1`, [victim.userId]);
        for (const [via, client] of [
          ['cookie', holder],
          ['token', token],
        ] as const) {
          const note: { permission?: string; changed: string[] } = { changed };
          const got = await c.run(watched(client, note), side);
          seen[`${c.name} by ${via}`] = got === 'FORBIDDEN' && note.permission ? `FORBIDDEN (${note.permission})` : got;
          expected[`${c.name} by ${via}`] = expectedFor(c, held, via === 'token');
        }
      }
      expect(seen).toEqual(expected);
      expect(changed).toEqual([]);
    });
  });
});
