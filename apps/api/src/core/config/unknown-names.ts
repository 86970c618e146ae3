import { unset } from './readers';

/** What Roster knows of names: what it reads, what secrets may come from a file, what it leaves alone. */
export interface KnownNames {
  /** Every variable Roster reads. */
  variables: readonly string[];
  /** Those that may come from NAME_FILE instead. */
  secrets: readonly string[];
  /** Read elsewhere (by tracing's exporter), known so that they are not taken for misspellings. */
  others: readonly string[];
  /** Prefixes of Roster's own variables: an unknown name starting with one is said at start (it is ignored). */
  families: readonly string[];
}

/**
 * Kubernetes' service links (FOO_SERVICE_HOST, FOO_PORT=tcp://…, FOO_PORT_3000_TCP_ADDR…): a service
 * named "roster" or "database" puts such names in every pod of its namespace.
 */
const serviceLink = (name: string, value: string | undefined) =>
  /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)$/.test(name) ||
  (/_PORT$/.test(name) && /^(tcp|udp|sctp):\/\//.test(value ?? ''));

/** Edit distance with transpositions (optimal string alignment), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = Array.from({ length: b.length + 1 }, (_, j) => j);
  let previous = before;
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[b.length];
}

/** The known name this name is a slip of (case, one or two letters), if any. */
function meant(name: string, known: Iterable<string>): string | null {
  const upper = name.toUpperCase();
  let found: string | null = null;
  let nearest = Infinity;
  for (const candidate of known) {
    // One slip in a short name (HOME is not HOST, PGPORT not PORT), two in a longer one.
    const limit = candidate.length <= 5 ? 1 : 2;
    const d = editDistance(upper, candidate, limit);
    if (d <= limit && d < nearest) [found, nearest] = [candidate, d];
  }
  return found;
}

/**
 * Names in the environment that Roster does not read. A slip of a known name (DATABSE_URL, database_url,
 * a NAME_FILE of a variable that is no secret) stops the start: what the operator meant would silently
 * not apply. Other unknown names with one of Roster's prefixes (ROSTER_…, SMTP_…) are said at start.
 */
export function unknownVariables(source: NodeJS.ProcessEnv, names: KnownNames): { problems: string[]; warnings: string[] } {
  const files = names.secrets.map((n) => `${n}_FILE`);
  const known = new Set([...names.variables, ...files, ...names.others]);
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (known.has(name) || unset(value) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || serviceLink(name, value)) continue;
    const base = name.endsWith('_FILE') ? name.slice(0, -'_FILE'.length) : null;
    if (base !== null && names.variables.includes(base)) {
      problems.push(`${name}: only secrets can be read from a file (${files.join(', ')}); set ${base} itself`);
      continue;
    }
    const slip = meant(name, known);
    if (slip) problems.push(`${name} is not a variable Roster reads: did you mean ${slip}?`);
    else if (names.families.some((prefix) => name.startsWith(prefix)))
      warnings.push(`${name} is not a variable Roster reads, and is ignored (.env.example lists them all)`);
  }
  return { problems, warnings };
}
