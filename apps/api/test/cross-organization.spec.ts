import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  GraphQLInputType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { startApp, TestApp } from './support/app';
import { WebhookReceiver } from './support/webhook-receiver';
import { Client, Json } from './support/client';
import { FALLBACK_ID } from './support/hostile/cases';
import { CANARY, organizationFingerprintSql, OrgClient, TwoOrganizations, untilActsIn } from './support/organizations';
import {
  buildCall,
  loadSchema,
  OperationField,
  operationFields,
  stringKind,
  targetKind,
  TargetKind,
  ValuePath,
} from './support/schema-cases';

/**
 * Organizations are isolated, proved on every operation of the schema (generated: an operation added later is
 * covered without editing this file). Two organizations on one server (support/organizations.ts): A, and B whose
 * every row carries the canary `zz-b-`. The callers are A's: its Admin, Manager, Member and Viewer (browser
 * sessions naming A in X-Roster-Organization), the API tokens of its Admin, Manager and Member (capped to Viewer),
 * and P, a person of both (Viewer in A, Admin in B) naming A. Each Query and Mutation is called by each of them:
 *   - as it is, with A's own ids (queries, and mutations that name no id): the answer shows nothing of B;
 *   - with each ID argument (nested inputs and lists included) set to each of B's ids of that kind (people —
 *     memberships are named by their person —, invitations, roles, teams, tokens, sessions, audit events and
 *     cursors, OpenID Connect clients, the organization), then all of them at once; and each text argument naming B (its emails and
 *     people in emailsInUse, searches and the audit log's actor and target; B's users cursors in A's users pages);
 * and for each of those the verdict is: the code is OK, NOT_FOUND, FORBIDDEN or BAD_USER_INPUT; it is the same as
 * with a random, non-existent value in that place (FALLBACK_ID, a fresh email; the differential check that catches
 * a code telling B's row exists — a status conflict, "not enabled", "not grantable" — without listing them); the
 * answer holds no id, email, slug or canary of B. The exports of A are downloaded with B's values as filters and
 * hold nothing of B. B's fingerprint (its rows in every organization table, and the rows of its people who belong
 * nowhere else) is the same after each operation's cases as before. Last, the caches: identical requests of A and
 * B interleaved on the one instance (searches and their counts, page shapes, P's one session naming A then B) each
 * answer what SQL says of their own organization.
 * SCIM (/scim/v2, REST): A's provisioning tokens (its Admin's, its Manager's, its Member's capped to Viewer) call every
 * SCIM route there is with each of B's values in each place (people by id, email and externalId; teams by id, name and
 * externalId; names, roles, the canary; in filters, paths and bodies), judged as above against a random value (status and
 * scimType, the answer once ids, emails and instants are set aside), nothing of B shown, B's fingerprint unchanged; A's
 * startIndex walks between B's give A's users only; A's browser sessions are refused (401) on every route; and what A's
 * token does to P (renamed, replaced, removed from a team, deactivated, deleted) changes nothing of P in B.
 */

const PUBLIC_OPERATIONS = new Set([
  'me',
  'invitation',
  'signIn',
  'acceptInvitation',
  'setupFirstAdmin',
  'verifyTwoFactor',
  'authConfig',
  'passwordReset',
  'resetPassword',
  'requestPasswordReset',
]);
const ALLOWED_CODES = new Set(['OK', 'NOT_FOUND', 'FORBIDDEN', 'BAD_USER_INPUT']);
/** A plain audit event id that does not exist (the audit log's "random" counterpart of an event id of B). */
const FALLBACK_AUDIT_ID = '9000000000';
const WRONG_PASSWORD = 'not the password at all 42';

interface Caller {
  name: string;
  client: Client;
  /** Of B, what this caller may legitimately see (B's id, slug and name: P among their organizations, operators among all). */
  mayShow: string[];
  /** A member of B (P): naming B is theirs to do. */
  inB?: boolean;
  /** A platform operator: the operators' own operations act across organizations by design, and are left to the other callers. */
  operator?: boolean;
}

/**
 * The operators' operations on organizations themselves (the schema says "operators only"): platform-wide by design.
 * (Granting operators is not: it acts on members of the current organization only.)
 */
const isPlatformOperation = (op: OperationField) => /operators only/i.test(op.field.description ?? '') && /organization/i.test(op.name);

interface Answer {
  status: number;
  text: string;
  /** OK, the sorted distinct error codes, or the HTTP status of an answer without any. */
  outcome: string;
}

interface Failure {
  op: string;
  caller: string;
  place: string;
  problem: string;
  detail: string;
}

/** A place in an operation's arguments: its path (list items as 0), where it sits for the kinds, its scalar type. */
interface Place {
  path: (string | number)[];
  vp: ValuePath;
  list: boolean;
  scalar: string;
}

/** What one request with a value of B looks like: a label for people, and its arguments built fresh each time. */
interface Variant {
  label: string;
  args: () => Record<string, unknown>;
  /** Texts the answer may echo (what the request itself sent, and a person it makes a member of A). */
  echoes: string[];
}

/** One place of one operation for one caller: the random counterpart first, then each value of B. */
interface Group {
  op: OperationField;
  caller: Caller;
  place: string;
  fallback?: () => Record<string, unknown>;
  variants: Variant[];
  /** The case's answers must show nothing of B, but its codes are not judged (A's own ids). */
  baseline?: boolean;
  /**
   * Whether the answer to a value of B must be the random value's, once ids, emails, instants and links are
   * set aside (not for cursors: a page after another position holds other rows).
   */
  sameAnswer?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A value with what differs between any two requests set aside: ids, emails, instants, links, generated names, cursors. */
function normalisedValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalisedValue);
  // A role's holders: a count each invitation of the cases moves (of A's members only).
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'holders' ? '<count>' : normalisedValue(x)]));
  if (typeof v !== 'string') return v;
  if (UUID.test(v)) return '<id>';
  if (INSTANT.test(v)) return '<instant>';
  if (/^https?:\/\//.test(v)) return '<url>';
  if (v.includes('@')) return '<email>';
  if (/^a-case [0-9a-f]{8}$/.test(v)) return '<name>';
  // A page cursor: its parts (base64url of a JSON array).
  if (/^[A-Za-z0-9_-]{12,}$/.test(v)) {
    try {
      const parts: unknown = JSON.parse(Buffer.from(v, 'base64url').toString('utf8'));
      if (Array.isArray(parts)) return { cursor: normalisedValue(parts) };
    } catch {
      /* not a cursor */
    }
  }
  return v;
}

/** An answer, normalised (see normalisedValue), as text. */
function normalised(text: string): string {
  try {
    return JSON.stringify(normalisedValue(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** A downloaded file with what differs between any two requests set aside (ids, emails, instants). */
function csvShape(text: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/[^\s,;"]+@[^\s,;"]+/g, '<email>')
    .replace(/\d{4}-\d{2}-\d{2}[T ][\d:.]+Z?/g, '<instant>');
}

/** A page cursor (base64url JSON) with its ids replaced by ones that exist nowhere; null when it is not one. */
function fakeCursor(cursor: string): string | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parts)) return null;
    const fake = parts.map((x) =>
      typeof x === 'string' && UUID.test(x) ? FALLBACK_ID : typeof x === 'string' && /^\d+$/.test(x) ? FALLBACK_AUDIT_ID : x,
    );
    return Buffer.from(JSON.stringify(fake)).toString('base64url');
  } catch {
    return null;
  }
}

