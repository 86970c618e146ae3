/**
 * The floors the benchmark compares Roster with: bare `node:http` and `pg` over the same database (no
 * authentication, no GraphQL, no framework), three routes:
 * - `POST /same`: Roster's own statements for the users page (users-query.ts: the same strategy, the same
 *   SQL, prepared where Roster prepares it, the search counts kept the same way, roles from a cache), on a
 *   pool of the same size, answered in the same JSON shape as Roster's GraphQL answer. What Roster costs
 *   beyond it is the API's own overhead (HTTP, GraphQL, authentication, the principal, logging).
 *   Body: `{ organization, sortBy, search?, after? (Roster's cursor), withCount }`.
 * - `GET /trivial`: `{"data":{"__typename":"Query"}}`, the floor of `{ __typename }`.
 * - `POST /apollo`: a bare `@apollo/server` (the GraphQL server Roster is built on: a one-field schema, no
 *   plugin, no authentication, no logging, compact JSON as Roster's), answering GraphQL over HTTP the way its
 *   own standalone server does: what any API built on it pays for `{ __typename }`.
 * - `POST /`: the naive floor, the page of one organization as ONE statement per request (prepared where its
 * plan does not depend on the values), as compact JSON; with `{"organization": "<uuid>", "search": "...", "sortBy": "EMAIL" | "LAST_NAME", "after": "<email or last name>",
 * "afterId": "<user id, with LAST_NAME>"}`. Like Roster's, every statement reads the organization's
 * memberships (the person's email and names are copied there) with `organization_id = $1` in every
 * branch, and the total from `membership_counts`.
 * Run as a child process by bench.ts: `ts-node raw-server.ts <database url> <port> <pool size>`.
 */
import { createHash } from 'node:crypto';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type QueryResultRow } from 'pg';
import { splitIds } from '../../apps/api/src/core/database/id-list';
import { permissionLevel } from '../../libs/shared/contracts/src/permissions';
import { SortDirection, UserSortField } from '../../apps/api/src/users/users.enums';
import {
  buildPageQuery,
  organizationSizeOf,
  encodeCursor,
  normaliseSearch,
  pageRowTeams,
  type KnownCount,
  type PageRow,
  type TeamNames,
} from '../../apps/api/src/users/users-query';

const [url, port, poolSize] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: Number(poolSize ?? 20) });

const COLUMNS = `m.user_id AS id, m.email, m.first_name, m.last_name, m.status, m.last_sign_in_at, r.name AS role_name, r.permissions,
  COALESCE((SELECT json_agg(json_build_object('name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id
             WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '[]'::json) AS teams`;

// The whole organization: the total from the counter table. A search: the naive statement, counting every
// match. One statement per shape (a generic plan of `$2 IS NULL OR email > $2` could not use the index).
const PAGE = (after: string, order: string) =>
  `SELECT ${COLUMNS}, (SELECT sum(c.total)::bigint FROM membership_counts c WHERE c.organization_id = $1) AS total
     FROM memberships m JOIN roles r ON r.id = m.role_id WHERE m.organization_id = $1 ${after} ORDER BY ${order} LIMIT 51`;
const SEARCH = (after: string) =>
  `SELECT ${COLUMNS}, count(*) OVER () AS total
     FROM memberships m JOIN roles r ON r.id = m.role_id
    WHERE m.organization_id = $1 AND m.email LIKE $2 ${after} ORDER BY m.email LIMIT 51`;

interface Request {
  organization: string;
  search?: string;
  sortBy?: 'EMAIL' | 'LAST_NAME';
  after?: string;
  afterId?: string;
}

function statement({ organization, search, sortBy, after, afterId }: Request) {
  if (search) {
    // Unnamed: planned for each term (a generic plan cannot know whether a term is rare).
    return after
      ? { text: SEARCH('AND m.email > $3'), values: [organization, `%${search}%`, after] }
      : { text: SEARCH(''), values: [organization, `%${search}%`] };
  }
  if (sortBy === 'LAST_NAME') {
    const order = 'm.last_name, m.user_id';
    return after
      ? {
          name: 'raw_name_after',
          text: PAGE('AND (m.last_name, m.user_id) > ($2::text, $3::uuid)', order),
          values: [organization, after, afterId],
        }
      : { name: 'raw_name', text: PAGE('', order), values: [organization] };
  }
  return after
    ? { name: 'raw_page_after', text: PAGE('AND m.email > $2', 'm.email'), values: [organization, after] }
    : { name: 'raw_page', text: PAGE('', 'm.email'), values: [organization] };
}

interface SameRequest {
  organization: string;
  sortBy: UserSortField;
  search?: string;
  after?: string;
  withCount: boolean;
}

