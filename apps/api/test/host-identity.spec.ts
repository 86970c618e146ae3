import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer, TestServer } from '../../../tools/testing/server';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import { Client, Json } from './support/client';
import { createOrganizationWithPeople, firstOrganization, OrganizationOf, ORGANIZATION_HEADER } from './support/organizations';

/** nginx from the system (Debian's package; `.ci/run` installs it), or NGINX_BIN. */
function nginxBinary(): string | null {
  const candidates = [process.env['NGINX_BIN'], '/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

const NGINX = nginxBinary();
if (!NGINX) {
  // Said where the test runs, rather than passing silently: install nginx (apt-get install nginx) or set NGINX_BIN.
  console.warn('host-identity: the nginx auth_request cases are skipped, no nginx binary (apt-get install nginx, or set NGINX_BIN)');
}
const withNginx = NGINX ? describe : describe.skip;

const SIGN_IN = `mutation($e: String!, $p: String!) { signIn(input: { email: $e, password: $p }) { me { user { id } } } }`;
const OTHER_APP = 'https://app.example.test';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP GET with any headers (Host included, which fetch will not send as given). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('identity for the host application (whoami, forward auth, returnTo)', () => {
  let app: TestApp;
  let publicUrl: string;
  /** The host application's origin: nginx in front of a small upstream, on loopback. */
  let appOrigin: string;
  let nginxPort: number;
  let a: { id: string; slug: string; name: string };
  let b: OrganizationOf;
  let member: Client;
  let memberId: string;
  let team: { id: string; name: string };
  let roles: Record<string, { id: string; name: string; permissions: string[] }>;
  let allowedOrigins: string[];

  beforeAll(async () => {
    const port = await freePort();
    nginxPort = await freePort();
    publicUrl = `http://id.roster.test:${port}`;
    appOrigin = `http://app.roster.test:${nginxPort}`;
    app = await startApp(
      'host-identity',
      { PUBLIC_URL: publicUrl, COOKIE_DOMAIN: 'roster.test', TRUST_PROXY: 'loopback', RETURN_TO_ORIGINS: `${appOrigin}, ${OTHER_APP}` },
      port,
    );
    allowedOrigins = [new URL(publicUrl).origin, appOrigin, OTHER_APP];
    a = await firstOrganization(app);
    const rows = await app.sql<{ key: string; id: string; name: string; permissions: string[] }>(
      `SELECT key, id, name, permissions FROM roles WHERE organization_id = $1`,
      [a.id],
    );
    roles = Object.fromEntries(rows.map((r) => [r.key, r]));
    const made = await app.admin.ok(`mutation { createTeam(input: { name: "Platform" }) { id name } }`);
    team = made.createTeam;
    const registered = await app.register('member@example.com', 'MEMBER', [team.id]);
    member = registered.client;
    memberId = registered.userId;
    b = await createOrganizationWithPeople(app, app.admin, { slug: 'beta', name: 'Beta Corp', prefix: 'beta-' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  const token = async (by: Client, roleId?: string): Promise<string> => {
    const r = await by.ok(`mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`, {
      i: roleId ? { name: 'host app', roleId } : { name: 'host app' },
    });
    return r.createApiToken.secret;
  };
  const whoami = async (c: Client, headers: Record<string, string> = {}) => {
    const res = await c.fetch('/auth/whoami', { headers });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };

  describe('GET /auth/whoami', () => {
    it('answers a session cookie with exactly the person, organization, role, permissions and teams', async () => {
      const r = await whoami(member);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        user: { id: memberId, email: 'member@example.com', firstName: 'Test', lastName: 'MEMBER' },
        organization: { id: a.id, slug: a.slug, name: a.name },
        role: { key: 'MEMBER', name: roles['MEMBER'].name },
        permissions: roles['MEMBER'].permissions,
        teams: [{ id: team.id, name: team.name }],
      });
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('location')).toBeNull();
    });

    it('answers an API token as its owner, and a capped token with the cap role and the permissions both allow', async () => {
      const plain = await whoami(new Client(app.server.url, { bearer: await token(member) }));
      expect(plain.status).toBe(200);
      expect(plain.body.user.id).toBe(memberId);
      expect(plain.body.role).toEqual({ key: 'MEMBER', name: roles['MEMBER'].name });

      const capped = await whoami(new Client(app.server.url, { bearer: await token(app.admin, roles['VIEWER'].id) }));
      expect(capped.status).toBe(200);
      expect(capped.body.user.id).toBe(app.adminId);
      expect(capped.body.role).toEqual({ key: 'VIEWER', name: roles['VIEWER'].name });
      const both = roles['ADMIN'].permissions.filter((p) => roles['VIEWER'].permissions.includes(p));
      expect([...capped.body.permissions].sort()).toEqual([...both].sort());
      expect(capped.body.permissions).not.toContain('users:manage');
    });

    it('refuses the signed out, unknown cookies and dead or malformed tokens with 401, never a redirect', async () => {
      for (const c of [
        app.client(),
        new Client(app.server.url, { bearer: 'rst_' + 'x'.repeat(40) }),
        new Client(app.server.url, { bearer: 'not-a-token' }),
      ]) {
        const res = await c.fetch('/auth/whoami');
        expect(res.status).toBe(401);
        expect(res.headers.get('location')).toBeNull();
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
      const forged = app.client();
      forged.cookies.set('roster_session', 'x'.repeat(43));
      expect((await forged.fetch('/auth/whoami')).status).toBe(401);
    });

    it('answers in the organization X-Roster-Organization names, and refuses (403) one the caller is not in', async () => {
      const inB = await whoami(b.people.MEMBER.client);
      expect(inB.status).toBe(200);
      expect(inB.body.organization).toEqual({ id: b.id, slug: 'beta', name: 'Beta Corp' });
      expect(inB.body.teams).toEqual([]);

      for (const named of ['beta', b.id, 'no-such-org', '../beta']) {
        const r = await whoami(member, { [ORGANIZATION_HEADER]: named });
        expect(r.status).toBe(403);
        expect(r.body.code).toBe('FORBIDDEN');
      }
    });

    it("refuses A's API token naming B (cross-organization): 403, nothing of B in the answer", async () => {
      const aToken = new Client(app.server.url, { bearer: await token(app.admin) });
      for (const named of [b.slug, b.id]) {
        const res = await aToken.fetch('/auth/whoami', { headers: { [ORGANIZATION_HEADER]: named } });
        const text = await res.text();
        expect(res.status).toBe(403);
        expect(text).not.toContain(b.id);
        expect(text).not.toContain('Beta Corp');
        expect(text).not.toMatch(/beta-/);
      }
      // And B's token naming A.
      const bToken = new Client(app.server.url, { bearer: await token(b.people.ADMIN.client) });
      const res = await bToken.fetch('/auth/whoami', { headers: { [ORGANIZATION_HEADER]: a.slug } });
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain(a.id);
    });
  });

  describe('GET /auth/forward', () => {
    it('answers a signed-in person with the X-Roster-* headers, and anyone else with 401', async () => {
      const res = await member.fetch('/auth/forward');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-roster-user-id')).toBe(memberId);
      expect(res.headers.get('x-roster-email')).toBe('member@example.com');
      expect(res.headers.get('x-roster-organization')).toBe(a.slug);
      expect(res.headers.get('x-roster-role')).toBe('MEMBER');
      expect(res.headers.get('x-roster-permissions')).toBe(roles['MEMBER'].permissions.join(','));
      expect(res.headers.get('cache-control')).toBe('no-store');

      const anonymous = await app.client().fetch('/auth/forward');
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('x-roster-user-id')).toBeNull();
      const foreign = await member.fetch('/auth/forward', { headers: { [ORGANIZATION_HEADER]: 'beta' } });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('x-roster-user-id')).toBeNull();
    });

    const forwarded = { 'x-forwarded-proto': 'http', 'x-forwarded-uri': '/reports?year=2026' };

    it('with redirect=true sends a browser to sign in, returning to the URL a trusted proxy names', async () => {
      const res = await get(`${app.server.url}/auth/forward?redirect=true`, {
        ...forwarded,
        'x-forwarded-host': new URL(appOrigin).host,
      });
      expect(res.status).toBe(302);
      const location = new URL(String(res.headers.location));
      expect(`${location.origin}${location.pathname}`).toBe(`${publicUrl}/sign-in`);
      expect(location.searchParams.get('returnTo')).toBe(`${appOrigin}/reports?year=2026`);
    });

    it('with redirect=true leaves out a returnTo outside RETURN_TO_ORIGINS, or from a proxy TRUST_PROXY does not trust', async () => {
      const evil = await get(`${app.server.url}/auth/forward?redirect=true`, { ...forwarded, 'x-forwarded-host': 'evil.example' });
      expect(evil.status).toBe(302);
      expect(String(evil.headers.location)).toBe(`${publicUrl}/sign-in`);

      // A second instance without TRUST_PROXY: the same headers from the same address are not believed.
      const untrusting: TestServer = await startServer(app.db.url, { RETURN_TO_ORIGINS: appOrigin });
      try {
        const res = await get(`${untrusting.url}/auth/forward?redirect=true`, {
          ...forwarded,
          'x-forwarded-host': new URL(appOrigin).host,
        });
        expect(res.status).toBe(302);
        expect(new URL(String(res.headers.location)).searchParams.has('returnTo')).toBe(false);

        // Without COOKIE_DOMAIN the cookies are host-only.
        const c = new Client(untrusting.url);
        const signIn = await c.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: SIGN_IN, variables: { e: 'member@example.com', p: STRONG_PASSWORD } }),
        });
        const cookies = signIn.headers.getSetCookie().filter((l) => /^roster_(session|csrf)=/.test(l));
        expect(cookies).toHaveLength(2);
        for (const line of cookies) expect(line).not.toMatch(/domain=/i);
      } finally {
        await untrusting.stop();
      }
    }, 60_000);
  });

  describe('COOKIE_DOMAIN', () => {
    it('sets Domain on the session and CSRF cookies, when set and when cleared at sign-out', async () => {
      const c = app.client();
      const res = await c.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: SIGN_IN, variables: { e: 'member@example.com', p: STRONG_PASSWORD } }),
      });
      const cookies = res.headers.getSetCookie().filter((l) => /^roster_(session|csrf)=/.test(l));
      expect(cookies).toHaveLength(2);
      for (const line of cookies) expect(line).toMatch(/; Domain=roster\.test(;|$)/);
      const out = await c.fetch('/auth/sign-out');
      expect(out.status).toBe(303);
      const cleared = out.headers.getSetCookie().filter((l) => /^roster_(session|csrf)=/.test(l));
      expect(cleared).toHaveLength(2);
      for (const line of cleared) expect(line).toMatch(/; Domain=roster\.test(;|$)/);
      expect((await c.fetch('/auth/whoami')).status).toBe(401);
    });
  });

  describe('returnTo (sign-in and sign-out)', () => {
    it('follows a relative path on Roster and an allowed origin', async () => {
      const cases: [string, string][] = [
        ['/users?role=ADMIN#top', `${publicUrl}/users?role=ADMIN#top`],
        [`${appOrigin}/after?x=1`, `${appOrigin}/after?x=1`],
        [`${OTHER_APP}/`, `${OTHER_APP}/`],
        ['HTTPS://APP.EXAMPLE.TEST:443/Path', `${OTHER_APP}/Path`],
      ];
      for (const [returnTo, expected] of cases) {
        const res = await app.client().fetch(`/auth/return?returnTo=${encodeURIComponent(returnTo)}`);
        expect(res.status).toBe(303);
        expect(res.headers.get('location')).toBe(expected);
      }
      const out = await app.client().fetch(`/auth/sign-out?returnTo=${encodeURIComponent(`${appOrigin}/bye`)}`);
      expect(out.headers.get('location')).toBe(`${appOrigin}/bye`);
    });

    /** Hostile returnTo values, as an attacker would try them, and their mutations. */
    function attacks(): string[] {
      const evil = 'evil.example';
      const allowed = 'app.example.test';
      const base = [
        `//${evil}`,
        `///${evil}`,
        `////${evil}/x`,
        `/\\${evil}`,
        `\\\\${evil}`,
        `\\/${evil}`,
        `/\\/${evil}`,
        `https://${evil}`,
        `http://${evil}`,
        `https:${evil}`,
        `https:/${evil}`,
        `https:\\\\${evil}`,
        `https://${allowed}.${evil}`,
        `https://${allowed}@${evil}`,
        `https://${allowed}:443@${evil}`,
        `https://user:pass@${allowed}`,
        `https://${evil}@${allowed}`,
        `https://${evil}\\@${allowed}`,
        `https://${allowed}\\@${evil}`,
        `https://${evil}#@${allowed}`,
        `https://${evil}?@${allowed}`,
        `https://${evil}/${allowed}`,
        `https://${allowed}:444`,
        `https://${allowed}:8443/x`,
        `http://${allowed}`,
        `ws://${allowed}`,
        `ftp://${allowed}`,
        `https://${allowed}.`,
        `https://${allowed}%2e${evil}`,
        `https://${allowed}%00.${evil}`,
        `https://аpp.example.test`,
        `https://${allowed.toUpperCase()}ー`,
        `javascript:alert(1)`,
        `JaVaScRiPt:alert(document.domain)`,
        `javascript://${allowed}/%0aalert(1)`,
        `data:text/html,<script>alert(1)</script>`,
        `vbscript:msgbox(1)`,
        `${evil}`,
        `//${evil}/%2F..`,
        `/%09/${evil}`,
        `https://127.0.0.1`,
        `https://[::1]`,
        `https://0x7f.1`,
        `//${allowed}@${evil}`,
        `https://${evil}%23@${allowed}`,
        `https://${evil}%40${allowed}`,
        `http://id.roster.test:1/`,
        `https://id.roster.test`,
        ' ',
        '',
      ];
      const noise = ['\t', '\n', '\r', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', ' ', '\u00a0', '\u2028', '\u202e', '\ufeff'];
      const out = new Set(base);
      for (const value of base) {
        for (const n of noise) {
          out.add(`${n}${value}`);
          out.add(`${value}${n}`);
          if (value.length > 2) out.add(`${value.slice(0, 1)}${n}${value.slice(1)}`);
          if (value.length > 8) out.add(`${value.slice(0, 6)}${n}${value.slice(6)}`);
        }
      }
      for (const n of ['\t', '\n', '\r', '\\', ' ']) {
        out.add(`/${n}/${evil}`);
        out.add(`/${n}${evil}`);
        out.add(`https:/${n}/${evil}`);
        out.add(`https://${allowed}${n}@${evil}`);
        out.add(`https://${allowed}${n}.${evil}`);
      }
      return [...out];
    }

    it('never leaves Roster and the allowed origins, whatever an attacker writes', async () => {
      const list = attacks();
      expect(list.length).toBeGreaterThan(500);
      const anon = app.client();
      const escaped: string[] = [];
      const allowedToEvil: string[] = [];
      for (const value of list) {
        for (const route of ['/auth/return', '/auth/sign-out']) {
          const res = await anon.fetch(`${route}?returnTo=${encodeURIComponent(value)}`);
          expect(res.status).toBe(303);
          const location = res.headers.get('location') ?? '';
          let target: URL;
          try {
            target = new URL(location);
          } catch {
            escaped.push(`${route} ${JSON.stringify(value)} → ${JSON.stringify(location)}`);
            continue;
          }
          if (!allowedOrigins.includes(target.origin) || target.username || target.password) {
            escaped.push(`${route} ${JSON.stringify(value)} → ${location}`);
          }
          if (/evil/.test(target.host)) allowedToEvil.push(`${route} ${JSON.stringify(value)} → ${location}`);
        }
      }
      expect(escaped).toEqual([]);
      expect(allowedToEvil).toEqual([]);
    }, 120_000);

    it('answers a refused returnTo with Roster’s own page', async () => {
      const res = await app.client().fetch(`/auth/return?returnTo=${encodeURIComponent('//evil.example')}`);
      expect(res.headers.get('location')).toBe(`${publicUrl}/`);
      const out = await app.client().fetch(`/auth/sign-out?returnTo=${encodeURIComponent('https://evil.example')}`);
      expect(out.headers.get('location')).toBe(`${publicUrl}/sign-in`);
    });
  });

  describe('CORS on whoami', () => {
    it('allows credentials for RETURN_TO_ORIGINS alone, preflight included', async () => {
      const pre = await member.fetch('/auth/whoami', {
        method: 'OPTIONS',
        headers: { origin: OTHER_APP, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-roster-organization' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(OTHER_APP);
      expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
      expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-roster-organization');

      const res = await member.fetch('/auth/whoami', { headers: { origin: appOrigin } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(appOrigin);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toMatch(/origin/i);
    });

    it('gives any other origin no CORS header, and refuses its preflight', async () => {
      for (const origin of [
        'https://evil.example',
        `${OTHER_APP}/`,
        `${OTHER_APP}.evil.example`,
        'http://app.example.test',
        'https://app.example.test:444',
        'null',
        publicUrl.replace('http://', 'https://'),
      ]) {
        const pre = await member.fetch('/auth/whoami', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET' } });
        expect(pre.status).toBe(403);
        expect(pre.headers.get('access-control-allow-origin')).toBeNull();
        const res = await member.fetch('/auth/whoami', { headers: { origin } });
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      }
    });
  });

  withNginx('behind nginx auth_request', () => {
    let dir: string;
    let nginx: ChildProcess;
    let upstream: Server;
    let upstreamHits = 0;

    beforeAll(async () => {
      const upstreamPort = await freePort();
      upstream = createServer((req, res) => {
        upstreamHits++;
        const seen = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith('x-roster-')));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ path: req.url, seen }));
      });
      await new Promise<void>((ok) => upstream.listen(upstreamPort, '127.0.0.1', ok));
      dir = mkdtempSync(join(tmpdir(), 'roster-nginx-'));
      mkdirSync(join(dir, 'logs'));
      const roster = new URL(app.server.url).host;
      writeFileSync(
        join(dir, 'nginx.conf'),
        `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${nginxPort};
    location = /_roster_auth {
      internal;
      proxy_pass http://${roster}/auth/forward;
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Forwarded-Uri $request_uri;
    }
    location / {
      auth_request /_roster_auth;
      auth_request_set $roster_user $upstream_http_x_roster_user_id;
      auth_request_set $roster_email $upstream_http_x_roster_email;
      auth_request_set $roster_org $upstream_http_x_roster_organization;
      auth_request_set $roster_role $upstream_http_x_roster_role;
      auth_request_set $roster_permissions $upstream_http_x_roster_permissions;
      proxy_set_header X-Roster-User-Id $roster_user;
      proxy_set_header X-Roster-Email $roster_email;
      proxy_set_header X-Roster-Organization $roster_org;
      proxy_set_header X-Roster-Role $roster_role;
      proxy_set_header X-Roster-Permissions $roster_permissions;
      proxy_pass http://127.0.0.1:${upstreamPort};
      error_page 401 = @sign_in;
    }
    location @sign_in {
      return 302 ${publicUrl}/sign-in?returnTo=$scheme://$http_host$request_uri;
    }
  }
}
`,
      );
      nginx = spawn(NGINX as string, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'logs', 'error.log')], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      nginx.stdout?.on('data', (d) => (out += d));
      nginx.stderr?.on('data', (d) => (out += d));
      const deadline = Date.now() + 10_000;
      for (;;) {
        const ready = await get(`http://127.0.0.1:${nginxPort}/`).catch(() => null);
        if (ready) break;
        if (nginx.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${out}`);
        await new Promise((ok) => setTimeout(ok, 100));
      }
    });

    afterAll(async () => {
      if (nginx && nginx.exitCode === null) {
        const exited = new Promise((ok) => nginx.once('exit', ok));
        nginx.kill('SIGQUIT');
        await exited;
      }
      await new Promise((ok) => upstream?.close(ok));
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const host = () => `app.roster.test:${nginxPort}`;
    const cookie = (c: Client) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

    it('lets a signed-in person through with who they are, and overwrites X-Roster-* the client sent', async () => {
      const res = await get(`http://127.0.0.1:${nginxPort}/dashboard?tab=1`, {
        host: host(),
        cookie: cookie(member),
        'x-roster-user-id': app.adminId,
        'x-roster-role': 'ADMIN',
      });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.body);
      expect(body.path).toBe('/dashboard?tab=1');
      expect(body.seen).toEqual({
        'x-roster-user-id': memberId,
        'x-roster-email': 'member@example.com',
        'x-roster-organization': a.slug,
        'x-roster-role': 'MEMBER',
        'x-roster-permissions': roles['MEMBER'].permissions.join(','),
      });
    });

    it('answers an API token naming its organization, through the same proxy', async () => {
      const secret = await token(b.people.MEMBER.client);
      const res = await get(`http://127.0.0.1:${nginxPort}/api/things`, {
        host: host(),
        authorization: `Bearer ${secret}`,
        [ORGANIZATION_HEADER]: 'beta',
      });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body).seen['x-roster-organization']).toBe('beta');
    });

    it('keeps the signed out and foreign organizations away from the upstream', async () => {
      const before = upstreamHits;
      const anonymous = await get(`http://127.0.0.1:${nginxPort}/private`, { host: host(), 'x-roster-user-id': app.adminId });
      expect(anonymous.status).toBe(302);
      const location = new URL(String(anonymous.headers.location));
      expect(`${location.origin}${location.pathname}`).toBe(`${publicUrl}/sign-in`);
      expect(location.searchParams.get('returnTo')).toBe(`http://${host()}/private`);

      const foreign = await get(`http://127.0.0.1:${nginxPort}/private`, {
        host: host(),
        cookie: cookie(member),
        [ORGANIZATION_HEADER]: 'beta',
      });
      expect(foreign.status).toBe(403);
      expect(upstreamHits).toBe(before);
    });
  });

  it('answers a person who must first set up two-factor authentication with 403 (whoami) and 401 (forward)', async () => {
    const viewer = await app.register('viewer@example.com', 'VIEWER');
    const policy = `mutation($ids: [ID!]!) { setTwoFactorPolicy(input: { requiredRoleIds: $ids, ssoMode: TRUST_PROVIDER }) { ssoMode } }`;
    await app.admin.ok(policy, { ids: [roles['VIEWER'].id] });
    try {
      const r = await whoami(viewer.client);
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('TWO_FACTOR_SETUP_REQUIRED');
      expect((await viewer.client.fetch('/auth/forward')).status).toBe(401);
    } finally {
      await app.admin.ok(policy, { ids: [] });
    }
    expect((await whoami(viewer.client)).status).toBe(200);
  });

  // Last: it suspends B.
  it('refuses (403) a suspended organization on whoami and forward auth, as GraphQL does', async () => {
    const bMember = b.people.MEMBER.client;
    expect((await whoami(bMember)).status).toBe(200);
    await app.admin.ok(`mutation($id: ID!) { suspendOrganization(id: $id) { id } }`, { id: b.id });
    const deadline = Date.now() + 5_000;
    let r = await whoami(bMember);
    while (r.status === 200 && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 100));
      r = await whoami(bMember);
    }
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    expect(JSON.stringify(r.body)).not.toContain('Beta Corp');
    const graphql = await bMember.code(`{ me { user { id } } }`);
    expect(graphql).toBe('FORBIDDEN');
    expect((await bMember.fetch('/auth/forward')).status).toBe(403);
  });
});
