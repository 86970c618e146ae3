import { Client as Pg } from 'pg';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { Client, Json } from './support/client';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id name } } }`;
const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
const SCIM = '/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
/** The admins lock of design §5 (LOCKS.admins). */
const ADMINS_LOCK = 72708;

interface ScimAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(
  client: Client,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ScimAnswer> {
  const res = await client.fetch(`${SCIM}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/scim+json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A SCIM error (RFC 7644 §3.12): status as a string, the scimType asked (or none), no stack. */
function expectScimError(answer: ScimAnswer, status: number, scimType?: string): void {
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status, body: { schemas: [ERROR_SCHEMA], status: String(status) } });
  if (scimType) expect(answer.body.scimType).toBe(scimType);
  else expect(answer.body).not.toHaveProperty('scimType');
  expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(js|ts):\d+/);
}

/** A User body as Okta sends one on create (the password too). */
function oktaUser(email: string, extra: Json = {}): Json {
  return {
    schemas: [USER_SCHEMA],
    userName: email,
    name: { givenName: 'Grace', familyName: 'Hopper' },
    emails: [{ primary: true, value: email, type: 'work' }],
    displayName: 'Grace Hopper',
    locale: 'en-US',
    externalId: `00u-${email}`,
    groups: [],
    password: 'Sup3r-secret!',
    active: true,
    ...extra,
  };
}

