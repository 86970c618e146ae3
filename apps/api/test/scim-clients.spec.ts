import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startApp, TestApp } from './support/app';
import { Json } from './support/client';

/**
 * Recorded identity-provider clients (design §11 item 2): the request sequences Okta's SCIM 2.0 app and
 * Microsoft Entra ID's provisioning service send (support/scim/{okta,entra}/*.json), replayed byte for byte
 * (the URL as the client encodes it: Okta's `%20`, Entra's `+` and bare quotes, `?aadOptscim062020`) against
 * the built server on PostgreSQL, each with a Manager-capped API token of its own, as the README advises.
 * Each step: method, path, headers, body, the status the client needs and a subset of the answer; ids are
 * captured (`capture: {"user:alice": "id"}`) and substituted (`{{user:alice}}`), `{{token}}` is the
 * sequence's secret and `{{random}}` a fresh uuid. Each sequence ends by checking that the console's users
 * page, SCIM's own list and the audit log agree: the people, their roles, states and teams, and the events
 * the token caused, in order, each saying `via: 'scim'` and naming the token.
 */

const SCIM = '/scim/v2';
const DIR = join(__dirname, 'support', 'scim');
const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret token { id name } } }`;
const USERS_PAGE = `query($after: String) { users(first: 50, after: $after) {
  edges { node { id email firstName lastName status role { key } teams { name } } } pageInfo { hasNextPage endCursor } } }`;
const AUDIT_PAGE = `query($after: ID) { auditEvents(first: 200, after: $after) {
  events { id action actorEmail targetId details } hasNextPage endCursor } }`;

interface Step {
  name: string;
  method: string;
  /** Exactly as the client sends it, after the host. */
  path: string;
  headers?: Record<string, string>;
  body?: Json;
  expect: {
    /** The status, or the statuses the client accepts (a group PATCH: 200 with the group or 204). */
    status: number | number[];
    /** A subset of the answer (jest's toMatchObject: arrays have the length written). */
    body?: Json;
    /** Top-level attributes the answer must not have. */
    absent?: string[];
  };
  /** Names → dotted paths in the answer's body (`Resources.0.id`). */
  capture?: Record<string, string>;
}

interface Person {
  email: string;
  status: 'ACTIVE' | 'DEACTIVATED';
  role: string;
  firstName?: string;
  lastName?: string;
  teams?: string[];
}

interface Sequence {
  title: string;
  /** Where the requests' shapes come from (the client's public documentation). */
  source: string;
  /** Headers the client sends on every request, and on those with a body. */
  headers: Record<string, string>;
  bodyHeaders: Record<string, string>;
  steps: Step[];
  final: {
    /** The people the sequence leaves, by their capture name. */
    people: Record<string, Person>;
    /** Emails of people who must be gone from the organization. */
    gone?: string[];
    /** The audit events the token caused, oldest first. */
    events: { action: string; target: string }[];
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: Json;
}

/** One request with the path's bytes as written (fetch would re-encode the quotes Entra leaves bare). */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Json;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Replaces every `{{name}}` in the strings of `value`; an unknown name fails the sequence. */
function substitute<T>(value: T, vars: Record<string, string>): T {
  const text = (s: string) =>
    s.replace(/\{\{([^}]+)\}\}/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`{{${name}}} is used before it is captured`);
      return vars[name];
    });
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    return v;
  };
  return walk(value) as T;
}

function at(body: Json, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k]), body);
}

function loadSequences(): { file: string; client: string; seq: Sequence }[] {
  const out: { file: string; client: string; seq: Sequence }[] = [];
  for (const client of ['okta', 'entra']) {
    for (const file of readdirSync(join(DIR, client))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      out.push({ file: `${client}/${file}`, client, seq: JSON.parse(readFileSync(join(DIR, client, file), 'utf8')) as Sequence });
    }
  }
  return out;
}

const SEQUENCES = loadSequences();

describe('SCIM: recorded Okta and Entra ID clients replayed', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp('scim-clients');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('has sequences of both clients', () => {
    expect(SEQUENCES.filter((s) => s.client === 'okta').length).toBeGreaterThan(0);
    expect(SEQUENCES.filter((s) => s.client === 'entra').length).toBeGreaterThan(0);
  });

  for (const { file, client, seq } of SEQUENCES) {
    it(`${file}: ${seq.title}`, async () => {
      const made = (await app.admin.ok(CREATE_TOKEN, { i: { name: `${client} ${file}`, roleId: app.roles['MANAGER'] } })).createApiToken;
      const vars: Record<string, string> = { token: made.secret, random: randomUUID() };
      for (const [index, raw] of seq.steps.entries()) await replay(index, raw, seq, vars);
      await agree(seq, vars, made.token.id as string, `${client} ${file}`);
    });
  }

  async function replay(index: number, raw: Step, seq: Sequence, vars: Record<string, string>): Promise<void> {
    const step = substitute(raw, vars);
    const body = step.body === undefined ? undefined : typeof step.body === 'string' ? step.body : JSON.stringify(step.body);
    const headers = substitute({ ...seq.headers, ...(body === undefined ? {} : seq.bodyHeaders), ...step.headers }, vars);
    const answer = await send(app.server.url, step.method, step.path, headers, body);
    const context = () =>
      `step ${index + 1} "${step.name}": ${step.method} ${step.path}\n${body ?? ''}\n→ ${answer.status} ${answer.text.slice(0, 2000)}`;
    try {
      expect([step.expect.status].flat()).toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
      if (answer.text) expect(answer.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      if (step.expect.body !== undefined) expect(answer.body).toMatchObject(step.expect.body);
      for (const key of step.expect.absent ?? []) expect(answer.body).not.toHaveProperty(key);
      // Never a password in an answer (Okta sends one on create).
      expect(answer.text).not.toMatch(/password/i);
      for (const [name, path] of Object.entries(step.capture ?? {})) {
        const value = at(answer.body, path);
        expect(typeof value).toBe('string');
        vars[name] = value as string;
      }
    } catch (e) {
      throw new Error(`${context()}\n\n${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The users page's rows, once checked against SCIM's list of users (the same people, states, roles, teams). */
  async function consistent(secret: string): Promise<Json[]> {
    const rows: Json[] = [];
    for (let after: string | null = null; ;) {
      const page: Json = (await app.admin.ok(USERS_PAGE, { after })).users;
      rows.push(...page.edges.map((e: Json) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const list = await send(app.server.url, 'GET', `${SCIM}/Users?count=1000`, { authorization: `Bearer ${secret}` });
    expect(list.status).toBe(200);
    // SCIM users are the page's people who are not invitations, the same id, email, state and role.
    const onPage = rows
      .filter((r) => r.status !== 'INVITED')
      .map((r) => ({
        id: r.id,
        email: r.email,
        active: r.status === 'ACTIVE',
        role: r.role.key,
        teams: r.teams.map((t: Json) => t.name).sort(),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    const scim = (list.body.Resources as Json[])
      .map((u) => ({
        id: u.id,
        email: u.userName,
        active: u.active,
        role: u.roles[0].value,
        teams: (u.groups ?? []).map((g: Json) => g.display).sort(),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(scim).toEqual(onPage);
    expect(list.body.totalResults).toBe(onPage.length);
    return rows;
  }

  /** The console's users page, SCIM's list and the audit log agree with each other and with what the sequence left. */
  async function agree(seq: Sequence, vars: Record<string, string>, tokenId: string, tokenName: string): Promise<void> {
    const rows = await consistent(vars['token']);
    for (const [name, want] of Object.entries(seq.final.people)) {
      const id = vars[name];
      expect({ name, id }).toEqual({ name, id: expect.any(String) });
      const row = rows.find((r) => r.id === id);
      expect({ name, row: row && { email: row.email, status: row.status, role: row.role.key } }).toEqual({
        name,
        row: { email: want.email, status: want.status, role: want.role },
      });
      if (want.firstName !== undefined) expect({ name, firstName: row.firstName }).toEqual({ name, firstName: want.firstName });
      if (want.lastName !== undefined) expect({ name, lastName: row.lastName }).toEqual({ name, lastName: want.lastName });
      if (want.teams !== undefined)
        expect({ name, teams: row.teams.map((t: Json) => t.name).sort() }).toEqual({ name, teams: [...want.teams].sort() });
    }
    for (const email of seq.final.gone ?? []) expect(rows.map((r) => r.email)).not.toContain(email);

    // The audit log: the events by this token, oldest first.
    const events: Json[] = [];
    for (let after: string | null = null; ;) {
      const page: Json = (await app.admin.ok(AUDIT_PAGE, { after })).auditEvents;
      events.push(...page.events);
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    const mine = events
      .map((e) => ({ ...e, details: JSON.parse(e.details) }))
      .filter((e) => e.details?.token?.id === tokenId)
      .reverse();
    // A person is the event's target; a team (as the console records team events) is named in its details.
    expect(mine.map((e) => ({ action: e.action, target: e.targetId ?? e.details.teamId ?? null }))).toEqual(
      substitute(seq.final.events, vars),
    );
    for (const e of mine) {
      expect(e.details).toMatchObject({ via: 'scim', token: { id: tokenId, name: tokenName } });
      expect(e.actorEmail).toBe('admin@example.com');
    }
  }
});
