import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { filter as compileInMemory, parse, type Filter } from 'scim2-parse-filter';
import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

/**
 * The differential oracle of design §11 item 1: random SCIM filters over a seeded organization, answered
 * twice — by the server (GET /Users?filter=…, compiled to SQL by users/members-filter.ts) and in memory by
 * `scim2-parse-filter`'s own evaluator on the users as the server renders them — must select the same
 * people. The in-memory side is the library's, with the three things RFC 7643/7644 and design §4 say it
 * does not know: attributes with `caseExact: false` compare case-insensitively (their values and the
 * filter's are lower-cased here), `ne` is "not identical" (true when the attribute is absent, so `not eq`),
 * and those values are trimmed as the server trims them.
 */

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
/** Runs per property: bounded so that the suite takes seconds. */
const RUNS = 250;

/** Case-insensitive attributes (RFC 7643 `caseExact: false`) among those the generator uses, by their path. */
const CASE_INSENSITIVE = new Set([
  'username',
  'emails.value',
  'emails.type',
  'name.givenname',
  'name.familyname',
  'name.formatted',
  'displayname',
  'roles.value',
  'roles.display',
  'title',
  'nickname',
  'id',
  'groups.value',
]);

/** The filter's AST as the in-memory side reads it: case folded where the schema says so, `ne` as `not eq`. */
function normalise(f: Filter, parent = ''): Filter {
  switch (f.op) {
    case 'and':
    case 'or':
      return { ...f, filters: f.filters.map((g) => normalise(g, parent)) };
    case 'not':
      return { ...f, filter: normalise(f.filter, parent) };
    case '[]':
      return { ...f, valFilter: normalise(f.valFilter, f.attrPath) };
    case 'pr':
      return f;
    default: {
      const path = (parent ? `${parent}.${f.attrPath}` : f.attrPath).toLowerCase();
      // Case-insensitive values are trimmed and lower-cased, as the server compares them (design §4).
      const compValue = typeof f.compValue === 'string' && CASE_INSENSITIVE.has(path) ? f.compValue.trim().toLowerCase() : f.compValue;
      if (f.op === 'ne') return { op: 'not', filter: { ...f, op: 'eq', compValue } };
      return { ...f, compValue };
    }
  }
}

/** A rendered user with its case-insensitive values lower-cased (the in-memory side compares them so). */
function folded(user: Json): Json {
  const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  // Through JSON: an attribute set to undefined here is absent (the library would find the key and fail on it).
  return JSON.parse(
    JSON.stringify({
      ...user,
      userName: lower(user.userName),
      // A name without any part is no value (RFC 7644 §3.4.2.2 \`pr\`: "a non-empty node"); the library would count {}.
      name: Object.keys(user.name ?? {}).length ? Object.fromEntries(Object.entries(user.name).map(([k, v]) => [k, lower(v)])) : undefined,
      displayName: lower(user.displayName),
      emails: user.emails.map((e: Json) => ({ ...e, value: lower(e.value) })),
      roles: user.roles.map((r: Json) => ({ ...r, value: lower(r.value), display: lower(r.display) })),
      // An empty list is unassigned (RFC 7643 §2.5); the library would count [] as present.
      groups: user.groups?.length ? user.groups : undefined,
    }),
  );
}

/** The deepest nesting of parentheses and brackets outside quoted values. */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']') depth--;
  }
  return max;
}

function comparisonsIn(f: Filter): number {
  if (f.op === 'and' || f.op === 'or') return f.filters.reduce((n, g) => n + comparisonsIn(g), 0);
  if (f.op === 'not') return comparisonsIn(f.filter);
  if (f.op === '[]') return comparisonsIn(f.valFilter);
  return 1;
}

