import type { Client as Pg } from 'pg';
import { DEMO_TEAMS, seedDemo } from '../../apps/api/src/core/database/seed-demo';

/**
 * The organizations shape of `npm run bench`: the first organization (the bench admin's) is the large
 * one, seeded by seed-demo.ts; every other organization is small, generated here in a few set-based
 * statements. Ids of what this file creates are md5-derived (deterministic), so a seeded database can be
 * topped up and reused (`--database-url`).
 *
 * - Organizations 2..N (`org-00002`…): the first organization's built-in roles copied (roles are per
 *   organization), three teams, a two-factor policy row, `size` new people each (emails in seed-demo's
 *   style, numbered after everyone already there; 1 in 37 deactivated, a sixth never signed in, a third
 *   in one team, one in 50 a manager, a fifth viewers; no admin, so the first-admin set-up stays open), their counts in `membership_counts`.
 * - People in several organizations: 1 in 100 of the small organizations' people also belongs to the
 *   next organization, 1 in 1,000 to the one after too; MULTI_EMAIL belongs to the first 1,000 (the large one included).
 *
 * Loaded with the secondary indexes of users, memberships and user_teams dropped and rebuilt once at the
 * end (seed-demo.ts does the same for one big load), all in one transaction (a failure leaves the
 * database as it was, indexes included). The small organizations' rows are written with triggers off
 * (`session_replication_role = replica`: their copies, ranks, team counts and totals are written here,
 * and the foreign keys hold by construction), so the load needs a superuser, as the bench's database has.
 */

/** A seeded person in 1,000 organizations (the switcher's and me.organizations' worst case). */
export const MULTI_EMAIL = 'bench-multi@example.com';
/** How many organizations MULTI_EMAIL belongs to (the large one and the next 999). */
export const MULTI_ORGANIZATIONS = 1000;

/** Organization names: a common word in 1 of 12 ("acme"), a number in each (a rare term). */
const NAME_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Wonka', 'Tyrell', 'Cyberdyne', 'Soylent', 'Vandelay'];
const NAME_B = ['Labs', 'Systems', 'Partners', 'Group', 'Studio', 'Foods', 'Logistics', 'Health', 'Energy', 'Media', 'Capital'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'John', 'Radia', 'Tim'];
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
  'Smith',
  'Dupont',
  'Martin',
  'Bernard',
];
const DOMAINS = ['acme.test', 'globex.test', 'initech.test', 'umbrella.test'];

const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

export const orgSlug = (o: number) => `org-${String(o).padStart(5, '0')}`;

export interface SeededOrganizations {
  /** The large organization (the first one): id and slug. */
  large: { id: string; slug: string };
  /** The small organization the bench reads (the second). */
  small: { id: string; slug: string } | null;
}

export interface OrganizationsShape {
  /** Members of the large organization (seed-demo's people). */
  large: number;
  /** Organizations in all, the large one included. */
  organizations: number;
  /** Members of each small organization (before the people shared with a neighbour). */
  size: number;
}

