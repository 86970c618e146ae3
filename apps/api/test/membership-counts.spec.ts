import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
const USERS = `query { users(first: 1, sortBy: EMAIL, sortDirection: ASC) { totalCount totalCountIsExact } }`;
const ORGANIZATIONS = `query($search: String) { organizations(first: 10, search: $search) { organizations { slug memberCount } } }`;
const PEOPLE = 48;

/**
 * An organization's member count is spread over slots (one per concurrent writer), summed by every reader:
 * creations and deletions in parallel in one organization leave the users page's total and the organizations
 * page's member count exact.
 */
describe('member counts under parallel writes in one organization', () => {
  let app: TestApp;
  let scim: Client;
  let org: { id: string; slug: string };

  beforeAll(async () => {
    app = await startApp('membership-counts');
    [org] = await app.sql<{ id: string; slug: string }>(`SELECT id, slug FROM organizations ORDER BY created_at, id LIMIT 1`);
    scim = app.client({ bearer: (await app.admin.ok(CREATE_TOKEN, { i: { name: 'provider' } })).createApiToken.secret as string });
  });
  afterAll(() => app?.close());

  const counts = async () => {
    const users = (await app.admin.ok(USERS)).users;
    const listed = (await app.admin.ok(ORGANIZATIONS, { search: org.slug })).organizations.organizations as Json[];
    const [{ members }] = await app.sql<{ members: number }>(
      `SELECT count(*)::int AS members FROM memberships WHERE organization_id = $1 AND status <> 'INVITED'`,
      [org.id],
    );
    return {
      total: users.totalCount,
      exact: users.totalCountIsExact,
      memberCount: listed.find((o) => o.slug === org.slug)?.memberCount,
      members,
    };
  };

  const post = (i: number) =>
    scim.fetch('/scim/v2/Users', {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `parallel-${i}@counts.test`,
        name: { givenName: 'Par', familyName: `Allel ${i}` },
        emails: [{ primary: true, value: `parallel-${i}@counts.test`, type: 'work' }],
        externalId: `00u-parallel-${i}`,
        active: true,
      }),
    });

  it('stays exact after parallel creations and parallel deletions', async () => {
    const before = await counts();
    expect(before).toMatchObject({ exact: true, memberCount: before.members, total: before.members });

    const created = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => post(i)));
    expect(created.map((r) => r.status)).toEqual(Array(PEOPLE).fill(201));
    const ids = await Promise.all(created.map(async (r) => ((await r.json()) as Json).id as string));
    const grown = await counts();
    expect(grown).toEqual({
      total: before.total + PEOPLE,
      exact: true,
      memberCount: before.memberCount + PEOPLE,
      members: before.members + PEOPLE,
    });
    // The writers added into several slots (each transaction its own), not one row.
    const [{ slots }] = await app.sql<{ slots: number }>(
      `SELECT count(*)::int AS slots FROM membership_counts WHERE organization_id = $1`,
      [org.id],
    );
    expect(slots).toBeGreaterThan(1);
    expect(slots).toBeLessThanOrEqual(16);

    const gone = ids.slice(0, 30);
    const deleted = await Promise.all(gone.map((id) => scim.fetch(`/scim/v2/Users/${id}`, { method: 'DELETE' })));
    expect(deleted.map((r) => r.status)).toEqual(Array(gone.length).fill(204));
    expect(await counts()).toEqual({
      total: before.total + PEOPLE - gone.length,
      exact: true,
      memberCount: before.memberCount + PEOPLE - gone.length,
      members: before.members + PEOPLE - gone.length,
    });
  });
});