/** SCIM's writes on Users over real HTTP: the four POST cases, PUT, DELETE, the console's rules, ETags. */
describe('SCIM users: POST, PUT, DELETE', () => {
  let app: TestApp;
  let scim: Client;
  let tokenId: string;
  let pg: Pg;
  const orgId = async () => (await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at LIMIT 1`))[0].id;
  const member = async (userId: string) =>
    (
      await app.sql(
        `SELECT m.*, u.first_name AS person_first_name, u.last_name AS person_last_name, u.status AS person_status,
                u.password_hash, u.email AS person_email, r.key AS role_key
           FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
          WHERE m.user_id = $1 AND m.organization_id = $2`,
        [userId, await orgId()],
      )
    )[0];
  const audit = (action: string, targetId: string) =>
    app.sql(`SELECT * FROM audit_events WHERE action = $1 AND target_id = $2 ORDER BY created_at`, [action, targetId]);
  const token = async (client: Client, name: string, roleKey?: string) => {
    const r = (await client.ok(CREATE_TOKEN, { i: { name, ...(roleKey ? { roleId: app.roles[roleKey] } : {}) } })).createApiToken;
    return { client: app.client({ bearer: r.secret }), id: r.token.id as string };
  };

  beforeAll(async () => {
    app = await startApp('scim-users-write');
    const t = await token(app.admin, 'okta provisioning');
    scim = t.client;
    tokenId = t.id;
    pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await app?.close();
  });

  it('POST of a new email makes an active person without credentials: 201, Location, ETag, the token in the audit', async () => {
    const r = await call(scim, 'POST', '/Users', oktaUser('Grace.Hopper@Example.com'));
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    const id = r.body.id;
    expect(r.headers.get('location')).toBe(`${app.server.url}${SCIM}/Users/${id}`);
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    expect(r.body).toMatchObject({
      schemas: [USER_SCHEMA],
      userName: 'grace.hopper@example.com',
      externalId: '00u-Grace.Hopper@Example.com',
      name: { givenName: 'Grace', familyName: 'Hopper' },
      displayName: 'Grace Hopper',
      active: true,
      emails: [{ value: 'grace.hopper@example.com', type: 'work', primary: true }],
      roles: [{ value: 'MEMBER', primary: true }],
      meta: { resourceType: 'User', location: `${app.server.url}${SCIM}/Users/${id}` },
    });
    expect(JSON.stringify(r.body)).not.toMatch(/Sup3r|password/i);
    // The answer is the user as a read shows them, to the version.
    expect((await call(scim, 'GET', `/Users/${id}`)).body).toEqual(r.body);
    const row = await member(id);
    expect(row).toMatchObject({
      status: 'ACTIVE',
      person_status: 'ACTIVE',
      password_hash: null,
      external_id: '00u-Grace.Hopper@Example.com',
    });
    expect(row.provisioned_at).not.toBeNull();
    expect(row.own_names).toBe(false);
    const [event] = await audit('user.provisioned', id);
    expect(event.actor_email).toBe('admin@example.com');
    expect(event.details).toMatchObject({ via: 'scim', role: 'Member', token: { id: tokenId, name: 'okta provisioning' } });
    // How they will sign in (design §8): no connection here, so a link to choose a password when mail goes out.
    const links = await app.sql(`SELECT 1 FROM password_resets WHERE user_id = $1`, [id]);
    expect(event.details.signIn).toBe(links.length ? 'password' : 'none');
  });

  it('POST of a SCIM user again (any case) or of a taken externalId is 409 uniqueness, and changes nothing', async () => {
    const before = await app.sql(`SELECT count(*)::int AS n FROM audit_events`);
    expectScimError(await call(scim, 'POST', '/Users', oktaUser('grace.hopper@example.com')), 409, 'uniqueness');
    expectScimError(await call(scim, 'POST', '/Users', oktaUser('GRACE.HOPPER@EXAMPLE.COM', { externalId: 'other' })), 409, 'uniqueness');
    expectScimError(
      await call(scim, 'POST', '/Users', oktaUser('someone.else@example.com', { externalId: '00u-Grace.Hopper@Example.com' })),
      409,
      'uniqueness',
    );
    expect(await app.sql(`SELECT 1 FROM users WHERE email = 'someone.else@example.com'`)).toEqual([]);
    expect(await app.sql(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(before);
    // externalId matches exactly: another case is another id.
    const other = await call(scim, 'POST', '/Users', oktaUser('case.other@example.com', { externalId: '00U-GRACE.HOPPER@EXAMPLE.COM' }));
    expect(other.status).toBe(201);
  });

  it('POST for a pending invitation turns it into an active membership with the invited role; its link dies', async () => {
    const inv = await app.invite('invited.person@example.com', 'VIEWER');
    const r = await call(
      scim,
      'POST',
      '/Users',
      oktaUser('invited.person@example.com', { name: { givenName: 'Ivy', familyName: 'Invited' } }),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: inv.userId,
      active: true,
      roles: [{ value: 'VIEWER' }],
      name: { givenName: 'Ivy', familyName: 'Invited' },
    });
    const row = await member(inv.userId);
    expect(row).toMatchObject({
      status: 'ACTIVE',
      person_status: 'ACTIVE',
      person_first_name: 'Ivy',
      own_names: false,
      password_hash: null,
    });
    expect(await app.sql(`SELECT 1 FROM invitations WHERE user_id = $1`, [inv.userId])).toEqual([]);
    expect(await app.client().code(`query($t: String!) { invitation(token: $t) { email } }`, { t: inv.token })).toBe('INVITATION_INVALID');
    const [event] = await audit('invitation.accepted', inv.userId);
    expect(event.details).toMatchObject({ via: 'scim', token: { id: tokenId } });
    // With roles, the invitation's role gives way.
    const inv2 = await app.invite('invited.two@example.com', 'VIEWER');
    const r2 = await call(scim, 'POST', '/Users', oktaUser('invited.two@example.com', { roles: [{ value: 'manager', primary: 'True' }] }));
    expect(r2.status).toBe(201);
    expect(r2.body.roles).toEqual([expect.objectContaining({ value: 'MANAGER', primary: true })]);
    expect((await member(inv2.userId)).role_key).toBe('MANAGER');
  });

  it('POST of a person of another organization adds a membership with names of its own: their account shows through nowhere', async () => {
    const created = await app.admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } invitation { url } } }`,
      { i: { name: 'Other Org', slug: 'other-org', firstAdminEmail: 'olga@example.com' } },
    );
    const olga = new Client(app.server.url);
    const invToken = new URL(created.createOrganization.invitation.url).searchParams.get('token');
    await olga.ok(ACCEPT, {
      i: { token: invToken, firstName: 'Olga', lastName: 'Other', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    const newcomer = await call(
      scim,
      'POST',
      '/Users',
      oktaUser('fresh.person@example.com', { name: { givenName: 'Sent', familyName: 'Names' } }),
    );
    const r = await call(scim, 'POST', '/Users', oktaUser('olga@example.com', { name: { givenName: 'Sent', familyName: 'Names' } }));
    expect(r.status).toBe(201);
    // The same answer as for a new email: the sent names, nothing of the account.
    const shape = (b: Json) => ({ ...b, id: 'x', externalId: 'x', userName: 'x', emails: 'x', meta: 'x' });
    expect(shape(r.body)).toEqual(shape(newcomer.body));
    expect((await call(scim, 'GET', `/Users/${r.body.id}`)).body).toEqual(r.body);
    const row = await member(r.body.id);
    expect(row).toMatchObject({
      first_name: 'Sent',
      last_name: 'Names',
      own_names: true,
      person_first_name: 'Olga',
      person_last_name: 'Other',
    });
    // Their own organization sees nothing change.
    const me = await olga.ok(`{ me { user { firstName lastName } } }`);
    expect(me.me.user).toEqual({ firstName: 'Olga', lastName: 'Other' });
    // Their email is theirs everywhere: not changed from here.
    const put = await call(scim, 'PUT', `/Users/${r.body.id}`, oktaUser('olga.new@example.com'));
    expectScimError(put, 400, 'mutability');
    // Names sent again stay on the membership.
    const renamed = await call(
      scim,
      'PUT',
      `/Users/${r.body.id}`,
      oktaUser('olga@example.com', { name: { givenName: 'New', familyName: 'Name' } }),
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toMatchObject({ givenName: 'New', familyName: 'Name' });
    expect((await olga.ok(`{ me { user { firstName } } }`)).me.user.firstName).toBe('Olga');
    // The console edits those names too, not the person's.
    const edited = await app.admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { firstName lastName } }`, {
      i: { id: r.body.id, firstName: 'Console', lastName: 'Edit' },
    });
    expect(edited.updateUser).toEqual({ firstName: 'Console', lastName: 'Edit' });
    expect((await olga.ok(`{ me { user { firstName lastName } } }`)).me.user).toEqual({ firstName: 'Olga', lastName: 'Other' });
  });

  it('grants only roles the token holds (403 above), and an unknown role is 400 invalidValue', async () => {
    const manager = await token(app.admin, 'manager-capped', 'MANAGER');
    expectScimError(
      await call(manager.client, 'POST', '/Users', oktaUser('would.be.admin@example.com', { roles: [{ value: 'Admin' }] })),
      403,
    );
    expectScimError(
      await call(scim, 'POST', '/Users', oktaUser('no.such.role@example.com', { roles: [{ value: 'Wizard' }] })),
      400,
      'invalidValue',
    );
    expect(await app.sql(`SELECT 1 FROM users WHERE email IN ('would.be.admin@example.com', 'no.such.role@example.com')`)).toEqual([]);
    // An Admin is out of the Manager-capped token's reach: not changed, not deleted.
    const admin2 = await app.register('second.admin@example.com', 'ADMIN');
    expectScimError(await call(manager.client, 'PUT', `/Users/${admin2.userId}`, oktaUser('second.admin@example.com')), 403);
    expectScimError(await call(manager.client, 'DELETE', `/Users/${admin2.userId}`), 403);
    // The role by name too, case-insensitive; a Viewer-capped token may not provision at all.
    const viewerMade = await call(manager.client, 'POST', '/Users', oktaUser('by.name@example.com', { roles: [{ display: 'viewer' }] }));
    expect(viewerMade.body.roles[0].value).toBe('VIEWER');
    const viewer = await token(app.admin, 'viewer-capped', 'VIEWER');
    expectScimError(await call(viewer.client, 'POST', '/Users', oktaUser('nope@example.com')), 403);
  });

  it('never lets the token change, deactivate or delete its own owner (403)', async () => {
    const me = await call(scim, 'PUT', `/Users/${app.adminId}`, oktaUser('admin@example.com', { active: false, externalId: null }));
    expectScimError(me, 403);
    expectScimError(await call(scim, 'PUT', `/Users/${app.adminId}`, oktaUser('admin@example.com', { roles: [{ value: 'VIEWER' }] })), 403);
    expectScimError(await call(scim, 'DELETE', `/Users/${app.adminId}`), 403);
    expect((await member(app.adminId)).status).toBe('ACTIVE');
  });

  it('PUT replaces the profile: names and ids left out are cleared; active and roles left out stay', async () => {
    const made = await call(scim, 'POST', '/Users', oktaUser('put.me@example.com', { roles: [{ value: 'VIEWER' }], active: false }));
    expect(made.body).toMatchObject({ active: false, roles: [{ value: 'VIEWER' }] });
    const id = made.body.id;
    const r = await call(scim, 'PUT', `/Users/${id}`, {
      schemas: [USER_SCHEMA],
      userName: 'put.me@example.com',
      name: { givenName: 'Only' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      active: false,
      roles: [{ value: 'VIEWER' }],
      name: { givenName: 'Only' },
      displayName: 'Only',
    });
    expect(r.body.name).not.toHaveProperty('familyName');
    expect(r.body).not.toHaveProperty('externalId');
    expect((await member(id)).last_name).toBe('');
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    // Sent, they apply: Entra's "True" and a role by key.
    const back = await call(scim, 'PUT', `/Users/${id}`, {
      ...oktaUser('put.me@example.com'),
      active: 'True',
      roles: [{ value: 'member' }],
    });
    expect(back.body).toMatchObject({ active: true, roles: [{ value: 'MEMBER' }], externalId: '00u-put.me@example.com' });
    // A re-sync changing nothing writes and audits nothing.
    const version = back.body.meta.version;
    const events = await app.sql(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [id]);
    const again = await call(scim, 'PUT', `/Users/${id}`, {
      ...oktaUser('put.me@example.com'),
      active: true,
      roles: [{ value: 'MEMBER' }],
    });
    expect(again.body.meta.version).toBe(version);
    expect(await app.sql(`SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1`, [id])).toEqual(events);
    // An id in the body must be the URL's.
    expectScimError(await call(scim, 'PUT', `/Users/${id}`, { ...oktaUser('put.me@example.com'), id: app.adminId }), 400, 'mutability');
  });

  it('PUT changes the login email (the person is of this organization only), audited; sessions stay', async () => {
    const person = await app.register('old.address@example.com', 'MEMBER');
    const r = await call(scim, 'PUT', `/Users/${person.userId}`, oktaUser('New.Address@example.com'));
    expect(r.status).toBe(200);
    expect(r.body.userName).toBe('new.address@example.com');
    expect((await member(person.userId)).person_email).toBe('new.address@example.com');
    const [event] = await audit('user.email_changed', person.userId);
    expect(event.details).toMatchObject({ from: 'old.address@example.com', to: 'new.address@example.com', token: { id: tokenId } });
    expect((await person.client.ok(`{ me { user { email } } }`)).me.user.email).toBe('new.address@example.com');
    // Another person's email: 409 uniqueness.
    expectScimError(await call(scim, 'PUT', `/Users/${person.userId}`, oktaUser('admin@example.com')), 409, 'uniqueness');
  });

  it("deactivation ends the person's sessions and API tokens; reactivation brings the membership back", async () => {
    const person = await app.register('leaving@example.com', 'MEMBER');
    const own = await token(person.client, 'their token');
    await own.client.ok(`{ users(first: 1) { totalCount } }`);
    const r = await call(scim, 'PUT', `/Users/${person.userId}`, { ...oktaUser('leaving@example.com'), active: 'False' });
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect(await person.client.code(`{ users(first: 1) { totalCount } }`)).toBe('UNAUTHENTICATED');
    expect(await own.client.code(`{ users(first: 1) { totalCount } }`)).toBe('UNAUTHENTICATED');
    const [event] = await audit('user.deactivated', person.userId);
    expect(event.details).toMatchObject({ sessions: 1, apiTokens: 1, via: 'scim', token: { id: tokenId } });
    const back = await call(scim, 'PUT', `/Users/${person.userId}`, { ...oktaUser('leaving@example.com'), active: true });
    expect(back.body.active).toBe(true);
    expect(await audit('user.reactivated', person.userId)).toHaveLength(1);
  });

  it('refuses bad input with a SCIM 400 and changes nothing', async () => {
    const person = await call(scim, 'POST', '/Users', oktaUser('steady@example.com'));
    const id = person.body.id;
    const before = await member(id);
    const events = await app.sql(`SELECT count(*)::int AS n FROM audit_events`);
    const base = oktaUser('steady@example.com');
    const cases: [Json, string][] = [
      [{ ...base, active: 5 }, 'invalidValue'],
      [{ ...base, active: 'maybe' }, 'invalidValue'],
      [{ ...base, userName: 'not an email' }, 'invalidValue'],
      [{ ...base, userName: undefined }, 'invalidValue'],
      [{ ...base, emails: [{ value: 'other@example.com', primary: true }] }, 'invalidValue'],
      [
        {
          ...base,
          emails: [
            { value: 'steady@example.com', primary: true },
            { value: 'x@example.com', type: 'work' },
          ],
        },
        'invalidValue',
      ],
      [{ ...base, emails: 'steady@example.com' }, 'invalidValue'],
      [{ ...base, name: 'Grace' }, 'invalidValue'],
      [{ ...base, name: { givenName: 'x'.repeat(101) } }, 'invalidValue'],
      [{ ...base, name: { givenName: 'Gr\u0000ace' } }, 'invalidValue'],
      [{ ...base, displayName: '\ud800' }, 'invalidValue'],
      [{ ...base, externalId: 'x'.repeat(256) }, 'invalidValue'],
      [{ ...base, phoneNumbers: {} }, 'invalidValue'],
      [{ ...base, roles: [{ value: 'VIEWER' }, { value: 'MEMBER' }] }, 'invalidValue'],
      [{ ...base, [ENTERPRISE_SCHEMA]: { manager: 'boss' } }, 'invalidValue'],
      [{ ...base, schemas: undefined }, 'invalidSyntax'],
      [{ ...base, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }, 'invalidSyntax'],
    ];
    for (const [body, scimType] of cases) {
      const r = await call(scim, 'PUT', `/Users/${id}`, body);
      expect([JSON.stringify(body).slice(0, 80), r.status, r.body.scimType]).toEqual([JSON.stringify(body).slice(0, 80), 400, scimType]);
      expectScimError(r, 400, scimType);
    }
    expectScimError(await call(scim, 'PUT', `/Users/${id}`, '{"schemas": ['), 400, 'invalidSyntax');
    expectScimError(await call(scim, 'POST', '/Users', '[1]'), 400, 'invalidSyntax');
    expect(await member(id)).toEqual(before);
    expect(await app.sql(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(events);
    // What Roster does not store is accepted when well typed: the enterprise extension, Microsoft's URNs, phone numbers.
    const ok = await call(scim, 'PUT', `/Users/${id}`, {
      ...base,
      schemas: [USER_SCHEMA, ENTERPRISE_SCHEMA, 'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User'],
      [ENTERPRISE_SCHEMA]: { employeeNumber: '42', department: 'R&D', manager: { value: 'boss-id' } },
      'urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User': { anything: [1, { deep: true }] },
      phoneNumbers: [{ value: '+33 1 23 45 67 89', type: 'work' }],
      title: 'Rear Admiral',
      nickName: 'Amazing Grace',
    });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).not.toMatch(/Rear Admiral|R&D|\+33/);
  });

  it('checks If-Match against the current version (412 when stale) and answers 404 for whoever is no SCIM user', async () => {
    const made = await call(scim, 'POST', '/Users', oktaUser('etag@example.com'));
    const id = made.body.id;
    const v1 = made.body.meta.version;
    const changed = await call(scim, 'PUT', `/Users/${id}`, oktaUser('etag@example.com', { displayName: 'G. H.' }), { 'if-match': v1 });
    expect(changed.status).toBe(200);
    expect(changed.body.meta.version).not.toBe(v1);
    expectScimError(await call(scim, 'PUT', `/Users/${id}`, oktaUser('etag@example.com'), { 'if-match': v1 }), 412);
    expectScimError(await call(scim, 'DELETE', `/Users/${id}`, undefined, { 'if-match': v1 }), 412);
    expect((await member(id)).display_name).toBe('G. H.');
    expect((await call(scim, 'PUT', `/Users/${id}`, oktaUser('etag@example.com'), { 'if-match': '*' })).status).toBe(200);
    // Not SCIM users: an invitee, a random id, a malformed one: the same 404.
    const inv = await app.invite('still.invited@example.com', 'MEMBER');
    for (const other of [inv.userId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expectScimError(await call(scim, 'PUT', `/Users/${other}`, oktaUser('still.invited@example.com')), 404);
      expectScimError(await call(scim, 'DELETE', `/Users/${other}`), 404);
    }
    expect((await app.sql(`SELECT status FROM memberships WHERE user_id = $1`, [inv.userId]))[0].status).toBe('INVITED');
  });

  it('DELETE removes the person from the organization (204), audited; again: 404', async () => {
    const made = await call(scim, 'POST', '/Users', oktaUser('going@example.com'));
    const id = made.body.id;
    const r = await call(scim, 'DELETE', `/Users/${id}`);
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    expect(await app.sql(`SELECT 1 FROM users WHERE id = $1`, [id])).toEqual([]);
    const [event] = await audit('user.deleted', id);
    expect(event.details).toMatchObject({ via: 'scim', token: { id: tokenId } });
    expectScimError(await call(scim, 'DELETE', `/Users/${id}`), 404);
  });

  it('of parallel POSTs of one userName, exactly one creates (201), the others are 409', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call(scim, 'POST', '/Users', oktaUser(i % 2 ? 'RACE@example.com' : 'race@example.com'))),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) expectScimError(a, 409, 'uniqueness');
    expect(await app.sql(`SELECT count(*)::int AS n FROM users WHERE email = 'race@example.com'`)).toEqual([{ n: 1 }]);
  });

  describe('PATCH', () => {
    const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
    const patch = (client: Client, id: string, operations: Json[], headers: Record<string, string> = {}) =>
      call(client, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: operations }, headers);
    let id: string;
    beforeAll(async () => {
      id = (await call(scim, 'POST', '/Users', oktaUser('patched@example.com', { roles: [{ value: 'VIEWER' }] }))).body.id;
    });

    it("Okta's forms: path-less deactivation and reactivation, the id repeated, a profile replaced", async () => {
      const off = await patch(scim, id, [{ op: 'replace', value: { id, active: false } }]);
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect(off.headers.get('etag')).toBe(off.body.meta.version);
      expect((await member(id)).status).toBe('DEACTIVATED');
      const [event] = await audit('user.deactivated', id);
      expect(event.details).toMatchObject({ via: 'scim', token: { id: tokenId } });
      expect((await patch(scim, id, [{ op: 'replace', value: { active: true } }])).body.active).toBe(true);
      const renamed = await patch(scim, id, [{ op: 'replace', path: 'name', value: { givenName: 'Patty', familyName: 'Patch' } }]);
      expect(renamed.body.name).toMatchObject({ givenName: 'Patty', familyName: 'Patch' });
      // The display name sent at creation stays: only what the operations change changes.
      expect(renamed.body.displayName).toBe('Grace Hopper');
    });

    it('Entra ID\'s forms: capitalised ops, "False", value filters, enterprise paths, path-less Replace with dotted keys', async () => {
      const r = await patch(scim, id, [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Add', path: 'name.givenName', value: 'Entra' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: 'boss-object-id' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'R&D' },
        { op: 'Replace', value: { displayName: 'Entra Person', 'name.familyName': 'Person', 'name.formatted': 'Entra Person' } },
        { op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Member' },
      ]);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        active: false,
        displayName: 'Entra Person',
        name: { givenName: 'Entra', familyName: 'Person' },
        roles: [{ value: 'MEMBER', primary: true }],
      });
      expect(r.body.roles).toHaveLength(1); // was Viewer (see beforeAll)
      expect(JSON.stringify(r.body)).not.toMatch(/boss-object-id|R&D/);
      const back = await patch(scim, id, [{ op: 'REPLACE', path: 'Active', value: 'TRUE' }]);
      expect(back.body.active).toBe(true);
      // The work email is the login email.
      const moved = await patch(scim, id, [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'Patched.New@example.com' }]);
      expect(moved.body).toMatchObject({ userName: 'patched.new@example.com', emails: [{ value: 'patched.new@example.com' }] });
      expect((await audit('user.email_changed', id)).map((e) => e.details.to)).toEqual(['patched.new@example.com']);
    });

    it('removes optional attributes; add on roles replaces the role, removing it gives the default role', async () => {
      const r = await patch(scim, id, [
        { op: 'remove', path: 'externalId' },
        { op: 'remove', path: 'displayName' },
      ]);
      expect(r.body).not.toHaveProperty('externalId');
      expect(r.body.displayName).toBe('Entra Person'); // back to the formatted name
      expect((await member(id)).display_name).toBeNull();
      expect((await patch(scim, id, [{ op: 'add', path: 'roles', value: [{ value: 'manager' }] }])).body.roles).toEqual([
        expect.objectContaining({ value: 'MANAGER', primary: true }),
      ]);
      expect((await patch(scim, id, [{ op: 'remove', path: 'roles' }])).body.roles[0].value).toBe('MEMBER');
      expect((await audit('user.role_changed', id)).map((e) => e.details.role.to)).toEqual(['Member', 'Manager', 'Member']);
    });

    it('refuses malformed operations with their scimType, all or nothing', async () => {
      const before = await member(id);
      const events = await app.sql(`SELECT count(*)::int AS n FROM audit_events`);
      const cases: [Json, string][] = [
        [{ op: 'replace', path: 'emails[type eq work].value', value: 'x@example.com' }, 'invalidFilter'],
        [{ op: 'replace', path: 'nickname.first', value: 'x' }, 'invalidPath'],
        [{ op: 'replace', path: 'favouriteColour', value: 'x' }, 'invalidPath'],
        [{ op: 'Remove' }, 'noTarget'],
        [{ op: 'replace', path: 'roles[value eq "NOPE"]', value: { value: 'x' } }, 'noTarget'],
        [{ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }, 'mutability'],
        [{ op: 'replace', path: 'groups', value: [] }, 'mutability'],
        [{ op: 'replace', value: { id: app.adminId } }, 'mutability'],
        [{ op: 'replace', path: 'active', value: 'maybe' }, 'invalidValue'],
        [{ op: 'replace', path: 'roles[primary eq true].value', value: 'Wizard' }, 'invalidValue'],
        [{ op: 'replace', path: 'userName', value: 'not an email' }, 'invalidValue'],
        [{ op: 'move', path: 'active', value: false }, 'invalidSyntax'],
      ];
      for (const [operation, scimType] of cases) {
        // A good operation first: the bad one undoes it (RFC 7644 §3.5.2).
        const r = await patch(scim, id, [{ op: 'replace', path: 'displayName', value: 'Never' }, operation]);
        expect([JSON.stringify(operation), r.status, r.body.scimType]).toEqual([JSON.stringify(operation), 400, scimType]);
        expectScimError(r, 400, scimType);
      }
      expectScimError(
        await call(scim, 'PATCH', `/Users/${id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }),
        400,
        'invalidSyntax',
      );
      expectScimError(await call(scim, 'PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations: [] }), 400, 'invalidSyntax');
      expect(await member(id)).toEqual(before);
      expect(await app.sql(`SELECT count(*)::int AS n FROM audit_events`)).toEqual(events);
    });

    it("checks If-Match, the token owner's self rules and the permission (users:write)", async () => {
      const current = (await patch(scim, id, [{ op: 'replace', path: 'displayName', value: 'V1' }])).body.meta.version;
      expect((await patch(scim, id, [{ op: 'replace', path: 'displayName', value: 'V2' }], { 'if-match': current })).status).toBe(200);
      expectScimError(await patch(scim, id, [{ op: 'replace', path: 'displayName', value: 'V3' }], { 'if-match': current }), 412);
      expectScimError(await patch(scim, app.adminId, [{ op: 'replace', value: { active: false } }]), 403);
      expectScimError(await patch(scim, app.adminId, [{ op: 'replace', path: 'roles[primary eq true].value', value: 'VIEWER' }]), 403);
      const viewer = await token(app.admin, 'patch viewer-capped', 'VIEWER');
      expectScimError(await patch(viewer.client, id, [{ op: 'replace', value: { active: false } }]), 403);
      expectScimError(await patch(scim, '00000000-0000-4000-8000-000000000000', [{ op: 'replace', value: { active: false } }]), 404);
      expect((await member(id)).display_name).toBe('V2');
    });
  });

  it('keeps the last admin: of two admins deactivating each other at once, one is refused (400 mutability)', async () => {
    const other = await app.register('twin.admin@example.com', 'ADMIN');
    // Only the two: the other admins of earlier tests leave first.
    await app.sql(
      `UPDATE memberships SET status = 'DEACTIVATED'
        WHERE role_id = $1 AND user_id NOT IN ($2, $3) AND organization_id = $4`,
      [app.roles['ADMIN'], app.adminId, other.userId, await orgId()],
    );
    const otherToken = await token(other.client, 'twin provisioning');
    const organizationId = await orgId();
    // Both requests pass the guard, then wait for the admins lock held here.
    await pg.query(`SELECT pg_advisory_lock($1, hashtext($2::text))`, [ADMINS_LOCK, organizationId]);
    const pending = [
      call(scim, 'PUT', `/Users/${other.userId}`, { ...oktaUser('twin.admin@example.com'), active: false }),
      call(otherToken.client, 'PUT', `/Users/${app.adminId}`, { ...oktaUser('admin@example.com'), active: false }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 500));
    await pg.query(`SELECT pg_advisory_unlock($1, hashtext($2::text))`, [ADMINS_LOCK, organizationId]);
    const answers = await Promise.all(pending);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expectScimError(answers.find((a) => a.status === 400) as ScimAnswer, 400, 'mutability');
    const active = await app.sql(`SELECT count(*)::int AS n FROM memberships WHERE role_id = $1 AND status = 'ACTIVE'`, [
      app.roles['ADMIN'],
    ]);
    expect(active).toEqual([{ n: 1 }]);
  });
});
