import type { Client as Pg } from 'pg';

/**
 * The audit log part of `npm run bench`: tops the table up to N events spread over a year (a few busy
 * admins and many occasional ones, targets among the seeded users, realistic action mix), then times
 * filtered first pages one request at a time (median and p99), a page deep behind a cursor, and a
 * filtered CSV export. Prints figures; asserts nothing.
 */

/** Weighted action mix (weights add up to 100). Team actions and exports have no target; some have no actor. */
const ACTIONS: [string, number][] = [
  ['user.updated', 24],
  ['invitation.created', 16],
  ['invitation.accepted', 13],
  ['user.role_changed', 8],
  ['user.password_reset_requested', 6],
  ['user.deactivated', 4],
  ['user.reactivated', 2],
  ['user.sessions_revoked', 3],
  ['user.2fa_enabled', 4],
  ['user.2fa_reset', 1],
  ['invitation.revoked', 3],
  ['invitation.regenerated', 2],
  ['user.deleted', 3],
  ['team.created', 2],
  ['team.renamed', 1],
  ['team.deleted', 1],
  ['api_token.created', 2],
  ['api_token.revoked', 1],
  ['email.failed', 2],
  ['users.exported', 1],
  ['audit.exported', 1],
];
const WEIGHTED = ACTIONS.flatMap(([a, w]) => Array<string>(w).fill(a));
const NO_TARGET = ACTIONS.map(([a]) => a).filter((a) => a.startsWith('team.') || a.endsWith('.exported'));
const NO_ACTOR = ['email.failed', 'user.password_reset_requested'];

const BATCH = 100_000;

/**
 * Adds events of one organization until the table holds `total`, oldest first (ids grow with time, as in
 * real use); actors and targets among its members.
 */
