import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client as Pg } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tools/testing/database';
import { freePort, startServer, TestServer } from '../../../tools/testing/server';
import { Client } from './support/client';
import { STRONG_PASSWORD } from './support/app';
import { authenticator } from './support/totp';
import { OrgClient } from './support/organizations';
import { pkce, verifyJwt } from './support/oidc';

/** HAProxy from the system (Debian's package; `.ci/run` installs it), or HAPROXY_BIN. */
function haproxyBinary(): string | null {
  const candidates = [process.env['HAPROXY_BIN'], '/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

const HAPROXY = haproxyBinary();
if (!HAPROXY) {
  // Said where the test runs, rather than passing silently: install haproxy (apt-get install haproxy) or set HAPROXY_BIN.
  console.warn('scale-out: skipped, no haproxy binary (apt-get install haproxy, or set HAPROXY_BIN)');
}
const maybe = HAPROXY ? describe : describe.skip;

/**
 * Two Roster processes on one database behind a real load balancer (HAProxy on loopback, round
 * robin, no stickiness, PUBLIC_URL its address), as a deployment runs them: nothing that matters
 * lives in one process.
 */
maybe('scale-out behind a load balancer', () => {
  let db: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let lb: ChildProcess;
  let lbUrl: string;
  let pg: Pg;
  /** HAProxy's log (non-2xx answers, health changes), shown when a test fails. */
  let lbOut = '';
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase('scale');
    pg = new Pg({ connectionString: db.url });
    await pg.connect();
    const port = await freePort();
    lbUrl = `http://127.0.0.1:${port}`;
    // Both at once on an empty database: migrations must run once, and both set-up URLs must work.
    [a, b] = await Promise.all([
      startServer(db.url, { ROSTER_SECRET_KEY: key, TRUST_PROXY: '1', PUBLIC_URL: lbUrl }),
      startServer(db.url, { ROSTER_SECRET_KEY: key, TRUST_PROXY: '1', PUBLIC_URL: lbUrl }),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'roster-lb-'));
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      [
        'global',
        '  maxconn 256',
        '  log stderr format raw local0 notice',
        'defaults',
        '  mode http',
        '  log global',
        '  option httplog',
        '  option log-health-checks',
        '  timeout connect 1s',
        '  timeout client 30s',
        '  timeout server 30s',
        '  retries 3',
        '  option redispatch 1',
        // Retry what never reached a server, and (for reads only) an answer cut off by a dying server.
        '  retry-on all-retryable-errors',
        '  option forwardfor',
        'frontend roster',
        `  bind 127.0.0.1:${port}`,
        '  http-request disable-l7-retry if METH_POST',
        '  default_backend instances',
        'backend instances',
        '  balance roundrobin',
        '  option httpchk GET /readyz',
        '  timeout check 2s',
        '  default-server inter 300ms fall 3 rise 2',
        `  server a ${new URL(a.url).host} check`,
        `  server b ${new URL(b.url).host} check`,
        // A request naming an instance (X-Roster-Instance) goes to it; every answer names the one that served it.
        '  use-server a if { req.hdr(x-roster-instance) -m str a }',
        '  use-server b if { req.hdr(x-roster-instance) -m str b }',
        '  http-response set-header x-roster-instance %[srv_name]',
        '',
      ].join('\n'),
    );
    lb = spawn(HAPROXY as string, ['-db', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    lbOut = '';
    lb.stdout?.on('data', (d) => (lbOut += d));
    lb.stderr?.on('data', (d) => (lbOut += d));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await fetch(`${lbUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (lb.exitCode !== null || Date.now() > deadline) throw new Error(`haproxy did not start:\n${lbOut}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    lb?.kill('SIGKILL');
    await Promise.all([a?.stop(), b?.stop()]);
    await pg?.end();
    await db?.drop();
  });

  const SETUP = `mutation($i: SetupFirstAdminInput!) { setupFirstAdmin(input: $i) { user { id } } }`;
  const setupInput = (url: string | null, password: string) => ({
    token: new URL(url as string).searchParams.get('token'),
    email: 'admin@example.com',
    firstName: 'Ada',
    lastName: 'Admin',
    password,
    passwordConfirmation: password,
  });
  let admin: Client;

  it('ran the migrations once, and every set-up URL printed by the two starts works', async () => {
    const applied = [a, b].filter((s) => /Applied migrations/.test(s.output()));
    expect(applied).toHaveLength(1);
    const { rows } = await pg.query(`SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    expect(a.setupUrl).not.toBeNull();
    expect(b.setupUrl).not.toBeNull();
    expect(a.setupUrl).not.toBe(b.setupUrl);
    // B's token is accepted (the refusal is about the password, which comes after the token check)…
    expect(await new Client(lbUrl).code(SETUP, { i: setupInput(b.setupUrl, 'short') })).toBe('WEAK_PASSWORD');
    // …and A's registers the first admin, after which neither works.
    admin = new Client(lbUrl);
    await admin.ok(SETUP, { i: setupInput(a.setupUrl, STRONG_PASSWORD) });
    expect(await new Client(lbUrl).code(SETUP, { i: setupInput(b.setupUrl, STRONG_PASSWORD) })).toBe('SETUP_UNAVAILABLE');
  });

  /** A client of one instance, holding the same cookies as `c`. */
  const on = (server: TestServer, c: Client) => {
    const direct = new Client(server.url);
    for (const [k, v] of c.cookies) direct.cookies.set(k, v);
    return direct;
  };

  it('keeps a session made on one instance valid on the other, and through the balancer', async () => {
    for (let i = 0; i < 6; i++) await admin.ok(`{ me { user { email } } }`);
    expect((await on(a, admin).ok(`{ me { user { email } } }`)).me.user.email).toBe('admin@example.com');
    expect((await on(b, admin).ok(`{ me { user { email } } }`)).me.user.email).toBe('admin@example.com');
  });

  let member: Client;
  let memberId: string;
  let secret: string;

  it('finishes on one instance a two-factor sign-in begun on the other', async () => {
    const roles = (await admin.ok(`{ roles { id key } }`)).roles as { id: string; key: string }[];
    const invitation = await admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`, {
      i: { email: 'member@example.com', roleId: roles.find((r) => r.key === 'MEMBER')?.id, teamIds: [] },
    });
    memberId = invitation.createInvitation.user.id;
    member = new Client(a.url);
    await member.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: {
        token: new URL(invitation.createInvitation.url).searchParams.get('token'),
        firstName: 'Mo',
        lastName: 'Member',
        password: STRONG_PASSWORD,
        passwordConfirmation: STRONG_PASSWORD,
      },
    });
    secret = (await member.ok(`mutation { startTwoFactorSetup { secret } }`)).startTwoFactorSetup.secret;
    // Set up on B with the secret A made.
    await on(b, member).ok(`mutation($c: String!) { completeTwoFactorSetup(input: { code: $c }) { recoveryCodes } }`, {
      c: authenticator(secret),
    });
    const started = await new Client(a.url).ok(
      `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { twoFactorRequired challengeToken } }`,
      { e: 'member@example.com', p: STRONG_PASSWORD },
    );
    expect(started.signIn.twoFactorRequired).toBe(true);
    const finisher = new Client(b.url);
    await finisher.ok(`mutation($t: String!, $c: String!) { verifyTwoFactor(input: { challengeToken: $t, code: $c }) { user { id } } }`, {
      t: started.signIn.challengeToken,
      c: authenticator(secret, Date.now() / 1000 + 30),
    });
    member = finisher;
    expect((await on(a, member).ok(`{ me { user { email } } }`)).me.user.email).toBe('member@example.com');
  });

  it('shares rate limits: attempts on both instances add up', async () => {
    const wrong = `mutation { signIn(input: { email: "target@example.com", password: "not the password 123" }) { twoFactorRequired } }`;
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) codes.push(await new Client(i % 2 ? a.url : b.url).code(wrong));
    expect(codes.every((c) => c === 'INVALID_CREDENTIALS')).toBe(true);
    expect(await new Client(a.url).code(wrong)).toBe('RATE_LIMITED');
    expect(await new Client(b.url).code(wrong)).toBe('RATE_LIMITED');
  });

  it('enforces a role change made on one instance on the other within a second', async () => {
    const memberOnB = on(b, member);
    await memberOnB.ok(`{ myApiTokens { id } }`);
    await memberOnB.ok(`mutation { createApiToken(input: { name: "before" }) { secret } }`);
    const roles = (await admin.ok(`{ roles { id key } }`)).roles as { id: string; key: string }[];
    await on(a, admin).ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
      i: { id: memberId, roleId: roles.find((r) => r.key === 'VIEWER')?.id },
    });
    const changedAt = Date.now();
    while (
      (await memberOnB.gql(`mutation { createApiToken(input: { name: "after" }) { secret } }`)).errors?.[0]?.extensions?.['code'] !==
      'FORBIDDEN'
    ) {
      expect(Date.now() - changedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('keeps two organizations apart on both instances: B suspended or a role of B changed on one, the other follows within a second, A untouched', async () => {
    const ACCEPT = `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`;
    const INVITE = `mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { url user { id } } }`;
    const tokenOf = (url: string) => new URL(url).searchParams.get('token');
    const register = async (url: string, email: string) => {
      const c = new Client(lbUrl);
      await c.ok(ACCEPT, {
        i: { token: tokenOf(url), firstName: email, lastName: 'Test', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
      });
      return c;
    };
    // B, made by the operator through the balancer; its admin registers; P is a Member of A and an Admin of B.
    const made = await admin.ok(
      `mutation($i: CreateOrganizationInput!) { createOrganization(input: $i) { organization { id slug } invitation { url } } }`,
      { i: { name: 'Scale B', slug: 'scale-b', firstAdminEmail: 'b-admin@example.com' } },
    );
    const orgB = made.createOrganization.organization as { id: string; slug: string };
    const bAdmin = new OrgClient(await register(made.createOrganization.invitation.url, 'b-admin@example.com'), orgB.slug);
    const tokenB = (await bAdmin.ok(`mutation { createApiToken(input: { name: "b" }) { secret } }`)).createApiToken.secret as string;
    const rolesA = (await admin.ok(`{ roles { id key } }`)).roles as { id: string; key: string }[];
    const rolesB = (await bAdmin.ok(`{ roles { id key } }`)).roles as { id: string; key: string }[];
    const roleId = (roles: { id: string; key: string }[], key: string) => roles.find((r) => r.key === key)?.id;
    const pInvite = await admin.ok(INVITE, { i: { email: 'pat@example.com', roleId: roleId(rolesA, 'MEMBER'), teamIds: [] } });
    const pBase = await register(pInvite.createInvitation.url, 'pat@example.com');
    const pId: string = pInvite.createInvitation.user.id;
    const toB = await bAdmin.ok(INVITE, { i: { email: 'pat@example.com', roleId: roleId(rolesB, 'ADMIN'), teamIds: [] } });
    await pBase.ok(ACCEPT, { i: { token: tokenOf(toB.createInvitation.url) } });

    const USERS = `{ users(first: 5) { totalCount } }`;
    const slugA = (await admin.ok(`{ me { organization { slug } } }`)).me.organization.slug as string;
    /** Each caller's answer on one instance: B's admin (cookie, token), P naming B and naming A, A's operator. */
    const answers = async (server: TestServer) => {
      const code = async (c: Client, q = USERS) => (await c.gql(q)).errors?.[0]?.extensions?.['code'] ?? 'OK';
      return {
        bCookie: await code(new OrgClient(on(server, bAdmin), orgB.slug)),
        bToken: await code(new Client(server.url, { bearer: tokenB })),
        pInB: await code(new OrgClient(on(server, pBase), orgB.slug)),
        pInA: await code(new OrgClient(on(server, pBase), slugA)),
        operator: await code(on(server, admin)),
      };
    };
    /** Polls every 25 ms for up to a second until `server` answers `expected`. */
    const within = async (server: TestServer, expected: Awaited<ReturnType<typeof answers>>) => {
      const t0 = Date.now();
      for (;;) {
        const seen = await answers(server);
        if (JSON.stringify(seen) === JSON.stringify(expected)) return;
        if (Date.now() - t0 > 1_000) expect(seen).toEqual(expected);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const allOk = { bCookie: 'OK', bToken: 'OK', pInB: 'OK', pInA: 'OK', operator: 'OK' };
    // Both instances serve both organizations (and have cached every caller).
    for (const server of [a, b]) for (let i = 0; i < 2; i++) expect(await answers(server)).toEqual(allOk);

    // B suspended on instance a: refused on b within a second, cookie and token alike; A and P in A served throughout.
    await on(a, admin).ok(`mutation($id: ID!) { suspendOrganization(id: $id) { id } }`, { id: orgB.id });
    await within(b, { ...allOk, bCookie: 'FORBIDDEN', bToken: 'FORBIDDEN', pInB: 'FORBIDDEN' });
    // Reactivated on b: served again on a within a second.
    await on(b, admin).ok(`mutation($id: ID!) { reactivateOrganization(id: $id) { id } }`, { id: orgB.id });
    await within(a, allOk);

    // P made a Viewer of B on instance a: on b, P can no longer write in B within a second, and still writes in A.
    const team = `mutation($n: String!) { createTeam(input: { name: $n }) { id } }`;
    const token = `mutation { createApiToken(input: { name: "p" }) { secret } }`;
    const pOnB = (slug: string) => new OrgClient(on(b, pBase), slug);
    await pOnB(orgB.slug).ok(team, { n: 'P in B' });
    await new OrgClient(on(a, bAdmin), orgB.slug).ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
      i: { id: pId, roleId: roleId(rolesB, 'VIEWER') },
    });
    const changedAt = Date.now();
    while ((await pOnB(orgB.slug).gql(team, { n: `P in B ${Date.now()}` })).errors?.[0]?.extensions?.['code'] !== 'FORBIDDEN') {
      expect(Date.now() - changedAt).toBeLessThan(1000);
      await new Promise((r) => setTimeout(r, 25));
    }
    await pOnB(slugA).ok(token);
    expect((await pOnB(slugA).ok(`{ me { user { role { key } } } }`)).me.user.role.key).toBe('MEMBER');
    // Each organization's rows stayed its own.
    const { rows } = await pg.query(
      `SELECT t.name, o.slug FROM teams t JOIN organizations o ON o.id = t.organization_id WHERE t.name LIKE 'P in B%'`,
    );
    expect(rows.map((r) => r.slug)).toEqual(['scale-b']);
  });

  it('completes one OpenID Connect code flow across both instances: each step, the code, the tokens and the refresh on the other', async () => {
    type Instance = 'a' | 'b';
    const other = (server: Instance): Instance => (server === 'a' ? 'b' : 'a');
    /** A request through the balancer to the instance named; HAProxy's answer header says which one served it. */
    const via = async (server: Instance, who: Client, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('x-roster-instance', server);
      const res = await who.fetch(path, { ...init, headers });
      expect([path.split('?')[0], res.headers.get('x-roster-instance')]).toEqual([path.split('?')[0], server]);
      return res;
    };
    const REDIRECT = 'https://rp.example.com/callback';
    // A first-party confidential client, registered by the admin over GraphQL (through the balancer).
    const made = (
      await admin.ok(`mutation($i: CreateOidcClientInput!) { createOidcClient(input: $i) { client { clientId } clientSecret } }`, {
        i: { name: 'Across instances', redirectUris: [REDIRECT], public: false, firstParty: true },
      })
    ).createOidcClient;
    const clientId: string = made.client.clientId;
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(made.clientSecret)}`).toString('base64')}`;
    const token = async (server: Instance, body: Record<string, string>) => {
      const res = await via(server, new Client(lbUrl), '/oidc/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic },
        body: new URLSearchParams(body),
      });
      return { status: res.status, json: await res.json() };
    };
    const me = (await admin.ok(`{ me { user { id } organization { id slug } } }`)).me;

    // The person signs in on a…
    const browser = new Client(lbUrl);
    const signedIn = await via('a', browser, '/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired } }`,
        variables: { i: { email: 'admin@example.com', password: STRONG_PASSWORD } },
      }),
    });
    expect((await signedIn.json()).data.signIn.twoFactorRequired).toBe(false);
    // …and each step of the authorization runs on the other instance than the step before, until it leaves Roster.
    const { verifier, challenge } = pkce();
    const params = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid email profile organization offline_access',
      state: 'st4te',
      nonce: 'n0nce',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'consent',
    });
    const steps: string[] = [];
    let server: Instance = 'a';
    let path = `/oidc/auth?${params}`;
    let back: URL | undefined;
    while (!back) {
      expect(steps.length).toBeLessThan(10);
      server = other(server);
      const res = await via(server, browser, path);
      steps.push(`${server} ${path.split('?')[0].replace(/\/[A-Za-z0-9_-]{10,}$/, '/:uid')}`);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) throw new Error(`stopped at ${res.status}: ${await res.text()}`);
      // Roster's redirects name PUBLIC_URL (the balancer), never the instance that answered.
      const target = new URL(location, lbUrl);
      if (target.origin === lbUrl) path = `${target.pathname}${target.search}`;
      else back = target;
    }
    expect(steps).toEqual(['b /oidc/auth', 'a /oidc/interaction/:uid', 'b /oidc/auth/:uid']);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect([back.searchParams.get('state'), back.searchParams.get('iss')]).toEqual(['st4te', lbUrl]);
    const issuedBy = server;

    // The code, exchanged on the instance that did not issue it.
    const exchangedOn = other(issuedBy);
    const t = await token(exchangedOn, {
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect([t.status, t.json.error_description]).toEqual([200, undefined]);

    // One JWKS, whichever instance serves it; both tokens verify against it.
    const jwksA = await (await via('a', new Client(lbUrl), '/oidc/jwks')).text();
    const jwksB = await (await via('b', new Client(lbUrl), '/oidc/jwks')).text();
    expect(jwksB).toBe(jwksA);
    const jwks = JSON.parse(jwksA);
    expect(verifyJwt(t.json.id_token, jwks).claims).toMatchObject({
      iss: lbUrl,
      aud: clientId,
      sub: me.user.id,
      nonce: 'n0nce',
      email: 'admin@example.com',
      org_id: me.organization.id,
      org_slug: me.organization.slug,
      role: 'ADMIN',
    });
    const at = verifyJwt(t.json.access_token, jwks);
    expect(at.header.typ).toBe('at+jwt');
    expect(at.claims).toMatchObject({ iss: lbUrl, aud: lbUrl, sub: me.user.id, client_id: clientId, org_id: me.organization.id });
    // Userinfo answers the access token on the instance that did not issue it.
    const info = await via(issuedBy, new Client(lbUrl, { bearer: t.json.access_token }), '/oidc/me');
    expect([info.status, (await info.json()).sub]).toEqual([200, me.user.id]);

    // The refresh token, used on the other instance than the one that issued it: a new pair, verified the same way.
    const rt1: string = t.json.refresh_token;
    expect(rt1).toBeTruthy();
    const r = await token(other(exchangedOn), { grant_type: 'refresh_token', refresh_token: rt1 });
    expect([r.status, r.json.error_description]).toEqual([200, undefined]);
    expect(r.json.refresh_token).toBeTruthy();
    expect(r.json.refresh_token).not.toBe(rt1);
    expect(verifyJwt(r.json.access_token, jwks).claims).toMatchObject({ iss: lbUrl, sub: me.user.id, org_id: me.organization.id });
    // The rotated one, back on the first instance: refused there too (rotation is shared state, not one process's).
    expect((await token(exchangedOn, { grant_type: 'refresh_token', refresh_token: rt1 })).json.error).toBe('invalid_grant');
  });

  it('loses no request the balancer can retry, and no data, when one instance is killed mid-load', async () => {
    const token = (await admin.ok(`mutation { createApiToken(input: { name: "load" }) { secret } }`)).createApiToken.secret as string;
    const read = () =>
      fetch(`${lbUrl}/graphql?query=${encodeURIComponent('{ users(first: 5) { totalCount } }')}`, {
        headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
      }).then(
        async (r) => {
          const text = await r.text();
          return r.status === 200 && JSON.parse(text).data?.users ? 'ok' : `status ${r.status} ${text.slice(0, 200)}`;
        },
        (e: Error) => `error ${e.message}`,
      );
    const created: string[] = [];
    const write = (i: number) =>
      fetch(`${lbUrl}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation($n: String!) { createTeam(input: { name: $n }) { id name } }`,
          variables: { n: `Load ${i}` },
        }),
      }).then(
        async (r) => {
          const body = r.status === 200 ? await r.json() : null;
          if (body?.data?.createTeam) created.push(body.data.createTeam.name);
          return body?.data?.createTeam ? 'ok' : `status ${r.status}`;
        },
        (e: Error) => `error ${e.message}`,
      );
    const outcomes: { kind: 'read' | 'write'; result: string }[] = [];
    let i = 0;
    let killed = false;
    const worker = async () => {
      while (i < 400) {
        const n = i++;
        if (n === 150 && !killed) {
          killed = true;
          process.kill(b.pid, 'SIGKILL');
        }
        outcomes.push(n % 10 === 0 ? { kind: 'write', result: await write(n) } : { kind: 'read', result: await read() });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(outcomes).toHaveLength(400);
    // Every read answered (HAProxy retried on A what B could not answer); writes may be refused, never half-done.
    const failedReads = outcomes.filter((o) => o.kind === 'read' && o.result !== 'ok');
    if (failedReads.length) console.log(`HAProxy log:\n${lbOut.slice(-6000)}`);
    expect(failedReads).toEqual([]);
    const { rows } = await pg.query<{ name: string }>(`SELECT name FROM teams WHERE name LIKE 'Load %'`);
    const stored = rows.map((r) => r.name);
    for (const name of created) expect(stored).toContain(name);
    // Each team once, with its audit event (written in the same transaction).
    expect(new Set(stored).size).toBe(stored.length);
    const audited = await pg.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'team.created' AND details->>'name' LIKE 'Load %'`,
    );
    expect(audited.rows[0].n).toBe(stored.length);
    expect((await fetch(`${lbUrl}/readyz`)).status).toBe(200);
  });
});
