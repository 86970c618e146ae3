import { Client } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { OrgClient } from './support/organizations';

/**
 * A person who has an account accepts an invitation into another organization while signed in
 * (acceptInvitation with the token alone), on the real server: person P of A, invited into B.
 */
const JOIN = `mutation($t: String!) {
  acceptInvitation(input: { token: $t }) { organization { slug } user { id role { key } teams { name } status } permissions }
}`;
const PREVIEW = `query($t: String!) { invitation(token: $t) { email existingAccount } }`;
const ME = `{ me { organization { slug } user { role { key } status teams { name } } organizations { slug } } }`;
const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`;
const tokenOf = (url: string) => new URL(url).searchParams.get('token') as string;

describe('accepting an invitation signed in', () => {
  let app: TestApp;
  /** B's admin, naming B in every request. */
  let adminB: Client;
  let b: { id: string; slug: string; roles: Record<string, string>; teamId: string };
  let serial = 0;

  beforeAll(async () => {
    app = await startApp('invitation-join');
    const created = await app.admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name: 'Beta', slug: 'beta-join', firstAdminEmail: 'beta-admin@example.com' } },
    );
    const org = created.createOrganization.organization;
    const first = app.client();
    await first.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: {
        token: tokenOf(created.createOrganization.invitation.url),
        firstName: 'Bea',
        lastName: 'Admin',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    adminB = new OrgClient(first, org.slug);
    const roles = await app.sql<{ key: string; id: string }>(`SELECT key, id FROM roles WHERE organization_id = $1`, [org.id]);
    const team = await adminB.ok(`mutation { createTeam(input: { name: "Beta team" }) { id } }`);
    b = { id: org.id, slug: org.slug, roles: Object.fromEntries(roles.map((r) => [r.key, r.id])), teamId: team.createTeam.id };
  });
  afterAll(() => app?.close());

  /** A new person of A (Viewer there), signed in, and their invitation into B as a Manager of B's team. */
  async function personOfAInvitedToB(): Promise<{ email: string; userId: string; client: Client; token: string }> {
    const email = `p${++serial}@example.com`;
    const { client, userId } = await app.register(email, 'VIEWER');
    const r = await adminB.ok(INVITE, { i: { email, roleId: b.roles['MANAGER'], teamIds: [b.teamId] } });
    return { email, userId, client, token: tokenOf(r.createInvitation.url) };
  }

  const membershipsOf = (userId: string) =>
    app.sql(
      `SELECT o.slug, m.status, r.key AS role FROM memberships m JOIN organizations o ON o.id = m.organization_id
         JOIN roles r ON r.id = m.role_id WHERE m.user_id = $1 ORDER BY o.slug`,
      [userId],
    );

  it('makes the invited membership active, with the invited role and teams; the person keeps their role in A', async () => {
    const p = await personOfAInvitedToB();
    // The page says: sign in to accept (an account exists), to whoever holds the token; a new email registers.
    expect((await app.client().ok(PREVIEW, { t: p.token })).invitation).toEqual({ email: p.email, existingAccount: true });
    const fresh = await adminB.ok(INVITE, { i: { email: `fresh${serial}@example.com`, roleId: b.roles['VIEWER'], teamIds: [] } });
    expect((await app.client().ok(PREVIEW, { t: tokenOf(fresh.createInvitation.url) })).invitation.existingAccount).toBe(false);
    // Signed out, the token alone registers nobody.
    expect(await app.client().code(JOIN, { t: p.token })).toBe('UNAUTHENTICATED');

    // Accepted from a page of A (the request names A): the answer is about B, where the console goes next.
    const firstSlug = (await app.sql<{ slug: string }>(`SELECT slug FROM organizations ORDER BY created_at, id LIMIT 1`))[0].slug;
    const inA = new OrgClient(p.client, firstSlug);
    const r = (await inA.ok(JOIN, { t: p.token })).acceptInvitation;
    expect(r.organization).toEqual({ slug: b.slug });
    expect(r.user).toEqual({ id: p.userId, role: { key: 'MANAGER' }, teams: [{ name: 'Beta team' }], status: 'ACTIVE' });
    expect(r.permissions).toContain('users:invite'); // a Manager's, not A's Viewer's
    // Without a header: the organization joined is now the current one (until a request names another).
    expect((await p.client.ok(ME)).me.organization).toEqual({ slug: b.slug });

    // B now, by its header: Manager with the team; A unchanged: Viewer.
    const meB = (await new OrgClient(p.client, b.slug).ok(ME)).me;
    expect(meB.organization).toEqual({ slug: b.slug });
    expect(meB.user).toEqual({ role: { key: 'MANAGER' }, status: 'ACTIVE', teams: [{ name: 'Beta team' }] });
    expect(meB.organizations.map((o: { slug: string }) => o.slug).sort()).toEqual([b.slug, firstSlug].sort());
    const meA = (await inA.ok(ME)).me;
    expect(meA.organization).toEqual({ slug: firstSlug });
    expect(meA.user.role).toEqual({ key: 'VIEWER' });
    expect(await membershipsOf(p.userId)).toEqual(
      [
        { slug: b.slug, status: 'ACTIVE', role: 'MANAGER' },
        { slug: firstSlug, status: 'ACTIVE', role: 'VIEWER' },
      ].sort((x, y) => x.slug.localeCompare(y.slug)),
    );
    // B's admin sees them as an active member, with their names now; the invitation is gone and audited in B only.
    const users = await adminB.ok(`query($id: ID!) { user(id: $id) { status firstName role { key } } }`, { id: p.userId });
    expect(users.user).toEqual({ status: 'ACTIVE', firstName: 'Test', role: { key: 'MANAGER' } });
    expect(await app.sql(`SELECT 1 FROM invitations WHERE user_id = $1`, [p.userId])).toHaveLength(0);
    expect(
      await app.sql(
        `SELECT organization_id FROM audit_events WHERE action = 'invitation.accepted' AND target_id = $1 AND details->>'via' = 'signed-in'`,
        [p.userId],
      ),
    ).toEqual([{ organization_id: b.id }]);
    // Single use.
    expect(await p.client.code(JOIN, { t: p.token })).toBe('INVITATION_INVALID');
  });

  it('refuses anyone else signed in exactly like an unknown token, and changes nothing', async () => {
    const p = await personOfAInvitedToB();
    const other = await app.register(`other${serial}@example.com`, 'MEMBER');
    const before = await membershipsOf(p.userId);
    const wrong = await other.client.gql(JOIN, { t: p.token });
    const unknown = await other.client.gql(JOIN, { t: 'x'.repeat(43) });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVITATION_INVALID');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
    expect(await membershipsOf(other.userId)).toHaveLength(1);
    expect(await membershipsOf(p.userId)).toEqual(before);
    expect(await app.sql(`SELECT 1 FROM invitations WHERE user_id = $1`, [p.userId])).toHaveLength(1);
    // B's admin signed in (a member of B already) neither.
    expect(await adminB.code(JOIN, { t: p.token })).toBe('INVITATION_INVALID');
    // Without the session's CSRF token: refused.
    expect(await new Client(p.client.baseUrl, { csrf: false }).code(JOIN, { t: p.token })).toBe('UNAUTHENTICATED');
    const noCsrf = new Client(p.client.baseUrl, { csrf: false });
    (noCsrf as { cookies: Map<string, string> }).cookies.set('roster_session', p.client.cookies.get('roster_session') as string);
    expect(await noCsrf.code(JOIN, { t: p.token })).toBe('CSRF_INVALID');
    // Registering with names and a password over the account: refused, as before.
    expect(
      await app.client().code(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
        i: { token: p.token, firstName: 'X', lastName: 'Y', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
      }),
    ).toBe('INVITATION_INVALID');
    // The invitee still can.
    await p.client.ok(JOIN, { t: p.token });
  });

  it('lets one of two acceptances at once win', async () => {
    for (let round = 0; round < 3; round++) {
      const p = await personOfAInvitedToB();
      const second = app.client();
      await second.ok(`mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`, {
        i: { email: p.email, password: STRONG_PASSWORD },
      });
      const results = await Promise.all([p.client.gql(JOIN, { t: p.token }), second.gql(JOIN, { t: p.token })]);
      const codes = results.map((r) => (r.errors?.length ? r.errors[0].extensions?.code : 'OK')).sort();
      expect(codes).toEqual(['INVITATION_INVALID', 'OK']);
      expect(
        await app.sql(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'invitation.accepted' AND target_id = $1`, [p.userId]),
      ).toEqual([{ n: 2 }]); // registering in A, joining B once
    }
  });

  it('refuses an invitation into a suspended organization, at look-up and acceptance, and works again after reactivation', async () => {
    const p = await personOfAInvitedToB();
    await app.admin.ok(`mutation($id: ID!) { suspendOrganization(id: $id) { status } }`, { id: b.id });
    try {
      expect(await app.client().code(PREVIEW, { t: p.token })).toBe('INVITATION_INVALID');
      expect(await p.client.code(JOIN, { t: p.token })).toBe('INVITATION_INVALID');
      expect(await membershipsOf(p.userId)).toContainEqual({ slug: b.slug, status: 'INVITED', role: 'MANAGER' });
    } finally {
      await app.admin.ok(`mutation($id: ID!) { reactivateOrganization(id: $id) { status } }`, { id: b.id });
    }
    expect((await app.client().ok(PREVIEW, { t: p.token })).invitation.existingAccount).toBe(true);
    await p.client.ok(JOIN, { t: p.token });
  });

  it('refuses an invitation into an organization being deleted', async () => {
    // The last case: B goes. Its invitation's token, read before the deletion's batches remove it, is refused.
    const p = await personOfAInvitedToB();
    await app.admin.ok(`mutation($i: DeleteOrganizationInput!) { deleteOrganization(input: $i) }`, {
      i: { id: b.id, confirmation: b.slug },
    });
    expect(await app.client().code(PREVIEW, { t: p.token })).toBe('INVITATION_INVALID');
    expect(await p.client.code(JOIN, { t: p.token })).toBe('INVITATION_INVALID');
    expect((await membershipsOf(p.userId)).filter((m) => m.status === 'ACTIVE')).toHaveLength(1); // A's alone
  });
});
