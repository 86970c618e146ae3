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
