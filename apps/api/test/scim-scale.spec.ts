import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';
import { whileCountedMore } from './support/member-counter';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
const PEOPLE = 250;

/** GET /scim/v2/Users with these query parameters: the status and the users' ids in order. */
async function page(client: Client, params: Record<string, string | number>): Promise<{ status: number; total: number; ids: string[] }> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const res = await client.fetch(`/scim/v2/Users?${query}`);
  const body = (await res.json()) as Json;
  return { status: res.status, total: body.totalResults, ids: (body.Resources ?? []).map((u: Json) => u.id) };
}

/**
 * SCIM at scale, in behaviour (design §4): an identity provider's walk by startIndex is continued by keyset from
 * where the last page ended, and answers what OFFSET answers; a filter led by the email's trigram index in a large
 * organization reads that index by the term alone and still answers the organization's users only.
 */
describe('SCIM users at scale: walks and large organizations', () => {
  let app: TestApp;
  let org: string;
  let tokenA: Client;
  let tokenB: Client;
  let stranger: string;

  beforeAll(async () => {
    app = await startApp('scim-scale');
    [{ id: org }] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    // People with many ties on every sort key: 7 given names, 11 family names, 40 change times a microsecond apart.
    await app.sql(
      `WITH u AS (INSERT INTO users (email, first_name, last_name, password_hash)
                  SELECT 'walk-' || lpad(g::text, 3, '0') || '@walk.test', 'Given' || (g % 7), 'Family' || (g % 11), NULL
                    FROM generate_series(1, ${PEOPLE}) g RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, u.id, $2, 'ACTIVE' FROM u`,
      [org, app.roles['MEMBER']],
    );
    await app.sql(
      `UPDATE memberships SET updated_at = '2026-01-01T00:00:00Z'::timestamptz + (abs(hashtext(email)) % 40) * interval '1 microsecond',
              external_id = 'ext-' || substr(md5(email), 1, 6)
        WHERE organization_id = $1 AND email LIKE 'walk-%'`,
      [org],
    );
    // Another organization's person whose email holds the same terms.
    const b = await app.admin.ok(`mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id } } }`, {
      i: { name: 'Other', slug: 'other-org', firstAdminEmail: 'other-admin@example.com' },
    });
    const otherOrg = b.createOrganization.organization.id;
    const [{ id: otherRole }] = await app.sql<{ id: string }>(`SELECT id FROM roles WHERE organization_id = $1 AND key = 'MEMBER'`, [
      otherOrg,
    ]);
    [{ id: stranger }] = await app.sql<{ id: string }>(
      `WITH u AS (INSERT INTO users (email, first_name, last_name) VALUES ('walk-777@walk.test.other', 'Given1', 'Family1') RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, u.id, $2, 'ACTIVE' FROM u RETURNING user_id AS id`,
      [otherOrg, otherRole],
    );
    const token = async (name: string) => (await app.admin.ok(CREATE_TOKEN, { i: { name } })).createApiToken.secret as string;
    tokenA = app.client({ bearer: await token('walker A') });
    tokenB = app.client({ bearer: await token('walker B') });
  });
  afterAll(() => app?.close());

  /** The walks compared: each sort and direction SCIM continues by keyset, filtered and not. */
  const WALKS: [string, Record<string, string>][] = [
    ['by userName (the default)', {}],
    ['by userName, descending', { sortBy: 'userName', sortOrder: 'descending' }],
    ['by name.givenName (ties broken by id)', { sortBy: 'name.givenName' }],
    ['by name.familyName, descending', { sortBy: 'name.familyName', sortOrder: 'descending' }],
    ['by meta.lastModified (ties a microsecond apart)', { sortBy: 'meta.lastModified' }],
    ['by meta.lastModified, descending', { sortBy: 'meta.lastModified', sortOrder: 'descending' }],
    ['by externalId (OFFSET only)', { sortBy: 'externalId' }],
    ['filtered by userName co "walk"', { filter: 'userName co "walk"' }],
    ['filtered by name.givenName eq "given3", by meta.lastModified', { filter: 'name.givenName eq "given3"', sortBy: 'meta.lastModified' }],
  ];

  it.each(WALKS)('a walk by startIndex %s answers each page as OFFSET does', async (_name, params) => {
    const count = 15;
    const all = await page(tokenB, { ...params, count: 1000 });
    expect(all.status).toBe(200);
    expect(new Set(all.ids).size).toBe(all.total);
    // A walks forward (each page continues where the last ended); B asks the same pages last to first, which no
    // walk's place can serve (a place serves its next row and after): OFFSET's answers.
    const starts = Array.from({ length: Math.ceil(all.total / count) }, (_, i) => 1 + i * count);
    const forward: string[][] = [];
    for (const startIndex of starts) forward.push((await page(tokenA, { ...params, startIndex, count })).ids);
    const backward: string[][] = [];
    for (const startIndex of [...starts].reverse()) backward.unshift((await page(tokenB, { ...params, startIndex, count })).ids);
    expect(forward).toEqual(backward);
    expect(forward.flat()).toEqual(all.ids);
    // Skipping pages ahead of a walk's place (an OFFSET from it) answers the same too.
    await page(tokenA, { ...params, startIndex: 1, count });
    expect((await page(tokenA, { ...params, startIndex: 1 + 3 * count, count: 7 })).ids).toEqual(all.ids.slice(3 * count, 3 * count + 7));
  });

  it('continues a walk from the last row served (keyset): someone new before it is neither repeated nor shifts the page', async () => {
    const params = { filter: 'userName sw "walk-"', count: 10 };
    const before = await page(tokenA, { ...params, count: 1000 });
    expect((await page(tokenA, { ...params, startIndex: 1 })).ids).toEqual(before.ids.slice(0, 10));
    // Someone joins, sorting first: OFFSET's second page would start with the first page's last user again.
    const [{ id: first }] = await app.sql<{ id: string }>(
      `WITH u AS (INSERT INTO users (email, first_name, last_name) VALUES ('walk-000@walk.test', 'First', 'Comer') RETURNING id)
       INSERT INTO memberships (organization_id, user_id, role_id, status) SELECT $1, u.id, $2, 'ACTIVE' FROM u RETURNING user_id AS id`,
      [org, app.roles['MEMBER']],
    );
    try {
      const next = await page(tokenA, { ...params, startIndex: 11 });
      expect(next.total).toBe(before.total + 1);
      expect(next.ids).toEqual(before.ids.slice(10, 20));
      // Another token has no walk here: OFFSET's answer (the newcomer counted before it).
      expect((await page(tokenB, { ...params, startIndex: 11 })).ids).toEqual(before.ids.slice(9, 19));
      // Asking page 1 again starts over (OFFSET), and the newcomer is first.
      expect((await page(tokenA, { ...params, startIndex: 1 })).ids[0]).toBe(first);
    } finally {
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2`, [org, first]);
      await app.sql(`DELETE FROM users WHERE id = $1`, [first]);
    }
  });

  it('reads a large organization’s co, sw and ew by the term alone, and answers its own users only', async () => {
    const FILTERS = [
      'userName co "walk"',
      'userName co "k-07"',
      'userName sw "walk-1"',
      'userName ew "walk.test"',
      'emails[type eq "work"].value co "WALK-2"',
      'userName co "walk" and name.givenName eq "given1"',
      'userName sw "walk-00" or userName ew "9@walk.test"',
      'userName co "walk" and not (userName co "-1")',
    ];
    const small: Record<string, { total: number; ids: string[] }> = {};
    for (const filter of FILTERS) small[filter] = await page(tokenA, { filter, count: 1000 });
    // The organization counts as large (its counter, the sum of its slots, is what the statement reads).
    await whileCountedMore(app.sql, org, 60_000, async () => {
      for (const filter of FILTERS) {
        const large = await page(tokenB, { filter, count: 1000 });
        expect({ filter, ...large }).toEqual({ filter, status: 200, ...small[filter] });
        expect(large.ids).not.toContain(stranger);
        expect(large.total).toBeGreaterThan(0);
      }
      // Paged, and walked: the same pages.
      const all = small['userName co "walk"'].ids;
      expect((await page(tokenA, { filter: 'userName co "walk"', startIndex: 101, count: 50 })).ids).toEqual(all.slice(100, 150));
      expect((await page(tokenA, { filter: 'userName co "walk"', startIndex: 151, count: 50 })).ids).toEqual(all.slice(150, 200));
    });
  });
});
