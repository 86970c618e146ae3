import { Client as Pg, DatabaseError } from 'pg';
import { startApp, TestApp } from './support/app';
import { Client } from './support/client';
import { whileCountedMore } from './support/member-counter';
import { CANARY, organizationFingerprintSql, TwoOrganizations } from './support/organizations';
import { WebhookReceiver } from './support/webhook-receiver';
import { buildPageQuery, encodeCursor, LARGE_ORGANIZATION, PageArgs, USER_COLUMNS, USER_FROM } from '../src/users/users-query';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from '../src/users/users.enums';

/**
 * The second wall between organizations. Writes: a transaction acting for one organization runs as
 * `roster_tenant` with the organization set, and row-level security lets it see and change that
 * organization's rows only (a statement that forgets `organization_id` changes nothing elsewhere; a row
 * written for another organization is refused). Reads run as the owner, each row carrying its organization
 * (checked by the server); their statements are proven here under the policies too.
 */
describe('second wall: row-level security and checked rows', () => {
  let app: TestApp;
  let world: TwoOrganizations;
  let hooks: WebhookReceiver;
  /** A connection of the test's own, as the server's (owner) role. */
  let pg: Pg;

  const ORG_TABLES_SQL = `SELECT c.table_name FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' AND c.column_name = 'organization_id' ORDER BY 1`;

  /**
   * Tables an organization's write reaches through a trigger function that runs as its owner by design, and why.
   * (Every trigger function runs so; these write a table of their own, not a count or copy of the row.)
   */
  const OWNER_RUN_BY_DESIGN: Record<string, string> = {
    webhook_deliveries:
      'webhooks_fan_out on audit_events: one delivery per event and subscribed endpoint of the same organization (its join says so), whatever role recorded the event',
  };

  /**
   * Tables the webhook delivery worker writes outside any request (platform work, as the owner: it claims and
   * settles every organization's deliveries), and why.
   */
  const WORKER_WRITES: Record<string, string> = {
    webhook_deliveries: "the delivery worker's claims (attempts, lease) and outcomes (status, response)",
    webhook_endpoints: "the delivery worker's outcomes on the endpoint: its last success, its failing streak",
  };

  /** Runs `work` in a transaction confined to `organizationId`, as the server's organization transactions are; always rolled back. */
  async function confined<T>(organizationId: string, work: () => Promise<T>): Promise<T> {
    await pg.query(`BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = '${organizationId}'`);
    try {
      return await work();
    } finally {
      await pg.query('ROLLBACK');
    }
  }

  /** Runs `work` while A's member counter says it is large. */
  const whileALooksLarge = <T>(work: () => Promise<T>): Promise<T> =>
    whileCountedMore((text, params) => pg.query(text, params), world.a.id, LARGE_ORGANIZATION, work);

  async function fingerprintOfB(): Promise<string> {
    const sql = await organizationFingerprintSql(app);
    const people = world.bOnlyPeople().map((p) => p.userId);
    return JSON.stringify(await app.sql(sql, [world.b.id, people]));
  }

  async function sqlError(text: string, params: unknown[] = []): Promise<DatabaseError> {
    await pg.query('SAVEPOINT attempt');
    try {
      await pg.query(text, params);
    } catch (e) {
      await pg.query('ROLLBACK TO SAVEPOINT attempt');
      return e as DatabaseError;
    }
    throw new Error(`expected ${text} to fail`);
  }

  beforeAll(async () => {
    hooks = await WebhookReceiver.start();
    // Loopback allowed: the world's webhook endpoints deliver to a receiver of the suite's own. The janitor off: its
    // purges are platform work (as the owner, in no organization) whose first tick lands at random in the first 10 s,
    // and a statement trigger sees a purge that deletes nothing, so one landing in a write's window would read as the
    // write's (the worker's claims and outcomes are told apart below).
    app = await startApp('second-wall', { ALLOW_PRIVATE_TARGETS: 'true', JANITOR_INTERVAL_SECONDS: '0' });
    world = new TwoOrganizations(app, hooks);
    await world.build();
    pg = new Pg({ connectionString: app.db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await app?.close();
    await hooks?.close();
  });

  it('every table with an organization_id has row-level security and the organization policy', async () => {
    const tables = (await app.sql<{ table_name: string }>(ORG_TABLES_SQL)).map((r) => r.table_name);
    expect(tables.length).toBeGreaterThanOrEqual(11);
    expect(tables).toEqual(expect.arrayContaining(['webhook_endpoints', 'webhook_deliveries']));
    const guarded = await app.sql<{ relname: string; rls: boolean; policy: boolean }>(
      `SELECT c.relname, c.relrowsecurity AS rls,
              EXISTS (SELECT FROM pg_policies p WHERE p.tablename = c.relname AND p.policyname = 'organization'
                         AND 'roster_tenant' = ANY(p.roles) AND p.qual LIKE '%roster.organization_id%' AND p.with_check LIKE '%roster.organization_id%') AS policy
         FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relnamespace = 'public'::regnamespace ORDER BY 1`,
      [tables],
    );
    expect(guarded).toEqual(tables.map((relname) => ({ relname, rls: true, policy: true })));
  });

  it('confined to A, statements without the organization filter see, change and delete nothing of B', async () => {
    const before = await fingerprintOfB();
    const tables = (await app.sql<{ table_name: string }>(ORG_TABLES_SQL)).map((r) => r.table_name);
    const counts = await app.sql<{ table_name: string; a: string; b: string }>(
      tables
        .map(
          (t) =>
            `SELECT '${t}' AS table_name, count(*) FILTER (WHERE organization_id = $1) AS a, count(*) FILTER (WHERE organization_id = $2) AS b FROM "${t}"`,
        )
        .join(' UNION ALL '),
      [world.a.id, world.b.id],
    );
    await confined(world.a.id, async () => {
      for (const { table_name, a, b } of counts) {
        expect(Number(b)).toBeGreaterThanOrEqual(0);
        const { rows } = await pg.query(`SELECT count(*) AS n, count(*) FILTER (WHERE organization_id = $1) AS of_b FROM "${table_name}"`, [
          world.b.id,
        ]);
        expect({ table_name, n: Number(rows[0].n), ofB: Number(rows[0].of_b) }).toEqual({ table_name, n: Number(a), ofB: 0 });
      }
      const updated = await pg.query(`UPDATE memberships SET last_name = last_name`);
      expect(updated.rowCount).toBe(Number(counts.find((c) => c.table_name === 'memberships')?.a));
      await pg.query(`DELETE FROM user_teams`);
      await pg.query(`DELETE FROM api_tokens`);
      await pg.query(`UPDATE invitations SET expires_at = now()`);
      await pg.query(`DELETE FROM audit_events`);
      // Naming B outright is refused, not ignored.
      expect((await sqlError(`INSERT INTO teams (organization_id, name) VALUES ($1, 'Smuggled')`, [world.b.id])).code).toBe('42501');
      expect((await sqlError(`UPDATE teams SET organization_id = $1`, [world.b.id])).code).toBe('42501');
      expect(
        (
          await sqlError(`INSERT INTO memberships (organization_id, user_id, role_id, status) VALUES ($1, $2, $3, 'ACTIVE')`, [
            world.b.id,
            world.a.viewer.userId,
            world.b.roles['VIEWER'],
          ])
        ).code,
      ).toBe('42501');
    });
    expect(await fingerprintOfB()).toBe(before);
  });

  it('without an organization set, a confined statement fails instead of reading every organization', async () => {
    await pg.query(`BEGIN; SET LOCAL ROLE roster_tenant`);
    try {
      const error = await sqlError(`SELECT count(*) FROM memberships`).catch((e: unknown) => e as DatabaseError);
      expect(error).toBeInstanceOf(Error);
    } finally {
      await pg.query('ROLLBACK');
    }
  });

  it("the API's organization writes run confined to the caller's organization", async () => {
    const tables = (await app.sql<{ table_name: string }>(ORG_TABLES_SQL)).map((r) => r.table_name);
    await app.sql(`CREATE TABLE wall_seen (tbl text, op text, role text, org text, depth int)`);
    await app.sql(`CREATE FUNCTION wall_seen() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO wall_seen VALUES (TG_TABLE_NAME, TG_OP, current_user, current_setting('roster.organization_id', true), pg_trigger_depth());
        RETURN NULL;
      END $$`);
    for (const t of tables) {
      await app.sql(`CREATE TRIGGER wall_seen AFTER INSERT OR UPDATE OR DELETE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION wall_seen()`);
    }
    // An endpoint of B's, so that the writes' events fan out to deliveries (owner-run, listed above).
    const [{ id: endpointId }] = await app.sql<{ id: string }>(
      `INSERT INTO webhook_endpoints (organization_id, url, event_types, secret_sealed)
       VALUES ($1, 'https://hooks.example.com/wall', '{team.created,team.deleted,team.renamed,user.updated}', 'sealed') RETURNING id`,
      [world.b.id],
    );
    const ownerRun = new Set<string>();
    try {
      const admin = world.b.admin.client as Client;
      const b = world.b;
      const seen = async (name: string, run: () => Promise<unknown>, across: string[] = []) => {
        await app.sql(`TRUNCATE wall_seen`);
        await run();
        const rows = await app.sql<{ tbl: string; op: string; role: string; org: string | null; depth: number }>(`SELECT * FROM wall_seen`);
        expect({ name, wrote: rows.length > 0 }).toEqual({ name, wrote: true });
        // The request's own statements (depth 1) run confined; the copies and counts its triggers keep run as
        // their owner, and so do the statements stepping out on purpose (`across`: the person's credentials everywhere).
        for (const r of rows) {
          // The delivery worker's claims and outcomes, between the request's statements: platform work, as the
          // owner, in no organization's transaction (listed above).
          if (!r.org && r.depth === 1 && r.op === 'UPDATE' && r.tbl in WORKER_WRITES && r.role !== 'roster_tenant') continue;
          // (Its inserts only: deleting an endpoint deletes its deliveries by cascade, confined like the statement.)
          if (r.tbl in OWNER_RUN_BY_DESIGN && r.op === 'INSERT') {
            // Inside the trigger, as its owner, for the organization of the statement that fired it.
            expect({ name, ...r }).toEqual({ name, ...r, depth: 2, role: expect.not.stringMatching(/^roster_tenant$/), org: b.id });
            ownerRun.add(r.tbl);
            continue;
          }
          const expected = r.depth > 1 || across.includes(r.tbl) ? r.role : 'roster_tenant';
          expect({ name, ...r }).toEqual({ name, ...r, role: expected, org: b.id });
        }
        expect(rows.some((r) => r.depth === 1)).toBe(true);
      };
      let teamId = '';
      await seen('createTeam', async () => {
        teamId = (await admin.ok(`mutation { createTeam(input: { name: "Walled" }) { id } }`)).createTeam.id;
      });
      await seen('renameTeam', () =>
        admin.ok(`mutation($id: ID!) { renameTeam(id: $id, input: { name: "Walled in" }) { id } }`, { id: teamId }),
      );
      await seen('updateUser', () =>
        admin.ok(`mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }`, {
          i: { id: b.target.userId, roleId: b.roles['MEMBER'], teamIds: [teamId] },
        }),
      );
      // B's target belongs nowhere else: deactivating ends their credentials (tokens, what they granted applications) wherever they are.
      await seen('deactivateUser', () => admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: b.target.userId }), [
        'api_tokens',
        'oidc_payloads',
      ]);
      await seen('reactivateUser', () => admin.ok(`mutation($id: ID!) { reactivateUser(id: $id) { id } }`, { id: b.target.userId }));
      let invitedId = '';
      await seen('createInvitation', async () => {
        const r = await admin.ok(`mutation($i: CreateInvitationInput!) { createInvitation(input: $i) { user { id } } }`, {
          i: { email: world.freshEmail(), roleId: b.roles['VIEWER'], teamIds: [teamId] },
        });
        invitedId = r.createInvitation.user.id;
      });
      await seen('regenerateInvitation', () =>
        admin.ok(`mutation($id: ID!) { regenerateInvitation(userId: $id) { url } }`, { id: invitedId }),
      );
      // The invitee never registered and belongs nowhere else: the person goes too, with what their row cascades to.
      await seen('revokeInvitation', () => admin.ok(`mutation($id: ID!) { revokeInvitation(userId: $id) }`, { id: invitedId }), [
        'invitations',
        'memberships',
        'user_teams',
        'api_tokens',
        'sso_identities',
      ]);
      let tokenId = '';
      await seen('createApiToken', async () => {
        tokenId = (await admin.ok(`mutation { createApiToken(input: { name: "walled" }) { token { id } } }`)).createApiToken.token.id;
      });
      await seen('revokeApiToken', () => admin.ok(`mutation($id: ID!) { revokeApiToken(id: $id) }`, { id: tokenId }));
      await seen('setTwoFactorPolicy', () =>
        admin.ok(`mutation($i: SetTwoFactorPolicyInput!) { setTwoFactorPolicy(input: $i) { ssoMode } }`, {
          i: { ssoMode: 'REQUIRE_TOTP', requiredRoleIds: [] },
        }),
      );
      // Webhook endpoints: each write (its audit event fanning out to the subscribed endpoints, owner-run) confined to B.
      let hookId = '';
      await seen('createWebhookEndpoint', async () => {
        hookId = (
          await admin.ok(`mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { endpoint { id } } }`, {
            i: { url: 'https://1.1.1.1/walled', eventTypes: ['team.created'] },
          })
        ).createWebhookEndpoint.endpoint.id;
      });
      await seen('updateWebhookEndpoint', () =>
        admin.ok(`mutation($i: UpdateWebhookEndpointInput!) { updateWebhookEndpoint(input: $i) { id } }`, {
          i: { id: hookId, url: 'https://8.8.8.8/walled', enabled: false },
        }),
      );
      await seen('rotateWebhookSecret', () => admin.ok(`mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id: hookId }));
      await seen('deleteWebhookEndpoint', () => admin.ok(`mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: hookId }));
      // Redelivery: the delivery of the team created above to B's endpoint, settled as a worker leaves a 2xx.
      const [{ id: deliveryId }] = await app.sql<{ id: string }>(
        `UPDATE webhook_deliveries SET status = 'DELIVERED', attempts = 1, finished_at = now()
          WHERE id = (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND event_type = 'team.created' LIMIT 1) RETURNING id`,
        [endpointId],
      );
      await seen('redeliverWebhook', () =>
        admin.ok(`mutation($id: ID!) { redeliverWebhook(deliveryId: $id) { status } }`, { id: deliveryId }),
      );
      await seen('deleteTeam', () => admin.ok(`mutation($id: ID!) { deleteTeam(id: $id) }`, { id: teamId }));

      // SCIM (/scim/v2) with B's Admin token: each write of the provisioning door runs confined to the token's organization.
      const scim = app.client({ bearer: b.tokens.admin.secret });
      const send = async (method: string, path: string, body?: unknown, ok = [200, 201, 204]) => {
        const res = await scim.fetch(`/scim/v2${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/scim+json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        expect({ method, path, status: ok.includes(res.status) ? 'ok' : res.status, text: ok.includes(res.status) ? '' : text }).toEqual({
          method,
          path,
          status: 'ok',
          text: '',
        });
        return text ? (JSON.parse(text) as { id: string }) : null;
      };
      // The token's first use records it (its own bookkeeping, as the owner, at most once a minute): done before the writes.
      await send('GET', '/ServiceProviderConfig');
      const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
      const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
      const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
      const email = world.freshEmail();
      let scimUser = '';
      await seen('SCIM POST /Users (create)', async () => {
        scimUser = (await send('POST', '/Users', { schemas: [USER], userName: email, name: { givenName: 'Walled', familyName: 'Scim' } }))
          ?.id as string;
      });
      await seen('SCIM PUT /Users (change)', () =>
        send('PUT', `/Users/${scimUser}`, {
          schemas: [USER],
          userName: email,
          name: { givenName: 'Walled', familyName: 'In' },
          externalId: 'walled-1',
          roles: [{ value: 'VIEWER', primary: true }],
        }),
      );
      // A person of B alone: deactivating ends their credentials (their tokens, what they granted applications) wherever they are.
      await seen(
        'SCIM PUT /Users active false (deactivation)',
        () => send('PUT', `/Users/${scimUser}`, { schemas: [USER], userName: email, active: false }),
        ['api_tokens', 'oidc_payloads'],
      );
      await seen('SCIM PUT /Users active true (reactivation)', () =>
        send('PUT', `/Users/${scimUser}`, { schemas: [USER], userName: email, active: true }),
      );
      let scimTeam = '';
      await seen('SCIM POST /Groups (create)', async () => {
        scimTeam = (await send('POST', '/Groups', { schemas: [GROUP], displayName: 'Walled by SCIM', members: [{ value: scimUser }] }))
          ?.id as string;
      });
      await seen('SCIM PATCH /Groups (members and name)', () =>
        send('PATCH', `/Groups/${scimTeam}`, {
          schemas: [PATCH],
          Operations: [
            { op: 'add', path: 'members', value: [{ value: b.target.userId }] },
            { op: 'remove', path: `members[value eq "${scimUser}"]` },
            { op: 'replace', path: 'displayName', value: 'Walled by SCIM, renamed' },
          ],
        }),
      );
      await seen('SCIM PUT /Groups (replace)', () =>
        send('PUT', `/Groups/${scimTeam}`, { schemas: [GROUP], displayName: 'Walled by SCIM', members: [{ value: scimUser }] }),
      );
      await seen('SCIM DELETE /Groups', () => send('DELETE', `/Groups/${scimTeam}`));
      // The person belongs nowhere else: they go too, with what their row cascades to.
      await seen('SCIM DELETE /Users (deletion)', () => send('DELETE', `/Users/${scimUser}`), [
        'invitations',
        'memberships',
        'user_teams',
        'api_tokens',
        'sso_identities',
      ]);
      // The fan-out was seen at work.
      expect([...ownerRun]).toEqual(Object.keys(OWNER_RUN_BY_DESIGN));
    } finally {
      await app.sql(`DELETE FROM webhook_endpoints WHERE id = $1`, [endpointId]);
      for (const t of tables) await app.sql(`DROP TRIGGER wall_seen ON "${t}"`);
      await app.sql(`DROP FUNCTION wall_seen() CASCADE; DROP TABLE wall_seen`);
    }
  });

  it('behind the wall, removing a person from B still sees that A keeps them', async () => {
    const { p } = world;
    const b = world.b;
    const admin = b.admin.client as Client;
    await admin.ok(`mutation($id: ID!) { deactivateUser(id: $id) { id } }`, { id: p.userId });
    // Still active in A: their session (naming A) works, and it is not ended by B's deactivation.
    expect((await p.clientA.ok(`{ me { user { id } organization { id } } }`)).me).toEqual({
      user: { id: p.userId },
      organization: { id: world.a.id },
    });
    await admin.ok(`mutation($i: DeleteUserInput!) { deleteUser(input: $i) }`, { i: { id: p.userId, confirmation: 'DELETE' } });
    const [person] = await app.sql<{ n: string }>(`SELECT count(*) AS n FROM users WHERE id = $1`, [p.userId]);
    expect(Number(person.n)).toBe(1);
    const memberships = await app.sql<{ organization_id: string }>(`SELECT organization_id FROM memberships WHERE user_id = $1`, [
      p.userId,
    ]);
    expect(memberships).toEqual([{ organization_id: world.a.id }]);
    expect((await p.clientA.ok(`{ me { user { id } } }`)).me.user.id).toBe(p.userId);
  });

  it("the reads' statements name their organization: the same rows as the owner and confined to it (generated)", async () => {
    // Reads run as the owner (see docs/architecture.md); row-level security still proves their SQL: a
    // statement that lost its organization filter would read B's rows as the owner and not when confined.
    const searches = [null, 'example', 'zz-b-', 'a'];
    const cases: PageArgs[] = [];
    for (const sortBy of Object.values(UserSortField))
      for (const sortDirection of Object.values(SortDirection))
        for (const search of searches)
          for (const status of [null, UserStatus.ACTIVE, UserStatus.INVITED])
            for (const twoFactor of [null, TwoFactorState.ENABLED, TwoFactorState.MISSING])
              cases.push({ organizationId: world.a.id, sortBy, sortDirection, search, status, twoFactor, first: 3, withCount: true });
    let compared = 0;
    const strategies = new Set<string>();
    for (const args of cases) {
      for (const known of [undefined, { count: 10_000, exact: true }, { count: 2, exact: true }]) {
        const q = buildPageQuery(args, known);
        strategies.add(q.strategy);
        const owner = (await pg.query(q.sql, q.params)).rows;
        const walled = await confined(world.a.id, async () => (await pg.query(q.sql, q.params)).rows);
        expect({ args, known, rows: walled }).toEqual({ args, known, rows: owner });
        for (const row of owner) expect(row.organization_id).toBe(world.a.id);
        compared++;
        // The next page, from the last row's cursor, too.
        const last = owner[Math.min(owner.length, q.limit) - 1];
        if (last && !q.backward) {
          const next = buildPageQuery(
            {
              ...args,
              after: encodeCursor(
                args.sortBy,
                last.cursor_key !== undefined ? last.cursor_key : args.sortBy === UserSortField.EMAIL ? last.email : last.sort_key,
                last.id,
              ),
            },
            known,
          );
          const ownerNext = (await pg.query(next.sql, next.params)).rows;
          const walledNext = await confined(world.a.id, async () => (await pg.query(next.sql, next.params)).rows);
          expect(walledNext).toEqual(ownerNext);
          compared++;
        }
      }
    }
    expect(strategies).toEqual(new Set(['unfiltered', 'denseWalk', 'knownFew', 'filtered']));
    expect(compared).toBeGreaterThan(1_000);
    // The members' statement (every User the API returns) and the export's, given people of both.
    const everyone = [...world.bOnlyPeople(), world.p, world.a.viewer, world.a.admin].map((p) => p.userId);
    const members = `SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE m.organization_id = $1 AND m.user_id = ANY($2::uuid[]) ORDER BY m.user_id`;
    const owner = (await pg.query(members, [world.a.id, everyone])).rows;
    expect(owner.map((r: { id: string }) => r.id).sort()).toEqual([world.p.userId, world.a.viewer.userId, world.a.admin.userId].sort());
    expect(await confined(world.a.id, async () => (await pg.query(members, [world.a.id, everyone])).rows)).toEqual(owner);
  });

  it("a large organization's search reads the trigram index by the term alone and finds the same rows (generated)", async () => {
    const SIZES = [undefined, 10, 5_000, LARGE_ORGANIZATION];
    const cases: PageArgs[] = [];
    for (const sortBy of Object.values(UserSortField))
      for (const sortDirection of Object.values(SortDirection))
        for (const search of ['example', 'zz-b-', 'nobody-at-all'])
          for (const status of [null, UserStatus.ACTIVE])
            // The size as a previous page told it (small, middling, large), or not known: each statement it picks
            // reads the same rows, even when the size it was given is out of date.
            for (const organizationSize of SIZES)
              cases.push({
                organizationId: world.a.id,
                sortBy,
                sortDirection,
                search,
                status,
                first: 3,
                withCount: true,
                organizationSize,
              });
    const known = [undefined, { count: 2, exact: true }];
    const read = async () => {
      const out: unknown[] = [];
      for (const args of cases)
        for (const k of known) {
          const q = buildPageQuery(args, k);
          // Every row but the organization's size (the counter, which this test raises).
          const rows = (await pg.query(q.sql, q.params)).rows.map((row: Record<string, unknown>) => {
            const { organization_size: size, ...rest } = row;
            expect(size === undefined || size === null || typeof size === 'string').toBe(true);
            return rest;
          });
          out.push({ size: args.organizationSize, rows });
        }
      return out;
    };
    /**
     * The conditions of the trigram index scans a search's statement ran (not those it skipped). Bitmap scans
     * only: on a handful of rows the planner would rather scan the table.
     */
    const scanned = async (organizationSize?: number) => {
      const q = buildPageQuery(
        {
          organizationId: world.a.id,
          sortBy: UserSortField.EMAIL,
          sortDirection: SortDirection.ASC,
          search: 'example',
          first: 10,
          organizationSize,
        },
        { count: 2, exact: true },
      );
      try {
        await pg.query('BEGIN');
        await pg.query('SET LOCAL enable_seqscan = off');
        await pg.query('SET LOCAL enable_indexscan = off');
        const plan = (await pg.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q.sql}`, q.params)).rows[0]['QUERY PLAN'];
        const nodes: { 'Index Name'?: string; 'Index Cond'?: string; 'Actual Loops'?: number }[] = [];
        JSON.stringify(plan, (_k, v) => (v && typeof v === 'object' && v['Node Type'] ? (nodes.push(v), v) : v));
        return nodes
          .filter((n) => n['Index Name'] === 'memberships_email_trgm' && (n['Actual Loops'] ?? 0) > 0)
          .map((n) => n['Index Cond']);
      } finally {
        await pg.query('ROLLBACK');
      }
    };
    const small = await read();
    // With a size, each statement finds what the one deciding by itself finds, case by case; its count too,
    // where that one counts (a small organization's always counts, the others not when the count is known).
    const bySize = (size: number | undefined) =>
      (small as { size?: number; rows: Record<string, unknown>[] }[]).filter((r) => r.size === size).map((r) => r.rows);
    const uncounted = (pages: Record<string, unknown>[][]) =>
      pages.map((rows) => rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'total_count'))));
    const counted = (pages: Record<string, unknown>[][]) => pages.filter((_, i) => i % known.length === 0);
    for (const size of SIZES.slice(1)) {
      expect(bySize(size)).toHaveLength(bySize(undefined).length);
      expect(uncounted(bySize(size))).toEqual(uncounted(bySize(undefined)));
      expect(counted(bySize(size))).toEqual(counted(bySize(undefined)));
    }
    // Small: the term never alone (the organization's key, or another index of the organization).
    expect((await scanned()).filter((cond) => !cond?.includes('organization_id'))).toEqual([]);
    // The counter says large.
    await whileALooksLarge(async () => {
      expect(await scanned()).toEqual([expect.not.stringContaining('organization_id')]);
      // The same when the size is known and the term hidden from the planner (prepared): the index still takes it.
      expect(await scanned(LARGE_ORGANIZATION)).toEqual([expect.not.stringContaining('organization_id')]);
      expect(await read()).toEqual(small);
      expect(await confined(world.a.id, read)).toEqual(small);
    });
  });

  it("a large organization's rare search runs prepared, on the plan PostgreSQL keeps for any term, and finds the same rows (generated)", async () => {
    // A connection of its own: its prepared statements are this test's alone.
    const named = new Pg({ connectionString: app.db.url });
    const ZERO_ID = '00000000-0000-0000-0000-000000000000';
    await named.connect();
    const withoutCounts = (rows: Record<string, unknown>[]) =>
      rows.map((row) =>
        Object.fromEntries(Object.entries(row).filter(([column]) => column !== 'total_count' && column !== 'organization_size')),
      );
    try {
      await whileALooksLarge(async () => {
        // B's admin (the canary) must not come back in A; `%` and `_` are searched as written.
        const terms = ['example', `${CANARY}admin`, 'nobody-at-all', 'exa', 'mple.c', '50%_exa'];
        let found = 0;
        // First pages, and pages after a cursor (its parameters before the term's).
        const cursors: Partial<Record<UserSortField, string>> = {
          [UserSortField.EMAIL]: encodeCursor(UserSortField.EMAIL, 'm', ZERO_ID),
          [UserSortField.LAST_NAME]: encodeCursor(UserSortField.LAST_NAME, 'M', ZERO_ID),
        };
        for (const sortBy of [UserSortField.EMAIL, UserSortField.LAST_NAME, UserSortField.ROLE])
          for (const after of [undefined, cursors[sortBy]].filter((c, i) => i === 0 || c))
            for (const sortDirection of Object.values(SortDirection))
              for (let round = 0; round < 2; round++)
                for (const search of terms) {
                  const args: PageArgs = { organizationId: world.a.id, sortBy, sortDirection, search, after, first: 25, withCount: true };
                  const q = buildPageQuery({ ...args, organizationSize: LARGE_ORGANIZATION }, { count: 2, exact: true });
                  expect(q.preparable).toBe(true);
                  const name = `kf_${sortBy}_${sortDirection}_${after ? 'after' : 'first'}`;
                  const rows = (await named.query({ name, text: q.sql, values: q.params })).rows;
                  // The statement that decides by itself, the term in sight of the planner.
                  const open = buildPageQuery(args);
                  expect(open.strategy).toBe('filtered');
                  expect(withoutCounts(rows)).toEqual(withoutCounts((await pg.query(open.sql, open.params)).rows));
                  found += rows.length;
                }
        expect(found).toBeGreaterThan(0);
        // The planner does not see the term: a term in every email and one in none get the same plan, estimates
        // included (the same statement with the term in sight is planned for each, as the control shows).
        await pg.query('ANALYZE memberships');
        const explain = async (q: { sql: string; params: unknown[] }) =>
          JSON.stringify((await pg.query(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.params)).rows);
        const both = (args: Partial<PageArgs>, known?: { count: number; exact: boolean }) =>
          Promise.all(
            ['example', 'nobody-at-all'].map((search) =>
              explain(
                buildPageQuery(
                  { organizationId: world.a.id, sortBy: UserSortField.EMAIL, sortDirection: SortDirection.ASC, first: 25, search, ...args },
                  known,
                ),
              ),
            ),
          );
        const [every, none] = await both({ organizationSize: LARGE_ORGANIZATION }, { count: 2, exact: true });
        expect(every).toBe(none);
        const [everyInSight, noneInSight] = await both({});
        expect(everyInSight).not.toBe(noneInSight);
        // Each shape planned for its first executions, then on the plan kept: the term never planned again.
        const plans = (await named.query(`SELECT name, generic_plans::int, custom_plans::int FROM pg_prepared_statements ORDER BY name`))
          .rows;
        expect(plans).toHaveLength(10);
        expect(plans.filter((p: { generic_plans: number; custom_plans: number }) => p.generic_plans < 7 || p.custom_plans > 5)).toEqual([]);
      });
    } finally {
      await named.end();
    }
  });
});
