/**
 * The floor the benchmark compares Roster with: bare `node:http` and `pg` over the same database,
 * answering the same users page as ONE statement per request (prepared where its plan does not depend on the values) (no authentication, no
 * GraphQL, no framework), as compact JSON. `POST /` with `{"search": "...", "after": "email"}`.
 * Run as a child process by bench.ts: `ts-node raw-server.ts <database url> <port>`.
 */
import { createServer } from 'node:http';
import { Pool } from 'pg';

const [url, port] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: 20 });

const COLUMNS = `u.id, u.email, u.first_name, u.last_name, u.status, u.last_sign_in_at, r.name AS role_name, r.permissions,
  COALESCE((SELECT json_agg(json_build_object('name', t.name) ORDER BY t.name)
              FROM user_teams ut JOIN teams t ON t.id = ut.team_id WHERE ut.user_id = u.id), '[]'::json) AS teams`;

// The whole table: the total from the counter table. A search: the naive statement, counting every
// match. One statement per shape (a generic plan of `$1 IS NULL OR email > $1` could not use the index).
const PAGE = (after: string) =>
  `SELECT ${COLUMNS}, (SELECT n FROM user_counts WHERE id = 1) AS total
     FROM users u JOIN roles r ON r.id = u.role_id ${after} ORDER BY u.email LIMIT 51`;
const SEARCH = (after: string) =>
  `SELECT ${COLUMNS}, count(*) OVER () AS total
     FROM users u JOIN roles r ON r.id = u.role_id WHERE u.email LIKE $1 ${after} ORDER BY u.email LIMIT 51`;

function statement(search: string | undefined, after: string | undefined) {
  if (search) {
    // Unnamed: planned for each term (a generic plan cannot know whether a term is rare).
    return after ? { text: SEARCH('AND u.email > $2'), values: [`%${search}%`, after] } : { text: SEARCH(''), values: [`%${search}%`] };
  }
  return after
    ? { name: 'raw_page_after', text: PAGE('WHERE u.email > $1'), values: [after] }
    : { name: 'raw_page', text: PAGE(''), values: [] };
}

createServer((req, res) => {
  let body = '';
  req.on('data', (d: Buffer) => (body += d));
  req.on('end', () => {
    const { search, after } = JSON.parse(body || '{}') as { search?: string; after?: string };
    pool.query(statement(search, after)).then(
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