/** Where two normalised answers differ: up to six paths, each with both values. */
function differences(x: string, y: string): string {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= 6) return;
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path.slice(1)}: ${JSON.stringify(a)} (random: ${JSON.stringify(b)})`);
  };
  try {
    walk(JSON.parse(x), JSON.parse(y), '');
  } catch {
    return '';
  }
  return out.join('; ');
}

// ---------------------------------------------------------------------------------------------
// From the schema

/** Every place of an operation's arguments holding a scalar (inside input objects and lists too). */
function placesOf(op: OperationField): Place[] {
  const out: Place[] = [];
  const walk = (type: GraphQLInputType, path: (string | number)[], names: string[], depth: number) => {
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) {
      const inner = t.ofType as GraphQLInputType;
      const named = getNamedType(inner);
      if (isInputObjectType(named)) walk(inner, [...path, 0], names, depth);
      else if (isScalarType(named)) out.push({ path, vp: { field: op.name, names }, list: true, scalar: named.name });
      return;
    }
    if (isInputObjectType(t)) {
      if (depth > 4) return;
      for (const f of Object.values(t.getFields())) walk(f.type, [...path, f.name], [...names, f.name], depth + 1);
      return;
    }
    if (isScalarType(t)) out.push({ path, vp: { field: op.name, names }, list: false, scalar: t.name });
  };
  for (const arg of op.field.args) walk(arg.type, [arg.name], [arg.name], 0);
  return out;
}

/** A selection of everything an answer can show (fields without required arguments, four levels deep, no cycles). */
function fullSelection(type: GraphQLOutputType, depth = 4, seen: string[] = []): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named) || depth <= 0 || seen.includes(named.name)) return '{ __typename }';
  const parts: string[] = [];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    parts.push(isLeafType(inner) ? f.name : `${f.name} ${fullSelection(f.type, depth - 1, [...seen, named.name])}`);
  }
  return `{ ${parts.join(' ') || '__typename'} }`;
}

const pathLabel = (p: (string | number)[]) => p.map((x) => (typeof x === 'number' ? '[]' : x)).join('.');

// ---------------------------------------------------------------------------------------------

describe('cross-organization isolation (generated from the schema)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  let world: TwoOrganizations;
  let hooks: WebhookReceiver;
  let callers: Caller[];
  let fingerprintSql: string;
  let bOnlyIds: string[];
  /** Everything of B an answer of A must never show (lower case). */
  let bSecrets: string[];
  let bValues: Record<TargetKind, { label: string; value: string }[]>;
  /** A page cursor of B per paged query (its endCursor for B's Admin). */
  const bCursors = new Map<string, string>();
  let fingerprint: Record<string, string>;
  let rowsSql: string;
  let rows: Record<string, string[]>;
  const failures: Failure[] = [];
  const covered = new Set<string>();
  /** How each operation answered values of B (outcome → count), for the log. */
  const tally = new Map<string, Map<string, number>>();
  let requests = 0;

  const sqlFingerprint = async (): Promise<Record<string, string>> => {
    const [row] = await app.sql<Record<string, string>>(fingerprintSql, [world.b.id, bOnlyIds]);
    return row;
  };

  const sqlRows = async (): Promise<Record<string, string[]>> => {
    const [row] = await app.sql<Record<string, string[]>>(rowsSql, [world.b.id, bOnlyIds]);
    return row;
  };

  /** B's fingerprint (and rows, to show a change) as the reference from now on. */
  const resetFingerprint = async () => {
    fingerprint = await sqlFingerprint();
    rows = await sqlRows();
  };

  /** Compares B's fingerprint with the reference; a change is a failure of `what` (and the new one is the reference). */
  const checkFingerprint = async (what: string, caller = '(all callers)') => {
    const now = await sqlFingerprint();
    const changed = Object.keys(fingerprint).filter((t) => fingerprint[t] !== now[t]);
    if (!changed.length) return;
    const after = await sqlRows();
    const diff = changed.map((t) => {
      const gone = rows[t].filter((r) => !after[t].includes(r)).map((r) => r.slice(0, 400));
      const added = after[t].filter((r) => !rows[t].includes(r)).map((r) => r.slice(0, 400));
      return `${t}: was ${gone.slice(0, 2).join(' ')}${gone.length > 2 ? ' …' : ''}, now ${added.slice(0, 2).join(' ')}${added.length > 2 ? ' …' : ''}`;
    });
    failures.push({ op: what, caller, place: '-', problem: `changed B (${changed.join(', ')})`, detail: diff.join('\n      ') });
    fingerprint = now;
    rows = after;
  };

  beforeAll(async () => {
    hooks = await WebhookReceiver.start();
    // Loopback allowed: the world's webhook endpoints deliver to a receiver of the suite's own.
    app = await startApp('cross-organization', { ALLOW_PRIVATE_TARGETS: 'true' });
    schema = loadSchema();
    world = new TwoOrganizations(app, hooks);
    await world.build();
    const { a, b, p } = world;
    console.log(
      `cross-organization: P joined B ${world.pJoinedVia === 'api' ? 'by accepting its invitation signed in' : 'by SQL (accepting signed in is not open)'}`,
    );

    callers = [
      { name: 'Admin (cookie)', client: a.admin.client as Client, mayShow: [] },
      { name: 'Manager (cookie)', client: a.manager.client as Client, mayShow: [] },
      { name: 'Member (cookie)', client: a.member.client as Client, mayShow: [] },
      { name: 'Viewer (cookie)', client: a.viewer.client as Client, mayShow: [] },
      { name: 'Admin token', client: app.client({ bearer: a.tokens.admin.secret }), mayShow: [] },
      { name: 'Manager token', client: app.client({ bearer: a.tokens.manager.secret }), mayShow: [] },
      { name: 'Member token (capped to Viewer)', client: app.client({ bearer: a.tokens.member.secret }), mayShow: [] },
      { name: 'P (Viewer in A, Admin in B), naming A', client: p.clientA, mayShow: [b.id, b.slug, b.name, world.bDomain], inB: true },
      { name: "Operator (A's first admin, cookie)", client: world.operator, mayShow: [b.id, b.slug, b.name], operator: true },
    ];

    const bOnly = world.bOnlyPeople();
    bOnlyIds = bOnly.map((x) => x.userId);
    const sessions = await app.sql<{ id: string; email: string }>(
      `SELECT s.id, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = ANY($1::uuid[]) ORDER BY u.email, s.id`,
      [bOnlyIds],
    );
    const invitations = await app.sql<{ id: string }>(`SELECT id FROM invitations WHERE organization_id = $1`, [b.id]);
    const audit = await app.sql<{ id: string }>(
      `SELECT id::text AS id FROM audit_events WHERE organization_id = $1 ORDER BY id DESC LIMIT 3`,
      [b.id],
    );
    const bAuditCursor: string | null = (await (b.admin.client as Client).ok(`{ auditEvents(first: 2) { endCursor } }`)).auditEvents
      .endCursor;
    const tokens = { ...b.tokens, pat: p.tokenB };
    // B's page cursors of every paged query but users (whose cursors per sort are the first test's), as B's Admin reads them.
    for (const op of operationFields(schema)) {
      const names = op.field.args.map((x) => x.name);
      if (op.kind !== 'query' || op.name === 'users' || !names.includes('first') || !names.includes('after')) continue;
      // (The delivery log names its endpoint: B's.)
      const call = buildCall(schema, op.name, names.includes('endpointId') ? { first: 1, endpointId: b.webhookEndpointId } : { first: 1 }, {
        selections: { [getNamedType(op.field.type).name]: fullSelection(op.field.type) },
      });
      const r = await (b.admin.client as Client).gql(call.query, call.variables);
      const cursor = /"endCursor":"([^"]+)"/.exec(JSON.stringify(r.data ?? {}))?.[1];
      if (cursor) bCursors.set(op.name, cursor);
    }

    bValues = {
      user: bOnly.map((x) => ({ label: `B's ${x.email}`, value: x.userId })),
      invited: [b.invited, b.member, b.deactivated].map((x) => ({ label: `B's ${x.email}`, value: x.userId })),
      role: Object.entries(b.roles).map(([k, v]) => ({ label: `B's role ${k}`, value: v })),
      team: b.teams.map((t) => ({ label: `B's team ${t.name}`, value: t.id })),
      apiToken: Object.entries(tokens).map(([k, t]) => ({ label: `B's token of ${k}`, value: t.id })),
      session: sessions.map((s) => ({ label: `a session of B's ${s.email}`, value: s.id })),
      audit: [
        ...audit.map((x) => ({ label: `B's audit event ${x.id}`, value: x.id })),
        ...(bAuditCursor ? [{ label: `B's audit cursor`, value: bAuditCursor }] : []),
      ],
      organization: [{ label: 'B', value: b.id }],
      oidcClient: [{ label: "B's OpenID Connect client", value: b.oidcClientId }],
      webhookEndpoint: [{ label: "B's webhook endpoint", value: b.webhookEndpointId }],
      webhookDelivery: [{ label: "B's webhook delivery", value: b.webhookDeliveryId }],
      unknown: [
        { label: `B's ${b.member.email}`, value: b.member.userId },
        { label: 'B', value: b.id },
      ],
    };
    expect(bValues.session.length).toBeGreaterThanOrEqual(bOnly.length - 1);

    bSecrets = [
      CANARY,
      b.id,
      b.slug,
      ...bOnly.flatMap((x) => [x.userId, x.email]),
      ...Object.values(b.roles),
      ...b.teams.map((t) => t.id),
      ...Object.values(tokens).map((t) => t.id),
      ...sessions.map((s) => s.id),
      ...invitations.map((i) => i.id),
      b.webhookEndpointId,
      b.webhookDeliveryId,
    ].map((s) => s.toLowerCase());

    // The world as the cases expect it: every caller acts in A, P acts in B when naming it.
    for (const c of callers) {
      const me = await c.client.gql(`{ me { organization { id } } }`);
      expect({ caller: c.name, org: me.data?.me?.organization?.id }).toEqual({ caller: c.name, org: a.id });
    }
    // B's single sign-on connection and domain are there to be hidden.
    expect((await (b.admin.client as Client).ok(`{ ssoConnection { label } }`)).ssoConnection).toEqual({ label: `${CANARY}SSO` });
    expect(await app.sql(`SELECT domain FROM organization_domains WHERE organization_id = $1`, [b.id])).toEqual([
      { domain: world.bDomain },
    ]);
    expect((await p.clientB.ok(`{ me { organization { id } user { role { key } } } }`)).me).toEqual({
      organization: { id: b.id },
      user: { role: { key: 'ADMIN' } },
    });

    fingerprintSql = await organizationFingerprintSql(app);
    rowsSql = await organizationFingerprintSql(app, 'rows');
    for (const t of [
      'memberships',
      'roles',
      'teams',
      'user_teams',
      'invitations',
      'api_tokens',
      'audit_events',
      'sso_connections',
      'organization_domains',
      'users',
      'sessions',
      'webhook_endpoints',
      'webhook_deliveries',
    ])
      expect(fingerprintSql).toContain(`"${t}" t WHERE`);
    fingerprint = await sqlFingerprint();
    // The fingerprint sees B's rows, and only them.
    await app.sql(`UPDATE sessions SET last_seen_at = last_seen_at - interval '1 minute'`);
    await (a.admin.client as Client).ok(`mutation { createTeam(input: { name: "a-fingerprint-check" }) { id } }`);
    expect(await sqlFingerprint()).toEqual(fingerprint);
    await (b.admin.client as Client).ok(`mutation { createTeam(input: { name: "zz-b-fingerprint-check" }) { id } }`);
    // B's endpoint is subscribed to team.created: the event's delivery is B's too, delivered to the receiver
    // (its endpoint's last success with it), and settled before the reference: nothing of B moves afterwards.
    await world.deliveriesSettled();
    const after = await sqlFingerprint();
    const moved = Object.keys(after).filter((t) => after[t] !== fingerprint[t]);
    expect(moved).toContain('teams');
    expect(moved).toContain('webhook_deliveries');
    expect(moved.filter((t) => !['teams', 'audit_events', 'webhook_deliveries', 'webhook_endpoints'].includes(t))).toEqual([]);
    expect(hooks.at(`/${CANARY}hooks`).some((r) => JSON.parse(r.body).data.details.name === 'zz-b-fingerprint-check')).toBe(true);
    await resetFingerprint();
    bSecrets.push(...(await app.sql<{ id: string }>(`SELECT id FROM teams WHERE organization_id = $1`, [b.id])).map((t) => t.id));
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await hooks?.close();
  });

  // -------------------------------------------------------------------------------------------
  // Requests and verdicts

  async function post(client: Client, query: string, variables: Record<string, unknown>): Promise<Answer> {
    requests++;
    const res = await client.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    let outcome = res.status >= 400 ? `HTTP ${res.status}` : 'OK';
    try {
      const body = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
      if (Array.isArray(body.errors) && body.errors.length)
        outcome = [...new Set(body.errors.map((e) => String(e?.extensions?.code ?? 'NO_CODE')))].sort().join(',');
    } catch {
      outcome = `NOT JSON (HTTP ${res.status})`;
    }
    return { status: res.status, text, outcome };
  }

  async function download(client: Client, path: string): Promise<Answer> {
    requests++;
    const res = await client.fetch(path);
    const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
    let outcome = res.status === 200 ? 'OK' : `HTTP ${res.status}`;
    if (res.status !== 200) {
      try {
        const code = (JSON.parse(text) as { code?: unknown }).code;
        if (typeof code === 'string') outcome = code;
      } catch {
        /* the status says it */
      }
    }
    return { status: res.status, text, outcome };
  }

  /** What of B an answer shows, once what the caller may see and what the request echoes are set aside. */
  function leaks(text: string, caller: Caller, echoes: string[] = []): string[] {
    let t = text.toLowerCase();
    for (const s of [...caller.mayShow, ...echoes]) if (s) t = t.split(s.toLowerCase()).join('<sent>');
    return bSecrets.filter((s) => t.includes(s));
  }

  const excerpt = (a: Answer) => `HTTP ${a.status} ${a.text.length > 500 ? `${a.text.slice(0, 500)}…` : a.text}`;

  function judge(g: Group, v: Variant, answer: Answer, fallback: Answer | null): void {
    const place = g.place;
    const fail = (problem: string, detail: string) =>
      failures.push({ op: `${g.op.kind} ${g.op.name}`, caller: g.caller.name, place: `${place} = ${v.label}`, problem, detail });
    if (!g.baseline) {
      const t = tally.get(g.op.name) ?? new Map<string, number>();
      t.set(answer.outcome, (t.get(answer.outcome) ?? 0) + 1);
      tally.set(g.op.name, t);
    }
    const shown = leaks(answer.text, g.caller, v.echoes);
    if (shown.length) fail('shows B', `shows ${shown.join(', ')}: ${excerpt(answer)}`);
    if (g.baseline || !fallback) return;
    const codes = answer.outcome.split(',');
    if (codes.some((c) => !ALLOWED_CODES.has(c)))
      fail(`code ${answer.outcome}`, `${excerpt(answer)} (with a random value: ${fallback.outcome})`);
    if (answer.outcome !== fallback.outcome)
      fail(`${answer.outcome} where a random value gets ${fallback.outcome}`, `${excerpt(answer)}\n      random: ${excerpt(fallback)}`);
    else if (g.sameAnswer && normalised(answer.text) !== normalised(fallback.text))
      fail(
        'another answer than for a random value',
        `${differences(normalised(answer.text), normalised(fallback.text))}\n      ${excerpt(answer)}\n      random: ${excerpt(fallback)}`,
      );
  }

  /** Runs one group: the random counterpart, then each value of B, one after the other. */
  async function runGroup(g: Group): Promise<void> {
    covered.add(g.op.name);
    const selection = { [getNamedType(g.op.field.type).name]: fullSelection(g.op.field.type) };
    const call = (args: Record<string, unknown>) => buildCall(schema, g.op.name, args, { selections: selection });
    let fallback: Answer | null = null;
    if (g.fallback) {
      const c = call(g.fallback());
      fallback = await post(g.caller.client, c.query, c.variables);
    }
    for (const v of g.variants) {
      const c = call(v.args());
      const answer = await post(g.caller.client, c.query, c.variables);
      judge(g, v, answer, fallback);
    }
  }

  async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(n, items.length) }, async () => {
        while (next < items.length) await fn(items[next++]);
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Arguments: plausible values of A, one place set to a value of B

  function aId(kind: TargetKind): string {
    const { a } = world;
    switch (kind) {
      case 'invited':
        return a.invited.userId;
      case 'role':
        return a.roles['VIEWER'];
      case 'team':
        return a.teams[0].id;
      case 'apiToken':
        return a.tokens.member.id;
      case 'audit':
        return '1';
      case 'organization':
        return a.id;
      case 'oidcClient':
        return a.oidcClientId;
      case 'webhookEndpoint':
        return a.webhookEndpointId;
      case 'webhookDelivery':
        return a.webhookDeliveryId;
      case 'session':
        return FALLBACK_ID;
      default:
        return a.target.userId;
    }
  }

  function plausible(type: GraphQLInputType, vp: ValuePath): unknown {
    const t = isNonNullType(type) ? type.ofType : type;
    if (isListType(t)) {
      const inner = t.ofType as GraphQLInputType;
      return isInputObjectType(getNamedType(inner)) ? [plausible(inner, vp)] : [];
    }
    if (isEnumType(t)) return t.getValues()[0]?.name;
    if (isInputObjectType(t)) {
      const out: Record<string, unknown> = {};
      for (const f of Object.values(t.getFields()))
        if (isNonNullType(f.type) && f.defaultValue === undefined)
          out[f.name] = plausible(f.type, { field: vp.field, names: [...vp.names, f.name] });
      return out;
    }
    if (!isScalarType(t)) return null;
    switch (t.name) {
      case 'ID':
        return aId(targetKind(vp));
      case 'Int':
        return 1;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'DateTime':
        return new Date().toISOString();
    }
    switch (stringKind(vp)) {
      case 'password':
        return WRONG_PASSWORD;
      case 'email':
        return world.freshEmail();
      case 'token':
      case 'challengeToken':
        return randomUUID().replace(/-/g, '');
      case 'code':
        return '123456';
      case 'confirmation':
        return 'DELETE';
      case 'personName':
        return 'Casey';
      case 'name':
        return `a-case ${randomUUID().slice(0, 8)}`;
      case 'search':
        return 'a';
      case 'action':
        return 'user.updated';
      default:
        return 'x';
    }
  }

  /** The operation's required arguments, with plausible values of A. */
  function baseArgs(op: OperationField): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const arg of op.field.args)
      if (isNonNullType(arg.type) && arg.defaultValue === undefined)
        out[arg.name] = plausible(arg.type, { field: op.name, names: [arg.name] });
    return out;
  }

  /** The arguments with `value` at `path` (the containers on the way made, with their required fields). */
  function setAt(op: OperationField, args: Record<string, unknown>, path: (string | number)[], value: unknown): Record<string, unknown> {
    const arg = op.field.args.find((x) => x.name === path[0]);
    if (!arg) throw new Error(`${op.name} has no argument ${String(path[0])}`);
    const put = (type: GraphQLInputType, current: unknown, rest: (string | number)[], names: string[]): unknown => {
      if (!rest.length) return value;
      const t = isNonNullType(type) ? type.ofType : type;
      if (isListType(t)) {
        const inner = t.ofType as GraphQLInputType;
        const first = Array.isArray(current) && current.length ? current[0] : plausible(inner, { field: op.name, names });
        return [put(inner, first, rest.slice(1), names)];
      }
      if (isInputObjectType(t)) {
        const obj = {
          ...((current && typeof current === 'object' ? current : plausible(t, { field: op.name, names })) as Record<string, unknown>),
        };
        const key = rest[0] as string;
        const field = t.getFields()[key];
        obj[key] = put(field.type, obj[key], rest.slice(1), [...names, key]);
        return obj;
      }
      return value;
    };
    return { ...args, [arg.name]: put(arg.type, args[arg.name], path.slice(1), [arg.name]) };
  }

  function withValues(op: OperationField, sets: { place: Place; value: string }[]): Record<string, unknown> {
    let args = baseArgs(op);
    for (const { place, value } of sets) args = setAt(op, args, place.path, place.list ? [value] : value);
    return args;
  }

  /** The random counterpart of a value of B of this kind (same shape, nothing behind it). */
  function fallbackFor(kind: TargetKind, value: string): string {
    if (kind !== 'audit') return FALLBACK_ID;
    if (/^\d+$/.test(value)) return FALLBACK_AUDIT_ID;
    const [at] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [string, string];
    return Buffer.from(JSON.stringify([at, FALLBACK_AUDIT_ID])).toString('base64url');
  }

  /** The groups of one operation for one caller: as it is (when that is harmless), each ID place, all at once, each text place. */
  function groupsOf(op: OperationField, caller: Caller): Group[] {
    const groups: Group[] = [];
    if (caller.operator && isPlatformOperation(op)) return groups;
    const places = placesOf(op);
    const idPlaces = places.filter((p) => p.scalar === 'ID');
    // As it is, with A's own values: queries, and mutations that name nothing (they act on the caller or create in A).
    if (op.kind === 'query' || idPlaces.length === 0)
      groups.push({
        op,
        caller,
        place: '(as is, with A’s values)',
        baseline: true,
        variants: [{ label: 'A', args: () => baseArgs(op), echoes: [] }],
      });
    // P, a person of both, named in a query of A: A's side of them only.
    if (op.kind === 'query')
      for (const place of idPlaces.filter((x) => targetKind(x.vp) === 'user'))
        groups.push({
          op,
          caller,
          place: `${pathLabel(place.path)} (P, of A and B)`,
          baseline: true,
          variants: [{ label: 'P', args: () => withValues(op, [{ place, value: world.p.userId }]), echoes: [] }],
        });
    for (const place of idPlaces) {
      const kind = targetKind(place.vp);
      const values = bValues[kind];
      if (!values.length) continue;
      // One random counterpart per shape (an audit id, an audit cursor, a UUID).
      const byFallback = new Map<string, { label: string; value: string }[]>();
      for (const v of values) {
        const f = fallbackFor(kind, v.value);
        byFallback.set(f, [...(byFallback.get(f) ?? []), v]);
      }
      for (const [fb, vs] of byFallback)
        groups.push({
          op,
          caller,
          place: `${pathLabel(place.path)} (${kind})`,
          fallback: () => withValues(op, [{ place, value: fb }]),
          sameAnswer: kind !== 'audit',
          // (An error may repeat the id it was given: that says nothing of B.)
          variants: vs.map((v) => ({ label: v.label, args: () => withValues(op, [{ place, value: v.value }]), echoes: [v.value] })),
        });
    }
    if (idPlaces.length > 1) {
      const firsts = idPlaces
        .map((place) => ({ place, kind: targetKind(place.vp) }))
        .filter((x) => bValues[x.kind].length && x.kind !== 'audit');
      if (firsts.length > 1)
        groups.push({
          op,
          caller,
          place: `every id (${firsts.map((x) => pathLabel(x.place.path)).join(', ')})`,
          sameAnswer: true,
          fallback: () =>
            withValues(
              op,
              firsts.map((x) => ({ place: x.place, value: FALLBACK_ID })),
            ),
          variants: [
            {
              label: 'B’s first of each kind',
              args: () =>
                withValues(
                  op,
                  firsts.map((x) => ({ place: x.place, value: bValues[x.kind][0].value })),
                ),
              echoes: firsts.map((x) => bValues[x.kind][0].value),
            },
          ],
        });
    }
    if (PUBLIC_OPERATIONS.has(op.name)) return groups;
    const { b } = world;
    for (const place of places.filter((p) => p.scalar === 'String')) {
      const name = place.vp.names[place.vp.names.length - 1];
      const text = (values: { label: string; value: string; fallback: () => string }[]) => {
        for (const v of values)
          groups.push({
            op,
            caller,
            place: pathLabel(place.path),
            fallback: () => withValues(op, [{ place, value: v.fallback() }]),
            sameAnswer: true,
            variants: [
              { label: v.label, args: () => withValues(op, [{ place, value: v.value }]), echoes: op.kind === 'mutation' ? [v.value] : [] },
            ],
          });
      };
      const fresh = () => world.freshEmail();
      if (/^emails?$/.test(name) || stringKind(place.vp) === 'email') {
        // A mutation given an email of B (an invitation) makes that person a member of A: see the last test.
        if (op.kind === 'mutation') continue;
        text([b.member, b.invited, b.deactivated].map((x) => ({ label: `B's ${x.email}`, value: x.email, fallback: fresh })));
      } else if (name === 'search') {
        text([
          { label: `B's ${b.member.email}`, value: b.member.email, fallback: fresh },
          { label: 'the canary', value: CANARY, fallback: () => 'qq-nobody-' },
          { label: `B's slug`, value: b.slug, fallback: () => 'qq-nobody-org' },
        ]);
      } else if (name === 'actor' || name === 'target') {
        text([
          { label: `B's ${b.admin.email}`, value: b.admin.email, fallback: fresh },
          { label: `B's ${b.member.email}`, value: b.member.email, fallback: fresh },
          { label: `the id of B's ${b.admin.email}`, value: b.admin.userId, fallback: () => FALLBACK_ID },
          { label: `the id of B's ${b.member.email}`, value: b.member.userId, fallback: () => FALLBACK_ID },
        ]);
      } else if ((name === 'after' || name === 'before') && place.path.length === 1 && bCursors.has(op.name)) {
        // B's page cursor, against one of the same shape whose ids exist nowhere (no page of A follows either the same way).
        const cursor = bCursors.get(op.name) as string;
        const fake = fakeCursor(cursor);
        if (fake)
          groups.push({
            op,
            caller,
            place: `${name} (B's page cursor)`,
            fallback: () => withValues(op, [{ place, value: fake }]),
            variants: [
              {
                label: `B's cursor ${Buffer.from(cursor, 'base64url').toString('utf8')}`,
                args: () => withValues(op, [{ place, value: cursor }]),
                echoes: [],
              },
            ],
          });
      }
    }
    return groups;
  }

  // -------------------------------------------------------------------------------------------

  it('every operation, for every caller of A, answers a value of B as it answers a random one, shows nothing of B, changes nothing in B', async () => {
    const started = Date.now();
    const ops = operationFields(schema);
    for (const op of ops) {
      const groups = callers.flatMap((c) => groupsOf(op, c));
      // Queries a few at a time; mutations one after the other (two of them could refuse each other).
      await pool(groups, op.kind === 'query' ? 4 : 1, runGroup);
      await checkFingerprint(`${op.kind} ${op.name}`);
    }

    // B's users cursors, in A's users pages of the same sort (forward and backward).
    const usersOp = ops.find((o) => o.name === 'users');
    const sortField = usersOp?.field.args.find((x) => x.name === 'sortBy');
    const sortType = sortField && getNamedType(sortField.type);
    if (usersOp && sortType && isEnumType(sortType)) {
      for (const sortBy of sortType.getValues().map((v) => v.name)) {
        const page = await (world.b.admin.client as Client).ok(
          `query($s: UserSortField!) { users(first: 3, sortBy: $s) { edges { cursor } } }`,
          {
            s: sortBy,
          },
        );
        for (const { cursor } of page.users.edges as { cursor: string }[]) {
          const [f, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, unknown, string];
          const fakeKey = typeof key === 'string' && !/^\d{4}-|^-infinity$/.test(key) ? 'qq-nobody@example.com' : key;
          const fake = Buffer.from(JSON.stringify([f, fakeKey, FALLBACK_ID])).toString('base64url');
          for (const caller of callers)
            for (const [dir, size] of [
              ['after', 'first'],
              ['before', 'last'],
            ])
              await runGroup({
                op: usersOp,
                caller,
                place: `users(sortBy: ${sortBy}, ${dir})`,
                fallback: () => ({ sortBy, [dir]: fake, [size]: 2 }),
                variants: [
                  {
                    label: `B's cursor ${Buffer.from(cursor, 'base64url').toString('utf8')}`,
                    args: () => ({ sortBy, [dir]: cursor, [size]: 2 }),
                    echoes: [],
                  },
                ],
              });
        }
      }
      await checkFingerprint('query users (B’s cursors)');
    }

    const seconds = (Date.now() - started) / 1000;
    const outcomes = [...tally.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([op, t]) => `${op}: ${[...t.entries()].map(([o, n]) => `${o} ${n}`).join(', ')}`);
    console.log(
      `cross-organization: ${requests} requests over ${ops.length} operations in ${seconds.toFixed(1)} s; values of B answered:\n  ${outcomes.join('\n  ')}`,
    );
    expect(ops.map((o) => o.name).filter((n) => !covered.has(n))).toEqual([]);
    expect(report()).toBe('');
  }, 400_000);

  it('exports of A hold nothing of B, whatever their filters name', async () => {
    const { b } = world;
    const fresh = () => world.freshEmail();
    const cases: { route: string; label: string; path: string; fallback?: string }[] = [
      { route: 'users', label: 'no filter', path: '/api/export/users' },
      { route: 'audit', label: 'no filter', path: '/api/export/audit' },
    ];
    for (const [label, value, fb] of [
      [`B's ${b.member.email}`, b.member.email, fresh()],
      ['the canary', CANARY, 'qq-nobody-'],
      [`B's slug`, b.slug, 'qq-nobody-org'],
    ])
      cases.push({
        route: 'users',
        label: `search = ${label}`,
        path: `/api/export/users?search=${encodeURIComponent(value)}`,
        fallback: `/api/export/users?search=${encodeURIComponent(fb)}`,
      });
    for (const filter of ['actor', 'target'])
      for (const [label, value, fb] of [
        [`B's ${b.admin.email}`, b.admin.email, fresh()],
        [`the id of B's ${b.member.email}`, b.member.userId, FALLBACK_ID],
      ])
        cases.push({
          route: 'audit',
          label: `${filter} = ${label}`,
          path: `/api/export/audit?${filter}=${encodeURIComponent(value)}`,
          fallback: `/api/export/audit?${filter}=${encodeURIComponent(fb)}`,
        });
    cases.push({
      route: 'audit',
      label: `actor and target = B's people`,
      path: `/api/export/audit?actor=${encodeURIComponent(b.admin.email)}&target=${b.member.userId}`,
      fallback: `/api/export/audit?actor=${encodeURIComponent(fresh())}&target=${FALLBACK_ID}`,
    });
    let downloaded = 0;
    // Unfiltered first: the audit log then records the filters A's callers type (theirs to see, B's values or not).
    for (const c of [...cases.filter((x) => !x.fallback), ...cases.filter((x) => x.fallback)])
      for (const caller of callers) {
        const answer = await download(caller.client, c.path);
        if (answer.status === 200) downloaded++;
        const op = `GET /api/export/${c.route}`;
        const shown = leaks(answer.text, caller);
        if (shown.length)
          failures.push({
            op,
            caller: caller.name,
            place: c.label,
            problem: 'shows B',
            detail: `shows ${shown.join(', ')}: ${excerpt(answer)}`,
          });
        if (!c.fallback) continue;
        const fallback = await download(caller.client, c.fallback);
        if (!ALLOWED_CODES.has(answer.outcome) || answer.outcome !== fallback.outcome)
          failures.push({
            op,
            caller: caller.name,
            place: c.label,
            problem: `${answer.outcome} where a random value gets ${fallback.outcome}`,
            detail: excerpt(answer),
          });
        else if (csvShape(answer.text) !== csvShape(fallback.text))
          failures.push({
            op,
            caller: caller.name,
            place: c.label,
            problem: 'another file than for a random value',
            detail: `${excerpt(answer)}\n      random: ${excerpt(fallback)}`,
          });
      }
    // The Admin's and the Manager's downloads went through (the checks saw files, not only refusals).
    expect(downloaded).toBeGreaterThanOrEqual(8);
    await checkFingerprint('exports');
    expect(report()).toBe('');
  }, 120_000);

  // -------------------------------------------------------------------------------------------
  // SCIM (REST, /scim/v2): A's provisioning tokens given B's values in every place

  const SCIM = '/scim/v2';
  const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
  const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
  const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
  const SCIM_PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
  const SCIM_SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
  /** The detail of the SCIM fallback's 404: no such route (yet). */
  const NO_ENDPOINT = 'No such SCIM endpoint.';
  /** Every SCIM route of design §3, by method and path (`:id` a resource's id). */
  const SCIM_ROUTES = [
    'GET /ServiceProviderConfig',
    'GET /ResourceTypes',
    'GET /ResourceTypes/:name',
    'GET /Schemas',
    'GET /Schemas/:urn',
    'GET /Users',
    'POST /Users/.search',
    'GET /Users/:id',
    'POST /Users',
    'PUT /Users/:id',
    'PATCH /Users/:id',
    'DELETE /Users/:id',
    'GET /Groups',
    'POST /Groups/.search',
    'GET /Groups/:id',
    'POST /Groups',
    'PUT /Groups/:id',
    'PATCH /Groups/:id',
    'DELETE /Groups/:id',
  ] as const;
  type ScimRoute = (typeof SCIM_ROUTES)[number];

  interface ScimRequest {
    method: string;
    path: string;
    body?: unknown;
    headers?: Record<string, string>;
  }

  interface ScimAnswer extends Answer {
    json: Json;
  }

  interface Valued {
    label: string;
    value: string;
  }

  /** One place of one SCIM route: its random counterpart, B's values there, and the request for a value. */
  interface ScimCase {
    route: ScimRoute;
    place: string;
    fallback: () => string;
    values: Valued[];
    request: (value: string) => ScimRequest;
    /** What the answer may show besides the value sent (a person the request makes A's member). */
    echoes?: (value: string) => string[];
    /** After each request: puts A back as it was (a team or externalId the request made). */
    after?: () => Promise<void>;
  }

  interface ScimSide {
    /** A's provisioning tokens: its Admin's, its Manager's, its Member's capped to Viewer. */
    callers: Caller[];
    values: Record<
      'person' | 'email' | 'team' | 'personExt' | 'teamExt' | 'givenName' | 'familyName' | 'displayName' | 'teamName' | 'role' | 'text',
      Valued[]
    >;
    /** A team of A the group cases change (never B's). */
    scratchTeam: { id: string; name: string };
    present: Set<ScimRoute>;
  }
  let scimSide: ScimSide | undefined;

  async function scimAsk(client: Client, r: ScimRequest): Promise<ScimAnswer> {
    requests++;
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['content-type'] = 'application/scim+json';
    const res = await client.fetch(`${SCIM}${r.path}`, {
      method: r.method,
      headers,
      body: r.body === undefined ? undefined : JSON.stringify(r.body),
    });
    const text = await res.text();
    let json: Json = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      /* judged below */
    }
    const scimType = typeof json?.scimType === 'string' ? ` ${json.scimType}` : '';
    return { status: res.status, text, json, outcome: res.status >= 400 ? `HTTP ${res.status}${scimType}` : `OK ${res.status}` };
  }

  /** A SCIM answer with what differs between any two requests set aside, and the values sent as `<sent>`. */
  function scimNormalised(text: string, sent: string[]): string {
    const marks = [...new Set(sent.flatMap((s) => [s, s.toLowerCase()]).filter((s) => s.length > 2))].sort((x, y) => y.length - x.length);
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      if (typeof v !== 'string') return v;
      let s = v;
      for (const m of marks) s = s.split(m).join('<sent>');
      if (/^W\/"\d+"$/.test(s)) return '<version>';
      return normalisedValue(s);
    };
    try {
      return JSON.stringify(walk(JSON.parse(text)));
    } catch {
      return text;
    }
  }

  /** The SCIM side of the world: A's tokens, B's values (externalIds given to B's people and teams first), the routes there are. */
  async function scimWorld(): Promise<ScimSide> {
    if (scimSide) return scimSide;
    const { a, b } = world;
    // B's externalIds (the provider's ids), and a few of A's: values of B to put in A's requests.
    await app.sql(
      `UPDATE memberships SET external_id = $2 || 'ext-' || left(user_id::text, 8) WHERE organization_id = $1 AND status <> 'INVITED'`,
      [b.id, CANARY],
    );
    await app.sql(`UPDATE teams SET external_id = $2 || 'team-ext-' || left(id::text, 8) WHERE organization_id = $1`, [b.id, CANARY]);
    await app.sql(
      `UPDATE memberships SET external_id = 'a-ext-' || left(user_id::text, 8) WHERE organization_id = $1 AND user_id = ANY($2)`,
      [a.id, [a.member.userId, a.viewer.userId]],
    );
    const people = await app.sql<{ user_id: string; email: string; external_id: string | null; first_name: string; last_name: string }>(
      `SELECT user_id, email, external_id, first_name, last_name FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[]) ORDER BY email`,
      [b.id, bOnlyIds],
    );
    const teams = await app.sql<{ id: string; name: string; external_id: string }>(
      `SELECT id, name, external_id FROM teams WHERE organization_id = $1 ORDER BY name`,
      [b.id],
    );
    const scimPeople = people.filter((x) => x.external_id);
    const label = (x: { email: string }) => `B's ${x.email}`;
    const values: ScimSide['values'] = {
      person: people.map((x) => ({ label: label(x), value: x.user_id })),
      email: people.map((x) => ({ label: label(x), value: x.email })),
      personExt: scimPeople.map((x) => ({ label: `the externalId of ${label(x)}`, value: x.external_id as string })),
      givenName: scimPeople.map((x) => ({ label: `the given name of ${label(x)}`, value: x.first_name })),
      familyName: scimPeople.map((x) => ({ label: `the family name of ${label(x)}`, value: x.last_name })),
      displayName: scimPeople.map((x) => ({ label: `the name of ${label(x)}`, value: `${x.first_name} ${x.last_name}` })),
      team: teams.map((t) => ({ label: `B's team ${t.name}`, value: t.id })),
      teamExt: teams.map((t) => ({ label: `the externalId of B's team ${t.name}`, value: t.external_id })),
      teamName: teams.map((t) => ({ label: `B's team ${t.name}`, value: t.name })),
      role: Object.entries(b.roles).map(([k, v]) => ({ label: `B's role ${k}`, value: v })),
      text: [
        { label: 'the canary', value: CANARY },
        { label: `B's slug`, value: b.slug },
        { label: `B's domain`, value: world.bDomain },
      ],
    };
    bSecrets.push(...teams.map((t) => t.id.toLowerCase()));
    const callers: Caller[] = [
      { name: 'Admin token', client: app.client({ bearer: a.tokens.admin.secret }), mayShow: [] },
      { name: 'Manager token', client: app.client({ bearer: a.tokens.manager.secret }), mayShow: [] },
      { name: 'Member token (capped to Viewer)', client: app.client({ bearer: a.tokens.member.secret }), mayShow: [] },
    ];
    const scratchTeam = (await (a.admin.client as Client).ok(`mutation { createTeam(input: { name: "a-scim-scratch" }) { id name } }`))
      .createTeam as { id: string; name: string };
    // The routes there are: the fallback answers the others (helpers land them one by one).
    const present = new Set<ScimRoute>();
    for (const route of SCIM_ROUTES) {
      const [method, template] = route.split(' ');
      const path = template.replace(':id', FALLBACK_ID).replace(':name', 'User').replace(':urn', SCIM_USER);
      const r = await scimAsk(callers[0].client, { method, path, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      if (!(r.status === 404 && r.json?.detail === NO_ENDPOINT)) present.add(route);
    }
    console.log(
      `cross-organization (SCIM): routes there: ${[...present].join(', ')}; not yet: ${SCIM_ROUTES.filter((r) => !present.has(r)).join(', ') || 'none'}`,
    );
    await resetFingerprint();
    scimSide = { callers, values, scratchTeam, present };
    return scimSide;
  }

  function scimJudge(c: ScimCase, caller: Caller, v: Valued, answer: ScimAnswer, fallback: ScimAnswer, fallbackValue: string): void {
    const fail = (problem: string, detail: string) =>
      failures.push({ op: `SCIM ${c.route}`, caller: caller.name, place: `${c.place} = ${v.label}`, problem, detail });
    const t = tally.get(`SCIM ${c.route}`) ?? new Map<string, number>();
    t.set(answer.outcome, (t.get(answer.outcome) ?? 0) + 1);
    tally.set(`SCIM ${c.route}`, t);
    const shown = leaks(answer.text, caller, [v.value, ...(c.echoes?.(v.value) ?? [])]);
    if (shown.length) fail('shows B', `shows ${shown.join(', ')}: ${excerpt(answer)}`);
    if (answer.status >= 500) fail(`HTTP ${answer.status}`, excerpt(answer));
    if (answer.status >= 400 && !(answer.json?.schemas?.[0] === SCIM_ERROR && answer.json?.status === String(answer.status)))
      fail('not a SCIM error', excerpt(answer));
    if (answer.outcome !== fallback.outcome)
      fail(`${answer.outcome} where a random value gets ${fallback.outcome}`, `${excerpt(answer)}\n      random: ${excerpt(fallback)}`);
    else {
      // (The echoed person's id is an id as the random one's is.)
      const mine = scimNormalised(answer.text, [v.value]);
      const random = scimNormalised(fallback.text, [fallbackValue]);
      if (mine !== random)
        fail(
          'another answer than for a random value',
          `${differences(mine, random)}\n      ${excerpt(answer)}\n      random: ${excerpt(fallback)}`,
        );
    }
  }

  /** One SCIM case for one caller: the random counterpart, then each value of B (each after a fresh random one when the case makes things). */
  async function runScimCase(c: ScimCase, caller: Caller): Promise<void> {
    covered.add(`SCIM ${c.route}`);
    let fallbackValue = c.fallback();
    let fallback = await scimAsk(caller.client, c.request(fallbackValue));
    await c.after?.();
    for (const [i, v] of c.values.entries()) {
      if (i > 0 && c.after) {
        fallbackValue = c.fallback();
        fallback = await scimAsk(caller.client, c.request(fallbackValue));
        await c.after();
      }
      const answer = await scimAsk(caller.client, c.request(v.value));
      await c.after?.();
      scimJudge(c, caller, v, answer, fallback, fallbackValue);
    }
  }

  /** Every place of every SCIM route there is, with B's values of the kind it takes. */
  function scimCases(side: ScimSide): ScimCase[] {
    const { a } = world;
    const { values, scratchTeam } = side;
    const q = (s: string) => encodeURIComponent(s);
    const fresh = () => world.freshEmail();
    const nobody = (what: string) => () => `qq-nobody-${what}-${randomUUID().slice(0, 8)}`;
    const cases: ScimCase[] = [];
    const user = (extra: Record<string, unknown> = {}) => ({
      schemas: [SCIM_USER],
      userName: fresh(),
      name: { givenName: 'Casey', familyName: 'Case' },
      active: true,
      ...extra,
    });
    const patch = (...operations: unknown[]) => ({ schemas: [SCIM_PATCH], Operations: operations });
    const resetA = async () => {
      await app.sql(
        `UPDATE memberships SET external_id = NULL WHERE organization_id = $1 AND (external_id LIKE $2 OR external_id LIKE 'qq-nobody-%')`,
        [a.id, `${CANARY}%`],
      );
      // People A's requests made with B's names: gone again (A's own pages then show nothing of B by their names).
      await app.sql(
        `WITH gone AS (
           DELETE FROM memberships WHERE organization_id = $1 AND user_id <> ALL($3::uuid[])
              AND (first_name LIKE $2 OR display_name LIKE $2 OR first_name LIKE 'qq-nobody-%' OR display_name LIKE 'qq-nobody-%')
           RETURNING user_id)
         DELETE FROM users WHERE id IN (SELECT user_id FROM gone)`,
        [a.id, `${CANARY}%`, bOnlyIds],
      );
      await app.sql(`DELETE FROM teams WHERE organization_id = $1 AND (name LIKE $2 OR name LIKE 'qq-nobody-%' OR name LIKE 'a-case %')`, [
        a.id,
        `${CANARY}%`,
      ]);
    };

    // Filters: on GET /Users, and in POST /Users/.search.
    const userFilters: [string, (v: string) => string, Valued[], () => string][] = [
      ['id eq', (v) => `id eq "${v}"`, values.person, () => FALLBACK_ID],
      ['id eq A’s or', (v) => `id eq "${a.target.userId}" or id eq "${v}"`, values.person, () => FALLBACK_ID],
      ['not id ne', (v) => `not (id ne "${v}")`, values.person, () => FALLBACK_ID],
      ['userName eq', (v) => `userName eq "${v}"`, values.email, fresh],
      ['userName eq (upper case)', (v) => `userName eq "${v.toUpperCase()}"`, values.email, fresh],
      ['emails.value eq', (v) => `emails.value eq "${v}"`, values.email, fresh],
      ['emails[type eq "work"].value eq', (v) => `emails[type eq "work"].value eq "${v}"`, values.email, fresh],
      ['externalId eq', (v) => `externalId eq "${v}"`, values.personExt, nobody('ext')],
      ['groups.value eq', (v) => `groups.value eq "${v}"`, values.team, () => FALLBACK_ID],
      ['displayName eq', (v) => `displayName eq "${v}"`, values.displayName, nobody('name')],
      ['name.givenName eq', (v) => `name.givenName eq "${v}"`, values.givenName, nobody('given')],
      ['name.familyName eq', (v) => `name.familyName eq "${v}"`, values.familyName, nobody('family')],
      ['roles.value eq', (v) => `roles.value eq "${v}"`, values.role, () => FALLBACK_ID],
      ['userName co', (v) => `userName co "${v}"`, values.text, () => 'qq-nobody-'],
      ['userName sw', (v) => `userName sw "${v}"`, values.text, () => 'qq-nobody-'],
      ['displayName co', (v) => `displayName co "${v}"`, values.text, () => 'qq-nobody-'],
      ['externalId sw', (v) => `externalId sw "${v}"`, values.text, () => 'qq-nobody-'],
    ];
    for (const [place, filter, vs, fallback] of userFilters) {
      cases.push({
        route: 'GET /Users',
        place: `filter ${place}`,
        fallback,
        values: vs,
        request: (v) => ({ method: 'GET', path: `/Users?filter=${q(filter(v))}` }),
      });
      cases.push({
        route: 'POST /Users/.search',
        place: `filter ${place}`,
        fallback,
        values: vs,
        request: (v) => ({ method: 'POST', path: '/Users/.search', body: { schemas: [SCIM_SEARCH], filter: filter(v), count: 50 } }),
      });
    }
    const groupFilters: [string, (v: string) => string, Valued[], () => string][] = [
      ['id eq', (v) => `id eq "${v}"`, values.team, () => FALLBACK_ID],
      ['displayName eq', (v) => `displayName eq "${v}"`, values.teamName, nobody('team')],
      ['externalId eq', (v) => `externalId eq "${v}"`, values.teamExt, nobody('ext')],
      ['members.value eq', (v) => `members.value eq "${v}"`, values.person, () => FALLBACK_ID],
      ['displayName co', (v) => `displayName co "${v}"`, values.text, () => 'qq-nobody-'],
    ];
    for (const [place, filter, vs, fallback] of groupFilters) {
      cases.push({
        route: 'GET /Groups',
        place: `filter ${place}`,
        fallback,
        values: vs,
        request: (v) => ({ method: 'GET', path: `/Groups?filter=${q(filter(v))}` }),
      });
      cases.push({
        route: 'POST /Groups/.search',
        place: `filter ${place}`,
        fallback,
        values: vs,
        request: (v) => ({ method: 'POST', path: '/Groups/.search', body: { schemas: [SCIM_SEARCH], filter: filter(v) } }),
      });
    }

    // Ids in the path: B's people (by id, email, externalId), B's teams.
    const ids: [string, Valued[], () => string][] = [
      ['id = B’s person', values.person, () => FALLBACK_ID],
      ['id = B’s email', values.email, fresh],
      ['id = B’s externalId', values.personExt, nobody('ext')],
      ['id = B’s team', values.team, () => FALLBACK_ID],
    ];
    for (const [place, vs, fallback] of ids) {
      cases.push({ route: 'GET /Users/:id', place, fallback, values: vs, request: (v) => ({ method: 'GET', path: `/Users/${q(v)}` }) });
      cases.push({ route: 'GET /Groups/:id', place, fallback, values: vs, request: (v) => ({ method: 'GET', path: `/Groups/${q(v)}` }) });
    }
    for (const [place, vs, fallback] of ids.filter(([p]) => p !== 'id = B’s externalId')) {
      cases.push(
        { route: 'PUT /Users/:id', place, fallback, values: vs, request: (v) => ({ method: 'PUT', path: `/Users/${q(v)}`, body: user() }) },
        {
          route: 'PATCH /Users/:id',
          place: `${place}, deactivated`,
          fallback,
          values: vs,
          request: (v) => ({ method: 'PATCH', path: `/Users/${q(v)}`, body: patch({ op: 'replace', value: { active: false } }) }),
        },
        {
          route: 'PATCH /Users/:id',
          place: `${place}, renamed`,
          fallback,
          values: vs,
          request: (v) => ({
            method: 'PATCH',
            path: `/Users/${q(v)}`,
            body: patch({ op: 'replace', path: 'name.givenName', value: 'Renamed' }),
          }),
        },
        { route: 'DELETE /Users/:id', place, fallback, values: vs, request: (v) => ({ method: 'DELETE', path: `/Users/${q(v)}` }) },
        {
          route: 'PUT /Groups/:id',
          place,
          fallback,
          values: vs,
          request: (v) => ({
            method: 'PUT',
            path: `/Groups/${q(v)}`,
            body: { schemas: [SCIM_GROUP], displayName: `a-case ${randomUUID().slice(0, 8)}` },
          }),
        },
        {
          route: 'PATCH /Groups/:id',
          place,
          fallback,
          values: vs,
          request: (v) => ({
            method: 'PATCH',
            path: `/Groups/${q(v)}`,
            body: patch({ op: 'replace', path: 'displayName', value: `a-case ${randomUUID().slice(0, 8)}` }),
          }),
        },
        { route: 'DELETE /Groups/:id', place, fallback, values: vs, request: (v) => ({ method: 'DELETE', path: `/Groups/${q(v)}` }) },
      );
    }

    // Bodies: B's values as what A's provider sends.
    cases.push(
      // B's person's email in A: case 4 of POST, the answer exactly a new email's (one comparison each: a new email once).
      ...values.email.map((v): ScimCase => ({
        route: 'POST /Users',
        place: 'userName (and the work email)',
        fallback: fresh,
        values: [v],
        request: (e) => ({
          method: 'POST',
          path: '/Users',
          body: user({ userName: e, emails: [{ value: e, type: 'work', primary: true }] }),
        }),
        // The person becomes a member of A: their email and id are A's to see now, nothing else of them.
        echoes: (e) => (e === v.value ? [e, values.person[values.email.indexOf(v)].value] : [e]),
        after: async () => {
          await app.sql(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[])`, [a.id, bOnlyIds]);
        },
      })),
      {
        route: 'POST /Users',
        place: 'externalId',
        fallback: nobody('ext'),
        values: values.personExt,
        request: (v) => ({ method: 'POST', path: '/Users', body: user({ externalId: v }) }),
        after: resetA,
      },
      {
        route: 'POST /Users',
        place: 'roles[].value',
        fallback: () => FALLBACK_ID,
        values: values.role,
        request: (v) => ({ method: 'POST', path: '/Users', body: user({ roles: [{ value: v, primary: true }] }) }),
        after: resetA,
      },
      {
        route: 'POST /Users',
        place: 'displayName, name',
        fallback: nobody('name'),
        values: values.displayName,
        request: (v) => ({ method: 'POST', path: '/Users', body: user({ displayName: v, name: { givenName: v, familyName: v } }) }),
        after: resetA,
      },
      {
        route: 'PATCH /Users/:id',
        place: 'A’s person, externalId',
        fallback: nobody('ext'),
        values: values.personExt,
        request: (v) => ({
          method: 'PATCH',
          path: `/Users/${a.target.userId}`,
          body: patch({ op: 'replace', path: 'externalId', value: v }),
        }),
        after: resetA,
      },
      {
        route: 'PUT /Users/:id',
        place: 'A’s person, externalId',
        fallback: nobody('ext'),
        values: values.personExt,
        request: (v) => ({
          method: 'PUT',
          path: `/Users/${a.target.userId}`,
          body: user({ userName: a.target.email, name: { givenName: 'a-Target', familyName: 'a-Target-Last' }, externalId: v }),
        }),
        after: resetA,
      },
      {
        route: 'POST /Groups',
        place: 'members[].value',
        fallback: () => FALLBACK_ID,
        values: values.person,
        request: (v) => ({
          method: 'POST',
          path: '/Groups',
          body: { schemas: [SCIM_GROUP], displayName: `a-case ${randomUUID().slice(0, 8)}`, members: [{ value: v }] },
        }),
        after: resetA,
      },
      {
        route: 'POST /Groups',
        place: 'displayName',
        fallback: nobody('team'),
        values: values.teamName,
        request: (v) => ({ method: 'POST', path: '/Groups', body: { schemas: [SCIM_GROUP], displayName: v } }),
        after: resetA,
      },
      {
        route: 'POST /Groups',
        place: 'externalId',
        fallback: nobody('ext'),
        values: values.teamExt,
        request: (v) => ({
          method: 'POST',
          path: '/Groups',
          body: { schemas: [SCIM_GROUP], displayName: `a-case ${randomUUID().slice(0, 8)}`, externalId: v },
        }),
        after: resetA,
      },
      {
        route: 'PUT /Groups/:id',
        place: 'A’s team, members[].value',
        fallback: () => FALLBACK_ID,
        values: values.person,
        request: (v) => ({
          method: 'PUT',
          path: `/Groups/${scratchTeam.id}`,
          body: { schemas: [SCIM_GROUP], displayName: scratchTeam.name, members: [{ value: v }] },
        }),
      },
      ...(
        [
          ['add members', (v: string) => ({ op: 'add', path: 'members', value: [{ value: v }] })],
          ['replace members', (v: string) => ({ op: 'replace', path: 'members', value: [{ value: v }] })],
          ['remove members[value eq]', (v: string) => ({ op: 'remove', path: `members[value eq "${v}"]` })],
          ['remove members with a value list', (v: string) => ({ op: 'Remove', path: 'members', value: [{ value: v }] })],
        ] as const
      ).map(([place, op]): ScimCase => ({
        route: 'PATCH /Groups/:id',
        place: `A’s team, ${place}`,
        fallback: () => FALLBACK_ID,
        values: values.person,
        request: (v) => ({ method: 'PATCH', path: `/Groups/${scratchTeam.id}`, body: patch(op(v)) }),
      })),
      {
        route: 'PATCH /Groups/:id',
        place: 'A’s team, externalId',
        fallback: nobody('ext'),
        values: values.teamExt,
        request: (v) => ({
          method: 'PATCH',
          path: `/Groups/${scratchTeam.id}`,
          body: patch({ op: 'replace', path: 'externalId', value: v }),
        }),
        after: async () => {
          await app.sql(`UPDATE teams SET external_id = NULL WHERE id = $1`, [scratchTeam.id]);
        },
      },
    );
    return cases.filter((c) => side.present.has(c.route));
  }

  it('SCIM: every route, for A’s provisioning tokens, answers a value of B as a random one, shows nothing of B, changes nothing in B', async () => {
    const started = Date.now();
    const side = await scimWorld();
    // Every route of the SCIM API is served: a missing one fails here rather than dropping its cases.
    expect(SCIM_ROUTES.filter((r) => !side.present.has(r))).toEqual([]);
    const cases = scimCases(side);
    const before = requests;
    for (const route of SCIM_ROUTES.filter((r) => side.present.has(r))) {
      const mine = cases.filter((c) => c.route === route);
      for (const c of mine) for (const caller of side.callers) await runScimCase(c, caller);
      await checkFingerprint(`SCIM ${route}`);
    }
    // Discovery and A's own lists, as they are: nothing of B in them (every page of A's users, B's people named nowhere).
    const { b } = world;
    for (const caller of side.callers)
      for (const path of [
        '/ServiceProviderConfig',
        '/ResourceTypes',
        '/ResourceTypes/User',
        '/Schemas',
        `/Schemas/${SCIM_USER}`,
        '/Users?count=1000',
        '/Groups?count=1000',
        `/Users/${world.p.userId}`,
      ]) {
        const answer = await scimAsk(caller.client, { method: 'GET', path });
        const shown = leaks(answer.text, caller);
        if (shown.length)
          failures.push({
            op: `SCIM GET ${path.split('?')[0]}`,
            caller: caller.name,
            place: '(as is)',
            problem: 'shows B',
            detail: `shows ${shown.join(', ')}: ${excerpt(answer)}`,
          });
        if (answer.status >= 500)
          failures.push({
            op: `SCIM GET ${path}`,
            caller: caller.name,
            place: '(as is)',
            problem: `HTTP ${answer.status}`,
            detail: excerpt(answer),
          });
      }
    // A's Admin token naming B (X-Roster-Organization) is refused as naming an unknown organization is.
    const admin = side.callers[0];
    for (const path of ['/Users', `/Users/${b.member.userId}`, '/ServiceProviderConfig']) {
      const unknown = await scimAsk(admin.client, { method: 'GET', path, headers: { 'x-roster-organization': 'qq-nobody-org' } });
      expect(unknown.status).toBeGreaterThanOrEqual(400);
      for (const h of [b.slug, b.id, b.slug.toUpperCase()]) {
        const r = await scimAsk(admin.client, { method: 'GET', path, headers: { 'x-roster-organization': h } });
        expect({ path, h, status: r.status, body: r.json }).toEqual({ path, h, status: unknown.status, body: unknown.json });
      }
    }
    await checkFingerprint('SCIM (as is, and naming B)');
    const spent = requests - before;
    console.log(
      `cross-organization (SCIM): ${cases.length} cases, ${spent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; values of B answered:\n  ${[
        ...tally.entries(),
      ]
        .filter(([op]) => op.startsWith('SCIM '))
        .map(([op, t]) => `${op}: ${[...t.entries()].map(([o, n]) => `${o} ${n}`).join(', ')}`)
        .join('\n  ')}`,
    );
    // Every route there is had cases (discovery takes no value of B: its answers are checked as they are).
    expect(
      [...side.present].filter(
        (r) => !r.includes('ResourceTypes') && !r.includes('Schemas') && r !== 'GET /ServiceProviderConfig' && !covered.has(`SCIM ${r}`),
      ),
    ).toEqual([]);
    expect(report()).toBe('');
  }, 300_000);

  it('SCIM: walking A’s users by startIndex, after and between B’s walks, gives A’s users and only them', async () => {
    const side = await scimWorld();
    const { a, b } = world;
    const bToken = app.client({ bearer: b.tokens.admin.secret });
    const truth = async (org: string, term: string | null) =>
      (
        await app.sql<{ user_id: string }>(
          `SELECT user_id FROM memberships WHERE organization_id = $1 AND status <> 'INVITED' AND ($2::text IS NULL OR email LIKE '%' || $2 || '%')`,
          [org, term],
        )
      )
        .map((r) => r.user_id)
        .sort();
    const page = async (client: Client, query: string, startIndex: number) => {
      const r = await scimAsk(client, { method: 'GET', path: `/Users?${query}&startIndex=${startIndex}&count=2` });
      expect({ query, startIndex, status: r.status }).toEqual({ query, startIndex, status: 200 });
      return r;
    };
    const sorts = [
      '',
      'sortBy=userName',
      'sortBy=userName&sortOrder=descending',
      'sortBy=externalId',
      'sortBy=meta.lastModified',
      'sortBy=name.givenName',
      'sortBy=name.familyName&sortOrder=descending',
    ];
    for (const sort of sorts)
      for (const [filter, term] of [
        ['', null],
        [`filter=${encodeURIComponent('userName co "example"')}`, 'example'],
      ] as const) {
        const query = [sort, filter].filter(Boolean).join('&') || 'x=1';
        for (const caller of side.callers.filter((c) => c.name !== 'Member token (capped to Viewer)' || sort === '')) {
          const expected = { a: await truth(a.id, term), b: await truth(b.id, term) };
          const seen: Record<'a' | 'b', string[]> = { a: [], b: [] };
          const totals: Record<'a' | 'b', Set<number>> = { a: new Set(), b: new Set() };
          // B's walk one page ahead of A's, interleaved: a continuation kept for B's walk must never serve A's.
          const last = Math.ceil(Math.max(expected.a.length, expected.b.length) / 2) + 1;
          for (let i = 0; i <= last; i++) {
            const start = 1 + 2 * i;
            const rb = await page(bToken, query, start);
            seen.b.push(...(rb.json.Resources ?? []).map((u: Json) => u.id));
            totals.b.add(rb.json.totalResults);
            const ra = await page(caller.client, query, start);
            const shown = leaks(ra.text, caller);
            if (shown.length)
              failures.push({
                op: 'SCIM GET /Users',
                caller: caller.name,
                place: `${query}, startIndex ${start}`,
                problem: 'shows B',
                detail: `shows ${shown.join(', ')}: ${excerpt(ra)}`,
              });
            seen.a.push(...(ra.json.Resources ?? []).map((u: Json) => u.id));
            totals.a.add(ra.json.totalResults);
          }
          for (const org of ['a', 'b'] as const)
            if (
              JSON.stringify({ ids: [...seen[org]].sort(), totals: [...totals[org]] }) !==
              JSON.stringify({ ids: expected[org], totals: [expected[org].length] })
            )
              failures.push({
                op: 'SCIM GET /Users (startIndex walk)',
                caller: org === 'a' ? caller.name : "B's Admin token",
                place: query,
                problem: `not ${org.toUpperCase()}'s users`,
                detail: `walked ${JSON.stringify(seen[org])} (totals ${[...totals[org]].join(', ')}), SQL says ${JSON.stringify(expected[org])}`,
              });
        }
      }
    await checkFingerprint('SCIM startIndex walks');
    expect(report()).toBe('');
  }, 120_000);

  it('SCIM: a browser session of A (cookie, CSRF header or not) is refused on every route with 401, and changes nothing', async () => {
    const side = await scimWorld();
    const { a } = world;
    const sessions: [string, Client][] = [
      ['Admin (cookie)', a.admin.client as Client],
      ['Admin (cookie, no CSRF header)', new OrgClient(a.admin.client as Client, a.slug, { csrf: false })],
      ['P (cookie), naming A', world.p.clientA],
    ];
    for (const [name, client] of sessions)
      for (const route of SCIM_ROUTES) {
        const [method, template] = route.split(' ');
        const path = template.replace(':id', a.target.userId).replace(':name', 'User').replace(':urn', SCIM_USER);
        const body =
          method === 'POST' && template.endsWith('.search')
            ? { schemas: [SCIM_SEARCH] }
            : method === 'PATCH'
              ? { schemas: [SCIM_PATCH], Operations: [{ op: 'replace', value: { active: false } }] }
              : method === 'GET' || method === 'DELETE'
                ? undefined
                : template.startsWith('/Groups')
                  ? { schemas: [SCIM_GROUP], displayName: 'a-cookie' }
                  : { schemas: [SCIM_USER], userName: world.freshEmail() };
        const r = await scimAsk(client, { method, path, body });
        const refused = r.status === 401 && r.json?.schemas?.[0] === SCIM_ERROR && r.json?.status === '401';
        // A route not there yet is the fallback's 404 (nothing answered either).
        if (!refused && !(r.status === 404 && r.json?.detail === NO_ENDPOINT && !side.present.has(route)))
          failures.push({
            op: `SCIM ${route}`,
            caller: name,
            place: '(a browser session)',
            problem: `${r.outcome}, not 401`,
            detail: excerpt(r),
          });
      }
    await checkFingerprint('SCIM with a browser session');
    const [{ n }] = await app.sql<{ n: string }>(`SELECT count(*) AS n FROM teams WHERE organization_id = $1 AND name = 'a-cookie'`, [
      a.id,
    ]);
    expect(Number(n)).toBe(0);
    expect(report()).toBe('');
  });

  it('a header naming B refuses every caller of A but P exactly as an unknown organization is refused', async () => {
    const { b } = world;
    // One field a request (errors of sibling fields are listed as they come: their order says nothing).
    const queries = [
      `{ me { user { id } } }`,
      `{ users(first: 5) { totalCount } }`,
      `mutation { createTeam(input: { name: "a-never" }) { id } }`,
    ];
    const ask = async (client: Client, header: string, query: string) => {
      const res = await client.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-roster-organization': header },
        body: JSON.stringify({ query }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    for (const caller of callers.filter((c) => !c.inB))
      for (const query of queries) {
        const unknown = await ask(caller.client, 'qq-nobody-org', query);
        expect({ caller: caller.name, query, code: unknown.body.errors?.[0]?.extensions?.code }).toEqual({
          caller: caller.name,
          query,
          code: 'FORBIDDEN',
        });
        for (const h of [b.slug, b.id, b.slug.toUpperCase()]) {
          const r = await ask(caller.client, h, query);
          expect({ caller: caller.name, h, query, r }).toEqual({ caller: caller.name, h, query, r: unknown });
        }
      }
    await checkFingerprint('a header naming B');
    expect(report()).toBe('');
  });

  it('GET /auth/whoami and /auth/forward naming B refuse every caller of A but P as an unknown organization, with nothing of B', async () => {
    const { b } = world;
    const ask = async (client: Client, path: string, header: string) => {
      const res = await client.fetch(path, { headers: { 'x-roster-organization': header } });
      const text = await res.text();
      const roster: string[] = [];
      res.headers.forEach((_v, k) => (k.startsWith('x-roster-') ? roster.push(k) : undefined));
      return { status: res.status, text, roster };
    };
    for (const caller of callers.filter((c) => !c.inB))
      for (const path of ['/auth/whoami', '/auth/forward']) {
        const unknown = await ask(caller.client, path, 'qq-nobody-org');
        expect({ caller: caller.name, path, status: unknown.status }).toEqual({ caller: caller.name, path, status: 403 });
        for (const h of [b.slug, b.id, b.slug.toUpperCase()]) {
          const r = await ask(caller.client, path, h);
          expect({ caller: caller.name, path, h, r }).toEqual({ caller: caller.name, path, h, r: unknown });
          expect(r.text).not.toContain(CANARY);
          expect(r.text).not.toContain(b.id);
        }
      }
    await checkFingerprint('whoami and forward naming B');
    expect(report()).toBe('');
    // P, a member of both, is answered in B when naming it: the refusals above are not a broken endpoint.
    // (Last: entering B records P's last connection there, a change of B's rows that is P's own.)
    const p = await ask(world.p.clientA, '/auth/whoami', b.slug);
    expect(p.status).toBe(200);
    expect(JSON.parse(p.text).organization.id).toBe(b.id);
    // The later checks compare B with what it is now.
    fingerprint = await sqlFingerprint();
    rows = await sqlRows();
  });

  it('an invitation in A of an email of B answers as for a fresh email, shows nothing of B, changes nothing in B', async () => {
    const { a, b } = world;
    const ops = operationFields(schema).filter((o) => o.kind === 'mutation' && !PUBLIC_OPERATIONS.has(o.name));
    let cases = 0;
    for (const op of ops) {
      const emailPlaces = placesOf(op).filter(
        (p) => p.scalar === 'String' && (stringKind(p.vp) === 'email' || /^emails?$/.test(p.vp.names[p.vp.names.length - 1])),
      );
      for (const place of emailPlaces)
        for (const caller of callers)
          for (const person of [b.member, b.invited, b.deactivated, b.twoFactor, b.admin]) {
            cases++;
            await runGroup({
              op,
              caller,
              place: pathLabel(place.path),
              fallback: () => withValues(op, [{ place, value: world.freshEmail() }]),
              sameAnswer: true,
              // The person becomes an invited member of A: their email and id are A's to see now, nothing else of them.
              variants: [
                {
                  label: `B's ${person.email}`,
                  args: () => withValues(op, [{ place, value: person.email }]),
                  echoes: [person.email, person.userId],
                },
              ],
            });
            // As it was: the person is B's alone again (their invitation and team links in A go with the membership).
            await app.sql(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[])`, [a.id, bOnlyIds]);
            await checkFingerprint(`${op.kind} ${op.name} (B's emails)`, caller.name);
          }
    }
    expect(cases).toBeGreaterThan(0);

    // Once invited, the person is on A's users page and in its export as a fresh invitee is, and nothing more.
    const usersOp = operationFields(schema).find((o) => o.name === 'users');
    const admin = callers[0];
    for (const person of usersOp ? [b.member, b.deactivated, b.twoFactor, b.admin] : []) {
      const fresh = world.freshEmail();
      const ids: string[] = [];
      for (const email of [fresh, person.email])
        ids.push(
          (
            await (a.admin.client as Client).ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`, {
              i: { email, roleId: a.roles['VIEWER'], teamIds: [] },
            })
          ).createInvitation.user.id,
        );
      const userOp = operationFields(schema).find((o) => o.name === 'user');
      if (userOp)
        await runGroup({
          op: userOp,
          caller: admin,
          place: 'id, once invited to A',
          fallback: () => ({ id: ids[0] }),
          sameAnswer: true,
          variants: [{ label: `B's ${person.email}`, args: () => ({ id: ids[1] }), echoes: [person.email, person.userId] }],
        });
      await runGroup({
        op: usersOp as OperationField,
        caller: admin,
        place: 'search, once invited to A',
        fallback: () => ({ search: fresh }),
        sameAnswer: true,
        variants: [{ label: `B's ${person.email}`, args: () => ({ search: person.email }), echoes: [person.email, person.userId] }],
      });
      const mine = await download(admin.client, `/api/export/users?search=${encodeURIComponent(fresh)}`);
      const theirs = await download(admin.client, `/api/export/users?search=${encodeURIComponent(person.email)}`);
      const place = `search = B's ${person.email}, once invited to A`;
      const shown = leaks(theirs.text, admin, [person.email, person.userId]);
      if (shown.length)
        failures.push({
          op: 'GET /api/export/users',
          caller: admin.name,
          place,
          problem: 'shows B',
          detail: `shows ${shown.join(', ')}: ${excerpt(theirs)}`,
        });
      if (csvShape(theirs.text) !== csvShape(mine.text))
        failures.push({
          op: 'GET /api/export/users',
          caller: admin.name,
          place,
          problem: 'another file than for a fresh invitee',
          detail: `${excerpt(theirs)}\n      fresh: ${excerpt(mine)}`,
        });
      await app.sql(`DELETE FROM memberships WHERE organization_id = $1 AND user_id = ANY($2::uuid[])`, [a.id, bOnlyIds]);
      await checkFingerprint(`B's person invited to A, then A's users page and export`, admin.name);
    }
    expect(report()).toBe('');
  }, 120_000);

  it('no cache serves one organization’s answer to the other (searches and counts, page shapes, P’s session naming A then B)', async () => {
    const { a, b, p } = world;
    const orgName = (org: string) => (org === a.id ? 'A' : 'B');
    /** A mismatch is recorded (and the checks go on: each says something of its own). */
    const same = (what: string, org: string, seen: unknown, expected: unknown) => {
      // (Compared as JSON: the answers' arrays come from another realm than the test's.)
      if (JSON.stringify(seen) !== JSON.stringify(expected))
        failures.push({
          op: `cache: ${what}`,
          caller: `${orgName(org)}`,
          place: '-',
          problem: `not ${orgName(org)}'s answer`,
          detail: `seen ${JSON.stringify(seen).slice(0, 600)}, SQL says ${JSON.stringify(expected).slice(0, 600)}`,
        });
    };
    const adminOf = { [a.id]: a.admin.client as Client, [b.id]: b.admin.client as Client };
    const truth = async (org: string, term: string | null) =>
      (
        await app.sql<{ user_id: string }>(
          `SELECT user_id FROM memberships WHERE organization_id = $1 AND ($2::text IS NULL OR email ILIKE '%' || $2 || '%')`,
          [org, term],
        )
      )
        .map((r) => r.user_id)
        .sort();
    const PAGE = `query($s: String, $a: String, $f: Int) { users(first: $f, search: $s, after: $a) {
      totalCount edges { node { id } } pageInfo { endCursor } } }`;

    // A search common to both, its first page then the next (whose count comes from the cache), interleaved.
    for (const order of [
      [a.id, b.id],
      [b.id, a.id],
    ]) {
      const firsts: Record<string, Json> = {};
      for (const org of order) firsts[org] = (await adminOf[org].ok(PAGE, { s: 'example', f: 1 })).users;
      for (const org of order) {
        const next = (await adminOf[org].ok(PAGE, { s: 'example', f: 1, a: firsts[org].pageInfo.endCursor })).users;
        const expected = await truth(org, 'example');
        const seen = [firsts[org].edges[0]?.node.id, next.edges[0]?.node.id];
        same(
          `users(search: "example"), first page then the next`,
          org,
          { total: [firsts[org].totalCount, next.totalCount], inOrg: seen.filter((id) => expected.includes(id)).length },
          { total: [expected.length, expected.length], inOrg: 2 },
        );
      }
    }
    // A term only one of them has, searched by it first, then by the other, twice.
    for (const [first, second, term] of [
      [b.id, a.id, b.member.email],
      [a.id, b.id, a.member.email],
    ]) {
      for (const org of [first, second, first, second]) {
        const r = (await adminOf[org].ok(PAGE, { s: term, f: 50 })).users;
        same(
          `users(search: "${term}")`,
          org,
          { total: r.totalCount, ids: r.edges.map((e: Json) => e.node.id).sort() },
          { total: (await truth(org, term)).length, ids: await truth(org, term) },
        );
      }
    }
    // The same page shapes, A and B in turn and at once: users, teams, roles, invitations, audit log, policy.
    const shapes: { query: string; read: (d: Json) => string[]; sql: string }[] = [
      {
        query: `{ users(first: 200) { totalCount edges { node { id } } } }`,
        read: (d) => [`total ${d.users.totalCount}`, ...d.users.edges.map((e: Json) => e.node.id)].sort(),
        sql: `SELECT 'total ' || count(*) AS x FROM memberships WHERE organization_id = $1
              UNION ALL SELECT user_id::text FROM memberships WHERE organization_id = $1`,
      },
      {
        query: `{ teams { id memberCount } }`,
        read: (d) => d.teams.map((t: Json) => `${t.id}:${t.memberCount}`).sort(),
        sql: `SELECT t.id || ':' || (SELECT count(*) FROM user_teams ut WHERE ut.team_id = t.id) AS x FROM teams t WHERE t.organization_id = $1`,
      },
      {
        query: `{ roles { id } }`,
        read: (d) => d.roles.map((r: Json) => r.id).sort(),
        sql: `SELECT id::text AS x FROM roles WHERE organization_id = $1`,
      },
      {
        query: `{ pendingInvitations { id } }`,
        read: (d) => d.pendingInvitations.map((u: Json) => u.id).sort(),
        sql: `SELECT user_id::text AS x FROM invitations WHERE organization_id = $1`,
      },
      {
        query: `{ auditEvents(first: 20) { events { id } } }`,
        read: (d) => d.auditEvents.events.map((e: Json) => e.id).sort(),
        sql: `SELECT id::text AS x FROM (SELECT id FROM audit_events WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20) e`,
      },
      {
        query: `{ twoFactorPolicy { roles { role { id } } } }`,
        read: (d) => d.twoFactorPolicy.roles.map((r: Json) => r.role.id).sort(),
        sql: `SELECT id::text AS x FROM roles WHERE organization_id = $1`,
      },
    ];
    for (const shape of shapes) {
      const expected: Record<string, string[]> = {};
      for (const org of [a.id, b.id]) expected[org] = (await app.sql<{ x: string }>(shape.sql, [org])).map((r) => r.x).sort();
      for (const orgs of [
        [a.id, b.id, a.id, b.id],
        [b.id, a.id, b.id, a.id],
      ]) {
        for (const org of orgs) same(shape.query, org, shape.read(await adminOf[org].ok(shape.query)), expected[org]);
        const answers = await Promise.all(orgs.map((org) => adminOf[org].ok(shape.query)));
        orgs.forEach((org, i) => same(`${shape.query} (at once)`, org, shape.read(answers[i]), expected[org]));
      }
    }
    // P's one session naming A, then B, then A (and both at once): each answer is that organization's.
    const ME = `{ me { organization { id } user { role { key } } permissions } users(first: 50) { totalCount } }`;
    const meOf = async (client: Client, org: string, role: string, what: string) => {
      const d = (await client.ok(ME)) as Json;
      const [{ permissions }] = await app.sql<{ permissions: string[] }>(
        `SELECT permissions FROM roles WHERE organization_id = $1 AND key = $2`,
        [org, role],
      );
      same(
        what,
        org,
        { org: d.me.organization.id, role: d.me.user.role.key, permissions: [...d.me.permissions].sort(), total: d.users.totalCount },
        { org, role, permissions: [...permissions].sort(), total: (await truth(org, null)).length },
      );
    };
    for (let i = 0; i < 3; i++) {
      await meOf(p.clientA, a.id, 'VIEWER', `P's session naming A`);
      await meOf(p.clientB, b.id, 'ADMIN', `P's session naming B`);
    }
    await Promise.all([
      meOf(p.clientA, a.id, 'VIEWER', `P's session naming A (at once)`),
      meOf(p.clientB, b.id, 'ADMIN', `P's session naming B (at once)`),
      meOf(p.clientA, a.id, 'VIEWER', `P's session naming A (at once)`),
    ]);
    // A's and B's Admin tokens in turn: the same statement, each its own organization's people.
    const tokenOf = { [a.id]: app.client({ bearer: a.tokens.admin.secret }), [b.id]: app.client({ bearer: b.tokens.admin.secret }) };
    for (const org of [a.id, b.id, a.id, b.id]) {
      const d = await tokenOf[org].ok(`{ users(first: 200) { totalCount edges { node { id } } } }`);
      const expected = await truth(org, null);
      same(
        `the Admin token's users page`,
        org,
        { total: d.users.totalCount, ids: d.users.edges.map((e: Json) => e.node.id).sort() },
        { total: expected.length, ids: expected },
      );
    }
    expect(report()).toBe('');
  }, 120_000);

  it("webhooks: each organization's endpoint receives its own organization's events only", async () => {
    const { a, b } = world;
    const ofA = hooks.at('/a-hooks');
    const ofB = hooks.at(`/${CANARY}hooks`);
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofB.length).toBeGreaterThan(0);
    const organizations = (received: typeof ofA) => [...new Set(received.map((r) => JSON.parse(r.body).data.organization.id))];
    expect(organizations(ofA)).toEqual([a.id]);
    expect(organizations(ofB)).toEqual([b.id]);
  });

  it('what A does to P (of both) changes nothing of P in B: teams, role, deactivation, removal', async () => {
    const { a, b, p } = world;
    const admin = a.admin.client as Client;
    const UPDATE = `mutation($i: UpdateUserInput!) { updateUser(input: $i) { id role { id } teams { id name } } }`;
    const inB = async () => (await p.clientB.ok(`{ me { organization { id } user { role { key } status teams { id } } } }`)).me as Json;
    const before = await inB();
    expect(before.organization.id).toBe(b.id);
    // What P's own requests in B move (their last connection there) is not A's doing: the reference is taken after them.
    const settle = async () => {
      await new Promise((ok) => setTimeout(ok, 300));
      await resetFingerprint();
    };
    await settle();
    const steps: [string, () => Promise<unknown>][] = [
      ['updateUser teamIds', () => admin.ok(UPDATE, { i: { id: p.userId, teamIds: [a.teams[1].id] } })],
      ['updateUser roleId', () => admin.ok(UPDATE, { i: { id: p.userId, roleId: a.roles['MEMBER'] } })],
      ['deactivateUser', () => admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id status } }`, { id: p.userId })],
      ['reactivateUser', () => admin.ok(`mutation($id: ID!) { reactivateUser(id: $id) { id status } }`, { id: p.userId })],
      [
        'deleteUser',
        () => admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: p.userId, confirmation: 'DELETE' } }),
      ],
    ];
    for (const [what, step] of steps) {
      await step();
      await checkFingerprint(`A's Admin: ${what} of P`, 'Admin (cookie)');
      // P still acts in B, as B's Admin, with B's teams (once the change notice reached the principal cache).
      let now: Json = null;
      for (let i = 0; i < 20; i++) {
        const r = await p.clientB.gql(`{ me { organization { id } user { role { key } status teams { id } } } }`);
        now = r.data?.me ?? r.errors;
        if (JSON.stringify(now) === JSON.stringify(before)) break;
        await new Promise((ok) => setTimeout(ok, 100));
      }
      if (JSON.stringify(now) !== JSON.stringify(before))
        failures.push({
          op: `mutation ${what.split(' ')[0]}`,
          caller: 'Admin (cookie)',
          place: 'P, of A and B',
          problem: 'changed P in B',
          detail: `P in B was ${JSON.stringify(before)}, is ${JSON.stringify(now)}`,
        });
      await settle();
    }
    // Removed from A, P is refused there and is still B's.
    expect((await p.clientA.gql(`{ me { organization { id } } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await inB()).organization.id).toBe(b.id);
    expect(report()).toBe('');
  });

  it('SCIM: what A’s provisioning token does to P (of both) changes nothing of P in B: renamed, removed from a team, deactivated, deleted', async () => {
    const side = await scimWorld();
    const { a, b, p } = world;
    const admin = side.callers[0].client;
    if (!side.present.has('PATCH /Users/:id') && !side.present.has('PUT /Users/:id')) {
      console.log('cross-organization (SCIM): no SCIM writes yet, P’s case waits for them');
      return;
    }
    // The GraphQL case above removed P from A: A's provider adds them back (POST /Users of their email: an existing person
    // who is not a member, case 4), a Viewer in A's first team as before.
    const back = await scimAsk(admin, {
      method: 'POST',
      path: '/Users',
      body: { schemas: [SCIM_USER], userName: p.email, name: { givenName: 'Pat', familyName: 'Both' }, roles: [{ value: 'VIEWER' }] },
    });
    const [membership] = await app.sql<{ status: string }>(`SELECT status FROM memberships WHERE organization_id = $1 AND user_id = $2`, [
      a.id,
      p.userId,
    ]);
    expect({ answer: back.status === 201 || back.status === 409 ? 'made or there' : back.text, membership }).toEqual({
      answer: 'made or there',
      membership: { status: 'ACTIVE' },
    });
    await app.sql(`INSERT INTO user_teams (organization_id, user_id, team_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      a.id,
      p.userId,
      a.teams[0].id,
    ]);
    await untilActsIn(p.clientA, a.id);
    const pB = app.client({ bearer: p.tokenB.secret });
    /**
     * P as B sees them: B's SCIM answer for P (P's own token of B), P's person (but where P last acted: P's own requests
     * below move it), membership, teams and tokens in B, P acting in B.
     */
    const inB = async () => ({
      scim: (await scimAsk(pB, { method: 'GET', path: `/Users/${p.userId}` })).json,
      person: (
        await app.sql(`SELECT to_jsonb(u) - 'last_sign_in_at' - 'last_organization_id' AS row FROM users u WHERE id = $1`, [p.userId])
      )[0],
      membership: (
        await app.sql(`SELECT to_jsonb(m) - 'last_sign_in_at' AS row FROM memberships m WHERE organization_id = $1 AND user_id = $2`, [
          b.id,
          p.userId,
        ])
      )[0],
      teams: await app.sql(`SELECT team_id FROM user_teams WHERE organization_id = $1 AND user_id = $2 ORDER BY team_id`, [b.id, p.userId]),
      tokens: await app.sql(`SELECT id FROM api_tokens WHERE organization_id = $1 AND user_id = $2 ORDER BY id`, [b.id, p.userId]),
      me: (await p.clientB.gql(`{ me { organization { id } user { role { key } status teams { id } } } }`)).data?.me ?? null,
    });
    await new Promise((ok) => setTimeout(ok, 300));
    const before = await inB();
    expect(before.scim?.id).toBe(p.userId);
    expect(before.me?.organization?.id).toBe(b.id);
    await resetFingerprint();
    const patch = (...operations: unknown[]) => ({
      method: 'PATCH',
      path: `/Users/${p.userId}`,
      body: { schemas: [SCIM_PATCH], Operations: operations },
    });
    const steps: [string, ScimRoute, ScimRequest, number[]][] = [
      [
        'renamed (PATCH name, displayName)',
        'PATCH /Users/:id',
        patch({ op: 'replace', value: { name: { givenName: 'Renamed', familyName: 'In-A' }, displayName: 'Renamed In A' } }),
        [200],
      ],
      ['given an externalId (PATCH)', 'PATCH /Users/:id', patch({ op: 'add', path: 'externalId', value: 'a-ext-pat' }), [200]],
      [
        'replaced (PUT)',
        'PUT /Users/:id',
        {
          method: 'PUT',
          path: `/Users/${p.userId}`,
          body: { schemas: [SCIM_USER], userName: p.email, name: { givenName: 'Put', familyName: 'In-A' } },
        },
        [200],
      ],
      [
        'removed from A’s team (PATCH /Groups remove members[value eq])',
        'PATCH /Groups/:id',
        {
          method: 'PATCH',
          path: `/Groups/${a.teams[0].id}`,
          body: { schemas: [SCIM_PATCH], Operations: [{ op: 'remove', path: `members[value eq "${p.userId}"]` }] },
        },
        [200, 204],
      ],
      ['deactivated (PATCH active false)', 'PATCH /Users/:id', patch({ op: 'replace', value: { active: false } }), [200]],
      ['reactivated (PATCH active "True")', 'PATCH /Users/:id', patch({ op: 'Replace', path: 'active', value: 'True' }), [200]],
      ['deactivated again (PATCH active "False")', 'PATCH /Users/:id', patch({ op: 'Replace', path: 'active', value: 'False' }), [200]],
      ['deleted (DELETE)', 'DELETE /Users/:id', { method: 'DELETE', path: `/Users/${p.userId}` }, [204]],
    ];
    let ran = 0;
    for (const [what, route, request, ok] of steps) {
      if (!side.present.has(route)) continue;
      ran++;
      const answer = await scimAsk(admin, request);
      if (!ok.includes(answer.status))
        failures.push({
          op: `SCIM ${route}`,
          caller: 'Admin token',
          place: `P, of A and B: ${what}`,
          problem: `${answer.outcome}`,
          detail: excerpt(answer),
        });
      await checkFingerprint(`SCIM: P ${what} in A`, 'Admin token');
      // P in B as before (once the change notice reached the principal cache).
      let now = await inB();
      for (let i = 0; i < 20 && JSON.stringify(now) !== JSON.stringify(before); i++) {
        await new Promise((done) => setTimeout(done, 100));
        now = await inB();
      }
      if (JSON.stringify(now) !== JSON.stringify(before))
        failures.push({
          op: `SCIM ${route}`,
          caller: 'Admin token',
          place: `P, of A and B: ${what}`,
          problem: 'changed P in B',
          detail: differences(JSON.stringify(now), JSON.stringify(before)),
        });
      await new Promise((done) => setTimeout(done, 300));
      await resetFingerprint();
    }
    console.log(`cross-organization (SCIM): ${ran} of ${steps.length} steps on P (the others wait for their routes)`);
    if (side.present.has('DELETE /Users/:id')) {
      // Removed from A, P is refused there and is still B's.
      expect((await p.clientA.gql(`{ me { organization { id } } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await inB()).me?.organization?.id).toBe(b.id);
    }
    expect(report()).toBe('');
  });

  /** The failures so far, grouped by operation and problem (an empty string when none). */
  function report(): string {
    if (!failures.length) return '';
    const groups = new Map<string, Failure[]>();
    for (const f of failures) {
      const key = `${f.op} | ${f.problem.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '<id>')}`;
      groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const out = [...groups.entries()].map(([key, fs]) => {
      const who = [...new Set(fs.map((f) => f.caller))].join('; ');
      const where = [...new Set(fs.map((f) => f.place))].slice(0, 6).join('; ');
      return `${key} (×${fs.length})\n    callers: ${who}\n    places: ${where}\n    e.g. ${fs[0].caller}, ${fs[0].place}: ${fs[0].detail}`;
    });
    const text = `${failures.length} failures in ${groups.size} groups:\n\n${out.join('\n\n')}`;
    failures.length = 0;
    return text;
  }
});
