import { randomUUID } from 'node:crypto';
import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
const SCIM = '/scim/v2';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

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
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expectScimError(answer: ScimAnswer, status: number, scimType?: string): void {
  expect({ status: answer.status, body: answer.body }).toMatchObject({
    status,
    body: { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}) },
  });
  if (!scimType) expect(answer.body).not.toHaveProperty('scimType');
}

const patchOf = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

/** Groups = teams: the representation, lists and filters, POST, PUT, every PATCH form of Okta and Entra ID, DELETE; the rules. */
describe('SCIM groups', () => {
  let app: TestApp;
  let scim: Client;
  let org: string;
  const ids: Record<string, string> = {};

  async function member(organizationId: string, email: string, roleId: string, status = 'ACTIVE') {
    const [row] = await app.sql<{ id: string }>(
      `WITH u AS (INSERT INTO users (email, first_name, last_name, password_hash) VALUES ($1, 'Test', 'Person', NULL) RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $2, u.id, $3, $4 FROM u RETURNING user_id AS id`,
      [email, organizationId, roleId, status],
    );
    return row.id;
  }

  /** The team's members, by email, from the database. */
  const membersOf = async (teamId: string) =>
    (
      await app.sql<{ email: string }>(
        `SELECT m.email FROM user_teams ut JOIN memberships m ON m.organization_id = ut.organization_id AND m.user_id = ut.user_id
          WHERE ut.team_id = $1 ORDER BY m.email`,
        [teamId],
      )
    ).map((r) => r.email);
  const team = async (teamId: string) =>
    (await app.sql<{ name: string; external_id: string | null }>(`SELECT name, external_id FROM teams WHERE id = $1`, [teamId]))[0];
  const events = (action: string) =>
    app.sql<{ actor_email: string; details: Json }>(
      `SELECT actor_email, details FROM audit_events WHERE action = $1 ORDER BY created_at, id`,
      [action],
    );

  beforeAll(async () => {
    app = await startApp('scim-groups');
    [{ id: org }] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    ids['admin'] = app.adminId;
    ids['alice'] = await member(org, 'alice@example.com', app.roles['MEMBER']);
    ids['bob'] = await member(org, 'bob@example.com', app.roles['MEMBER']);
    ids['carol'] = await member(org, 'carol@example.com', app.roles['VIEWER'], 'DEACTIVATED');
    ids['dave'] = await member(org, 'dave@example.com', app.roles['MEMBER']);
    ids['boss'] = await member(org, 'boss@example.com', app.roles['ADMIN']);
    ids['invitee'] = (await app.invite('pending@example.com', 'VIEWER')).userId;
    const b = await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
      i: { name: 'Other', slug: 'other-org', firstAdminEmail: 'other-admin@example.com' },
    });
    const otherOrg = b.createOrganization.organization.id;
    const [{ id: otherRole }] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [
      otherOrg,
    ]);
    ids['stranger'] = await member(otherOrg, 'stranger@example.com', otherRole);
    [{ id: ids['otherTeam'] }] = await app.sql<{ id: string }>(
      `INSERT INTO teams (organization_id, name) VALUES ($1, 'Their team') RETURNING id`,
      [otherOrg],
    );
    scim = app.client({ bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: 'provisioning' } })).createApiToken.secret });
  });
  afterAll(() => app?.close());

  let eng = '';

  it('creates a team with its external id and members in one step: 201, Location, ETag, audited as the token', async () => {
    const r = await call(scim, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: '  Engineering ',
      externalId: 'okta-Eng-1',
      members: [{ value: ids['alice'], display: 'whatever' }, { value: ids['bob'].toUpperCase() }],
    });
    expect(r.status).toBe(201);
    eng = r.body.id;
    const location = `${app.server.url}${SCIM}/Groups/${eng}`;
    expect(r.headers.get('location')).toBe(location);
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    expect(r.body).toEqual({
      schemas: [GROUP_SCHEMA],
      id: eng,
      externalId: 'okta-Eng-1',
      displayName: 'Engineering',
      members: [
        { value: ids['alice'], display: 'alice@example.com', $ref: `${app.server.url}${SCIM}/Users/${ids['alice']}`, type: 'User' },
        { value: ids['bob'], display: 'bob@example.com', $ref: `${app.server.url}${SCIM}/Users/${ids['bob']}`, type: 'User' },
      ],
      meta: {
        resourceType: 'Group',
        created: expect.stringMatching(/^\d{4}-/),
        lastModified: expect.stringMatching(/^\d{4}-/),
        location,
        version: expect.stringMatching(/^W\/"\d+"$/),
      },
    });
    expect(await team(eng)).toEqual({ name: 'Engineering', external_id: 'okta-Eng-1' });
    expect(await membersOf(eng)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(await events('team.created')).toEqual([
      { actor_email: 'admin@example.com', details: expect.objectContaining({ teamId: eng, name: 'Engineering', via: 'scim' }) },
    ]);
    // The team is the events' target: the audit log finds them by the team's id.
    expect(await app.sql(`SELECT DISTINCT target_id FROM audit_events WHERE action LIKE 'team.%'`)).toEqual([{ target_id: eng }]);
    expect(await events('team.members_changed')).toEqual([
      {
        actor_email: 'admin@example.com',
        details: expect.objectContaining({
          teamId: eng,
          via: 'scim',
          added: { count: 2, ids: expect.arrayContaining([ids['alice'], ids['bob']]) },
          removed: { count: 0, ids: [] },
        }),
      },
    ]);
    // The console sees the same team.
    const teams = (await app.admin.ok(`{ teams { id name memberCount } }`)).teams;
    expect(teams).toContainEqual({ id: eng, name: 'Engineering', memberCount: 2 });
  });

  it('refuses a taken name or external id (409 uniqueness), bad values (400) and strangers as members, creating nothing', async () => {
    const count = async () => (await app.sql<{ n: string }>(`SELECT count(*) AS n FROM teams`))[0].n;
    const before = await count();
    const post = (body: Json) => call(scim, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], ...body });
    expectScimError(await post({ displayName: 'ENGINEERING' }), 409, 'uniqueness');
    expectScimError(await post({ displayName: 'Another', externalId: 'okta-Eng-1' }), 409, 'uniqueness');
    expectScimError(await post({}), 400, 'invalidValue');
    expectScimError(await post({ displayName: 'x'.repeat(81) }), 400, 'invalidValue');
    expectScimError(await post({ displayName: 'Tab\there' }), 400, 'invalidValue');
    expectScimError(await post({ displayName: 5 }), 400, 'invalidValue');
    expectScimError(await post({ displayName: 'X', members: 'alice' }), 400, 'invalidValue');
    expectScimError(await post({ displayName: 'X', externalId: 12 }), 400, 'invalidValue');
    expectScimError(await call(scim, 'POST', '/Groups', { displayName: 'No schemas' }), 400, 'invalidSyntax');
    const details = new Set<string>();
    for (const stranger of [ids['stranger'], ids['invitee'], randomUUID(), 'not-an-id']) {
      const r = await post({ displayName: 'Strangers', members: [{ value: ids['dave'] }, { value: stranger }] });
      expectScimError(r, 400, 'invalidValue');
      details.add(r.body.detail.replace(stranger, '<id>'));
    }
    expect([...details]).toHaveLength(1); // the same answer whoever it is
    expect(await count()).toBe(before);
  });

  it('lists and filters teams: displayName (case-insensitive), externalId (exact), id, members, dates; members only when asked', async () => {
    await call(scim, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Sales' });
    const names = async (params: Record<string, string>) => {
      const r = await call(scim, 'GET', `/Groups?${new URLSearchParams(params).toString()}`);
      expect(r.status).toBe(200);
      if (!params['count']) expect(r.body.totalResults).toBe(r.body.Resources.length);
      return r.body.Resources.map((g: Json) => g.displayName);
    };
    expect(await names({})).toEqual(['Engineering', 'Sales']);
    expect(await names({ sortOrder: 'descending' })).toEqual(['Sales', 'Engineering']);
    expect(await names({ filter: 'displayName eq "engineering"' })).toEqual(['Engineering']);
    expect(await names({ filter: 'externalId eq "okta-Eng-1"' })).toEqual(['Engineering']);
    expect(await names({ filter: 'externalId eq "OKTA-ENG-1"' })).toEqual([]);
    expect(await names({ filter: `id eq "${eng}"` })).toEqual(['Engineering']);
    expect(await names({ filter: `id eq "${ids['otherTeam']}"` })).toEqual([]);
    expect(await names({ filter: `members.value eq "${ids['alice']}"` })).toEqual(['Engineering']);
    expect(await names({ filter: `members[value eq "${ids['bob']}"]` })).toEqual(['Engineering']);
    expect(await names({ filter: 'members pr' })).toEqual(['Engineering']);
    expect(await names({ filter: 'not (members pr)' })).toEqual(['Sales']);
    expect(await names({ filter: 'meta.lastModified gt "2000-01-01T00:00:00Z" and displayName sw "s"' })).toEqual(['Sales']);
    expect(await names({ filter: 'displayName eq "Sales" or externalId pr' })).toEqual(['Engineering', 'Sales']);
    expect(await names({ startIndex: '2', count: '1' })).toEqual(['Sales']);
    expectScimError(await call(scim, 'GET', '/Groups?filter=displayName%20eq%20Sales'), 400, 'invalidFilter');
    expectScimError(await call(scim, 'GET', '/Groups?filter=userName%20eq%20%22x%22'), 400, 'invalidFilter');
    expectScimError(await call(scim, 'GET', '/Groups?sortBy=members'), 400, 'invalidValue');
    // Okta and Entra look a team up by name without its members.
    const lean = await call(scim, 'GET', `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}&excludedAttributes=members`);
    expect(lean.body.Resources[0]).not.toHaveProperty('members');
    expect(lean.body.Resources[0]).toMatchObject({ id: eng, displayName: 'Engineering', externalId: 'okta-Eng-1' });
    const one = await call(scim, 'GET', `/Groups/${eng}?attributes=displayName`);
    expect(one.body).toEqual({ schemas: [GROUP_SCHEMA], id: eng, displayName: 'Engineering' });
    expect(one.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    // Users say which teams they are in.
    const users = await call(scim, 'GET', `/Users?filter=${encodeURIComponent(`groups.value eq "${eng}"`)}&attributes=userName,groups`);
    expect(users.body.Resources.map((u: Json) => u.userName)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(users.body.Resources[0].groups).toEqual([
      { value: eng, display: 'Engineering', $ref: `${app.server.url}${SCIM}/Groups/${eng}` },
    ]);
  });

  it('answers 404 for another organization’s team, a random id and a malformed one, on every route', async () => {
    for (const id of [ids['otherTeam'], randomUUID(), 'nope']) {
      expectScimError(await call(scim, 'GET', `/Groups/${id}`), 404);
      expectScimError(await call(scim, 'PUT', `/Groups/${id}`, { schemas: [GROUP_SCHEMA], displayName: 'Taken over' }), 404);
      expectScimError(
        await call(scim, 'PATCH', `/Groups/${id}`, patchOf({ op: 'replace', path: 'displayName', value: 'Taken over' })),
        404,
      );
      expectScimError(await call(scim, 'DELETE', `/Groups/${id}`), 404);
    }
    expect(await team(ids['otherTeam'])).toEqual({ name: 'Their team', external_id: null });
  });

  it('patches members as Okta does: add a list, remove by members[value eq …]; 204, audited', async () => {
    const add = await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'add', path: 'members', value: [{ value: ids['dave'] }] }));
    expect(add.status).toBe(204);
    expect(add.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect(await membersOf(eng)).toEqual(['alice@example.com', 'bob@example.com', 'dave@example.com']);
    const remove = await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'remove', path: `members[value eq "${ids['bob']}"]` }));
    expect(remove.status).toBe(204);
    expect(await membersOf(eng)).toEqual(['alice@example.com', 'dave@example.com']);
    const changes = await events('team.members_changed');
    expect(changes.slice(-2).map((e) => [e.details.added.ids, e.details.removed.ids])).toEqual([
      [[ids['dave']], []],
      [[], [ids['bob']]],
    ]);
    // Adding someone already there, or removing someone not there, changes (and audits) nothing.
    await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'add', path: 'members', value: [{ value: ids['dave'] }] }));
    await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'remove', path: `members[value eq "${ids['bob']}"]` }));
    expect(await events('team.members_changed')).toHaveLength(changes.length);
    // Okta's rename: a path-less replace repeating the id.
    const renamed = await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'replace', value: { id: eng, displayName: 'Eng' } }));
    expect(renamed.status).toBe(204);
    expect((await team(eng)).name).toBe('Eng');
  });

  it('patches as Entra ID does: capitalised ops, a members value list to add and to remove', async () => {
    const r1 = await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'Add', path: 'members', value: [{ value: ids['carol'] }] }));
    expect(r1.status).toBe(204);
    expect(await membersOf(eng)).toContain('carol@example.com'); // a deactivated person is still a SCIM user
    const r2 = await call(
      scim,
      'PATCH',
      `/Groups/${eng}`,
      patchOf({ op: 'Remove', path: 'members', value: [{ value: ids['carol'] }, { value: ids['alice'] }] }),
      {},
    );
    expect(r2.status).toBe(204);
    expect(await membersOf(eng)).toEqual(['dave@example.com']);
    const r3 = await call(
      scim,
      'PATCH',
      `/Groups/${eng}`,
      patchOf({ op: 'Replace', path: 'displayName', value: 'Engineering' }, { op: 'Replace', path: 'ExternalId', value: 'entra-guid' }),
    );
    expect(r3.status).toBe(204);
    expect(await team(eng)).toEqual({ name: 'Engineering', external_id: 'entra-guid' });
  });

  it('patches the other forms: replace and remove all members, remove externalId, the answer when attributes are asked', async () => {
    const replace = await call(
      scim,
      'PATCH',
      `/Groups/${eng}`,
      patchOf({ op: 'replace', path: 'members', value: [{ value: ids['alice'] }, { value: ids['bob'] }] }),
    );
    expect(replace.status).toBe(204);
    expect(await membersOf(eng)).toEqual(['alice@example.com', 'bob@example.com']);
    const asked = await call(scim, 'PATCH', `/Groups/${eng}?excludedAttributes=meta`, patchOf({ op: 'remove', path: 'externalId' }));
    expect(asked.status).toBe(200);
    expect(asked.body).toEqual({
      schemas: [GROUP_SCHEMA],
      id: eng,
      displayName: 'Engineering',
      members: [expect.objectContaining({ value: ids['alice'] }), expect.objectContaining({ value: ids['bob'] })],
    });
    expect((await team(eng)).external_id).toBeNull();
    // An invitee's pending team stays when SCIM removes every member: invitations are not SCIM users.
    await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3)`, [org, ids['invitee'], eng]);
    expect((await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'remove', path: 'members' }))).status).toBe(204);
    expect(await membersOf(eng)).toEqual(['pending@example.com']);
    const path = `/Groups/${eng}`;
    // Add then remove in one request: applied in order.
    await call(
      scim,
      'PATCH',
      path,
      patchOf(
        { op: 'add', path: 'members', value: [{ value: ids['alice'] }, { value: ids['bob'] }] },
        { op: 'remove', path: `members[value eq "${ids['alice']}"]` },
      ),
    );
    expect(await membersOf(eng)).toEqual(['bob@example.com', 'pending@example.com']);
  });

  it('refuses malformed PATCHes with their SCIM type, atomically', async () => {
    const path = `/Groups/${eng}`;
    const before = { team: await team(eng), members: await membersOf(eng) };
    expectScimError(await call(scim, 'PATCH', path, { Operations: [{ op: 'add', path: 'members', value: [] }] }), 400, 'invalidSyntax');
    expectScimError(await call(scim, 'PATCH', path, patchOf()), 400, 'invalidSyntax');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'REPLACEALL', path: 'displayName', value: 'x' })), 400, 'invalidSyntax');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'remove' })), 400, 'noTarget');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'replace', path: 'nickname', value: 'x' })), 400, 'invalidPath');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'remove', path: 'members[value eq nope]' })), 400, 'invalidFilter');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'replace', path: 'id', value: randomUUID() })), 400, 'mutability');
    expectScimError(
      await call(scim, 'PATCH', path, patchOf({ op: 'replace', value: { id: randomUUID(), displayName: 'Y' } })),
      400,
      'mutability',
    );
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'remove', path: 'displayName' })), 400, 'invalidValue');
    expectScimError(await call(scim, 'PATCH', path, patchOf({ op: 'replace', path: 'displayName', value: 'Sales' })), 409, 'uniqueness');
    // The first operation would succeed alone; the second fails: nothing of either happens.
    const atomic = await call(
      scim,
      'PATCH',
      path,
      patchOf(
        { op: 'replace', path: 'displayName', value: 'Renamed' },
        { op: 'add', path: 'members', value: [{ value: ids['stranger'] }] },
      ),
    );
    expectScimError(atomic, 400, 'invalidValue');
    expect({ team: await team(eng), members: await membersOf(eng) }).toEqual(before);
  });

  it('replaces a whole team with PUT: name, external id cleared when left out, members as listed', async () => {
    await app.sql(`UPDATE teams SET external_id = 'to-clear' WHERE id = $1`, [eng]);
    const r = await call(scim, 'PUT', `/Groups/${eng}`, {
      schemas: [GROUP_SCHEMA],
      id: eng,
      displayName: 'Platform',
      members: [{ value: ids['dave'] }, { value: ids['alice'] }],
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: eng, displayName: 'Platform', members: [{ value: ids['alice'] }, { value: ids['dave'] }] });
    expect(r.body).not.toHaveProperty('externalId');
    expect(await team(eng)).toEqual({ name: 'Platform', external_id: null });
    expect(await membersOf(eng)).toEqual(['alice@example.com', 'dave@example.com', 'pending@example.com']);
    expect((await events('team.renamed')).at(-1)?.details).toMatchObject({ teamId: eng, to: 'Platform', via: 'scim' });
    expectScimError(
      await call(scim, 'PUT', `/Groups/${eng}`, { schemas: [GROUP_SCHEMA], id: randomUUID(), displayName: 'Platform' }),
      400,
      'mutability',
    );
  });

  it('honours If-Match: a stale version is 412 and changes nothing; the current one or * goes through', async () => {
    const current = (await call(scim, 'GET', `/Groups/${eng}`)).headers.get('etag') as string;
    await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'replace', path: 'displayName', value: 'Platform 2' }), {
      'if-match': current,
    });
    expect((await team(eng)).name).toBe('Platform 2');
    const stale = await call(scim, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'replace', path: 'displayName', value: 'Stale' }), {
      'if-match': current,
    });
    expectScimError(stale, 412);
    expectScimError(await call(scim, 'DELETE', `/Groups/${eng}`, undefined, { 'if-match': current }), 412);
    expect((await team(eng)).name).toBe('Platform 2');
    const star = await call(
      scim,
      'PUT',
      `/Groups/${eng}`,
      { schemas: [GROUP_SCHEMA], displayName: 'Platform', members: [{ value: ids['alice'] }] },
      {
        'if-match': '*',
      },
    );
    expect(star.status).toBe(200);
  });

  it('needs teams:read to read and teams:write to change; changes only people the token may manage', async () => {
    const token = async (roleId: string) =>
      app.client({ bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: `capped ${roleId}`, roleId } })).createApiToken.secret });
    const viewer = await token(app.roles['VIEWER']);
    expect((await call(viewer, 'GET', '/Groups')).status).toBe(200);
    expectScimError(await call(viewer, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Nope' }), 403);
    expectScimError(await call(viewer, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'remove', path: 'members' })), 403);
    expectScimError(await call(viewer, 'DELETE', `/Groups/${eng}`), 403);
    const role = await app.admin.ok(`mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
      i: { name: 'People only', permissions: ['users:read'] },
    });
    expectScimError(await call(await token(role.createRole.id), 'GET', '/Groups'), 403);
    // A Manager-capped token manages Members, not Admins: adding or removing an Admin is refused, naming them.
    const manager = await token(app.roles['MANAGER']);
    const added = await call(manager, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'add', path: 'members', value: [{ value: ids['boss'] }] }));
    expectScimError(added, 403);
    expect(added.body.detail).toContain(ids['boss']);
    await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3)`, [org, ids['boss'], eng]);
    expectScimError(await call(manager, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'remove', path: 'members' })), 403);
    expect(await membersOf(eng)).toContain('boss@example.com');
    const ok = await call(manager, 'PATCH', `/Groups/${eng}`, patchOf({ op: 'add', path: 'members', value: [{ value: ids['bob'] }] }));
    expect(ok.status).toBe(204);
    // A browser session is no SCIM caller.
    expectScimError(await call(app.admin, 'GET', '/Groups'), 401);
  });

  it('deletes a team: 204, then 404; its members only leave it', async () => {
    const r = await call(scim, 'DELETE', `/Groups/${eng}`);
    expect(r.status).toBe(204);
    expect(r.body).toBeUndefined();
    expectScimError(await call(scim, 'GET', `/Groups/${eng}`), 404);
    expectScimError(await call(scim, 'DELETE', `/Groups/${eng}`), 404);
    expect((await events('team.deleted')).at(-1)?.details).toMatchObject({ teamId: eng, via: 'scim' });
    expect((await call(scim, 'GET', `/Users/${ids['alice']}`)).body.groups).toEqual([]);
  });
});
