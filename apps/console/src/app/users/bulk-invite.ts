/** Reading a pasted list or a CSV file of people to invite, and checking it before anything is sent. */

export interface Named {
  id: string;
  name: string;
  key?: string;
}

export type RowProblem = 'INVALID_EMAIL' | 'DUPLICATE' | 'EXISTING' | 'PENDING' | 'UNKNOWN_ROLE' | 'UNKNOWN_TEAM' | 'TOO_MANY';

export interface BulkRow {
  email: string;
  roleId: string;
  teamIds: string[];
  problem: RowProblem | null;
}

/** At most this many people per bulk invitation (the API's limit too). */
export const MAX_BULK = 1000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One CSV line into fields: commas separate, double quotes may wrap a field ("" is a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields.map((f) => f.trim());
}

/**
 * Emails pasted in any shape (one per line, or separated by commas, semicolons or spaces), each with
 * the default role and teams.
 */
export function parsePasted(text: string, defaults: { roleId: string; teamIds: string[] }): BulkRow[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean)
    .map((email) => ({ email: email.toLowerCase(), roleId: defaults.roleId, teamIds: [...defaults.teamIds], problem: null }));
}

/**
 * A CSV file: email, then optionally role (its name or key) and teams (names separated by ";" or "|");
 * a first line naming the columns is skipped. Empty cells take the defaults.
 */
export function parseCsv(text: string, roles: Named[], teams: Named[], defaults: { roleId: string; teamIds: string[] }): BulkRow[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  if (lines.length && /^\s*"?e-?mail"?\s*(,|$)/i.test(lines[0])) lines.shift();
  return lines.map((line) => {
    const [email = '', role = '', teamList = ''] = csvFields(line);
    const row: BulkRow = { email: email.toLowerCase(), roleId: defaults.roleId, teamIds: [...defaults.teamIds], problem: null };
    if (role) {
      const found = roles.find((r) => r.name.toLowerCase() === role.toLowerCase() || r.key?.toLowerCase() === role.toLowerCase());
      if (found) row.roleId = found.id;
      else row.problem = 'UNKNOWN_ROLE';
    }
    if (teamList) {
      const names = teamList
        .split(/[;|]/)
        .map((t) => t.trim())
        .filter(Boolean);
      const ids = names.map((n) => teams.find((t) => t.name.toLowerCase() === n.toLowerCase())?.id);
      if (ids.some((id) => !id)) row.problem ??= 'UNKNOWN_TEAM';
      else row.teamIds = ids as string[];
    }
    return row;
  });
}

/** Marks what cannot be invited: invalid, repeated, already someone's email, beyond the limit. */
export function checkRows(rows: BulkRow[], inUse: Map<string, { pending: boolean; status: string }>): BulkRow[] {
  const seen = new Set<string>();
  let ready = 0;
  return rows.map((row) => {
    let problem = row.problem;
    if (!problem && !EMAIL.test(row.email)) problem = 'INVALID_EMAIL';
    if (!problem && seen.has(row.email)) problem = 'DUPLICATE';
    seen.add(row.email);
    const use = inUse.get(row.email);
    if (!problem && use) problem = use.status === 'INVITED' && use.pending ? 'PENDING' : use.status === 'INVITED' ? null : 'EXISTING';
    if (!problem && ++ready > MAX_BULK) problem = 'TOO_MANY';
    return { ...row, problem };
  });
}

/** A CSV of the created invitations (email, URL), as the admin downloads it. */
export function resultsCsv(results: { email: string; url: string }[]): string {
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return ['email,url', ...results.map((r) => `${quote(r.email)},${quote(r.url)}`)].join('\n') + '\n';
}
