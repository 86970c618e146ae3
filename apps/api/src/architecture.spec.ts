import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

/**
 * The shape of the API, checked: the low layers (core/, database/) import no feature, and features
 * depend on each other without cycles. The composition roots (main.ts, app.module.ts, features.ts,
 * entities.ts, cli/) may import anything.
 */
const SRC = __dirname;
const ROOTS = new Set(['main.ts', 'app.module.ts', 'features.ts', 'entities.ts', 'architecture.spec.ts']);
const LOW = new Set(['core', 'database']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Top-level folder (or root file) of a path inside src. */
const area = (path: string) => relative(SRC, path).split('/')[0];

const edges: { from: string; to: string; file: string }[] = [];
for (const file of files(SRC)) {
  const from = area(file);
  if (ROOTS.has(from) || from === 'cli') continue;
  // Runtime imports only: `import type` leaves nothing behind in the build.
  for (const [, fileName] of readFileSync(file, 'utf8').matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
    const to = area(resolve(dirname(file), fileName));
    if (to !== from) edges.push({ from, to, file: relative(SRC, file) });
  }
}

describe('architecture', () => {
  it('keeps core/ and database/ below every feature', () => {
    expect(edges.length).toBeGreaterThan(30); // the scan sees the imports at all
    const upward = edges.filter((e) => LOW.has(e.from) && !LOW.has(e.to)).map((e) => `${e.file} → ${e.to}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between features', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
    const cycles: string[] = [];
    const walk = (node: string, path: string[]) => {
      for (const next of graph.get(node) ?? []) {
        if (path.includes(next)) cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else walk(next, [...path, next]);
      }
    };
    for (const node of graph.keys()) walk(node, [node]);
    expect([...new Set(cycles)]).toEqual([]);
  });
});

/**
 * One owner per table: the folder whose code may read and write it. Everyone else goes through the owner's
 * service (or a hook the owner registers). Keyed by folder, so files may move inside it; a table owned by
 * core/ is keyed by its file's name, wherever it sits under core/. A migration that creates a table
 * missing here fails the test: give the table its owner.
 */
const OWNERS: Record<string, string> = {
  organizations: 'organizations/',
  users: 'users/',
  memberships: 'users/',
  membership_counts: 'users/',
  roles: 'roles/',
  teams: 'teams/',
  user_teams: 'teams/',
  sessions: 'sessions/',
  api_tokens: 'api-tokens/',
  totp_secrets: 'two-factor/',
  recovery_codes: 'two-factor/',
  mfa_challenges: 'two-factor/',
  two_factor_policy: 'two-factor/',
  invitations: 'invitations/',
  setup_tokens: 'invitations/',
  oidc_states: 'sso/',
  sso_connections: 'sso/',
  organization_domains: 'sso/',
  sso_identities: 'sso/',
  oidc_clients: 'oidc/',
  oidc_payloads: 'oidc/',
  oidc_signing_keys: 'oidc/',
  audit_events: 'audit/',
  email_outbox: 'email/',
  password_resets: 'password-reset/',
  webhook_endpoints: 'webhooks/',
  webhook_deliveries: 'webhooks/',
  rate_limits: 'core/**/rate-limit.service.ts',
  secret_key_check: 'core/**/secret-key-check.ts',
};

/** A file allowed to name another owner's table in its SQL, and why. */
interface Allowed {
  file: string;
  tables: string[];
  why: string;
}

/**
 * Joins that stay by design: one statement where going through each owner would cost a round trip on
 * every request or every page. Nothing else belongs here.
 */
const JOINS: Allowed[] = [
  {
    file: 'sessions/session.service.ts',
    tables: ['users', 'memberships', 'roles', 'totp_secrets', 'two_factor_policy', 'organizations', 'sso_connections'],
    why: "the session principal look-up, one prepared statement whenever the principal is not cached: who, their membership and role in the organization the request acts in, whether the two-factor set-up is due, whether the organization requires its own single sign-on; and entering an organization (the person's current one, their last connection there)",
  },
  {
    file: 'sso/sso-connections.service.ts',
    tables: ['organizations'],
    why: "the public sign-in look-ups (an email's domain, a slug in /auth/sso) read the organization's slug and whether it is active in the statement that finds its connection: organizations/ is below sso/ and has no look-up by domain",
  },
  {
    file: 'api-tokens/api-token-auth.service.ts',
    tables: ['users', 'memberships', 'roles', 'organizations'],
    why: "the API-token principal look-up, one prepared statement whenever the principal is not cached: the owner, their membership and role in the token's organization, the role capping the token, the organization",
  },
  {
    file: 'users/users-query.ts',
    tables: ['roles', 'teams', 'user_teams', 'invitations', 'totp_secrets', 'email_outbox'],
    why: "a page's (or one person's) row in one statement: team names, invitation expiry and email status, two-factor state, the role (USER_FROM); its two-factor fragments also serve the sign-in statement, the export filter and the per-role counts",
  },
  {
    file: 'users/members-filter.ts',
    tables: ['user_teams'],
    why: "SCIM's `groups.value` filter on users (design §4): whether the member is in a team, by user_teams' primary key inside the users statement, as the users page reads team ids",
  },
  {
    file: 'users/scim-members.ts',
    tables: ['roles', 'teams', 'user_teams'],
    why: "a SCIM user's row: its team ids (user_teams' primary key) on a page, named from the teams cache; and one user read back inside the writer's transaction, role and team names in the same statement (no second connection, nothing older than the transaction's own writes)",
  },
  {
    file: 'webhooks/webhook-worker.ts',
    tables: ['audit_events'],
    why: "the delivery worker's claim returns each claimed delivery's event by primary key in the statement that claims it (its columns as `AuditService.eventsByIds` reads them, rendered by audit/'s `auditEventData`): up to 250 claims a second, one statement each instead of two",
  },
  {
    file: 'api-tokens/api-tokens.service.ts',
    tables: ['users', 'roles'],
    why: "the admins' page of everyone's API tokens, one statement per page: the owner's email (shown, searched, sorted) and the capping role's name and key",
  },
  {
    file: 'invitations/setup.service.ts',
    tables: ['organizations'],
    why: "the first admin's set-up joins the first organization (the oldest, the one the migrations made): organizations/ invites first admins through invitations/, so invitations/ cannot ask it",
  },
  {
    file: 'invitations/invitations.service.ts',
    tables: ['organizations'],
    why: "an invitation's token look-up reads whether its organization is active in the statement that finds it, and share-locks that row before the person's when accepting (a suspension or deletion waits for an acceptance under way): organizations/ invites first admins through invitations/, so invitations/ cannot ask it",
  },
  {
    file: 'audit/audit.service.ts',
    tables: ['memberships'],
    why: "an event recorded outside any organization's request (a registration, a reset link, an SSO sign-up, a failed mail) is written for each organization the person belongs to, in the statement that writes it: users/ records its own changes through audit/, so audit/ cannot ask it",
  },
  {
    file: 'organizations/organizations-page.ts',
    tables: ['memberships', 'membership_counts', 'users'],
    why: "the operators' list and a person's organizations, one statement per page: each organization's member count (membership_counts, no count per row), the person's active memberships and last organization (the order they are listed and landed in)",
  },
  {
    file: 'host-identity/host-identity.service.ts',
    tables: ['users', 'teams', 'user_teams'],
    why: "GET /auth/whoami, one prepared statement per call on top of the cached principal: the person's names and their teams in the organization the request acts in (no change announcement covers them, so the principal cache cannot hold them)",
  },
  {
    file: '**/seed-demo.ts',
    tables: ['organizations', 'users', 'memberships', 'roles', 'teams', 'user_teams'],
    why: 'the demo seed: a million people in a few generate_series statements, not a million calls to the owners; never runs in the server',
  },
];

/**
 * Leaks still to remove, each a piece of work: listed so that the test passes today and fails on any new
 * one. When you remove a leak, remove its line (a line that no longer matches fails too).
 */
const TO_REMOVE: Allowed[] = [];

/** Where SQL names a table: FROM / JOIN / INTO / UPDATE / USING / COPY / (ALTER, LOCK, TRUNCATE) TABLE. */
const TABLE_AFTER =
  /\b(?:FROM|JOIN|INTO|UPDATE|USING|COPY|TABLE|TRUNCATE)\s+(?:ONLY\s+)?(?:"?public"?\.)?"?([a-z_][a-z0-9_]*)"?(?![\w."(])/gi;
/** The further tables of a list: `FROM a x, b y`, `TRUNCATE a, b`. */
const TABLE_LIST = /\b(?:FROM|TRUNCATE(?:\s+TABLE)?)\s+((?:"?\w+"?(?:\s+(?:AS\s+)?\w+)?\s*,\s*)+"?\w+"?)/gi;

/**
 * Every text a file could send to PostgreSQL: its string literals and template literals (an interpolation
 * reads as `${…}`, so `FROM ${table}` names nothing), `+` chains joined; comments are not strings.
 */
function sqlTexts(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const texts: string[] = [];
  const text = (node: ts.Node): string => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((s) => '${…}' + s.literal.text).join('');
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return text(node.left) + text(node.right);
    if (ts.isParenthesizedExpression(node)) return text(node.expression);
    return '${…}';
  };
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateExpression(node) ||
      ts.isBinaryExpression(node)
    ) {
      texts.push(text(node));
    }
    // A table handed over by name: the janitor's expire('table', …), a library's { tableName: 'table' }.
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'expire') {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first)) texts.push(`TABLE ${first.text}`);
    }
    if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'tableName' && ts.isStringLiteral(node.initializer)) {
      texts.push(`TABLE ${node.initializer.text}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return texts;
}

/** The known tables a text names. */
function tablesIn(text: string): string[] {
  const names = [...text.matchAll(TABLE_AFTER)].map((m) => m[1]);
  for (const [, list] of text.matchAll(TABLE_LIST)) names.push(...list.split(',').map((item) => item.trim().split(/\s+/)[0]));
  return names.map((n) => n.replace(/"/g, '').toLowerCase()).filter((n) => n in OWNERS);
}

/**
 * Whether `file` (relative to src/) matches `pattern`: a folder (`users/`), a file name anywhere under a
 * folder (`core/` + `**` + `/rate-limit.service.ts`) or anywhere at all (`**` + `/seed-demo.ts`), or a path.
 */
const owns = (pattern: string, file: string) => {
  if (pattern.endsWith('/')) return file.startsWith(pattern);
  const [folder, name] = pattern.split('**/');
  return name === undefined ? file === pattern : file.startsWith(folder) && basename(file) === name;
};

/** The migrations, wherever the database folder sits. */
const isMigration = (file: string) => /(^|\/)migrations\//.test(relative(SRC, file));

/**
 * file → the tables its SQL names. Every .ts file under src/ except specs and the migrations (which
 * create and alter every table: the schema's history, not a use of it).
 */
const references = new Map<string, Set<string>>();
for (const file of files(SRC)) {
  if (file.endsWith('.spec.ts') || isMigration(file)) continue;
  const tables = new Set(sqlTexts(file).flatMap(tablesIn));
  if (tables.size) references.set(relative(SRC, file), tables);
}

const allowed = (file: string, table: string) => [...JOINS, ...TO_REMOVE].some((a) => owns(a.file, file) && a.tables.includes(table));

describe('table owners', () => {
  it('gives every table a migration creates one owner, and lists no other', () => {
    // What each migration does going up (its down() undoes it): the tables created, less those a later one drops.
    const ups = files(SRC)
      .filter(isMigration)
      .sort()
      .map((file) => readFileSync(file, 'utf8').split(/public\s+async\s+down\s*\(/)[0]);
    const names = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1]);
    const created = ups.flatMap((up) => names(up, /CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?(\w+)"?/gi));
    const dropped = new Set(ups.flatMap((up) => names(up, /DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?(\w+)"?/gi)));
    expect(created.length).toBeGreaterThan(15); // the scan reads the migrations at all
    expect([...new Set(created.filter((t) => !dropped.has(t)))].sort()).toEqual(Object.keys(OWNERS).sort());
  });

  it("declares each entity in its table's owner", () => {
    const misplaced: string[] = [];
    let entities = 0;
    for (const file of files(SRC)) {
      for (const [, table] of readFileSync(file, 'utf8').matchAll(/@Entity\(\{\s*name:\s*'(\w+)'/g)) {
        entities++;
        const rel = relative(SRC, file);
        if (!OWNERS[table] || !owns(OWNERS[table], rel)) misplaced.push(`${rel} → ${table} (owner: ${OWNERS[table] ?? 'none'})`);
      }
    }
    expect(entities).toBeGreaterThan(15);
    expect(misplaced).toEqual([]);
  });

  it("names a table in SQL only in its owner's files, or where the allow-list says why", () => {
    // The scan sees the statements at all: the owners' own use of their tables.
    expect(references.get('users/accounts.service.ts')).toContain('users');
    expect(references.get('sessions/session.service.ts')).toContain('sessions');
    for (const [table, owner] of Object.entries(OWNERS)) {
      expect([table, [...references].some(([file, tables]) => owns(owner, file) && tables.has(table))]).toEqual([table, true]);
    }
    const leaks: string[] = [];
    for (const [file, tables] of references) {
      for (const table of tables) {
        if (!owns(OWNERS[table], file) && !allowed(file, table)) leaks.push(`${file} → ${table} (owner: ${OWNERS[table]})`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps the allow-list to what the code still does', () => {
    const stale: string[] = [];
    for (const { file: pattern, tables } of [...JOINS, ...TO_REMOVE]) {
      const matched = [...references.keys()].filter((file) => owns(pattern, file));
      for (const table of tables) {
        if (!matched.some((file) => references.get(file)?.has(table))) stale.push(`${pattern} → ${table} (no longer named there)`);
        if (matched.some((file) => owns(OWNERS[table], file))) stale.push(`${pattern} → ${table} (its owner)`);
      }
    }
    expect(stale).toEqual([]);
  });
});
