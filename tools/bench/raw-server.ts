/**
 * The floor the benchmark compares Roster with: bare `node:http` and `pg` over the same database,
 * answering the same users page of one organization as ONE statement per request (prepared where its
 * plan does not depend on the values) (no authentication, no GraphQL, no framework), as compact JSON.
 * `POST /` with `{"organization": "<uuid>", "search": "...", "sortBy": "EMAIL" | "LAST_NAME", "after": "<email or last name>",
 * "afterId": "<user id, with LAST_NAME>"}`. Like Roster's, every statement reads the organization's
 * memberships (the person's email and names are copied there) with `organization_id = $1` in every
 * branch, and the total from `membership_counts`.
 * Run as a child process by bench.ts: `ts-node raw-server.ts <database url> <port>`.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

const [url, port] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 20 });

const COLUMNS = `m.user_id AS id, m.email, m.first_name, m.last_name, m.status, m.last_sign_in_at, r.name AS role_name, r.permissions,
  COALESCE((SELECT json_agg(json_build_object('name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id
             WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '[]'::json) AS teams`;

// The whole organization: the total from the counter table. A search: the naive statement, counting every
// match. One statement per shape (a generic plan of `$2 IS NULL OR email > $2` could not use the index).
const PAGE = (after: string, order: string) =>
  `SELECT ${COLUMNS}, (SELECT c.total FROM membership_counts c WHERE c.organization_id = $1) AS total
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

createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d));
  req.on('end', () => {
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