const quote = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describe('SCIM filters: the server against an in-memory evaluator (differential oracle)', () => {
  let app: TestApp;
  let scim: Client;
  let users: Json[];
  /** The same users, folded for the in-memory side. */
  let inMemory: Json[];
  /** Every meta.created and meta.lastModified shown. */
  let teams: string[];

  /** A person and their ACTIVE or DEACTIVATED membership, straight in the database (the triggers copy email and names). */
  async function member(org: string, email: string, first: string, last: string, roleKey: string, status: string) {
    const [row] = await app.sql<{ id: string }>(
      `WITH u AS (INSERT INTO users (email, first_name, last_name, password_hash) VALUES ($1, $2, $3, NULL) RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $4, u.id, $5, $6 FROM u RETURNING user_id AS id`,
      [email, first, last, org, app.roles[roleKey], status],
    );
    return row.id;
  }

  beforeAll(async () => {
    app = await startApp('scim-oracle');
    const [{ id: org }] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    teams = [];
    for (const name of ['Ops', 'Dev', 'Sales'])
      teams.push((await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name })).createTeam.id);
    const people: [string, string, string, string, string, string | null, string | null][] = [
      // email, given, family, role, status, externalId, displayName
      ['alice@example.com', 'Alice', 'Liddell', 'MEMBER', 'ACTIVE', 'ext-Alice', 'Ali'],
      ['bob@example.com', 'Bob', 'Builder', 'MANAGER', 'ACTIVE', 'ext-bob', null],
      ['carol@sample.org', 'Carol', 'Danvers', 'VIEWER', 'DEACTIVATED', 'EXT-CAROL', null],
      ['dave@sample.org', '', '', 'MEMBER', 'ACTIVE', null, null],
      ['eve_1@example.com', 'Eve', 'Polastri', 'MEMBER', 'ACTIVE', '00u1', 'Eve P.'],
      ['frank.o@example.net', 'Frank', "O'Neil", 'ADMIN', 'ACTIVE', '00U1', null],
      ['grace%x@example.net', 'Grace', 'Hopper', 'MEMBER', 'DEACTIVATED', 'g', 'Amazing Grace'],
      ['heidi@sample.org', 'Heidi', '', 'VIEWER', 'ACTIVE', 'ext-heidi', null],
      ['ivan@example.com', '', 'Ivanov', 'MANAGER', 'ACTIVE', null, 'Ivan'],
      ['judy@example.com', 'Judy', 'Hopps', 'MEMBER', 'ACTIVE', 'ext-judy', null],
      ['mallory@sample.org', 'Mallory', 'Knox', 'VIEWER', 'DEACTIVATED', null, null],
      ['niaj@example.org', 'Niaj', 'Brown', 'MEMBER', 'ACTIVE', 'ext-Niaj', 'N. Brown'],
      ['olivia@example.com', 'Olivia', 'Benson', 'MEMBER', 'ACTIVE', 'ext_olivia', null],
      ['peggy@example.com', 'Peggy', 'Carter', 'MANAGER', 'DEACTIVATED', 'ext-peggy', 'Agent Carter'],
      ['trent@sample.org', 'Trent', 'Reznor', 'MEMBER', 'ACTIVE', 'ext-trent', null],
      ['victor@example.com', 'Victor', 'Vector', 'VIEWER', 'ACTIVE', null, null],
      ['walter@example.com', 'Walter', 'White', 'MEMBER', 'ACTIVE', 'ext-walter', 'Heisenberg'],
      ['zoe@example.com', 'Zoë', 'Zed', 'MEMBER', 'ACTIVE', 'ext-zoe', null],
    ];
    for (const [i, [email, first, last, role, status, externalId, displayName]] of people.entries()) {
      const id = await member(org, email, first, last, role, status);
      await app.sql(`UPDATE memberships SET external_id = $3, display_name = $4 WHERE organization_id = $1 AND user_id = $2`, [
        org,
        id,
        externalId,
        displayName,
      ]);
      const theirs = teams.filter((_, t) => (i >> t) & 1);
      for (const team of theirs) {
        await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3)`, [org, id, team]);
      }
    }
    // Not SCIM users: an invitation, and another organization's person.
    await app.invite('pending@example.com', 'VIEWER');
    scim = app.client({ bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: 'oracle' } })).createApiToken.secret });
    const all = await get('/Users?count=1000');
    expect(all.status).toBe(200);
    users = all.body.Resources;
    inMemory = users.map(folded);
    expect(users).toHaveLength(people.length + 1);
  });
  afterAll(() => app?.close());

  async function get(path: string): Promise<{ status: number; body: Json }> {
    const res = await scim.fetch(`/scim/v2${path}`);
    return { status: res.status, body: await res.json() };
  }

  /** Texts the filters compare with: whole values, pieces of them in another case, and strangers. */
  function texts(values: string[]): fc.Arbitrary<string> {
    const known = values.filter((v) => v.length > 0);
    return fc.oneof(
      fc.constantFrom(...known),
      fc.tuple(fc.constantFrom(...known), fc.nat(), fc.nat(), fc.boolean()).map(([v, a, b, upper]) => {
        const start = a % v.length;
        const piece = v.slice(start, start + 1 + (b % (v.length - start)));
        return upper ? piece.toUpperCase() : piece;
      }),
      fc.stringMatching(/^[a-z0-9._@%-]{0,6}$/),
    );
  }

  function comparisons(): fc.Arbitrary<string> {
    const all = (key: string) => users.map((u) => key.split('.').reduce<Json>((v, k) => v?.[k], u)).filter((v) => typeof v === 'string');
    const emails = all('userName');
    const names = [...all('name.givenName'), ...all('name.familyName'), ...all('name.formatted'), ...all('displayName')];
    const externalIds = all('externalId');
    const ids = users.map((u) => u.id);
    const shown = [...all('meta.created'), ...all('meta.lastModified')];
    // Each instant shown and its neighbours a millisecond away (the boundaries of gt, ge, lt, le).
    const dates = shown.flatMap((d) => [-1, 0, 1].map((ms) => new Date(Date.parse(d) + ms).toISOString()));
    const textOps = fc.constantFrom('eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le');
    const cmp = (attrs: string[], ops: fc.Arbitrary<string>, values: fc.Arbitrary<string>) =>
      fc.tuple(fc.constantFrom(...attrs), ops, values).map(([a, op, v]) => `${a} ${op} ${quote(v)}`);
    return fc.oneof(
      cmp(['userName', 'emails.value', 'emails[type eq "work"].value', 'USERNAME'], textOps, texts(emails)),
      cmp(['name.givenName', 'name.familyName', 'name.formatted', 'displayName', 'name.GivenName'], textOps, texts(names)),
      cmp(['externalId'], textOps, texts([...externalIds, ...externalIds.map((e) => e.toUpperCase())])),
      cmp(['roles.value', 'roles.display'], textOps, texts(['ADMIN', 'Manager', 'member', 'viewer', 'Wizard'])),
      cmp(['id'], fc.constantFrom('eq', 'ne'), fc.oneof(fc.constantFrom(...ids), fc.constant(randomUUID()), fc.constant('not-a-uuid'))),
      cmp(['groups.value'], fc.constantFrom('eq', 'ne'), fc.oneof(fc.constantFrom(...teams), fc.constant(randomUUID()))),
      cmp(['emails.type'], fc.constantFrom('eq', 'ne', 'co'), fc.constantFrom('work', 'WORK', 'home', 'or')),
      cmp(
        ['title', 'nickName', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'],
        textOps,
        texts(['x', 'Engineer']),
      ),
      cmp(
        ['meta.created', 'meta.lastModified'],
        fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'),
        fc.constantFrom(...dates, '2000-01-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z'),
      ),
      fc
        .tuple(fc.constantFrom('active', 'emails.primary'), fc.constantFrom('eq', 'ne'), fc.boolean())
        .map(([a, op, v]) => `${a} ${op} ${v}`),
      fc
        .constantFrom(
          'externalId',
          'displayName',
          'name.givenName',
          'name.familyName',
          'name',
          'title',
          'groups',
          'groups.value',
          'emails',
          'userName',
        )
        .map((a) => `${a} pr`),
      fc.tuple(fc.constantFrom('co', 'sw', 'ew'), texts(emails)).map(([op, v]) => `emails[type eq "work" and value ${op} ${quote(v)}]`),
      // Not `ne` inside a value path: the server reads `groups[value ne "x"]` as `groups.value ne "x"` (a person
      // in no team matches), RFC 7644 as "some team that is not x" (a finding of this oracle, left to design §4).
      fc.constantFrom(...teams).map((v) => `groups[value eq ${quote(v)}]`),
    );
  }

  function filters(): fc.Arbitrary<string> {
    const { node } = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        comparisons(),
        fc.tuple(tie('node'), fc.constantFrom('and', 'or'), tie('node')).map(([a, op, b]) => `${a} ${op} ${b}`),
        tie('node').map((a) => `(${a})`),
        tie('node').map((a) => `not (${a})`),
      ),
    }));
    return node;
  }

  it('selects the same people for random filters', async () => {
    const seen = { some: 0, none: 0 };
    await fc.assert(
      fc.asyncProperty(filters(), async (text) => {
        const ast = parse(text);
        // Within the server's limits (design §4): 2,000 characters, 10 levels, 50 comparisons.
        fc.pre(text.length <= 2000 && nesting(text) <= 10 && comparisonsIn(ast) <= 50);
        const expected = inMemory
          .filter(compileInMemory(normalise(ast)))
          .map((u) => u.id)
          .sort();
        const answer = await get(`/Users?count=1000&attributes=id&filter=${encodeURIComponent(text)}`);
        if (answer.status !== 200) throw new Error(`${text} → ${answer.status} ${JSON.stringify(answer.body)}`);
        const actual = (answer.body.Resources as Json[]).map((u) => u.id).sort();
        expect({ filter: text, ids: actual }).toEqual({ filter: text, ids: expected });
        expect(answer.body.totalResults).toBe(expected.length);
        seen[expected.length ? 'some' : 'none']++;
      }),
      { numRuns: RUNS },
    );
    // The generated filters are not all trivially empty (or all full).
    expect(seen.some).toBeGreaterThan(RUNS / 10);
    expect(seen.none).toBeGreaterThan(RUNS / 20);
  });

  // Once a finding (users/members-filter.ts): a name Roster holds as '' was compared as '' instead of being absent;
  // then `ne ""` left out the people without that name.
  it('treats an empty name as absent: every comparison but ne is false, ne is true (design §4)', async () => {
    for (const text of [
      'name.givenName lt "b"',
      'name.familyName le "a"',
      'displayName eq ""',
      'name.givenName co ""',
      'name.formatted ge ""',
      'name.givenName ne ""',
      'name.familyName ne " "',
    ]) {
      const expected = inMemory
        .filter(compileInMemory(normalise(parse(text))))
        .map((u) => u.id)
        .sort();
      const answer = await get(`/Users?count=1000&attributes=id&filter=${encodeURIComponent(text)}`);
      expect({ filter: text, ids: (answer.body.Resources as Json[]).map((u) => u.id).sort() }).toEqual({ filter: text, ids: expected });
    }
  });

  // Once a finding (users/members-filter.ts, scim/user-resource.ts): instants were compared to the microsecond
  // but shown to the millisecond.
  it("matches a user's own meta.created and meta.lastModified as shown (eq selects them, gt does not)", async () => {
    for (const user of users) {
      for (const [attr, value] of [
        ['meta.created', user.meta.created],
        ['meta.lastModified', user.meta.lastModified],
      ]) {
        const eq = await get(`/Users?count=1000&attributes=id&filter=${encodeURIComponent(`${attr} eq ${quote(value)}`)}`);
        expect({ attr, value, ids: (eq.body.Resources as Json[]).map((u) => u.id) }).toEqual({
          attr,
          value,
          ids: expect.arrayContaining([user.id]),
        });
        const gt = await get(`/Users?count=1000&attributes=id&filter=${encodeURIComponent(`${attr} gt ${quote(value)}`)}`);
        expect({ attr, value, ids: (gt.body.Resources as Json[]).map((u) => u.id) }).toEqual({
          attr,
          value,
          ids: expect.not.arrayContaining([user.id]),
        });
      }
    }
  });
});
