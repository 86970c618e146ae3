import { startServer } from '../../../tools/testing/server';
import { Client, GraphQLResult, Json } from './support/client';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * The operators' organization life-cycle on the real server: create (built-in roles, policy, the first
 * admin's invitation), rename, suspend and reactivate (refused at once, cookie and token), delete
 * (confirmed by the slug, refused and its slug free at once, its rows and its people who belong
 * nowhere removed in batches, resumed after a crash), each a platform audit event naming the
 * organization only — and none of it open to anyone but operators in a browser session.
 */
describe('organizations: the operators’ life-cycle', () => {
  let app: TestApp;
  let operatorToken: Client;

  const ORG = `id slug name status memberCount createdAt`;
  const CREATE = `mutation($i: CreateOrganizationInput!) {
    createOrganization(input: $i) { organization { ${ORG} } invitation { url urlKind expiresAt } } }`;
  const UPDATE = `mutation($i: UpdateOrganizationInput!) { updateOrganization(input: $i) { ${ORG} } }`;
  const SUSPEND = `mutation($id: ID!) { suspendOrganization(id: $id) { ${ORG} } }`;
  const REACTIVATE = `mutation($id: ID!) { reactivateOrganization(id: $id) { ${ORG} } }`;
  const DELETE = `mutation($i: DeleteOrganizationInput!) { deleteOrganization(input: $i) }`;
  const LIST = `query($search: String, $first: Int) { organizations(first: $first, search: $search) { organizations { ${ORG} } hasNextPage } }`;
  const USERS = `{ users(first: 50) { edges { node { email } } } }`;
  const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;

  beforeAll(async () => {
    // The janitor ticks every second here: it takes up deletions left behind (a crash between batches).
    app = await startApp('organizations', { JANITOR_INTERVAL_SECONDS: '1' });
    const t = await app.admin.ok(`mutation { createApiToken(input: { name: "operator's token" }) { secret } }`);
    operatorToken = app.client({ bearer: t.createApiToken.secret });
  });
  afterAll(() => app?.close());

  /** A GraphQL request naming an organization in X-Roster-Organization (cookie or token, as the client holds). */
  async function inOrg(client: Client, org: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResult> {
    const res = await client.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-roster-organization': org },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await res.json()) as GraphQLResult), status: res.status };
  }
  const codeOf = (r: GraphQLResult) => r.errors?.[0]?.extensions?.code ?? 'OK';

  /** Registers through an invitation URL; returns the signed-in browser. */
  async function registerThrough(url: string, lastName = 'Boss'): Promise<Client> {
    const client = app.client();
    await client.ok(ACCEPT, {
      i: {
        token: new URL(url).searchParams.get('token'),
        firstName: 'First',
        lastName,
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    return client;
  }

  async function create(name: string, slug: string, firstAdminEmail: string): Promise<{ organization: Json; invitation: Json }> {
    return (await app.admin.ok(CREATE, { i: { name, slug, firstAdminEmail } })).createOrganization;
  }

  /** Rows that an operation refused must leave as they were. */
  const fingerprint = async () =>
    app.sql(`SELECT (SELECT count(*) FROM organizations) AS orgs, (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM roles) AS roles,
                    (SELECT count(*) FROM memberships) AS memberships, (SELECT count(*) FROM invitations) AS invitations,
                    (SELECT count(*) FROM two_factor_policy) AS policies, (SELECT count(*) FROM audit_events) AS events,
                    (SELECT string_agg(id || ':' || coalesce(slug, '-') || ':' || name || ':' || status, ',' ORDER BY id) FROM organizations) AS rows`);

  const platformEvents = async (id: string) =>
    app.sql(
      `SELECT action, actor_email, target_id, target_email, details FROM audit_events
        WHERE organization_id IS NULL AND target_id = $1 ORDER BY id`,
      [id],
    );

  async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('creates an organization whose invited first admin registers and sees only its users page', async () => {
    const { organization: acme, invitation } = await create('  Acme Corp ', 'ACME', 'Boss@Acme.test');
    expect(acme).toMatchObject({ slug: 'acme', name: 'Acme Corp', status: 'ACTIVE', memberCount: 0 });
    expect(Date.parse(acme.createdAt)).toBeGreaterThan(0);
    expect(invitation.urlKind).toBe('REGISTRATION');
    expect(invitation.url).toMatch(/\/register\?token=/);
    expect(Date.parse(invitation.expiresAt)).toBeGreaterThan(Date.now());

    // The built-in roles, as the first organization has them; its policy row; the invited admin.
    const roles = (organizationId: string) =>
      app.sql(`SELECT key, name, rank, permissions, built_in, require_two_factor FROM roles WHERE organization_id = $1 ORDER BY rank`, [
        organizationId,
      ]);
    const [first] = await app.sql<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'default'`);
    expect(await roles(acme.id)).toEqual(await roles(first.id));
    expect((await roles(acme.id)).map((r: Json) => r.key)).toEqual(['ADMIN', 'MANAGER', 'MEMBER', 'VIEWER']);
    expect(await app.sql(`SELECT sso_mode FROM two_factor_policy WHERE organization_id = $1`, [acme.id])).toHaveLength(1);
    expect(
      await app.sql(
        `SELECT m.status, r.key FROM memberships m JOIN roles r ON r.id = m.role_id WHERE m.organization_id = $1 AND m.email = 'boss@acme.test'`,
        [acme.id],
      ),
    ).toEqual([{ status: 'INVITED', key: 'ADMIN' }]);
    expect(await platformEvents(acme.id)).toEqual([
      {
        action: 'organization.created',
        actor_email: 'admin@example.com',
        target_id: acme.id,
        target_email: null,
        details: { slug: 'acme', name: 'Acme Corp' },
      },
    ]);

    const boss = await registerThrough(invitation.url);
    const me = (await boss.ok(`{ me { operator organization { slug status } organizations { slug status } user { email role { key } } } }`))
      .me;
    expect(me).toEqual({
      operator: false,
      organization: { slug: 'acme', status: 'ACTIVE' },
      organizations: [{ slug: 'acme', status: 'ACTIVE' }],
      user: { email: 'boss@acme.test', role: { key: 'ADMIN' } },
    });
    // Signing in answers the same (the request carried no credential yet).
    const again = app.client();
    const signedIn = await again.ok(
      `mutation($i: SignInInput!) { signIn(input: $i) { me { operator organization { slug } organizations { slug } } } }`,
      { i: { email: 'boss@acme.test', password: STRONG_PASSWORD } },
    );
    expect(signedIn.signIn.me).toEqual({ operator: false, organization: { slug: 'acme' }, organizations: [{ slug: 'acme' }] });
    const operatorAgain = await app
      .client()
      .ok(`mutation($i: SignInInput!) { signIn(input: $i) { me { operator organization { slug } } } }`, {
        i: { email: 'admin@example.com', password: STRONG_PASSWORD },
      });
    expect(operatorAgain.signIn.me).toEqual({ operator: true, organization: { slug: 'default' } });
    const page = (r: Json) => r.users.edges.map((e: Json) => e.node.email);
    expect(page(await boss.ok(USERS))).toEqual(['boss@acme.test']);
    expect(page((await inOrg(boss, 'acme', USERS)).data)).toEqual(['boss@acme.test']);
    // Not the first organization's, and the operator does not see inside acme.
    expect(codeOf(await inOrg(boss, 'default', USERS))).toBe('FORBIDDEN');
    expect(codeOf(await inOrg(app.admin, 'acme', USERS))).toBe('FORBIDDEN');
    expect(page(await app.admin.ok(USERS))).not.toContain('boss@acme.test');

    const listed = (await app.admin.ok(LIST, { search: 'acme' })).organizations.organizations;
    expect(listed).toEqual([{ ...acme, memberCount: 1 }]);
  });

  it('refuses a taken slug (any case) with SLUG_TAKEN and creates nothing; of two creations at once, exactly one wins', async () => {
    const before = await fingerprint();
    for (const slug of ['acme', ' Acme ', 'default']) {
      expect(await app.admin.code(CREATE, { i: { name: 'Another', slug, firstAdminEmail: 'another@example.com' } })).toBe('SLUG_TAKEN');
    }
    expect(await fingerprint()).toEqual(before);

    const results = await Promise.all(
      ['one@race.test', 'two@race.test'].map((email) =>
        app.admin.gql(CREATE, { i: { name: `Race ${email}`, slug: 'race', firstAdminEmail: email } }),
      ),
    );
    expect(results.map(codeOf).sort()).toEqual(['OK', 'SLUG_TAKEN']);
    const orgs = await app.sql<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'race'`);
    expect(orgs).toHaveLength(1);
    // The loser left no trace: no person, no roles, no second organization.
    const winner = results.find((r) => !r.errors)?.data.createOrganization.organization;
    const loser = winner.name === 'Race one@race.test' ? 'two@race.test' : 'one@race.test';
    expect(await app.sql(`SELECT id FROM users WHERE email = $1`, [loser])).toEqual([]);
    expect(await app.sql(`SELECT id FROM organizations WHERE name LIKE 'Race %'`)).toHaveLength(1);
  });

  it('refuses malformed or reserved slugs, bad names and emails with BAD_USER_INPUT, and creates nothing', async () => {
    const before = await fingerprint();
    const ok = { name: 'Fine', slug: 'fine', firstAdminEmail: 'fine@example.com' };
    const bad: Record<string, unknown>[] = [
      ...[
        '',
        '   ',
        'api',
        'API',
        'o',
        'graphql',
        'scim',
        'auth',
        '-lead',
        'trail-',
        'under_score',
        'two words',
        'caf\u00e9',
        'a'.repeat(41),
        'a.b',
      ].map((slug) => ({ ...ok, slug })),
      ...['', '   ', 'x'.repeat(101), 'bell\u0007', 'line\nbreak'].map((name) => ({ ...ok, name })),
      ...['not-an-email', '', 'a@b'].map((firstAdminEmail) => ({ ...ok, firstAdminEmail })),
    ];
    for (const i of bad) {
      expect({ i, code: await app.admin.code(CREATE, { i }) }).toEqual({ i, code: 'BAD_USER_INPUT' });
    }
    expect(await fingerprint()).toEqual(before);
    // At the limits: 40 characters of slug, 100 of name.
    const edge = await create('n'.repeat(100), 'a'.repeat(39) + '9', 'edge@example.com');
    expect(edge.organization).toMatchObject({ slug: 'a'.repeat(39) + '9', name: 'n'.repeat(100) });
  });

  it('renames an organization; refuses bad names, unknown and malformed ids; records a platform event', async () => {
    const { organization } = await create('Rename Me', 'rename-me', 'renamer@example.com');
    const renamed = (await app.admin.ok(UPDATE, { i: { id: organization.id, name: ' Renamed Inc ' } })).updateOrganization;
    expect(renamed).toMatchObject({ id: organization.id, slug: 'rename-me', name: 'Renamed Inc', status: 'ACTIVE' });
    // The same name again changes and records nothing.
    await app.admin.ok(UPDATE, { i: { id: organization.id, name: 'Renamed Inc' } });
    expect((await platformEvents(organization.id)).map((e: Json) => [e.action, e.details])).toEqual([
      ['organization.created', { slug: 'rename-me', name: 'Rename Me' }],
      ['organization.renamed', { slug: 'rename-me', name: 'Renamed Inc', previousName: 'Rename Me' }],
    ]);
    const before = await fingerprint();
    expect(await app.admin.code(UPDATE, { i: { id: organization.id, name: '' } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(UPDATE, { i: { id: organization.id, name: 'y'.repeat(101) } })).toBe('BAD_USER_INPUT');
    expect(await app.admin.code(UPDATE, { i: { id: '00000000-0000-4000-8000-000000000000', name: 'Ghost' } })).toBe('NOT_FOUND');
    expect(await app.admin.code(UPDATE, { i: { id: 'nope', name: 'Ghost' } })).toBe('BAD_USER_INPUT');
    for (const q of [SUSPEND, REACTIVATE]) {
      expect(await app.admin.code(q, { id: '00000000-0000-4000-8000-000000000000' })).toBe('NOT_FOUND');
      expect(await app.admin.code(q, { id: 'nope' })).toBe('BAD_USER_INPUT');
    }
    expect(await app.admin.code(DELETE, { i: { id: '00000000-0000-4000-8000-000000000000', confirmation: 'x' } })).toBe('NOT_FOUND');
    expect(await fingerprint()).toEqual(before);
  });

  it("suspends: that organization's cookie (with or without the header) and token are refused at once; reactivating brings them back", async () => {
    const { organization: org, invitation } = await create('Suspense', 'suspense', 'boss@suspense.test');
    const boss = await registerThrough(invitation.url);
    const secret = (await boss.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
    const token = app.client({ bearer: secret });
    expect(codeOf(await inOrg(boss, 'suspense', USERS))).toBe('OK');
    expect(codeOf(await token.gql(USERS))).toBe('OK');

    const suspended = (await app.admin.ok(SUSPEND, { id: org.id })).suspendOrganization;
    expect(suspended).toMatchObject({ id: org.id, slug: 'suspense', status: 'SUSPENDED' });
    // No wait: this instance forgot its cached principals at once.
    expect(codeOf(await inOrg(boss, 'suspense', USERS))).toBe('FORBIDDEN');
    expect(codeOf(await inOrg(boss, org.id, USERS))).toBe('FORBIDDEN');
    expect(codeOf(await boss.gql(USERS))).toBe('FORBIDDEN');
    expect(codeOf(await token.gql(USERS))).toBe('FORBIDDEN');
    expect(codeOf(await inOrg(token, 'suspense', USERS))).toBe('FORBIDDEN');
    // Without the header the person still learns why: their only organization, suspended.
    const me = (await boss.ok(`{ me { organization { slug } organizations { slug status } } }`)).me;
    expect(me).toEqual({ organization: null, organizations: [{ slug: 'suspense', status: 'SUSPENDED' }] });
    // Twice changes nothing.
    await app.admin.ok(SUSPEND, { id: org.id });

    const back = (await app.admin.ok(REACTIVATE, { id: org.id })).reactivateOrganization;
    expect(back.status).toBe('ACTIVE');
    expect(codeOf(await token.gql(USERS))).toBe('OK');
    expect(codeOf(await inOrg(boss, 'suspense', USERS))).toBe('OK');
    expect((await platformEvents(org.id)).map((e: Json) => [e.action, e.target_email, e.details])).toEqual([
      ['organization.created', null, { slug: 'suspense', name: 'Suspense' }],
      ['organization.suspended', null, { slug: 'suspense', name: 'Suspense' }],
      ['organization.reactivated', null, { slug: 'suspense', name: 'Suspense' }],
    ]);
  });

  it('suspends and deletes on every instance: another one refuses within a second (cookie and token)', async () => {
    const other = await startServer(app.db.url);
    try {
      const { organization: org, invitation } = await create('Elsewhere', 'elsewhere', 'boss@elsewhere.test');
      const boss = await registerThrough(invitation.url);
      const secret = (await boss.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
      // The same credentials, on the other instance.
      const cookieThere = new Client(other.url);
      for (const [k, v] of boss.cookies) cookieThere.cookies.set(k, v);
      const tokenThere = new Client(other.url, { bearer: secret });
      const answers = async () => [codeOf(await inOrg(cookieThere, 'elsewhere', USERS)), codeOf(await tokenThere.gql(USERS))];
      /** Polls every 50 ms for up to a second. */
      const within = async (what: string, wanted: string[]) => {
        const t0 = Date.now();
        while (JSON.stringify(await answers()) !== JSON.stringify(wanted)) {
          if (Date.now() - t0 > 1_000) throw new Error(`${what}: not seen within 1 s (${JSON.stringify(await answers())})`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      // Warm the other instance's cache.
      expect(await answers()).toEqual(['OK', 'OK']);
      expect(await answers()).toEqual(['OK', 'OK']);
      await app.admin.ok(SUSPEND, { id: org.id });
      await within('suspension', ['FORBIDDEN', 'FORBIDDEN']);
      await app.admin.ok(REACTIVATE, { id: org.id });
      await within('reactivation', ['OK', 'OK']);
      await app.admin.ok(DELETE, { i: { id: org.id, confirmation: 'elsewhere' } });
      const t0 = Date.now();
      while ((await answers()).includes('OK')) {
        if (Date.now() - t0 > 1_000) throw new Error(`deletion: still served on the other instance (${JSON.stringify(await answers())})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await other.stop();
    }
  });

  it('deletes: the slug confirms (any case), the slug is free at once, its rows and the people who belong nowhere go', async () => {
    const { organization: doomed, invitation } = await create('Doomed', 'doomed', 'boss@doomed.test');
    const boss = await registerThrough(invitation.url);
    const bossId = (await boss.ok(`{ me { user { id } } }`)).me.user.id;
    const secret = (await boss.ok(`mutation { createApiToken(input: { name: "ci" }) { secret } }`)).createApiToken.secret;
    await boss.ok(`mutation { createTeam(input: { name: "Doomed team" }) { id } }`);
    // Someone of the first organization invited here too, and someone only here (registered) and one invited only.
    const both = await app.register('both@example.com', 'MEMBER');
    const roleId = (await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [doomed.id]))[0].id;
    const invite = async (email: string) =>
      (await boss.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url } }`, { i: { email, roleId, teamIds: [] } }))
        .createInvitation.url as string;
    await invite('both@example.com');
    await registerThrough(await invite('only@doomed.test'), 'Only');
    await invite('invited@doomed.test');

    const before = await fingerprint();
    for (const confirmation of ['doome', 'doomed-', 'DELETE', '']) {
      expect(await app.admin.code(DELETE, { i: { id: doomed.id, confirmation } })).toBe('CONFIRMATION_MISMATCH');
    }
    expect(await fingerprint()).toEqual(before);

    expect((await app.admin.ok(DELETE, { i: { id: doomed.id, confirmation: ' DOOMED ' } })).deleteOrganization).toBe(true);
    // At once: refused, out of the list, its slug free for a new organization. The boss belongs nowhere
    // else, so the background deletion may already have taken them: then their session is gone too.
    expect(['FORBIDDEN', 'UNAUTHENTICATED']).toContain(codeOf(await inOrg(boss, 'doomed', USERS)));
    expect(codeOf(await app.client({ bearer: secret }).gql(USERS))).not.toBe('OK');
    expect((await app.admin.ok(LIST, { search: 'doomed' })).organizations.organizations).toEqual([]);
    const reborn = await create('Doomed again', 'doomed', 'boss2@doomed.test');
    expect(reborn.organization.slug).toBe('doomed');
    expect(await app.admin.code(DELETE, { i: { id: doomed.id, confirmation: 'doomed' } })).toBe('NOT_FOUND');
    expect(await app.admin.code(SUSPEND, { id: doomed.id })).toBe('NOT_FOUND');

    await until(
      'the organization gone',
      async () => (await app.sql(`SELECT 1 FROM organizations WHERE id = $1`, [doomed.id])).length === 0,
    );
    for (const table of [
      'memberships',
      'roles',
      'teams',
      'invitations',
      'api_tokens',
      'two_factor_policy',
      'membership_counts',
      'user_teams',
    ]) {
      expect({ table, rows: await app.sql(`SELECT 1 FROM ${table} WHERE organization_id = $1`, [doomed.id]) }).toEqual({ table, rows: [] });
    }
    const people = (
      await app.sql<{ email: string }>(
        `SELECT email FROM users WHERE email LIKE '%doomed.test' OR email IN ('both@example.com', 'admin@example.com')`,
      )
    )
      .map((r) => r.email)
      .sort();
    // The new organization's invited admin stays; the old one's people who belong nowhere are gone.
    expect(people).toEqual(['admin@example.com', 'boss2@doomed.test', 'both@example.com']);
    expect(await app.sql(`SELECT 1 FROM users WHERE id = $1`, [bossId])).toEqual([]);
    expect(codeOf(await both.client.gql(USERS))).toBe('OK');
    // The deleted person's session went with them.
    expect((await boss.gql(`{ me { user { id } } }`)).data).toEqual({ me: null });

    const events = await platformEvents(doomed.id);
    expect(events.map((e: Json) => e.action)).toEqual(['organization.created', 'organization.deleted']);
    expect(events[1]).toMatchObject({ target_email: null, details: { slug: 'doomed', name: 'Doomed' } });
  });

  it('deletes a large organization in batches, and the janitor finishes a deletion left behind', async () => {
    const { organization: big } = await create('Big', 'big', 'boss@big.test');
    const [viewer] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`, [big.id]);
    // More than one batch (5,000) of people who belong only here, and one who belongs to the first organization too.
    await app.sql(
      `WITH people AS (INSERT INTO users (email, status) SELECT 'bulk' || g || '@big.test', 'INVITED' FROM generate_series(1, 5200) g RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, id, $2, 'ACTIVE' FROM people`,
      [big.id, viewer.id],
    );
    const both = await app.register('both-big@example.com', 'MEMBER');
    await app.sql(`INSERT INTO memberships (organization_id, user_id, role_id, status) VALUES ($1, $2, $3, 'ACTIVE')`, [
      big.id,
      both.userId,
      viewer.id,
    ]);
    expect((await app.admin.ok(LIST, { search: 'big' })).organizations.organizations[0].memberCount).toBe(5201);

    // As if an instance marked it and crashed before deleting anything: the janitor takes it up.
    await app.sql(`UPDATE organizations SET status = 'DELETING', slug = NULL WHERE id = $1`, [big.id]);
    await until(
      'the large organization gone',
      async () => (await app.sql(`SELECT 1 FROM organizations WHERE id = $1`, [big.id])).length === 0,
      30_000,
    );
    expect(await app.sql(`SELECT count(*)::int AS n FROM users WHERE email LIKE '%@big.test'`)).toEqual([{ n: 0 }]);
    expect(await app.sql(`SELECT 1 FROM users WHERE id = $1`, [both.userId])).toHaveLength(1);
    expect(codeOf(await both.client.gql(USERS))).toBe('OK');
  });

  it('counts members: active and deactivated, not invited', async () => {
    const { organization: org, invitation } = await create('Counted', 'counted', 'boss@counted.test');
    const boss = await registerThrough(invitation.url);
    const roleId = (await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [org.id]))[0].id;
    const invite = async (email: string) =>
      (
        await boss.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`, {
          i: { email, roleId, teamIds: [] },
        })
      ).createInvitation;
    const a = await invite('a@counted.test');
    await registerThrough(a.url, 'A');
    const b = await invite('b@counted.test');
    await registerThrough(b.url, 'B');
    await invite('c@counted.test');
    await invite('d@counted.test');
    await boss.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: b.user.id });
    const count = async () => (await app.admin.ok(LIST, { search: 'counted' })).organizations.organizations[0].memberCount;
    expect(await count()).toBe(3); // the boss, a, and b (deactivated); not c and d (invited)
    expect((await boss.ok(`{ me { organization { memberCount } } }`)).me.organization.memberCount).toBe(3);
  });

  it("lists a person's organizations, searched; an API token sees only its own", async () => {
    const { invitation } = await create('Zebra Works', 'zebra', 'multi@example.com');
    const multi = await registerThrough(invitation.url);
    // The operator's organization adds them too (an existing person: a membership), and they accept by SQL here.
    const r = await app.admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`, {
      i: { email: 'multi@example.com', roleId: app.roles.VIEWER, teamIds: [] },
    });
    await app.sql(`UPDATE memberships SET status = 'ACTIVE' WHERE user_id = $1`, [r.createInvitation.user.id]);
    const mine = async (args = '') =>
      (await multi.ok(`{ me { organizations${args} { slug } } }`)).me.organizations.map((o: Json) => o.slug).sort();
    await until('both organizations', async () => (await mine()).length === 2);
    expect(await mine()).toEqual(['default', 'zebra']);
    expect(await mine(`(search: "ZEB")`)).toEqual(['zebra']);
    expect(await mine(`(search: "%")`)).toEqual([]);
    expect(await mine(`(first: 1)`)).toHaveLength(1);
    expect(codeOf(await multi.gql(`{ me { organizations(first: 0) { slug } } }`))).toBe('BAD_USER_INPUT');
    expect(codeOf(await multi.gql(`{ me { organizations(first: 501) { slug } } }`))).toBe('BAD_USER_INPUT');
    const secret = (await inOrg(multi, 'zebra', `mutation { createApiToken(input: { name: "z" }) { secret } }`)).data.createApiToken.secret;
    const token = app.client({ bearer: secret });
    expect((await token.ok(`{ me { organizations { slug } } }`)).me.organizations).toEqual([{ slug: 'zebra' }]);
  });

  it('refuses every operation to non-operators (admins included) and to API tokens (an operator’s too), changing nothing', async () => {
    const [{ id }] = await app.sql<{ id: string }>(`SELECT id FROM organizations WHERE slug = 'acme'`);
    const { invitation } = await create('Outsider', 'outsider', 'boss@outsider.test');
    const orgAdmin = await registerThrough(invitation.url);
    const viewer = (await app.register('plain-viewer@example.com', 'VIEWER')).client;
    const firstOrgAdmin = (await app.register('second-admin@example.com', 'ADMIN')).client;
    const operations: [string, Record<string, unknown>][] = [
      [LIST, {}],
      [CREATE, { i: { name: 'Nope', slug: 'nope', firstAdminEmail: 'nope@example.com' } }],
      [UPDATE, { i: { id, name: 'Hijacked' } }],
      [SUSPEND, { id }],
      [REACTIVATE, { id }],
      [DELETE, { i: { id, confirmation: 'acme' } }],
    ];
    const before = await fingerprint();
    for (const [who, client] of Object.entries({ orgAdmin, viewer, firstOrgAdmin, operatorToken })) {
      for (const [query, variables] of operations) {
        expect({ who, query, code: await client.code(query, variables) }).toEqual({ who, query, code: 'FORBIDDEN' });
      }
    }
    for (const [query, variables] of operations) expect(await app.client().code(query, variables)).toBe('UNAUTHENTICATED');
    expect(await fingerprint()).toEqual(before);
  });
});