/** Roles by id, read once per organization (Roster's roles cache). */
const roles = new Map<string, Promise<Map<string, { name: string; level: string }>>>();
const rolesOf = (organization: string) => {
  let r = roles.get(organization);
  if (!r) {
    r = pool
      .query<{ id: string; name: string; permissions: string[] }>(`SELECT id, name, permissions FROM roles WHERE organization_id = $1`, [
        organization,
      ])
      .then((q) => new Map(q.rows.map((x) => [x.id, { name: x.name, level: permissionLevel(x.permissions) }])));
    roles.set(organization, r);
  }
  return r;
};
/** Team names by id, read once per organization (Roster's teams cache). */
const teamNames = new Map<string, Promise<TeamNames>>();
const teamsOf = (organization: string) => {
  let t = teamNames.get(organization);
  if (!t) {
    t = pool
      .query<{ id: string; name: string }>(`SELECT id, name FROM teams WHERE organization_id = $1 ORDER BY name`, [organization])
      .then((q) => new Map(q.rows.map((x, rank) => [x.id, { name: x.name, rank }])));
    teamNames.set(organization, t);
  }
  return t;
};
/** What a search counted (Roster's SearchCounts: nothing changes during the bench, so never dropped). */
const counts = new Map<string, KnownCount>();
/** Organizations' sizes as pages told them (Roster's UsersPageService keeps them the same way). */
const sizes = new Map<string, number>();

const name = (text: string) => `s_${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;

async function same(r: SameRequest): Promise<string> {
  const search = normaliseSearch(r.search);
  const countKey = search ? `${r.organization}|${search}` : null;
  const known = countKey ? counts.get(countKey) : undefined;
  const args = {
    organizationId: r.organization,
    first: 50,
    after: r.after ?? null,
    search: r.search ?? null,
    sortBy: r.sortBy,
    sortDirection: SortDirection.ASC,
    withCount: r.withCount,
    fields: {
      teams: true,
      teamIds: false,
      twoFactorEnabled: false,
      invitation: false,
      invitationEmail: false,
      lastSignInAt: true,
      createdAt: false,
      provisioned: false,
      externalId: false,
    },
  };
  const byId = await rolesOf(r.organization);
  const names = await teamsOf(r.organization);
  const exec = <T extends QueryResultRow>(q: { sql: string; params: unknown[]; preparable: boolean }) =>
    pool.query<T>(q.preparable ? { name: name(q.sql), text: q.sql, values: q.params } : { text: q.sql, values: q.params });
  let q = buildPageQuery({ ...args, organizationSize: sizes.get(r.organization) }, known);
  let rows = (await exec<PageRow>(q)).rows;
  const size = organizationSizeOf(q, rows[0]);
  if (size !== undefined) sizes.set(r.organization, size);
  if (q.dense && rows.length <= q.limit) {
    q = buildPageQuery(args);
    rows = (await exec<PageRow>(q)).rows;
  }
  const page = rows.slice(0, q.limit);
  let total: number | undefined;
  if (known) total = known.count;
  else if (rows[0]?.total_count !== undefined && rows[0].total_count !== null) {
    total = Number(rows[0].total_count);
    if (countKey) counts.set(countKey, { count: total, exact: true });
  }
  const last = page[page.length - 1];
  const key = (row: PageRow) =>
    row.cursor_key !== undefined ? row.cursor_key : r.sortBy === UserSortField.EMAIL ? row.email : row.sort_key;
  return JSON.stringify({
    data: {
      users: {
        ...(r.withCount ? { totalCount: total ?? 0 } : {}),
        pageInfo: { hasNextPage: rows.length > q.limit, endCursor: last ? encodeCursor(r.sortBy, key(last), last.id) : null },
        edges: page.map((row) => {
          const role = byId.get(row.role_id);
          return {
            node: {
              id: row.id,
              email: row.email,
              firstName: row.first_name,
              lastName: row.last_name,
              role: { name: role?.name },
              teams: (pageRowTeams(splitIds(row.team_ids), names) ?? []).map((t) => ({ name: t.name })),
              permissionLevel: role?.level,
              lastSignInAt: row.last_sign_in_at ? (row.last_sign_in_at as Date).toISOString() : null,
              status: row.status,
            },
          };
        }),
      },
    },
  });
}

const TRIVIAL = JSON.stringify({ data: { __typename: 'Query' } });

const apollo = new ApolloServer({
  typeDefs: 'type Query { ok: Boolean }',
  resolvers: { Query: { ok: () => true } },
  introspection: false,
  plugins: [ApolloServerPluginLandingPageDisabled()],
  stringifyResult: (result) => JSON.stringify(result),
});
const apolloStarted = apollo.start();

/** `POST /apollo`: the request handed to Apollo as its standalone server hands it (headers, parsed body). */
async function bareApollo(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  await apolloStarted;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body: JSON.parse(body) as unknown },
    context: async () => ({}),
  });
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind !== 'complete') throw new Error('an incremental answer');
  res.end(answer.body.string);
}

createServer((req, res) => {
  if (req.url === '/trivial') {
    res.setHeader('content-type', 'application/json');
    res.end(TRIVIAL);
    return;
  }
  let body = '';
  req.on('data', (d: Buffer) => (body += d));
  req.on('end', () => {
    if (req.url === '/apollo') {
      bareApollo(req, res, body).catch((e: Error) => {
        res.statusCode = 500;
        res.end(e.message);
      });
      return;
    }
    if (req.url === '/same') {
      same(JSON.parse(body) as SameRequest).then(
        (text) => {
          res.setHeader('content-type', 'application/json');
          res.end(text);
        },
        (e: Error) => {
          res.statusCode = 500;
          res.end(e.message);
        },
      );
      return;
    }
    pool.query(statement(JSON.parse(body || '{}') as Request)).then(
      (r) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ total: r.rows[0]?.total ?? 0, rows: r.rows.slice(0, 50), more: r.rows.length > 50 }));
      },
      (e: Error) => {
        res.statusCode = 500;
        res.end(e.message);
      },
    );
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
