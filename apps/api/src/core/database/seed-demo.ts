import type { Client } from 'pg';

/**
 * Demo data: teams and N users with names, roles, teams and last sign-ins, generated in SQL
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

export async function seedDemo(pg: Client, users: number, log: (msg: string) => void = () => undefined): Promise<void> {
  const indexes: { indexname: string; indexdef: string }[] =
    users >= BULK
      ? (
          await pg.query(
            `SELECT i.indexname, i.indexdef FROM pg_indexes i
              WHERE i.tablename IN ('users', 'user_teams') AND i.schemaname = current_schema()
                AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
          )
        ).rows
      : [];
  for (const i of indexes) await pg.query(`DROP INDEX "${i.indexname}"`);
  try {
    await insertDemo(pg, users, log);
  } finally {
    for (const i of indexes) {
      log(`rebuilding ${i.indexname}`);
      await pg.query(i.indexdef);
    }
  }
  await pg.query(`ANALYZE users; ANALYZE user_teams; ANALYZE teams`);
}

async function insertDemo(pg: Client, users: number, log: (msg: string) => void): Promise<void> {
  await pg.query(`INSERT INTO teams (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [DEMO_TEAMS]);
  const start = Number((await pg.query(`SELECT count(*) AS n FROM users`)).rows[0].n);
  const batch = 100_000;
  for (let from = 1; from <= users; from += batch) {
    const to = Math.min(users, from + batch - 1);
    await pg.query(
      `WITH f AS (SELECT ${sqlArray(FIRST)} AS a), l AS (SELECT ${sqlArray(LAST)} AS a), d AS (SELECT ${sqlArray(DOMAINS)} AS a),
            r AS (SELECT array_agg(id ORDER BY rank) AS ids FROM roles)
       INSERT INTO users (email, first_name, last_name, role_id, language, last_sign_in_at)
       SELECT translate(lower(f.a[1 + g % ${FIRST.length}] || '.' || replace(l.a[1 + (g / ${FIRST.length}) % ${LAST.length}], ' ', '')), 'é', 'e')
                || ($3::int + g) || '@' || d.a[1 + g % ${DOMAINS.length}],
              f.a[1 + g % ${FIRST.length}], l.a[1 + (g / ${FIRST.length}) % ${LAST.length}],
              r.ids[CASE WHEN g % 100 = 0 THEN 2 WHEN g % 5 = 0 THEN 4 ELSE 3 END],
              CASE WHEN g % 4 = 0 THEN 'fr' ELSE 'en' END,
              CASE WHEN g % 6 = 0 THEN NULL ELSE now() - ((g::bigint * 7919) % 525600 || ' minutes')::interval END
         FROM generate_series($1::int, $2::int) g, f, l, d, r
       ON CONFLICT (email) DO NOTHING`,
      [from, to, start],
    );
    log(`users ${to}/${users}`);
  }
  await pg.query(
    `INSERT INTO user_teams (user_id, team_id)
     SELECT u.id, t.id FROM users u JOIN LATERAL (
       SELECT id FROM teams ORDER BY hashtext(u.email || name) LIMIT (1 + abs(hashtext(u.email)) % 3)) t ON true
      WHERE NOT EXISTS (SELECT 1 FROM user_teams x WHERE x.user_id = u.id) AND u.password_hash IS NULL
     ON CONFLICT DO NOTHING`,
  );
}
