import type { Client } from 'pg';

/**
 * Demo data: teams and N people with names, roles, teams and last sign-ins in one organization, generated in SQL
 * (a million rows take about a minute). Seeded users have no password: they cannot sign in.
 * Emails look like "ada.lovelace123@acme.test"; some terms are common ("smith"), numbers are rare.
 */
export const DEMO_TEAMS = ['Platform', 'Sales', 'Support', 'Marketing', 'Engineering', 'Finance', 'Design', 'Legal'];

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'John',
  'Radia',
  'Tim',
  'Hedy',
  'Edsger',
  'Katherine',
  'Donald',
  'Sophie',
  'Guido',
  'Lucie',
  'Étienne',
  'Anita',
  'Bjarne',
  'Shafi',
  'Yukihiro',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Allen',
  'McCarthy',
  'Perlman',
  'Berners-Lee',
  'Lamarr',
  'Dijkstra',
  'Johnson',
  'Knuth',
  'Wilson',
  'van Rossum',
  'Smith',
  'Dupont',
  'Borg',
  'Stroustrup',
  'Goldwasser',
  'Matsumoto',
  'Martin',
  'Bernard',
];
const DOMAINS = ['acme.test', 'globex.test', 'initech.test', 'umbrella.test'];

const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

/** Big seeds load faster without the secondary indexes: they are rebuilt from their own definitions after. */
const BULK = 200_000;

/**
 * Seeds `users` people as members of one organization (the first one unless said), with roles, teams
 * and last connections there.
 */
export async function seedDemo(
  pg: Client,
  users: number,
  log: (msg: string) => void = () => undefined,
  organizationId?: string,
): Promise<void> {
  const org: string = organizationId ?? (await pg.query(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`)).rows[0].id;
  const indexes: { indexname: string; indexdef: string }[] =
    users >= BULK
      ? (
          await pg.query(
            `SELECT i.indexname, i.indexdef FROM pg_indexes i
              WHERE i.tablename IN ('users', 'memberships', 'user_teams') AND i.schemaname = current_schema()
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
                AND i.indexname <> 'memberships_user'`,
          )
        ).rows
      : [];
  for (const i of indexes) await pg.query(`DROP INDEX "${i.indexname}"`);
  try {
    await insertDemo(pg, users, log, org);
  } finally {
    for (const i of indexes) {
      log(`rebuilding ${i.indexname}`);
      await pg.query(i.indexdef);
    }
  }
  await pg.query(`ANALYZE users; ANALYZE memberships; ANALYZE user_teams; ANALYZE teams`);
}

async function insertDemo(pg: Client, users: number, log: (msg: string) => void, org: string): Promise<void> {
  await pg.query(`INSERT INTO teams (organization_id, name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING`, [org, DEMO_TEAMS]);
  const start = Number((await pg.query(`SELECT count(*) AS n FROM users`)).rows[0].n);
  const batch = 100_000;
  for (let from = 1; from <= users; from += batch) {
    const to = Math.min(users, from + batch - 1);
    // The person and their membership in one statement; the membership is given the person's columns
    // (its trigger would otherwise look each one up).
    await pg.query(
      `WITH f AS (SELECT ${sqlArray(FIRST)} AS a), l AS (SELECT ${sqlArray(LAST)} AS a), d AS (SELECT ${sqlArray(DOMAINS)} AS a),
            r AS (SELECT array_agg(id ORDER BY rank) AS ids FROM roles WHERE organization_id = $4),
            people AS (
              INSERT INTO users (email, first_name, last_name, language, last_sign_in_at, last_organization_id)
              SELECT translate(lower(f.a[1 + g % ${FIRST.length}] || '.' || replace(l.a[1 + (g / ${FIRST.length}) % ${LAST.length}], ' ', '')), 'é', 'e')
                       || ($3::int + g) || '@' || d.a[1 + g % ${DOMAINS.length}],
                     f.a[1 + g % ${FIRST.length}], l.a[1 + (g / ${FIRST.length}) % ${LAST.length}],
                     CASE WHEN g % 4 = 0 THEN 'fr' ELSE 'en' END,
                     CASE WHEN g % 6 = 0 THEN NULL ELSE now() - ((g::bigint * 7919) % 525600 || ' minutes')::interval END,
                     $4::uuid
                FROM generate_series($1::int, $2::int) g, f, l, d
              ON CONFLICT (email) DO NOTHING
              RETURNING id, email, first_name, last_name, last_sign_in_at)
       INSERT INTO memberships (organization_id, user_id, role_id, status, last_sign_in_at, email, first_name, last_name)
       SELECT $4::uuid, p.id, r.ids[CASE WHEN abs(hashtext(p.email)) % 100 = 0 THEN 2 WHEN abs(hashtext(p.email)) % 5 = 0 THEN 4 ELSE 3 END],
              'ACTIVE', p.last_sign_in_at, p.email, p.first_name, p.last_name
         FROM people p, r`,
      [from, to, start, org],
    );
    log(`users ${to}/${users}`);
  }
  await pg.query(
    `INSERT INTO user_teams (organization_id, user_id, team_id)
     SELECT $1::uuid, m.user_id, t.id FROM memberships m JOIN LATERAL (
       SELECT id FROM teams WHERE organization_id = $1 ORDER BY hashtext(m.email || name) LIMIT (1 + abs(hashtext(m.email)) % 3)) t ON true
      WHERE m.organization_id = $1 AND m.team_count = 0
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id AND u.password_hash IS NOT NULL)
     ON CONFLICT DO NOTHING`,
    [org],
  );
}
