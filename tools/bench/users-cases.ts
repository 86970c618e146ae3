/**
 * The users page cases of the benchmarks (`npm run bench`, `npm run bench:postgraphile`): which
 * organizations they read and, in each, the page with and without its total, a rare email search and
 * pages half-way through by email and by last name, their terms and cursors read from the data.
 */
import type { Client as Pg } from 'pg';
import { ORGANIZATION_HEADER, PAGE, PAGE_NO_COUNT } from './common';

export interface Organization {
  id: string;
  slug: string;
  /** How the tables name it: "large" or "small". */
  label: string;
}

/**
 * A users page case: what Roster is asked (its query and variables), what the same-SQL floor is asked
 * (`/same`: Roster's statements), and what the naive floor is asked (`/`), in which organization.
 */
export interface Scenario {
  org: Organization;
  name: string;
  query: string;
  roster: Record<string, unknown>;
  raw: Record<string, unknown>;
  /** A page after a cursor: how many rows of the organization, in the page's order, come before the cursor's row. */
  cursorOffset?: number;
}

export const orgHeaders = (headers: Record<string, string>, org: Organization) => ({ ...headers, [ORGANIZATION_HEADER]: org.slug });
export const cursorOf = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The users page cases of one organization, their terms and cursors read from its data. `common`: also "smith" in the large one. */
export async function scenariosOf(pg: Pg, org: Organization, common = false): Promise<Scenario[]> {
  const n = Number(
    (await pg.query(`SELECT sum(total) AS total FROM membership_counts WHERE organization_id = $1`, [org.id])).rows[0].total,
  );
  const at = (f: number) => Math.floor(n * f);
  // A rare term: one member's number; the cursors: half-way through the organization by email and by last name.
  const { email } = (
    await pg.query(
      `SELECT email FROM memberships WHERE organization_id = $1 AND email NOT LIKE 'bench-%' ORDER BY email OFFSET $2 LIMIT 1`,
      [org.id, at(0.7317)],
    )
  ).rows[0] as { email: string };
  const rare = /(\d+)@/.exec(email)?.[1] ?? email.split('@')[0];
  const byEmail = (
    await pg.query(`SELECT user_id, email FROM memberships WHERE organization_id = $1 ORDER BY email OFFSET $2 LIMIT 1`, [org.id, at(0.5)])
  ).rows[0] as { user_id: string; email: string };
  const byName = (
    await pg.query(`SELECT user_id, last_name FROM memberships WHERE organization_id = $1 ORDER BY last_name, user_id OFFSET $2 LIMIT 1`, [
      org.id,
      at(0.5),
    ])
  ).rows[0] as { user_id: string; last_name: string };
  const raw = { organization: org.id };
  const q = PAGE;
  const scenarios: Scenario[] = [
    { org, name: 'users page (50 rows + role + teams + count)', query: q, roster: { sortBy: 'EMAIL' }, raw },
    // As PostGraphile and most GraphQL APIs answer a list: no total (the naive floor still reads its counter row).
    { org, name: 'users page, no count', query: PAGE_NO_COUNT, roster: { sortBy: 'EMAIL' }, raw },
    { org, name: `rare email search "${rare}"`, query: q, roster: { sortBy: 'EMAIL', search: rare }, raw: { ...raw, search: rare } },
    {
      org,
      name: `page after a cursor ${at(0.5).toLocaleString('en')} rows in, by email`,
      query: q,
      roster: { sortBy: 'EMAIL', after: cursorOf(['EMAIL', byEmail.email, byEmail.user_id]) },
      raw: { ...raw, after: byEmail.email },
      cursorOffset: at(0.5),
    },
    {
      org,
      name: `page after a cursor ${at(0.5).toLocaleString('en')} rows in, by last name`,
      query: q,
      roster: { sortBy: 'LAST_NAME', after: cursorOf(['LAST_NAME', byName.last_name, byName.user_id]) },
      raw: { ...raw, sortBy: 'LAST_NAME', after: byName.last_name, afterId: byName.user_id },
      cursorOffset: at(0.5),
    },
  ];
  if (common && org.label === 'large') {
    scenarios.splice(3, 0, {
      org,
      name: 'common term "smith"',
      query: q,
      roster: { sortBy: 'EMAIL', search: 'smith' },
      raw: { ...raw, search: 'smith' },
    });
  }
  return scenarios;
}