export async function seedAuditEvents(pg: Pg, total: number, organizationId: string): Promise<void> {
  const existing = Number((await pg.query(`SELECT count(*) AS n FROM audit_events`)).rows[0].n);
  const missing = total - existing;
  console.log(`Seeding ${Math.max(0, missing).toLocaleString('en')} audit events (${existing.toLocaleString('en')} there)...`);
  if (missing <= 0) return;
  const t0 = Date.now();
  // 200 actors (a handful do most of the work: index drawn as random()², skewed to the first ones), targets among 20,000 people.
  const people = (
    await pg.query(`SELECT user_id AS id, email FROM memberships WHERE organization_id = $1 ORDER BY md5(user_id::text) LIMIT 20200`, [
      organizationId,
    ])
  ).rows as { id: string; email: string }[];
  const actors = people.slice(0, 200);
  const targets = people.slice(200).length ? people.slice(200) : people;
  const end = Date.now();
  const stepUs = Math.floor((365 * 24 * 3600 * 1e6) / missing);
  for (let from = 0; from < missing; from += BATCH) {
    const to = Math.min(missing, from + BATCH) - 1;
    await pg.query(
      `INSERT INTO audit_events (organization_id, created_at, actor_id, actor_email, action, target_id, target_email, details)
       SELECT $12::uuid, s.t,
              CASE WHEN s.a = ANY($7::text[]) THEN NULL ELSE ($3::uuid[])[s.ai] END,
              CASE WHEN s.a = ANY($7::text[]) THEN NULL ELSE ($4::text[])[s.ai] END,
              s.a,
              CASE WHEN s.a = ANY($8::text[]) THEN NULL ELSE ($5::uuid[])[s.ti] END,
              CASE WHEN s.a = ANY($8::text[]) THEN NULL ELSE ($6::text[])[s.ti] END,
              CASE WHEN s.a LIKE 'team.%' THEN jsonb_build_object('teamId', gen_random_uuid(), 'name', 'Team ' || s.g % 97)
                   WHEN s.a = 'user.role_changed' THEN jsonb_build_object('role', jsonb_build_object('from', 'Viewer', 'to', 'Member'))
                   WHEN s.a = 'user.updated' THEN jsonb_build_object('lastName', jsonb_build_object('from', 'A', 'to', 'B'))
                   ELSE '{}'::jsonb END
         FROM (SELECT g,
                      to_timestamp($9::float8 / 1000) - interval '365 days' + (g * $10::bigint) * interval '1 microsecond' AS t,
                      ($2::text[])[1 + floor(random() * array_length($2::text[], 1))::int] AS a,
                      1 + floor(random() ^ 2 * array_length($3::uuid[], 1))::int AS ai,
                      1 + floor(random() * array_length($5::uuid[], 1))::int AS ti
                 FROM generate_series($1::int, $11::int) g) s
        ORDER BY s.g`,
      [
        from,
        WEIGHTED,
        actors.map((p) => p.id),
        actors.map((p) => p.email),
        targets.map((p) => p.id),
        targets.map((p) => p.email),
        NO_ACTOR,
        NO_TARGET,
        end,
        stepUs,
        to,
        organizationId,
      ],
    );
    process.stdout.write(`  ${(to + 1).toLocaleString('en')}\r`);
  }
  await pg.query(`ANALYZE audit_events`);
  console.log(`Seeded audit events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const PAGE = `query($after: ID, $actor: String, $target: String, $action: String, $from: DateTime, $to: DateTime) {
  auditEvents(first: 50, after: $after, actor: $actor, target: $target, action: $action, from: $from, to: $to) {
    events { id createdAt actorEmail action targetEmail details } hasNextPage endCursor } }`;

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Downloads `url` to the end: its size, when its first byte came (ms) and how long it took (s). */
export async function timedDownload(
  url: string,
  headers: Record<string, string>,
): Promise<{ bytes: number; firstByte: number; seconds: number }> {
  const t = performance.now();
  const res = await fetch(url, { headers });
  let bytes = 0;
  let firstByte = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    firstByte ||= performance.now() - t;
    bytes += chunk.length;
  }
  return { bytes, firstByte, seconds: (performance.now() - t) / 1000 };
}

/** Times filtered first pages one request at a time, each scenario cycling through its variants. */
export async function benchAudit(pg: Pg, serverUrl: string, headers: Record<string, string>, requests = 100): Promise<void> {
  // Statistics as autovacuum keeps them on a server: events written since the last ANALYZE (bench:webhooks
  // writes hundreds of thousands, and this machine may run with autovacuum off) would be planned as a few.
  await pg.query(`ANALYZE audit_events`);
  const events = Number((await pg.query(`SELECT count(*) AS n FROM audit_events`)).rows[0].n);
  // Busy and occasional actors, targets, actions, one-week windows and a deep cursor, from the data itself.
  const actorRows = (
    await pg.query(`SELECT actor_email AS email FROM audit_events WHERE actor_email IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC`)
  ).rows as { email: string }[];
  const busy = actorRows.slice(0, 5).map((r) => r.email);
  const occasional = actorRows.slice(-20).map((r) => r.email);
  const targets = (await pg.query(`SELECT target_id, target_email FROM audit_events WHERE target_id IS NOT NULL ORDER BY id DESC LIMIT 20`))
    .rows as { target_id: string; target_email: string }[];
  const actions = ACTIONS.map(([a]) => a);
  const week = 7 * 24 * 3600 * 1000;
  const weeks = Array.from({ length: 20 }, (_, i) => {
    const from = new Date(Date.now() - (i + 2) * 2.5 * week);
    return { from: from.toISOString(), to: new Date(from.getTime() + week).toISOString() };
  });
  const quarter = { from: new Date(Date.now() - 26 * week).toISOString(), to: new Date(Date.now() - 13 * week).toISOString() };
  const deepAt = Math.floor(events / 2);
  const deep = (
    await pg.query(
      `SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM audit_events
        ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [deepAt],
    )
  ).rows[0] as { id: string; at: string } | undefined;
  const deepCursor = deep ? Buffer.from(JSON.stringify([deep.at, deep.id])).toString('base64url') : null;

  const scenarios: { name: string; variants: Record<string, unknown>[] }[] = [
    { name: 'no filter (first page)', variants: [{}] },
    { name: 'actor email, busy admins', variants: busy.map((actor) => ({ actor: actor.toUpperCase() })) },
    { name: 'actor email, occasional ones', variants: occasional.map((actor) => ({ actor })) },
    { name: 'target id', variants: targets.map((t) => ({ target: t.target_id })) },
    { name: 'target email', variants: targets.map((t) => ({ target: t.target_email })) },
    { name: 'action (each of 21)', variants: actions.map((action) => ({ action })) },
    { name: 'one-week range', variants: weeks },
    { name: 'busy actor + action + quarter', variants: busy.map((actor) => ({ actor, action: 'user.role_changed', ...quarter })) },
    {
      name: 'occasional actor + rare action',
      variants: occasional.map((actor) => ({ actor, action: 'team.renamed' })),
    },
    { name: `page ${deepAt.toLocaleString('en')} events in (cursor)`, variants: [{ after: deepCursor }] },
    {
      name: 'actions list (loose index scan)',
      variants: [{ query: '{ auditActions }' }],
    },
  ];
  const results = [];
  for (const s of scenarios) {
    const bodies = s.variants.map((v) =>
      'query' in v ? JSON.stringify({ query: v['query'] }) : JSON.stringify({ query: PAGE, variables: v }),
    );
    let rows = 0;
    for (const body of bodies) {
      const res = await fetch(`${serverUrl}/graphql`, { method: 'POST', headers, body }); // warm-up, and a check
      const answer = (await res.json()) as { errors?: unknown[]; data?: { auditEvents?: { events: unknown[] } } };
      if (answer.errors) throw new Error(`${s.name}: ${JSON.stringify(answer.errors)}`);
      rows += answer.data?.auditEvents?.events.length ?? 0;
    }
    const times: number[] = [];
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const res = await fetch(`${serverUrl}/graphql`, { method: 'POST', headers, body: bodies[i % bodies.length] });
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    results.push({
      scenario: s.name,
      variants: bodies.length,
      'rows/page': Math.round(rows / bodies.length),
      'median ms': percentile(times, 0.5).toFixed(1),
      'p99 ms': percentile(times, 0.99).toFixed(1),
    });
  }

  // The CSV export of one action over the year (about 1 in 12 events).
  const count = Number((await pg.query(`SELECT count(*) AS n FROM audit_events WHERE action = 'user.role_changed'`)).rows[0].n);
  const { bytes, firstByte, seconds } = await timedDownload(`${serverUrl}/api/export/audit?action=user.role_changed`, headers);

  console.log(`\nAudit log: ${events.toLocaleString('en')} events, ${requests} requests per scenario one at a time (GraphQL, 50 per page)`);
  console.table(results);
  console.log(
    `Audit CSV export (action = user.role_changed): ${count.toLocaleString('en')} rows in ${seconds.toFixed(1)} s ` +
      `(${Math.round(count / seconds).toLocaleString('en')} rows/s, first byte ${Math.round(firstByte)} ms, ${(bytes / 1e6).toFixed(1)} MB)`,
  );
}
