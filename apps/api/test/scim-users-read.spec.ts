import { randomUUID } from 'node:crypto';
import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
const SCIM = '/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

interface ScimAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(client: Client, path: string, init: RequestInit = {}): Promise<ScimAnswer> {
  const res = await client.fetch(`${SCIM}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

function expectScimError(answer: ScimAnswer, status: number, scimType?: string): void {
  expect({ status: answer.status, body: answer.body }).toMatchObject({
    status,
    body: { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}) },
  });
}

/** GET /Users with these query parameters (each encoded). */
const list = (client: Client, params: Record<string, string | number>) =>
  call(client, `/Users?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString()}`);

/** Reading SCIM users: the representation, every filter operator per attribute kind, paging, sorting, attributes, 404s. */
describe('SCIM users: reading', () => {
  let app: TestApp;
  let scim: Client;
  let org: string;
  const ids: Record<string, string> = {};
  let ops: string;
  let dev: string;
  let before: string;

  /** A person and their membership of `organizationId` straight in the database (the triggers copy email and names). */
  async function member(organizationId: string, email: string, first: string, last: string, roleId: string, status = 'ACTIVE') {
    const [row] = await app.sql<{ id: string }>(
      `WITH u AS (INSERT INTO users (email, first_name, last_name, password_hash) VALUES ($1, $2, $3, NULL) RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $4, u.id, $5, $6 FROM u RETURNING user_id AS id`,
      [email, first, last, organizationId, roleId, status],
    );
    return row.id;
  }

  beforeAll(async () => {
    app = await startApp('scim-users-read');
    [{ id: org }] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    ids['admin'] = app.adminId;
    ids['alice'] = await member(org, 'alice@example.com', 'Alice', 'Liddell', app.roles['MEMBER']);
    ids['bob'] = await member(org, 'bob@example.com', 'Bob', 'Builder', app.roles['MANAGER']);
    ids['carol'] = await member(org, 'carol@sample.org', 'Carol', 'Danvers', app.roles['VIEWER'], 'DEACTIVATED');
    ids['dave'] = await member(org, 'dave@sample.org', '', '', app.roles['MEMBER']);
    ids['eve'] = await member(org, 'eve_1@example.com', 'Eve', 'Polastri', app.roles['MEMBER']);
    await app.sql(`UPDATE memberships SET external_id = 'ext-Alice', display_name = 'Ali' WHERE organization_id = $1 AND user_id = $2`, [
      org,
      ids['alice'],
    ]);
    await app.sql(`UPDATE memberships SET external_id = 'ext-bob' WHERE organization_id = $1 AND user_id = $2`, [org, ids['bob']]);
    await app.sql(`UPDATE memberships SET external_id = 'EXT-EVE' WHERE organization_id = $1 AND user_id = $2`, [org, ids['eve']]);
    ops = (await app.admin.ok(`mutation { createTeam(input: { name: "Ops" }) { id } }`)).createTeam.id;
    dev = (await app.admin.ok(`mutation { createTeam(input: { name: "Dev" }) { id } }`)).createTeam.id;
    await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3), ($1, $4, $3), ($1, $4, $5)`, [
      org,
      ids['alice'],
      ops,
      ids['bob'],
      dev,
    ]);
    // An invitation is not a SCIM user; nor is another organization's person.
    ids['invitee'] = (await app.invite('pending@example.com', 'VIEWER')).userId;
    const b = await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
      i: { name: 'Other', slug: 'other-org', firstAdminEmail: 'other-admin@example.com' },
    });
    const otherOrg = b.createOrganization.organization.id;
    const [{ id: otherRole }] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [
      otherOrg,
    ]);
    ids['stranger'] = await member(otherOrg, 'alice-other@example.com', 'Alice', 'Other', otherRole);
    // Eve changes last: the only one modified after `before`.
    await new Promise((r) => setTimeout(r, 20));
    before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await app.sql(`UPDATE memberships SET display_name = 'Eve P.' WHERE organization_id = $1 AND user_id = $2`, [org, ids['eve']]);
    scim = app.client({ bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: 'provisioning' } })).createApiToken.secret });
  });
  afterAll(() => app?.close());

  const EVERYONE = [
    'admin@example.com',
    'alice@example.com',
    'bob@example.com',
    'carol@sample.org',
    'dave@sample.org',
    'eve_1@example.com',
  ];

  it('shows a user as RFC 7643 does: login email, names, display name, active, role, teams, meta; the ETag is meta.version', async () => {
    const r = await call(scim, `/Users/${ids['bob']}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    const location = `${app.server.url}${SCIM}/Users/${ids['bob']}`;
    expect(r.body).toEqual({
      schemas: [USER_SCHEMA],
      id: ids['bob'],
      externalId: 'ext-bob',
      userName: 'bob@example.com',
      name: { formatted: 'Bob Builder', familyName: 'Builder', givenName: 'Bob' },
      displayName: 'Bob Builder',
      emails: [{ value: 'bob@example.com', type: 'work', primary: true }],
      active: true,
      roles: [{ value: 'MANAGER', display: 'Manager', primary: true }],
      groups: [
        { value: dev, display: 'Dev', $ref: `${app.server.url}${SCIM}/Groups/${dev}` },
        { value: ops, display: 'Ops', $ref: `${app.server.url}${SCIM}/Groups/${ops}` },
      ],
      meta: {
        resourceType: 'User',
        created: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        lastModified: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        location,
        version: expect.stringMatching(/^W\/"\d+"$/),
      },
    });
    expect(r.headers.get('etag')).toBe(r.body.meta.version);
    expect(JSON.stringify(r.body)).not.toMatch(/password/i);
    // The stored display name; no names at all: no name parts, no display name; deactivated: active false.
    expect((await call(scim, `/Users/${ids['alice']}`)).body.displayName).toBe('Ali');
    const dave = (await call(scim, `/Users/${ids['dave']}`)).body;
    expect(dave.name).toEqual({});
    expect(dave).not.toHaveProperty('displayName');
    expect(dave).not.toHaveProperty('externalId');
    expect((await call(scim, `/Users/${ids['carol']}`)).body).toMatchObject({ active: false, roles: [{ value: 'VIEWER' }], groups: [] });
  });

  it('answers the same 404 for another organization’s person, an invitee, a random id and a malformed one', async () => {
    for (const id of [
      ids['stranger'],
      ids['invitee'],
      randomUUID(),
      'not-a-uuid',
      '%27%3B--',
      ids['bob'].toUpperCase().replace(/-/g, ''),
    ]) {
      const r = await call(scim, `/Users/${id}`);
      expectScimError(r, 404);
      expect(r.body.detail).toBe('No such user.');
    }
    // An upper-case uuid is the same id.
    expect((await call(scim, `/Users/${ids['bob'].toUpperCase()}`)).body.id).toBe(ids['bob']);
  });

  it('lists every SCIM user of the organization, and only them, by userName', async () => {
    const r = await list(scim, {});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 6,
      startIndex: 1,
      itemsPerPage: 6,
    });
    expect(r.body.Resources.map((u: Json) => u.userName)).toEqual(EVERYONE);
  });

  /** Each filter, and the people it selects (by email, in userName order). */
  const CASES: [string, () => string, string[]][] = [
    // userName and emails: case-insensitive strings, every operator.
    ['userName eq', () => 'userName eq "ALICE@example.com"', ['alice@example.com']],
    ['userName ne', () => 'userName ne "alice@example.com"', EVERYONE.filter((e) => e !== 'alice@example.com')],
    ['userName co', () => 'userName co "SAMPLE"', ['carol@sample.org', 'dave@sample.org']],
    ['userName sw', () => 'userName sw "b"', ['bob@example.com']],
    ['userName ew', () => 'userName ew ".org"', ['carol@sample.org', 'dave@sample.org']],
    ['userName gt', () => 'userName gt "d"', ['dave@sample.org', 'eve_1@example.com']],
    ['userName ge', () => 'userName ge "dave@sample.org"', ['dave@sample.org', 'eve_1@example.com']],
    ['userName lt', () => 'userName lt "alice@example.com"', ['admin@example.com']],
    ['userName le', () => 'userName le "bob@example.com"', ['admin@example.com', 'alice@example.com', 'bob@example.com']],
    ['userName pr', () => 'userName pr', EVERYONE],
    ['a LIKE wildcard is a character', () => 'userName co "_"', ['eve_1@example.com']],
    ['emails value path', () => 'emails[type eq "work"].value eq "bob@example.com"', ['bob@example.com']],
    ['emails of another type', () => 'emails[type eq "home"]', []],
    ['emails as a whole', () => 'emails co "sample.org"', ['carol@sample.org', 'dave@sample.org']],
    ['URN-prefixed', () => `${USER_SCHEMA}:userName eq "dave@sample.org"`, ['dave@sample.org']],
    // externalId: exact case.
    ['externalId eq (exact case)', () => 'externalId eq "ext-Alice"', ['alice@example.com']],
    ['externalId eq (other case)', () => 'externalId eq "ext-alice"', []],
    ['externalId ne (absent counts)', () => 'externalId ne "ext-bob"', EVERYONE.filter((e) => e !== 'bob@example.com')],
    ['externalId sw', () => 'externalId sw "ext-"', ['alice@example.com', 'bob@example.com']],
    ['externalId pr', () => 'externalId pr', ['alice@example.com', 'bob@example.com', 'eve_1@example.com']],
    ['externalId eq null', () => 'externalId eq null', ['admin@example.com', 'carol@sample.org', 'dave@sample.org']],
    // Booleans.
    ['active eq false', () => 'active eq false', ['carol@sample.org']],
    ['active ne false', () => 'active ne false', EVERYONE.filter((e) => e !== 'carol@sample.org')],
    ['not active', () => 'not (active eq true)', ['carol@sample.org']],
    // Names.
    ['givenName eq', () => 'name.givenName eq "alice"', ['alice@example.com']],
    ['familyName co', () => 'name.familyName co "DE"', ['alice@example.com', 'bob@example.com']],
    ['givenName pr', () => 'name.givenName pr', EVERYONE.filter((e) => e !== 'dave@sample.org')],
    ['name pr', () => 'name pr', EVERYONE.filter((e) => e !== 'dave@sample.org')],
    ['formatted eq', () => 'name.formatted eq "carol danvers"', ['carol@sample.org']],
    ['displayName stored', () => 'displayName eq "ALI"', ['alice@example.com']],
    ['displayName by default', () => 'displayName eq "bob builder"', ['bob@example.com']],
    ['displayName pr', () => 'displayName pr', EVERYONE.filter((e) => e !== 'dave@sample.org')],
    // Roles, by key or name.
    ['roles by key', () => 'roles.value eq "manager"', ['bob@example.com']],
    ['roles by name', () => 'roles.display eq "Member"', ['alice@example.com', 'dave@sample.org', 'eve_1@example.com']],
    ['roles value path', () => 'roles[primary eq true].value eq "viewer"', ['carol@sample.org']],
    ['an unknown role', () => 'roles.value eq "owner"', []],
    // Groups (teams).
    ['groups.value eq', () => `groups.value eq "${ops}"`, ['alice@example.com', 'bob@example.com']],
    ['groups.value ne', () => `groups.value ne "${dev}"`, EVERYONE.filter((e) => e !== 'bob@example.com')],
    ['groups pr', () => 'groups pr', ['alice@example.com', 'bob@example.com']],
    ['groups of a random id', () => `groups.value eq "${randomUUID()}"`, []],
    // Dates.
    ['lastModified gt', () => `meta.lastModified gt "${before}"`, ['eve_1@example.com']],
    ['lastModified le', () => `meta.lastModified le "${before}"`, EVERYONE.filter((e) => e !== 'eve_1@example.com')],
    ['created gt', () => 'meta.created gt "2000-01-01T00:00:00Z"', EVERYONE],
    ['created lt', () => 'meta.created lt "2000-01-01T00:00:00+02:00"', []],
    // Ids: another organization's person, an invitee, a malformed id select nobody.
    ['id eq', () => `id eq "${ids['alice']}"`, ['alice@example.com']],
    ['id of another organization', () => `id eq "${ids['stranger']}"`, []],
    ['id of an invitee', () => `id eq "${ids['invitee']}"`, []],
    ['id malformed', () => 'id eq "nope"', []],
    // What Roster does not store is absent.
    ['title pr', () => 'title pr', []],
    ['title ne', () => 'title ne "CEO"', EVERYONE],
    ['enterprise', () => 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"', []],
    // Logic.
    [
      'and, or, not, parentheses',
      () => '(userName sw "a" or userName sw "b") and not (roles.value eq "admin")',
      ['alice@example.com', 'bob@example.com'],
    ],
    ['or across kinds', () => 'active eq false or externalId eq "EXT-EVE"', ['carol@sample.org', 'eve_1@example.com']],
  ];

  it.each(CASES)('filters: %s', async (_, filter, emails) => {
    const r = await list(scim, { filter: filter() });
    expect(r.status).toBe(200);
    expect(r.body.Resources.map((u: Json) => u.userName)).toEqual(emails);
    expect(r.body.totalResults).toBe(emails.length);
  });

  it('refuses filters that do not parse, name unknown attributes or mistype values: 400 invalidFilter', async () => {
    for (const filter of [
      'userName eq alice@example.com',
      'userName eq "a" and',
      'emails[type eq "work"',
      'nickname2 eq "x"',
      'active gt true',
      'active eq "true"',
      'meta.lastModified gt "yesterday"',
      'emails[value[type eq "x"]]',
      `${'('.repeat(11)}userName eq "a"${')'.repeat(11)}`,
      `userName eq "${'a'.repeat(2001)}"`,
    ]) {
      expectScimError(await list(scim, { filter }), 400, 'invalidFilter');
    }
  });

  it('pages from a 1-based startIndex with count: edges clamped, non-integers refused', async () => {
    const page = async (params: Record<string, string | number>) => (await list(scim, params)).body;
    expect(await page({ startIndex: 0, count: 2 })).toMatchObject({ totalResults: 6, startIndex: 1, itemsPerPage: 2 });
    expect((await page({ startIndex: -1, count: 2 })).Resources.map((u: Json) => u.userName)).toEqual(EVERYONE.slice(0, 2));
    expect(await page({ startIndex: 7 })).toMatchObject({ totalResults: 6, startIndex: 7, itemsPerPage: 0, Resources: [] });
    expect(await page({ startIndex: '99999999999999999999' })).toMatchObject({ totalResults: 6, itemsPerPage: 0 });
    expect(await page({ count: 0 })).toMatchObject({ totalResults: 6, itemsPerPage: 0, Resources: [] });
    expect(await page({ count: -1 })).toMatchObject({ totalResults: 6, itemsPerPage: 0 });
    expect(await page({ count: 1001 })).toMatchObject({ totalResults: 6, itemsPerPage: 6 });
    expect(await page({ filter: 'userName ew ".org"', count: 1 })).toMatchObject({ totalResults: 2, itemsPerPage: 1 });
    // An identity provider's walk, startIndex=1, 3, 5: the whole list once, in order.
    const walked: string[] = [];
    for (let start = 1; start <= 6; start += 2)
      walked.push(...(await page({ startIndex: start, count: 2 })).Resources.map((u: Json) => u.userName));
    expect(walked).toEqual(EVERYONE);
    for (const params of [{ count: 'ten' }, { startIndex: '1.5' }, { count: '1e3' }, { startIndex: '' }] as Record<string, string>[]) {
      expectScimError(await list(scim, params), 400, 'invalidValue');
    }
    expectScimError(await call(scim, '/Users?count=1&count=2'), 400, 'invalidValue');
  });

  it('sorts by the sortable attributes, ascending or descending; any other is refused', async () => {
    const order = async (params: Record<string, string>) => (await list(scim, params)).body.Resources.map((u: Json) => u.userName);
    expect(await order({ sortOrder: 'descending' })).toEqual([...EVERYONE].reverse());
    expect(await order({ sortBy: 'name.familyName' })).toEqual([
      'dave@sample.org', // no family name: ''
      'admin@example.com', // Admin
      'bob@example.com', // Builder
      'carol@sample.org', // Danvers
      'alice@example.com', // Liddell
      'eve_1@example.com', // Polastri
    ]);
    expect(await order({ sortBy: 'NAME.GIVENNAME', sortOrder: 'Descending', filter: 'name.givenName pr' })).toEqual([
      'eve_1@example.com',
      'carol@sample.org',
      'bob@example.com',
      'alice@example.com',
      'admin@example.com',
    ]);
    expect(await order({ sortBy: 'externalId', filter: 'externalId pr' })).toEqual([
      'eve_1@example.com',
      'alice@example.com',
      'bob@example.com',
    ]);
    expect((await order({ sortBy: 'meta.lastModified', sortOrder: 'descending' }))[0]).toBe('eve_1@example.com');
    expect(await order({ sortBy: `${USER_SCHEMA}:emails.value`, sortOrder: 'descending' })).toEqual([...EVERYONE].reverse());
    for (const params of [{ sortBy: 'title' }, { sortBy: 'active' }, { sortBy: 'nothing' }, { sortOrder: 'sideways' }] as Record<
      string,
      string
    >[]) {
      expectScimError(await list(scim, params), 400, 'invalidValue');
    }
  });

  it('returns what attributes asks for (id and schemas always), or all but excludedAttributes', async () => {
    const one = async (params: Record<string, string>) =>
      (await list(scim, { filter: 'userName eq "bob@example.com"', ...params })).body.Resources[0];
    expect(await one({ attributes: 'userName' })).toEqual({ schemas: [USER_SCHEMA], id: ids['bob'], userName: 'bob@example.com' });
    expect(await one({ attributes: 'Name.GivenName, emails.value,unknownThing' })).toEqual({
      schemas: [USER_SCHEMA],
      id: ids['bob'],
      name: { givenName: 'Bob' },
      emails: [{ value: 'bob@example.com' }],
    });
    expect(await one({ attributes: `${USER_SCHEMA}:active,meta.version` })).toEqual({
      schemas: [USER_SCHEMA],
      id: ids['bob'],
      active: true,
      meta: { version: expect.stringMatching(/^W\//) },
    });
    const without = await one({ excludedAttributes: 'groups,meta,name.formatted,id' });
    expect(without).not.toHaveProperty('groups');
    expect(without).not.toHaveProperty('meta');
    expect(without.id).toBe(ids['bob']);
    expect(without.name).toEqual({ familyName: 'Builder', givenName: 'Bob' });
    const single = await call(scim, `/Users/${ids['bob']}?attributes=displayName`);
    expect(single.body).toEqual({ schemas: [USER_SCHEMA], id: ids['bob'], displayName: 'Bob Builder' });
  });

  it('searches with POST /Users/.search: the same parameters in a SearchRequest body', async () => {
    const search = (body: unknown) =>
      call(scim, '/Users/.search', { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
    const r = await search({
      schemas: [SEARCH_SCHEMA],
      filter: 'userName ew ".org" or active eq false',
      attributes: ['userName', 'active'],
      sortBy: 'userName',
      sortOrder: 'descending',
      startIndex: 1,
      count: 10,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ totalResults: 2, itemsPerPage: 2 });
    expect(r.body.Resources).toEqual([
      { schemas: [USER_SCHEMA], id: ids['dave'], userName: 'dave@sample.org', active: true },
      { schemas: [USER_SCHEMA], id: ids['carol'], userName: 'carol@sample.org', active: false },
    ]);
    expectScimError(await search({ filter: 'userName pr' }), 400, 'invalidSyntax');
    expectScimError(await search({ schemas: [SEARCH_SCHEMA], filter: 'userName eq x' }), 400, 'invalidFilter');
    expectScimError(await search({ schemas: [SEARCH_SCHEMA], count: 'many' }), 400, 'invalidValue');
    expectScimError(await search({ schemas: [SEARCH_SCHEMA], attributes: [1] }), 400, 'invalidValue');
    expectScimError(await search([]), 400, 'invalidSyntax');
  });

  it('needs users:read (403 without it, the discovery still open) and a token (a browser session is 401)', async () => {
    const role = await app.admin.ok(`mutation($i: CreateRoleInput!) { createRole(input: $i) { id } }`, {
      i: { name: 'Teams only', permissions: ['teams:read'] },
    });
    const capped = app.client({
      bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: 'teams only', roleId: role.createRole.id } })).createApiToken.secret,
    });
    expect((await call(capped, '/ServiceProviderConfig')).status).toBe(200);
    expectScimError(await list(capped, {}), 403);
    expectScimError(await call(capped, `/Users/${ids['bob']}`), 403);
    const searched = await call(capped, '/Users/.search', {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: [SEARCH_SCHEMA] }),
    });
    expectScimError(searched, 403);
    const cookie = await list(app.admin, {});
    expectScimError(cookie, 401);
    expect(cookie.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
