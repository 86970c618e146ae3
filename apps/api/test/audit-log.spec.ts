import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { STRONG_PASSWORD, startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

/**
 * The audit log: newest first by (time, id), cursor paging that returns each event once even when
 * many share a timestamp, filters by actor, target (id or email, any case), action and date range,
 * typed errors for bad input, and the CSV export of the filtered events. Each organization reads its
 * own events only (a second organization, B, has events of the same people, actions and instants);
 * the platform's own events are read by operators only, with scope PLATFORM.
 */
describe('audit log', () => {
  let app: TestApp;
  let memberId: string;
  let member: Client;
  /** The first organization's id (the admin's and the member's), and the second's with its admin. */
  let orgA: string;
  let orgB: string;
  let bAdmin: Client;
  let bAdminId: string;
  const B_ADMIN_EMAIL = 'b-admin@example.com';

  const PAGE = `query($first: Int, $after: ID, $actor: String, $target: String, $action: String, $from: DateTime, $to: DateTime,
    $scope: AuditScope) {
    auditEvents(first: $first, after: $after, actor: $actor, target: $target, action: $action, from: $from, to: $to, scope: $scope) {
      events { id createdAt actorId actorEmail action targetId targetEmail details } hasNextPage endCursor } }`;

  /** Synthetic actors and targets; the emails in mixed case, as an old version may have copied them. */
  const ALICE = '11111111-1111-4111-8111-111111111111';
  const BOB = '22222222-2222-4222-8222-222222222222';
  const BASE = '2025-03-01T00:00:00.000Z';

  beforeAll(async () => {
    app = await startApp('audit-log');
    [{ id: orgA }] = await app.sql<{ id: string }>(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
    const r = await app.register('member@example.com', 'MEMBER');
    memberId = r.userId;
    member = r.client;
    // 300 events, seven per instant (microseconds included), over 43 instants an hour apart.
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, actor_id, actor_email, action, target_id, target_email, details)
       SELECT $4::uuid, $1::timestamptz + (g / 7) * interval '1 hour' + interval '123 microseconds',
              CASE WHEN g % 3 = 0 THEN $2::uuid ELSE $3::uuid END,
              CASE WHEN g % 3 = 0 THEN 'Alice@Example.COM' ELSE 'bob@example.com' END,
              CASE WHEN g % 2 = 0 THEN 'test.even' ELSE 'test.odd' END,
              CASE WHEN g % 5 = 0 THEN $3::uuid END,
              CASE WHEN g % 5 = 0 THEN 'bob@example.com' END,
              jsonb_build_object('n', g)
         FROM generate_series(0, 299) g`,
      [BASE, ALICE, BOB, orgA],
    );
    // One at each end of a range.
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, action, details)
       VALUES ($1, '2025-06-01T00:00:00Z', 'test.edge', '{"at": "from"}'), ($1, '2025-06-01T01:00:00Z', 'test.edge', '{"at": "to"}')`,
      [orgA],
    );
    // One whose cells a spreadsheet would run as formulas.
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, actor_email, action, target_email, details)
       VALUES ($1, '2025-02-01T00:00:00Z', '=cmd@example.com', 'test.formula', '+1@example.com', '{"x": "=1+1"}')`,
      [orgA],
    );
    await createOrganizationB();
  });

  /**
   * Organization B, made by SQL as the operators' createOrganization makes one (its four built-in roles
   * copied from A's, its two-factor policy and count), with an admin who registers through an invitation
   * and acts there; and, in B, events of the same actors, actions and instants as A's, plus one only B
   * has. The platform's own events (no organization) are there too.
   */
  async function createOrganizationB(): Promise<void> {
    [{ id: orgB }] = await app.sql<{ id: string }>(`INSERT INTO organizations (name, slug) VALUES ('Beta', 'beta') RETURNING id`);
    await app.sql(
      `INSERT INTO roles (organization_id, key, name, permissions, rank, built_in)
       SELECT $1, key, name, permissions, rank, built_in FROM roles WHERE organization_id = $2 AND built_in`,
      [orgB, orgA],
    );
    await app.sql(`INSERT INTO two_factor_policy (organization_id) VALUES ($1)`, [orgB]);
    await app.sql(`INSERT INTO membership_counts (organization_id) VALUES ($1) ON CONFLICT DO NOTHING`, [orgB]);
    [{ id: bAdminId }] = await app.sql<{ id: string }>(
      `INSERT INTO users (email, status, last_organization_id) VALUES ($1, 'INVITED', $2) RETURNING id`,
      [B_ADMIN_EMAIL, orgB],
    );
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status)
       SELECT $1, $2, id, 'INVITED' FROM roles WHERE organization_id = $1 AND key = 'ADMIN'`,
      [orgB, bAdminId],
    );
    const token = randomBytes(32).toString('base64url');
    await app.sql(
      `INSERT INTO invitations (organization_id, user_id, token_hash, expires_at, invited_by_id) VALUES ($1, $2, $3, now() + interval '1 day', $4)`,
      [orgB, bAdminId, createHash('sha256').update(token).digest(), app.adminId],
    );
    bAdmin = app.client();
    await bAdmin.ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: { token, firstName: 'Bea', lastName: 'Admin', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    expect((await bAdmin.ok(`{ me { organization { id } } }`)).me.organization.id).toBe(orgB);
    await bAdmin.ok(`mutation { createTeam(input: { name: "B team" }) { id } }`);
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, actor_id, actor_email, action, target_id, target_email, details)
       SELECT $4::uuid, $1::timestamptz + (g / 3) * interval '1 hour' + interval '123 microseconds',
              CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $3::uuid END,
              CASE WHEN g % 2 = 0 THEN 'alice@example.com' ELSE $5 END,
              CASE WHEN g % 4 = 0 THEN 'test.b-only' ELSE 'test.even' END,
              $3::uuid, $5, jsonb_build_object('b', g)
         FROM generate_series(0, 59) g`,
      [BASE, ALICE, bAdminId, orgB, B_ADMIN_EMAIL],
    );
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, actor_id, actor_email, action, target_id, details)
       VALUES (NULL, '2025-03-01T01:00:00.000123Z', $1, 'admin@example.com', 'organization.created', $2, '{"slug": "beta"}'),
              (NULL, '2025-03-01T02:00:00.000123Z', $1, 'admin@example.com', 'organization.suspended', $2, '{"slug": "beta"}')`,
      [app.adminId, orgB],
    );
  }
  afterAll(() => app?.close());

  async function all(vars: Record<string, unknown>, first = 13, as: Client = app.admin): Promise<Json[]> {
    const events: Json[] = [];
    let after: string | null = null;
    for (let i = 0; i < 1000; i++) {
      const page: Json = (await as.ok(PAGE, { ...vars, first, after })).auditEvents;
      events.push(...page.events);
      if (!page.hasNextPage) return events;
      after = page.endCursor;
    }
    throw new Error('paging never ended');
  }

  /** The ids the filter must return in organization A (or `organization`: null for the platform), newest first, straight from SQL. */
  async function expected(where: string, params: unknown[] = [], organization: string | null = orgA): Promise<string[]> {
    const owned = organization === null ? 'organization_id IS NULL' : `organization_id = $${params.length + 1}::uuid`;
    const rows = await app.sql<{ id: string }>(
      `SELECT id FROM audit_events WHERE ${owned} AND (${where}) ORDER BY created_at DESC, id DESC`,
      organization === null ? params : [...params, organization],
    );
    return rows.map((r) => r.id);
  }

  const ids = (events: Json[]) => events.map((e: Json) => e.id);

  it('pages newest first by cursor, each event exactly once although seven share each instant', async () => {
    const events = await all({});
    expect(ids(events)).toEqual(await expected('TRUE'));
    expect(new Set(ids(events)).size).toBe(events.length);
    const synthetic = events.filter((e) => e.action.startsWith('test.'));
    expect(synthetic).toHaveLength(303);
    // Real events (the registration) come first: they are the newest.
    expect(events[0].action).toBe('invitation.accepted');
    expect(events[0]).toMatchObject({ actorId: memberId, targetEmail: 'member@example.com' });
    expect(JSON.parse(synthetic[0].details)).toEqual({ at: 'to' });
    expect(JSON.parse(synthetic[2].details)).toEqual({ n: 299 });
    // Page sizes clamp to 1..200; an empty page has no cursor.
    expect((await app.admin.ok(PAGE, { first: 500 })).auditEvents.events).toHaveLength(200);
    const empty = (await app.admin.ok(PAGE, { action: 'nothing.here' })).auditEvents;
    expect(empty).toEqual({ events: [], hasNextPage: false, endCursor: null });
  });

  it('filters by actor, target, action and date range, alone and combined', async () => {
    const cases: [Record<string, unknown>, string, unknown[]][] = [
      [{ actor: 'ALICE@example.com' }, `lower(actor_email) = 'alice@example.com'`, []],
      [{ actor: ALICE.toUpperCase() }, `actor_id = $1`, [ALICE]],
      [{ actor: memberId }, `actor_id = $1`, [memberId]],
      [{ target: ' Bob@Example.com ' }, `target_email = 'bob@example.com'`, []],
      [{ target: BOB }, `target_id = $1`, [BOB]],
      [{ action: 'test.odd' }, `action = 'test.odd'`, []],
      [
        { from: '2025-03-01T02:00:00Z', to: '2025-03-01T05:00:00Z' },
        `created_at >= '2025-03-01T02:00:00Z' AND created_at < '2025-03-01T05:00:00Z'`,
        [],
      ],
      // Half-open: the event at `from` is in, the one at `to` is out.
      [{ from: '2025-06-01T00:00:00Z', to: '2025-06-01T01:00:00Z' }, `action = 'test.edge' AND details->>'at' = 'from'`, []],
      [{ from: '2025-03-01T20:00:00Z' }, `created_at >= '2025-03-01T20:00:00Z'`, []],
      [{ to: '2025-03-01T01:00:00Z' }, `created_at < '2025-03-01T01:00:00Z'`, []],
      [
        {
          actor: 'bob@example.com',
          target: 'BOB@EXAMPLE.COM',
          action: 'test.even',
          from: '2025-03-01T03:00:00Z',
          to: '2025-03-02T00:00:00Z',
        },
        `actor_email = 'bob@example.com' AND target_email = 'bob@example.com' AND action = 'test.even'
           AND created_at >= '2025-03-01T03:00:00Z' AND created_at < '2025-03-02T00:00:00Z'`,
        [],
      ],
      [{ actor: 'nobody@example.com', action: 'test.odd' }, `FALSE`, []],
    ];
    for (const [vars, where, params] of cases) {
      const want = await expected(where, params);
      expect([vars, ids(await all(vars, 7))]).toEqual([vars, want]);
    }
  });

  it('still takes a plain event id as cursor (older clients)', async () => {
    const first = (await app.admin.ok(PAGE, { first: 10, action: 'test.even' })).auditEvents;
    const last = first.events[9].id;
    const next = (await app.admin.ok(PAGE, { first: 10, action: 'test.even', after: last })).auditEvents;
    const cursorNext = (await app.admin.ok(PAGE, { first: 10, action: 'test.even', after: first.endCursor })).auditEvents;
    expect(ids(next.events)).toEqual(ids(cursorNext.events));
    expect((await app.admin.ok(PAGE, { after: '999999999' })).auditEvents.events).toEqual([]);
  });

  it('lists the actions recorded', async () => {
    const { auditActions } = await app.admin.ok(`{ auditActions }`);
    expect(auditActions).toEqual(expect.arrayContaining(['invitation.accepted', 'invitation.created', 'test.even', 'test.odd']));
    expect(auditActions).toEqual([...auditActions].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(auditActions).size).toBe(auditActions.length);
    expect(await member.code(`{ auditActions }`)).toBe('FORBIDDEN');
  });

  it('answers bad input with typed errors', async () => {
    const code = (vars: Record<string, unknown>) => app.admin.code(PAGE, vars);
    expect(await code({ from: '2025-03-02T00:00:00Z', to: '2025-03-01T00:00:00Z' })).toBe('DATE_RANGE_INVALID');
    expect(await code({ after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
    expect(await code({ after: Buffer.from(JSON.stringify(['2025-02-30T00:00:00.000000Z', '1'])).toString('base64url') })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await code({ after: '9223372036854775808' })).toBe('BAD_USER_INPUT');
    expect(await code({ actor: 'x'.repeat(255) })).toBe('BAD_USER_INPUT');
    expect(await code({ action: 'x'.repeat(65) })).toBe('BAD_USER_INPUT');
    expect(await code({ target: 'a\u0000b' })).toBe('BAD_USER_INPUT');
    expect(await code({ from: 'yesterday' })).toBe('BAD_USER_INPUT');
    expect(await code({ to: '-010000-01-01T00:00:00Z' })).toBe('BAD_USER_INPUT');
    expect(await code({ from: '+275760-01-01T00:00:00Z' })).toBe('BAD_USER_INPUT');
    // Equal bounds: an empty range, not an error.
    expect((await app.admin.ok(PAGE, { from: BASE, to: BASE })).auditEvents.events).toEqual([]);
  });

  it('never fails with a server error, whatever the filters and cursor (property)', async () => {
    const hostile = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('', ' ', '%', '_', "'", '\\', '0', '-1', '1e400', 'null', ALICE, `${ALICE}x`, '2025-02-30T00:00:00Z', '0000-01-01'),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.tuple(fc.string({ maxLength: 40 }), fc.string({ maxLength: 25 })).map((t) => Buffer.from(JSON.stringify(t)).toString('base64url')),
    );
    const vars = fc.record(
      { actor: hostile, target: hostile, action: hostile, from: hostile, to: hostile, after: hostile, first: fc.integer() },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(vars, async (v) => {
        const r = await app.admin.gql(PAGE, v);
        expect(r.status).toBeLessThan(500);
        const codes = (r.errors ?? []).map((e) => e.extensions?.code);
        for (const c of codes) expect(['BAD_USER_INPUT', 'DATE_RANGE_INVALID']).toContain(c);
        if (!codes.length) expect(Array.isArray(r.data?.auditEvents.events)).toBe(true);
      }),
      { numRuns: 150, seed: 20261128 },
    );
  });

  it('exports the filtered events as CSV, newest first, formula cells neutralised, and records the export', async () => {
    const res = await app.admin.fetch('/api/export/audit?actor=ALICE%40example.com&action=test.even&from=2025-03-01T03%3A00%3A00Z');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = parse(await res.text(), { bom: true }) as string[][];
    expect(header).toEqual(['Time (UTC)', 'Action', 'Actor email', 'Actor id', 'Target email', 'Target id', 'Details', 'Event id']);
    const want = await app.sql<Json>(
      `SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor_id, actor_email, target_id, target_email, details
         FROM audit_events WHERE organization_id = $1 AND lower(actor_email) = 'alice@example.com' AND action = 'test.even'
          AND created_at >= '2025-03-01T03:00:00Z'
        ORDER BY created_at DESC, id DESC`,
      [orgA],
    );
    expect(want.length).toBeGreaterThan(10);
    expect(rows).toEqual(
      want.map((w) => [
        w.at,
        'test.even',
        w.actor_email,
        w.actor_id,
        w.target_email ?? '',
        w.target_id ?? '',
        JSON.stringify(w.details),
        w.id,
      ]),
    );

    const formula = parse(await (await app.admin.fetch('/api/export/audit?action=test.formula')).text(), { bom: true }) as string[][];
    expect(formula[1].slice(1, 7)).toEqual(['test.formula', "'=cmd@example.com", '', "'+1@example.com", '', '{"x":"=1+1"}']);

    // Everything, across batches of 2,000.
    await app.sql(
      `INSERT INTO audit_events (organization_id, created_at, action, details)
       SELECT $1, '2024-01-01'::timestamptz + g * interval '1 second', 'test.bulk', '{}' FROM generate_series(1, 4500) g`,
      [orgA],
    );
    const bulk = parse(await (await app.admin.fetch('/api/export/audit?action=test.bulk')).text(), { bom: true }) as string[][];
    expect(bulk.slice(1).map((r) => r[7])).toEqual(await expected(`action = 'test.bulk'`));

    const recorded = await app.sql<Json>(
      `SELECT organization_id, actor_id, details FROM audit_events WHERE action = 'audit.exported' ORDER BY id`,
    );
    expect(recorded[0]).toEqual({
      organization_id: orgA,
      actor_id: app.adminId,
      details: { actor: 'alice@example.com', target: null, action: 'test.even', from: '2025-03-01T03:00:00.000Z', to: null },
    });
  });

  it('refuses the export without audit:read, from another site, or with bad filters', async () => {
    const anon = await app.client().fetch('/api/export/audit');
    expect(anon.status).toBe(401);
    const forbidden = await member.fetch('/api/export/audit');
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).code).toBe('FORBIDDEN');
    const noCsrf = new Client(app.server.url, { csrf: false });
    for (const [k, v] of app.admin.cookies) noCsrf.cookies.set(k, v);
    const crossSite = await noCsrf.fetch('/api/export/audit', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await crossSite.json()).code).toBe('CSRF_INVALID');
    const sameOrigin = await noCsrf.fetch('/api/export/audit?action=test.formula', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(sameOrigin.status).toBe(200);
    await sameOrigin.arrayBuffer();
    for (const [query, code] of [
      ['from=2025-03-02&to=2025-03-01', 'DATE_RANGE_INVALID'],
      ['from=soon', 'BAD_USER_INPUT'],
      ['from=2025-02-30', 'BAD_USER_INPUT'],
      ['to=2025-04-31T10:00:00Z', 'BAD_USER_INPUT'],
      ['action=a&action=b', 'BAD_USER_INPUT'],
      [`actor=${'x'.repeat(300)}`, 'BAD_USER_INPUT'],
      ['target=%00', 'BAD_USER_INPUT'],
    ]) {
      const res = await app.admin.fetch(`/api/export/audit?${query}`);
      expect([query, res.status, (await res.json()).code]).toEqual([query, 400, code]);
    }
  });

  it('reads dates by one rule in the API and in the export (no rolling 30 February over to March)', async () => {
    const cases: [string, boolean][] = [
      ['2025-03-01', true],
      ['2025-03-01T10:00:00Z', true],
      ['2025-03-01T10:00Z', true],
      ['2025-03-01T10:00:00.123456+02:00', true],
      ['2024-02-29T00:00:00Z', true],
      ['2025-02-30T00:00:00Z', false],
      ['2025-02-29', false],
      ['2025-04-31T10:00:00Z', false],
      ['2025-03-01T24:00:00Z', false],
      ['2025-03-01T10:60:00Z', false],
      ['2025-03-01T10:00:00+25:00', false],
      ['2025-03-01T10:00:00', false], // no offset: whose time zone?
      ['2025-3-1', false],
      ['0000-01-01', false],
      ['March 1, 2025', false],
      ['1740787200000', false],
    ];
    for (const [text, valid] of cases) {
      const graphql = (await app.admin.gql(PAGE, { from: text })).errors?.[0]?.extensions?.code ?? 'OK';
      const res = await app.admin.fetch(`/api/export/audit?from=${encodeURIComponent(text)}`);
      const exported = res.status === 200 ? 'OK' : (await res.json()).code;
      if (res.status === 200) await res.arrayBuffer();
      expect([text, graphql, exported]).toEqual([text, valid ? 'OK' : 'BAD_USER_INPUT', valid ? 'OK' : 'BAD_USER_INPUT']);
    }
    // A literal in the query text follows the same rule as a variable.
    expect(await app.admin.code(`{ auditEvents(from: "2025-02-30T00:00:00Z") { hasNextPage } }`)).toBe('BAD_USER_INPUT');
  });

  it('serves parallel filtered pages while /readyz answers', async () => {
    const pages = Array.from({ length: 8 }, (_, i) =>
      app.admin.gql(PAGE, { first: 50, action: i % 2 ? 'test.odd' : 'test.even', actor: i % 3 ? 'bob@example.com' : null }),
    );
    const ready = fetch(`${app.server.url}/readyz`);
    const [results, readyz] = await Promise.all([Promise.all(pages), ready]);
    expect(readyz.status).toBe(200);
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      expect(r.data.auditEvents.events.length).toBeGreaterThan(0);
    }
  });
  it('keeps each organization to its own events: pages, filters, actions, cursors and the export', async () => {
    const inB = await expected('TRUE', [], orgB);
    expect(inB.length).toBeGreaterThan(60);
    // B's admin pages through B's events only, however the two interleave in time.
    expect(ids(await all({}, 7, bAdmin))).toEqual(inB);
    expect(ids(await all({ actor: ALICE }, 7, bAdmin))).toEqual(await expected('actor_id = $1', [ALICE], orgB));
    expect(ids(await all({ action: 'test.even', from: BASE }, 7, bAdmin))).toEqual(
      await expected(`action = 'test.even' AND created_at >= $1`, [BASE], orgB),
    );
    // A sees none of them: not listed, and filters naming B's person or B's own action find nothing.
    const inA = ids(await all({}, 50));
    expect(inA).toEqual(await expected('TRUE'));
    expect(inA.filter((id) => inB.includes(id))).toEqual([]);
    expect(ids(await all({ actor: ALICE }))).toEqual(await expected('actor_id = $1', [ALICE]));
    for (const vars of [
      { actor: bAdminId },
      { target: bAdminId },
      { actor: B_ADMIN_EMAIL.toUpperCase() },
      { target: B_ADMIN_EMAIL },
      { action: 'test.b-only' },
    ]) {
      expect([vars, await all(vars)]).toEqual([vars, []]);
    }
    // Actions are counted per organization.
    const actionsOf = async (organization: string) =>
      (
        await app.sql<{ action: string }>(`SELECT DISTINCT action FROM audit_events WHERE organization_id = $1 ORDER BY action`, [
          organization,
        ])
      ).map((r) => r.action);
    expect((await app.admin.ok(`{ auditActions }`)).auditActions).toEqual(await actionsOf(orgA));
    expect((await bAdmin.ok(`{ auditActions }`)).auditActions).toEqual(await actionsOf(orgB));
    expect(await actionsOf(orgB)).toEqual(expect.arrayContaining(['invitation.accepted', 'team.created', 'test.b-only']));
    expect((await app.admin.ok(`{ auditActions }`)).auditActions).not.toContain('test.b-only');
    // A cursor naming the other organization's event (a plain id, or a page's cursor) finds nothing.
    const bPage = (await bAdmin.ok(PAGE, { first: 3 })).auditEvents;
    const aPage = (await app.admin.ok(PAGE, { first: 3 })).auditEvents;
    expect((await app.admin.ok(PAGE, { after: bPage.events[2].id })).auditEvents.events).toEqual([]);
    expect((await app.admin.ok(PAGE, { after: bPage.endCursor })).auditEvents.events).toEqual([]);
    expect((await bAdmin.ok(PAGE, { after: aPage.events[2].id })).auditEvents.events).toEqual([]);
    expect((await bAdmin.ok(PAGE, { after: aPage.endCursor })).auditEvents.events).toEqual([]);
    expect((await app.admin.ok(PAGE, { after: aPage.endCursor, first: 1 })).auditEvents.events).toHaveLength(1);
    // The export: A's has none of B's events, B's all of its own.
    const exported = async (c: Client, query = '') => {
      const res = await c.fetch(`/api/export/audit${query}`);
      expect(res.status).toBe(200);
      return (parse(await res.text(), { bom: true }) as string[][]).slice(1).map((r) => r[7]);
    };
    expect((await exported(app.admin)).filter((id) => inB.includes(id))).toEqual([]);
    expect(await exported(app.admin, '?action=test.b-only')).toEqual([]);
    expect(await exported(app.admin, `?target=${bAdminId}`)).toEqual([]);
    const bExport = await exported(bAdmin);
    expect(bExport.slice(1)).toEqual(inB); // the newest: this export, recorded first
    const [bRecorded] = await app.sql<Json>(`SELECT organization_id, actor_id FROM audit_events WHERE id = $1`, [bExport[0]]);
    expect(bRecorded).toEqual({ organization_id: orgB, actor_id: bAdminId });
  });

  it('records each event in the organization it happened in', async () => {
    const rows = await app.sql<Json>(
      `SELECT action, organization_id, target_email FROM audit_events WHERE action IN ('invitation.accepted', 'team.created') ORDER BY id`,
    );
    expect(rows).toEqual([
      { action: 'invitation.accepted', organization_id: orgA, target_email: 'member@example.com' },
      { action: 'invitation.accepted', organization_id: orgB, target_email: B_ADMIN_EMAIL },
      { action: 'team.created', organization_id: orgB, target_email: null },
    ]);
  });

  it("shows the platform's events only with scope PLATFORM, and only to operators signed in to the console", async () => {
    const platform = await expected('TRUE', [], null);
    expect(platform).toHaveLength(2);
    // The set-up admin is a platform operator.
    expect(ids(await all({ scope: 'PLATFORM' }, 1))).toEqual(platform);
    expect(ids(await all({ scope: 'PLATFORM', action: 'organization.suspended' }))).toEqual(platform.slice(0, 1));
    expect(ids(await all({ scope: 'PLATFORM', target: orgB }))).toEqual(platform);
    expect((await app.admin.ok(`{ auditActions(scope: PLATFORM) }`)).auditActions).toEqual([
      'organization.created',
      'organization.suspended',
    ]);
    // Nowhere in an organization's log, whichever scope is the default.
    for (const c of [app.admin, bAdmin]) {
      const seen = ids(await all({ scope: 'ORGANIZATION' }, 200, c));
      expect(seen.filter((id) => platform.includes(id))).toEqual([]);
    }
    expect((await app.admin.ok(`{ auditActions }`)).auditActions).not.toContain('organization.created');
    // An organization's cursor does not reach into the platform's events, nor the other way.
    expect((await app.admin.ok(PAGE, { scope: 'PLATFORM', after: (await expected('TRUE'))[0] })).auditEvents.events).toEqual([]);
    expect((await app.admin.ok(PAGE, { after: platform[0] })).auditEvents.events).toEqual([]);
    // Refused to anyone else: an admin who is no operator, and an operator's API token.
    expect(await bAdmin.code(PAGE, { scope: 'PLATFORM' })).toBe('FORBIDDEN');
    expect(await bAdmin.code(`{ auditActions(scope: PLATFORM) }`)).toBe('FORBIDDEN');
    const { secret } = (await app.admin.ok(`mutation { createApiToken(input: { name: "audit reader" }) { secret } }`)).createApiToken;
    const token = app.client({ bearer: secret });
    expect(await token.code(PAGE, { scope: 'PLATFORM' })).toBe('FORBIDDEN');
    expect(ids((await token.ok(PAGE, { first: 200 })).auditEvents.events)).toEqual((await expected('TRUE')).slice(0, 200));
    // The export likewise: scope=platform for operators only, recorded among the platform's events.
    const res = await app.admin.fetch('/api/export/audit?scope=platform');
    expect(res.status).toBe(200);
    const rows = (parse(await res.text(), { bom: true }) as string[][]).slice(1);
    expect(rows.map((r) => r[7])).toEqual(await expected('TRUE', [], null));
    expect(rows.slice(1).map((r) => r[7])).toEqual(platform);
    expect(rows[0][1]).toBe('audit.exported');
    for (const [c, query, status, code] of [
      [bAdmin, '?scope=platform', 403, 'FORBIDDEN'],
      [token, '?scope=PLATFORM', 403, 'FORBIDDEN'],
      [app.admin, '?scope=everything', 400, 'BAD_USER_INPUT'],
      [app.admin, '?scope=platform&scope=organization', 400, 'BAD_USER_INPUT'],
    ] as const) {
      const refused = await c.fetch(`/api/export/audit${query}`);
      expect([query, refused.status, (await refused.json()).code]).toEqual([query, status, code]);
    }
  });
  it('records an accepted invitation in the organization invited to, though the person is invited elsewhere too', async () => {
    const inv = await app.invite('invited-twice@example.com', 'VIEWER');
    // Invited to B as well, as B's admin would (an INVITED membership).
    await app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status)
       SELECT $1, $2, id, 'INVITED' FROM roles WHERE organization_id = $1 AND key = 'VIEWER'`,
      [orgB, inv.userId],
    );
    await app.client().ok(`mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { user { id } } }`, {
      i: { token: inv.token, firstName: 'Twice', lastName: 'Invited', password: STRONG_PASSWORD, passwordConfirmation: STRONG_PASSWORD },
    });
    const rows = await app.sql<Json>(`SELECT organization_id, action FROM audit_events WHERE target_id = $1 ORDER BY id`, [inv.userId]);
    expect(rows).toEqual([
      { organization_id: orgA, action: 'invitation.created' },
      { organization_id: orgA, action: 'invitation.accepted' },
    ]);
  });
});
