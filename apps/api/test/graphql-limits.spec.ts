import { serverAudits } from 'graphql-http';
import { startApp, TestApp } from './support/app';

/** Abusive operations get clear errors; the endpoint follows the GraphQL-over-HTTP specification. */
describe('GraphQL protection and protocol', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startApp('limits')));
  afterAll(() => app?.close());

  it.each([
    ['too many aliases', `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { theme }`).join(' ')} }`, 'GRAPHQL_VALIDATION_FAILED'],
    [
      'too costly',
      `{ ${Array.from({ length: 12 }, (_, i) => `a${i}: users(first: 200) { edges { node { email role { permissions } teams { name } } } }`).join(' ')} }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['too many tokens', `{ me { ${'theme '.repeat(2100)} } }`, 'GRAPHQL_PARSE_FAILED'],
    ['too many directives', `{ me { theme ${'@include(if: true) '.repeat(60)} } }`, 'GRAPHQL_VALIDATION_FAILED'],
  ])('refuses an operation %s', async (_label, query, code) => {
    const r = await app.admin.gql(query);
    expect(r.status).toBe(400);
    expect(r.errors?.[0]?.extensions?.code).toBe(code);
    expect(r.errors?.[0]?.message).toMatch(/limit|exceeded|more th/i);
  });

  it('refuses an operation nested too deep', async () => {
    // Introspection types nest freely: 11 levels of ofType.
    let q = 'name';
    for (let i = 0; i < 11; i++) q = `ofType { ${q} }`;
    const r = await app.admin.gql(`{ __type(name: "User") { fields { type { ${q} } } } }`);
    expect(r.errors?.[0]?.message).toMatch(/depth/i);
    expect(r.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  // Operations run on graphql-js the first time and compiled (graphql-jit) from the second: the
  // answers, errors included, must not change at the switch.
  it('answers an operation the same way once it runs compiled', async () => {
    const page = `query Page($first: Int, $sortBy: UserSortField!) { users(first: $first, sortBy: $sortBy, sortDirection: DESC) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id email role { name permissions } teams { name } permissionLevel lastSignInAt createdAt status twoFactorEnabled } } } }`;
    const missing = `query Missing($id: ID!) { me { user { email } } user(id: $id) { email } }`;
    const runs = [];
    for (let i = 0; i < 4; i++) {
      runs.push({
        page: await app.admin.gql(page, { first: 3, sortBy: 'EMAIL' }),
        badVariable: await app.admin.gql(page, { first: 'three', sortBy: 'EMAIL' }),
        badEnum: await app.admin.gql(page, { first: 3, sortBy: 'SHOE_SIZE' }),
        missing: await app.admin.gql(missing, { id: '5f0c6f44-7d4e-4a4b-9a3c-2f6a1d9e8b70' }),
      });
    }
    const [first, ...later] = runs;
    expect(first.page.errors).toBeUndefined();
    expect(first.page.data.users.edges.length).toBeGreaterThan(0);
    expect(first.badVariable.status).toBe(400);
    expect(first.badVariable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(first.badEnum.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // A resolver's error: its code and path (user is non-null, so the whole answer is null).
    expect(first.missing.errors?.[0]).toMatchObject({ path: ['user'], extensions: { code: 'NOT_FOUND' } });
    expect(first.missing.data).toBeNull();
    for (const run of later) {
      for (const key of ['page', 'badVariable', 'badEnum', 'missing'] as const) {
        expect({ key, status: run[key].status, data: run[key].data, errors: run[key].errors }).toEqual({
          key,
          status: first[key].status,
          data: first[key].data,
          errors: first[key].errors,
        });
      }
    }
  });

  it('refuses batched requests', async () => {
    const res = await app.admin.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': app.admin.cookies.get('roster_csrf') as string },
      body: JSON.stringify([{ query: '{ me { theme } }' }, { query: '{ me { theme } }' }]),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/batching/i);
  });

  it('passes every MUST of the graphql-http server audit', async () => {
    const results = await Promise.all(serverAudits({ url: `${app.server.url}/graphql` }).map((a) => a.fn()));
    const failedMusts = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => `${r.name}: ${(r as { reason?: string }).reason ?? ''}`);
    expect(failedMusts).toEqual([]);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
  });
});
