import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';

/**
 * GraphQL POSTs are served without Express unless GRAPHQL_FAST_PATH=false (or under tracing). Both
 * paths must answer the same: status, body, security headers and cookies, for good and bad requests.
 * Both run here as deployed, at LOG_LEVEL info: every request logged.
 */
describe('GraphQL over HTTP, with and without Express', () => {
  let direct: TestApp;
  let viaExpress: TestApp;

  beforeAll(async () => {
    direct = await startApp('gql-direct', { LOG_LEVEL: 'info' });
    viaExpress = await startApp('gql-express', { LOG_LEVEL: 'info', GRAPHQL_FAST_PATH: 'false' });
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

  it('logs every request at info on both paths: one line each, with the operation, without secrets', async () => {
    const lineOf = async (app: TestApp, marker: string): Promise<Record<string, unknown>> => {
      for (let i = 0; i < 100; i++) {
        const line = app.server
          .output()
          .split('\n')
          .find((l) => l.includes(marker) && l.includes('request completed'));
        if (line) return JSON.parse(line) as Record<string, unknown>;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no log line for ${marker}:\n${app.server.output().slice(-2000)}`);
    };
    const entries = await Promise.all(
      [direct, viaExpress].map(async (app, i) => {
        const marker = `LogProbe${i}x${Date.now()}`;
        const res = await fetch(`${app.server.url}/graphql`, {
          method: 'POST',
          // The marker in the user agent too: Express's line names the request by its headers, not its body.
          headers: {
            ...json,
            'user-agent': marker,
            cookie: 'roster_session=cookie-secret-4711',
            authorization: 'Bearer rst_token-secret-4711',
          },
          body: JSON.stringify({ query: `query ${marker} { __typename }`, operationName: marker }),
        });
        expect(res.status).toBe(200);
        return { entry: await lineOf(app, marker), marker };
      }),
    );
    const [fast, slow] = entries;
    expect(fast.entry).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { method: 'POST', url: '/graphql', operationName: fast.marker },
      res: { statusCode: 200 },
    });
    expect(typeof fast.entry['responseTime']).toBe('number');
    // The direct path serialises no header; Express's (pino-http) does, redacted: two paths indeed.
    expect((fast.entry['req'] as Record<string, unknown>)['headers']).toBeUndefined();
    expect(slow.entry).toMatchObject({ msg: 'request completed', req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 } });
    expect((slow.entry['req'] as { headers: Record<string, string> }).headers['cookie']).toBe('[Redacted]');
    for (const app of [direct, viaExpress]) {
      expect(app.server.output()).not.toContain('cookie-secret-4711');
      expect(app.server.output()).not.toContain('token-secret-4711');
    }
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

  describe('aliases named like JavaScript object internals', () => {
    /** The admin's answer on each path, three times: interpreted, then compiled (from the second time). */
    const thrice = async (query: string, variables: Record<string, unknown> = {}) => {
      const answers = [];
      for (const app of [direct, viaExpress]) {
        for (let i = 0; i < 3; i++) {
          const res = await app.admin.fetch('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query, variables }) });
          answers.push({ status: res.status, body: await res.json() });
        }
      }
      for (const a of answers) expect(a).toEqual(answers[0]);
      return answers[0];
    };

    it.each([
      ['an object field', '{ authConfig { __proto__: passwordSignIn } }', 'passwordSignIn'],
      ['a field holding an object', '{ users(first: 1) { __proto__: pageInfo { hasNextPage } totalCount } }', 'pageInfo'],
      ['a field of list items', '{ users(first: 2) { edges { node { id __proto__: email } } } }', 'email'],
      ['a root field', '{ __proto__: authConfig { passwordSignIn } }', 'authConfig'],
      ['a fragment', 'query { ...F } fragment F on Query { me { user { __proto__: email } } }', 'email'],
      ['a mutation', 'mutation { __proto__: revokeApiToken(id: "00000000-0000-4000-8000-000000000000") }', 'revokeApiToken'],
    ])('__proto__ on %s is refused on both paths, compiled or not', async (_what, query, field) => {
      const { status, body } = await thrice(query);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toEqual([
        {
          message: `The alias "__proto__" is not allowed (field "${field}"): choose another alias.`,
          locations: [expect.any(Object)],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ]);
    });

    it.each(['constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', 'toJSON', 'then', '__defineGetter__', '__proto'])(
      '%s answers as any other alias, compiled or not, also when a directive leaves it out',
      async (alias) => {
        const query = `query($with: Boolean!) {
          users(first: 2, sortBy: EMAIL) { ${alias}: totalCount edges { node { email ${alias}: firstName } } pageInfo { hasNextPage } }
          authConfig { password: passwordSignIn ${alias}: ssoUrl @include(if: $with) }
          me { user { email ${alias}: teams @skip(if: $with) { id } } }
        }`;
        const withIt = await thrice(query, { with: true });
        const nodes = withIt.body.data.users.edges.map((e: { node: Record<string, unknown> }) => e.node);
        expect(withIt.body.errors).toBeUndefined();
        expect(withIt.body.data.users[alias]).toBe(1);
        expect(nodes).toEqual([{ email: 'admin@example.com', [alias]: 'Ada' }]);
        expect(withIt.body.data.authConfig).toEqual({ password: true, [alias]: null });
        expect(withIt.body.data.me).toEqual({ user: { email: 'admin@example.com' } });
        const without = await thrice(query, { with: false });
        expect(without.body.errors).toBeUndefined();
        expect(without.body.data.authConfig).toEqual({ password: true });
        expect(without.body.data.me).toEqual({ user: { email: 'admin@example.com', [alias]: [] } });
        // Nothing but what was asked: no member of Object.prototype written out.
        expect(JSON.stringify([withIt, without])).not.toMatch(/native code|\[object Object\]/);
      },
    );
  });

  describe('odd Cookie headers', () => {
    /** Each server's own signed-in session: the session cookie's value and its CSRF token. */
    const sessions = new Map<TestApp, { session: string; csrf: string }>();
    beforeAll(async () => {
      for (const app of [direct, viaExpress]) {
        const res = await fetch(`${app.server.url}/graphql`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            query: `mutation { signIn(input: { email: "admin@example.com", password: "${STRONG_PASSWORD}" }) { twoFactorRequired } }`,
          }),
        });
        const cookies = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0].split('=') as [string, string]));
        sessions.set(app, { session: cookies.get('roster_session') ?? '', csrf: cookies.get('roster_csrf') ?? '' });
      }
    });

    /** Cookie headers (several lines when an array) made from a session cookie's value. */
    const headers: Record<string, (session: string) => string | string[]> = {
      'the cookie as set': (s) => `roster_session=${s}`,
      'the value quoted': (s) => `roster_session="${s}"`,
      'the quoted value between tabs': (s) => `roster_session=\t"${s}"\t`,
      'an opening quote only': (s) => `roster_session="${s}`,
      'spaces around the name and the value': (s) => ` roster_session = ${s} `,
      'a duplicate after it': (s) => `roster_session=${s}; roster_session=other`,
      'a duplicate before it': (s) => `roster_session=other; roster_session=${s}`,
      'two Cookie lines': (s) => ['theme=dark', `roster_session=${s}`],
      'two Cookie lines, each with the cookie': (s) => ['roster_session=other', `roster_session=${s}`],
      'every character percent-encoded': (s) => `roster_session=${[...s].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`,
      'a broken escape after it': (s) => `roster_session=${s}%E0%A4%A`,
      'an encoded space and semicolon': (s) => `roster_session=${s}%20%3B`,
      'as a JSON cookie (j:"…")': (s) => `roster_session=j:${JSON.stringify(s)}`,
      'a __proto__ cookie first': (s) => `__proto__=x; constructor=y; roster_session=${s}`,
      'empty pairs around it': (s) => `;; =; roster_session=${s};;`,
      'the name alone': () => 'roster_session',
    };
    /** Who each header signs in: the same on both paths, and what the cookie package's rules say. */
    const signedIn: Record<string, boolean> = {
      'the cookie as set': true,
      'the value quoted': false,
      'the quoted value between tabs': false,
      'an opening quote only': false,
      'spaces around the name and the value': true,
      'a duplicate after it': true,
      'a duplicate before it': false,
      'two Cookie lines': true,
      'two Cookie lines, each with the cookie': false,
      'every character percent-encoded': true,
      'a broken escape after it': false,
      'an encoded space and semicolon': false,
      'as a JSON cookie (j:"…")': false,
      'a __proto__ cookie first': true,
      'empty pairs around it': true,
      'the name alone': false,
    };

    /** POST /graphql with exactly these Cookie lines (fetch would merge them into one). */
    const post = (app: TestApp, cookie: string | string[], query: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const { csrf } = sessions.get(app) ?? { csrf: '' };
        const req = request(`${app.server.url}/graphql`, {
          method: 'POST',
          headers: { ...json, cookie, 'x-csrf-token': csrf },
        });
        req.on('error', fail);
        req.on('response', (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => done({ status: res.statusCode ?? 0, body }));
        });
        req.end(JSON.stringify({ query }));
      });

    it.each(Object.keys(headers))('%s: the same person on both paths', async (name) => {
      const answers = await Promise.all(
        [direct, viaExpress].map(async (app) => {
          const cookie = headers[name](sessions.get(app)?.session ?? '');
          const me = await post(app, cookie, '{ me { user { email } } }');
          // An operation that needs a person, with the CSRF check that reads the same cookie.
          const users = await post(app, cookie, '{ users(first: 1) { totalCount } }');
          return { me, users };
        }),
      );
      expect(answers[0]).toEqual(answers[1]);
      const [{ me, users }] = answers;
      expect(me.status).toBe(200);
      expect(JSON.parse(me.body).data.me).toEqual(signedIn[name] ? { user: { email: 'admin@example.com' } } : null);
      expect(JSON.parse(users.body).errors?.[0]?.extensions?.code).toBe(signedIn[name] ? undefined : 'UNAUTHENTICATED');
    });
  });
});
