import { gzipSync } from 'node:zlib';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * GraphQL POSTs are served without Express unless every request is logged (LOG_LEVEL info). Both
 * paths must answer the same: status, body, security headers and cookies, for good and bad requests.
 */
describe('GraphQL over HTTP, with and without Express', () => {
  let direct: TestApp;
  let viaExpress: TestApp;

  beforeAll(async () => {
    direct = await startApp('gql-direct');
    viaExpress = await startApp('gql-express', { LOG_LEVEL: 'info' });
  });
  afterAll(async () => {
    await direct?.close();
    await viaExpress?.close();
  });

  interface Sent {
    path?: string;
    headers?: Record<string, string>;
    body: string | Uint8Array;
  }
  const json = { 'content-type': 'application/json' };
  const cases: Record<string, Sent> = {
    'a query': { headers: json, body: JSON.stringify({ query: '{ __typename }' }) },
    'a query needing a session': { headers: json, body: JSON.stringify({ query: '{ me { user { id } } }' }) },
    'a syntax error': { headers: json, body: JSON.stringify({ query: '{ me { ' }) },
    'truncated JSON': { headers: json, body: '{"query": ' },
    'a JSON string': { headers: json, body: '"x"' },
    'JSON null': { headers: json, body: 'null' },
    'a batch': { headers: json, body: '[{"query":"{ __typename }"}]' },
    'an empty object': { headers: json, body: '{}' },
    'an empty body': { headers: json, body: '' },
    'a byte-order mark': { headers: json, body: '\uFEFF' + JSON.stringify({ query: '{ __typename }' }) },
    'over 1 MB': { headers: json, body: JSON.stringify({ query: `{ __typename } #${'x'.repeat(1_100_000)}` }) },
    'text/plain (CSRF)': { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) },
    'no content type': { headers: {}, body: JSON.stringify({ query: '{ __typename }' }) },
    'charset UTF-8, upper case': {
      headers: { 'content-type': 'Application/JSON; Charset=UTF-8' },
      body: JSON.stringify({ query: '{ __typename }' }),
    },
    'charset latin1': {
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: JSON.stringify({ query: '{ __typename }' }),
    },
    gzip: { headers: { ...json, 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(JSON.stringify({ query: '{ __typename }' }))) },
    'a query string': { path: '/graphql?x=1', headers: json, body: JSON.stringify({ query: '{ __typename }' }) },
    'a wrong variable': {
      headers: json,
      body: JSON.stringify({ query: 'query($n: Int) { __typename }', variables: { n: 'many' } }),
    },
  };

  const send = async (app: TestApp, sent: Sent) => {
    const res = await fetch(`${app.server.url}${sent.path ?? '/graphql'}`, {
      method: 'POST',
      headers: sent.headers,
      body: sent.body as string,
    });
    const headers = Object.fromEntries(
      [...(res.headers as unknown as Iterable<[string, string]>)].filter(
        ([name]) => !['date', 'connection', 'keep-alive', 'content-length'].includes(name),
      ),
    );
    return { status: res.status, headers, body: await res.text() };
  };

  it.each(Object.keys(cases))('%s: the same answer', async (name) => {
    const [a, b] = await Promise.all([send(direct, cases[name]), send(viaExpress, cases[name])]);
    expect(a).toEqual(b);
    expect(a.headers['content-security-policy']).toContain("default-src 'self'");
    expect(a.headers['x-powered-by']).toBeUndefined();
    expect(a.status).toBeLessThan(500);
  });

  /** Set-Cookie without the values and dates, which differ between two sign-ins. */
  const cookieShapes = (res: Response) =>
    res.headers
      .getSetCookie()
      .map((c) =>
        c
          .split(';')
          .map((part) => part.trim())
          .map((part, i) =>
            i === 0
              ? part.split('=')[0]
              : /^expires=/i.test(part)
                ? `Expires=${part.slice(8) === 'Thu, 01 Jan 1970 00:00:00 GMT' ? 'epoch' : 'later'}`
                : part,
          )
          .join('; '),
      )
      .sort();

  it('signing in and out sets and clears the same cookies', async () => {
    const signIn = JSON.stringify({
      query: `mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { me { user { email } } } }`,
    });
    const shapes: string[][][] = [];
    for (const app of [direct, viaExpress]) {
      const res = await fetch(`${app.server.url}/graphql`, { method: 'POST', headers: json, body: signIn });
      expect((await res.json()).data.signIn.me.user.email).toBe('admin@example.com');
      const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
      const csrf = cookies.find((c) => c.startsWith('roster_csrf='))?.split('=')[1] ?? '';
      const signedIn = { ...json, cookie: cookies.join('; '), 'x-csrf-token': csrf };
      const me = await fetch(`${app.server.url}/graphql`, {
        method: 'POST',
        headers: signedIn,
        body: JSON.stringify({ query: '{ me { user { email } } }' }),
      });
      expect((await me.json()).data.me.user.email).toBe('admin@example.com');
      const out = await fetch(`${app.server.url}/graphql`, {
        method: 'POST',
        headers: signedIn,
        body: JSON.stringify({ query: 'mutation { signOut }' }),
      });
      expect(out.status).toBe(200);
      shapes.push([cookieShapes(res), cookieShapes(out)]);
    }
    expect(shapes[0]).toEqual(shapes[1]);
    expect(shapes[0][0]).toEqual([
      'roster_csrf; Path=/; Expires=later; SameSite=Strict',
      'roster_device; Max-Age=15552000; Path=/graphql; Expires=later; HttpOnly; SameSite=Strict',
      'roster_session; Path=/; Expires=later; HttpOnly; SameSite=Lax',
    ]);
    expect(shapes[0][1].every((c) => c.includes('Expires=epoch'))).toBe(true);
  });
});