/** Seeds (or tops up) the shape; returns the large and the small organization the bench reads. */
export async function seedOrganizations(
  pg: Pg,
  shape: OrganizationsShape,
  log: (msg: string) => void = console.log,
): Promise<SeededOrganizations> {
  const first = (await pg.query(`SELECT id, slug FROM organizations WHERE slug IS NOT NULL ORDER BY created_at, id LIMIT 1`)).rows[0] as {
    id: string;
    slug: string;
  };
  const inLarge = Number(
    (await pg.query(`SELECT count(*) AS n FROM memberships WHERE organization_id = $1 AND email NOT LIKE 'bench-%'`, [first.id])).rows[0].n,
  );
  const orgs = Number((await pg.query(`SELECT count(*) AS n FROM organizations`)).rows[0].n);
  const missingLarge = Math.max(0, shape.large - inLarge);
  const fromOrg = orgs + 1;
  const toOrg = shape.organizations;
  log(
    `Organizations: ${orgs.toLocaleString('en')} there, ${Math.max(0, toOrg - orgs).toLocaleString('en')} to add; ` +
      `large organization: ${inLarge.toLocaleString('en')} members there, ${missingLarge.toLocaleString('en')} to add`,
  );
  if (missingLarge > 0 || fromOrg <= toOrg) {
    const t0 = Date.now();
    await pg.query('BEGIN');
    try {
      await pg.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      const indexes: { indexname: string; indexdef: string }[] = (
        await pg.query(
          `SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename IN ('users', 'memberships', 'user_teams') AND i.schemaname = current_schema()
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
              AND i.indexname <> 'memberships_user'`,
        )
      ).rows;
      for (const i of indexes) await pg.query(`DROP INDEX "${i.indexname}"`);
      if (missingLarge > 0) {
        log(`Seeding ${missingLarge.toLocaleString('en')} members of the large organization (${first.slug})...`);
        await seedDemo(pg, missingLarge, (m) => m.startsWith('users') && log(`  ${m}`), first.id);
      }
      if (fromOrg <= toOrg) await insertSmall(pg, first.id, fromOrg, toOrg, shape.size, log);
      await insertMulti(pg, first.id, Math.min(toOrg, MULTI_ORGANIZATIONS));
      // Every organization's exact total, as the triggers would have kept it (in its first slot).
      await pg.query(`DELETE FROM membership_counts WHERE slot <> 0`);
      await pg.query(`INSERT INTO membership_counts (organization_id, slot, total, invited)
        SELECT o.id, 0, count(m.user_id), count(*) FILTER (WHERE m.status = 'INVITED')
          FROM organizations o LEFT JOIN memberships m ON m.organization_id = o.id GROUP BY o.id
        ON CONFLICT (organization_id, slot) DO UPDATE SET total = EXCLUDED.total, invited = EXCLUDED.invited`);
      for (const i of indexes) {
        log(`  rebuilding ${i.indexname}`);
        await pg.query(i.indexdef);
      }
      await pg.query('COMMIT');
    } catch (e) {
      await pg.query('ROLLBACK');
      throw e;
    }
    // The steady state autovacuum keeps (visibility map set, statistics fresh): what index-only scans rely on.
    await pg.query('VACUUM (ANALYZE) users, memberships, membership_counts, user_teams, teams, roles, organizations, two_factor_policy');
    log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const small = (await pg.query(`SELECT id, slug FROM organizations WHERE slug = $1`, [orgSlug(2)])).rows[0] as
    { id: string; slug: string } | undefined;
  return { large: first, small: small ?? null };
}

/** Organizations from..to (2 and up), their roles, teams, policy, people, memberships and team links. */
async function insertSmall(pg: Pg, firstOrg: string, from: number, to: number, size: number, log: (msg: string) => void): Promise<void> {
  const t0 = Date.now();
  // Numbers after every person there (emails are unique platform-wide).
  const start = Number((await pg.query(`SELECT count(*) AS n FROM users`)).rows[0].n) + 1;
  log(`Seeding organizations ${from.toLocaleString('en')}..${to.toLocaleString('en')}, ${size} people each...`);
  await pg.query(
    `INSERT INTO organizations (id, slug, name)
     SELECT md5('bench-org-' || o)::uuid, 'org-' || lpad(o::text, 5, '0'),
            (${sqlArray(NAME_A)})[1 + o % ${NAME_A.length}] || ' ' || (${sqlArray(NAME_B)})[1 + (o / ${NAME_A.length}) % ${NAME_B.length}] || ' ' || o
       FROM generate_series($1::int, $2::int) o`,
    [from, to],
  );
  await pg.query(
    `INSERT INTO roles (id, organization_id, key, name, permissions, rank, built_in, require_two_factor)
     SELECT md5('bench-role-' || o || '-' || r.key)::uuid, md5('bench-org-' || o)::uuid, r.key, r.name, r.permissions, r.rank, r.built_in, r.require_two_factor
       FROM generate_series($1::int, $2::int) o CROSS JOIN roles r WHERE r.organization_id = $3 AND r.built_in`,
    [from, to, firstOrg],
  );
  await pg.query(
    `INSERT INTO teams (id, organization_id, name)
     SELECT md5('bench-team-' || o || '-' || t)::uuid, md5('bench-org-' || o)::uuid, ($3::text[])[1 + (o + t) % array_length($3::text[], 1)]
       FROM generate_series($1::int, $2::int) o, generate_series(0, 2) t`,
    [from, to, DEMO_TEAMS],
  );
  await pg.query(
    `INSERT INTO two_factor_policy (organization_id) SELECT md5('bench-org-' || o)::uuid FROM generate_series($1::int, $2::int) o`,
    [from, to],
  );
  log(`  organizations, roles, teams, policies: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // Triggers off: what they would fill (copies, role ranks, team counts, totals) is written here.
  await pg.query(`SET LOCAL session_replication_role = replica`);
  // Person i (0-based) of organization o = from + i / size, numbered start + i.
  const people = `SELECT i, $1::int + i AS num, $3::int + i / $4::int AS o,
                         (${sqlArray(FIRST)})[1 + i % ${FIRST.length}] AS f,
                         (${sqlArray(LAST)})[1 + (i / ${FIRST.length}) % ${LAST.length}] AS l,
                         (hashtext(($1::int + i)::text) & 2147483647) AS h
                    FROM generate_series(0, $2::int - 1) i`;
  const email = `lower(p.f || '.' || p.l) || p.num || '@' || (${sqlArray(DOMAINS)})[1 + p.num % ${DOMAINS.length}]`;
  const lastSignIn = `CASE WHEN p.i % 6 = 0 THEN NULL ELSE now() - ((p.i::bigint * 7919) % 525600 || ' minutes')::interval END`;
  const count = (to - from + 1) * size;
  const params = [start, count, from, size];
  await pg.query(
    `INSERT INTO users (id, email, first_name, last_name, language, last_sign_in_at, last_organization_id)
     SELECT md5('bench-person-' || p.num)::uuid, ${email}, p.f, p.l, CASE WHEN p.i % 4 = 0 THEN 'fr' ELSE 'en' END, ${lastSignIn},
            md5('bench-org-' || p.o)::uuid
       FROM (${people}) p`,
    params,
  );
  log(`  ${count.toLocaleString('en')} people: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Roles: one manager in 50, a fifth viewers, the rest members (ranks as the first organization's).
  await pg.query(
    `WITH rk AS (SELECT key, rank FROM roles WHERE organization_id = $5 AND built_in)
     INSERT INTO memberships (organization_id, user_id, role_id, status, joined_at, updated_at, last_sign_in_at,
                              email, first_name, last_name, role_rank, team_count)
     SELECT md5('bench-org-' || p.o)::uuid, md5('bench-person-' || p.num)::uuid, md5('bench-role-' || p.o || '-' || rk.key)::uuid,
            CASE WHEN p.i % 37 = 5 THEN 'DEACTIVATED' ELSE 'ACTIVE' END, now() - (p.i % 1000) * interval '1 hour',
            now() - (p.i % 1000) * interval '1 hour', ${lastSignIn},
            ${email}, p.f, p.l, rk.rank, CASE WHEN p.h % 3 = 0 THEN 1 ELSE 0 END
       FROM (${people}) p
       JOIN rk ON rk.key = CASE WHEN p.i % 50 = 0 THEN 'MANAGER' WHEN p.h % 5 = 1 THEN 'VIEWER' ELSE 'MEMBER' END`,
    [...params, firstOrg],
  );
  await pg.query(
    `INSERT INTO user_teams (organization_id, user_id, team_id)
     SELECT md5('bench-org-' || p.o)::uuid, md5('bench-person-' || p.num)::uuid, md5('bench-team-' || p.o || '-' || (p.h / 3) % 3)::uuid
       FROM (${people}) p WHERE p.h % 3 = 0`,
    params,
  );
  // People in several organizations: 1 in 100 also in the next organization (wrapping), 1 in 1,000 in the one after too.
  await pg.query(
    `WITH rk AS (SELECT key, rank FROM roles WHERE organization_id = $5 AND key = 'MEMBER')
     INSERT INTO memberships (organization_id, user_id, role_id, status, last_sign_in_at, email, first_name, last_name, role_rank)
     SELECT md5('bench-org-' || x.o)::uuid, md5('bench-person-' || p.num)::uuid, md5('bench-role-' || x.o || '-MEMBER')::uuid,
            'ACTIVE', ${lastSignIn}, ${email}, p.f, p.l, rk.rank
       FROM (${people}) p, rk,
            LATERAL (SELECT $3::int + (p.o - $3::int + k) % ($6::int - $3::int + 1) AS o FROM generate_series(1, CASE WHEN p.i % 1000 = 0 THEN 2 ELSE 1 END) k) x
      WHERE p.i % 100 = 0 AND x.o <> p.o`,
    [...params, firstOrg, to],
  );
  await pg.query(`SET LOCAL session_replication_role = origin`);
  log(`  memberships and teams: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** MULTI_EMAIL, a member (MEMBER) of the first `orgs` organizations, the large one first. */
async function insertMulti(pg: Pg, firstOrg: string, orgs: number): Promise<void> {
  await pg.query(
    `INSERT INTO users (id, email, first_name, last_name, status, last_organization_id)
     VALUES (md5('bench-multi')::uuid, $1, 'Multi', 'Organizations', 'ACTIVE', $2) ON CONFLICT (email) DO NOTHING`,
    [MULTI_EMAIL, firstOrg],
  );
  // With triggers on: few rows; the copies and the rank come from them.
  await pg.query(
    `INSERT INTO memberships (organization_id, user_id, role_id, status)
     SELECT r.organization_id, md5('bench-multi')::uuid, r.id, 'ACTIVE'
       FROM roles r WHERE r.key = 'MEMBER' AND (r.organization_id = $1 OR r.organization_id IN (
         SELECT md5('bench-org-' || o)::uuid FROM generate_series(2, $2::int) o))
     ON CONFLICT DO NOTHING`,
    [firstOrg, orgs],
  );
}
