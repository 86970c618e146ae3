import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startApp, TestApp } from './support/app';
import { Client, defined } from './support/client';

/** What exceljs declares `load` to take: its own `Buffer`, which Node's typed `Buffer<ArrayBuffer>` does not match. */
type XlsxInput = Parameters<ExcelJS.Xlsx['load']>[0];

const EXPORT_HEADER = ['First name', 'Last name', 'Email', 'Status', 'Role', 'Teams', 'Permissions', 'Last connection'];

/** Every user, the table's columns, formula cells neutralised, CSV and XLSX. */
describe('export', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp('export');
    const team = (await app.admin.ok(`mutation { createTeam(input: { name: "=Evil Team" }) { id } }`)).createTeam;
    const other = (await app.admin.ok(`mutation { createTeam(input: { name: "Ops" }) { id } }`)).createTeam;
    const r = await app.register('formula@example.com', 'MEMBER', [team.id, other.id]);
    await r.client.ok(`mutation { updateMyProfile(input: { firstName: "=HYPERLINK(\\"http://evil\\")", lastName: "+1-2" }) { theme } }`);
    await app.invite('pending@example.com', 'VIEWER');
    // Bulk rows straight in the database, to compare a realistic file with the table.
    await app.sql(
      `INSERT INTO users (email, first_name, last_name, password_hash)
       SELECT 'bulk' || g || '@example.com', 'Bulk', 'Nº' || g || ' été', NULL FROM generate_series(1, 500) g`,
    );
    await addMemberships('bulk%', app.roles['VIEWER']);
  });

  /** The people whose email is LIKE `emails` become ACTIVE members of the first organization, with this role. */
  const addMemberships = (emails: string, roleId: string) =>
    app.sql(
      `INSERT INTO memberships (organization_id, user_id, role_id, status)
       SELECT (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1), u.id, $2, 'ACTIVE' FROM users u WHERE u.email LIKE $1`,
      [emails, roleId],
    );
  afterAll(() => app?.close());

  async function expectedRows(): Promise<string[][]> {
    const rows = await app.sql(`
      SELECT u.first_name, u.last_name, u.email, m.status, r.name AS role,
             COALESCE((SELECT string_agg(t.name, ', ' ORDER BY t.name) FROM user_teams ut JOIN teams t ON t.id = ut.team_id
                        WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '') AS teams,
             r.key, m.last_sign_in_at
        FROM memberships m JOIN users u ON u.id = m.user_id JOIN roles r ON r.id = m.role_id
       WHERE m.organization_id = (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1) ORDER BY m.email`);
    const levels: Record<string, string> = {
      ADMIN: 'Full access',
      MANAGER: 'Manage users',
      MEMBER: 'Standard access',
      VIEWER: 'Read only',
    };
    const safe = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
    return rows.map((r) =>
      [
        r.first_name,
        r.last_name,
        r.email,
        r.status === 'INVITED' ? 'Invited' : 'Active',
        r.role,
        r.teams,
        levels[r.key],
        r.last_sign_in_at ? new Date(r.last_sign_in_at).toISOString() : 'never',
      ].map(safe),
    );
  }

  it('downloads CSV that parses back to the users table', async () => {
    const res = await app.admin.fetch('/api/export/users?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="users-\d{4}-\d{2}-\d{2}\.csv"/);
    const text = await res.text();
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    expect(header).toEqual(['First name', 'Last name', 'Email', 'Status', 'Role', 'Teams', 'Permissions', 'Last connection']);
    expect(rows).toEqual(await expectedRows());
    const rowOf = (email: string) =>
      defined(
        rows.find((r) => r[2] === email),
        `${email} row`,
      );
    const formula = rowOf('formula@example.com');
    expect(formula[0]).toBe(`'=HYPERLINK("http://evil")`);
    expect(formula[1]).toBe(`'+1-2`);
    expect(formula[5]).toBe(`'=Evil Team, Ops`);
    expect(rowOf('pending@example.com')[3]).toBe('Invited');
  });

  it('downloads XLSX with the same content', async () => {
    const res = await app.admin.fetch('/api/export/users?format=xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as XlsxInput);
    const values: string[][] = [];
    defined(wb.getWorksheet('Users'), 'Users worksheet').eachRow((row) =>
      values.push(Array.from({ length: 8 }, (_, i) => String(row.getCell(i + 1).value ?? ''))),
    );
    expect(values[0][0]).toBe('First name');
    expect(values.slice(1)).toEqual(await expectedRows());
  });

  it('filters by the same search as the table', async () => {
    const text = await (await app.admin.fetch('/api/export/users?format=csv&search=BULK12')).text();
    const rows = (parse(text, { bom: true }) as string[][]).slice(1);
    const expected = ['', ...'0123456789'].map((d) => `bulk12${d}@example.com`).sort();
    expect(rows.map((r) => r[2]).sort()).toEqual(expected);
  });

  it('is refused without permission or sign-in, with a JSON error', async () => {
    const anon = await app.client().fetch('/api/export/users');
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ code: 'UNAUTHENTICATED', message: expect.any(String) });
    const member = await app.register('member@example.com', 'MEMBER');
    const forbidden = await member.client.fetch('/api/export/users');
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).code).toBe('FORBIDDEN');
    const bad = await app.admin.fetch('/api/export/users?format=pdf');
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('BAD_USER_INPUT');
  });

  it("is a signed-in browser's own download from the console, never another site's", async () => {
    const noCsrf = new Client(app.server.url, { csrf: false });
    for (const [k, v] of app.admin.cookies) noCsrf.cookies.set(k, v);
    const fromConsole = await noCsrf.fetch('/api/export/users?format=csv', { headers: { 'sec-fetch-site': 'same-origin' } });
    expect(fromConsole.status).toBe(200);
    expect(fromConsole.headers.get('content-disposition')).toMatch(/^attachment; filename="users-/);
    await fromConsole.arrayBuffer();
    for (const site of ['cross-site', 'same-site', 'none', undefined]) {
      const res = await noCsrf.fetch('/api/export/users?format=csv', { headers: site ? { 'sec-fetch-site': site } : {} });
      expect([site, res.status]).toEqual([site, 403]);
      expect((await res.json()).code).toBe('CSRF_INVALID');
    }
  });

  it('exports only the people of one status when asked, and refuses an unknown status', async () => {
    await app.invite('export-invited@example.com', 'VIEWER');
    const text = await (await app.admin.fetch('/api/export/users?format=csv&status=INVITED')).text();
    const rows = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r['Status'] === 'Invited')).toBe(true);
    expect(rows.map((r) => r['Email'])).toContain('export-invited@example.com');
    const bad = await app.admin.fetch('/api/export/users?format=csv&status=GONE');
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe('BAD_USER_INPUT');
  });

  it('writes every batch, hostile text intact: the CSV byte for byte as csv-stringify writes it, the XLSX readable', async () => {
    // More users than one batch (2,000), in teams whose names sort otherwise than their ids.
    const teams = await app.sql(
      `INSERT INTO teams (organization_id, name)
       SELECT (SELECT id FROM organizations ORDER BY created_at, id LIMIT 1), unnest(ARRAY['Zeta', 'alpha', 'Beta', '_x0041_ & <Co>']) RETURNING id`,
    );
    await app.sql(
      `INSERT INTO users (email, first_name, last_name, password_hash)
       SELECT 'many' || g || '@example.com', 'Many', 'N' || g, NULL FROM generate_series(1, 4100) g`,
    );
    await addMemberships('many%', app.roles['MEMBER']);
    await app.sql(
      `INSERT INTO user_teams (organization_id, user_id, team_id)
       SELECT m.organization_id, m.user_id, t.id FROM memberships m
         JOIN unnest($1::uuid[]) WITH ORDINALITY t(id, k) ON (substring(m.email from '[0-9]+')::int % (t.k + 1)) = 0
        WHERE m.email LIKE 'many%'`,
      [teams.map((t) => t.id)],
    );
    const hostile = [
      'say "hi", then go',
      'line\nbreak',
      'carriage\rreturn',
      '  spaces around  ',
      '_x0041_ stays literal',
      'a & b <c> "d"',
      'tab\tinside',
      'bell\u0007here',
      '👩‍💻 Zoë',
      '-1+2',
    ];
    await app.sql(
      `INSERT INTO users (email, first_name, last_name, password_hash)
       SELECT 'hostile' || n || '@example.com', v, reverse(v), NULL FROM unnest($1::text[]) WITH ORDINALITY h(v, n)`,
      [hostile],
    );
    await addMemberships('hostile%', app.roles['VIEWER']);
    const expected = await expectedRows();
    expect(expected.length).toBeGreaterThan(4600);

    // The bytes as sent (fetch's text() would drop the BOM).
    const csv = Buffer.from(await (await app.admin.fetch('/api/export/users?format=csv')).arrayBuffer()).toString('utf8');
    expect(csv).toBe(`\uFEFF${stringify(expected, { header: true, columns: EXPORT_HEADER })}`);

    const res = await app.admin.fetch('/api/export/users?format=xlsx');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as XlsxInput);
    // Read as spreadsheet apps read a cell's text (ECMA-376 ST_Xstring): `_xHHHH_` stands for that character.
    const xstring = (v: string) => v.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const values: string[][] = [];
    defined(wb.getWorksheet('Users'), 'Users worksheet').eachRow((row) =>
      values.push(Array.from({ length: 8 }, (_, i) => xstring(String(row.getCell(i + 1).value ?? '')))),
    );
    expect(values[0]).toEqual(EXPORT_HEADER);
    // XML 1.0 cannot carry most C0 control characters: they are dropped, everything else reads back as is.
    // eslint-disable-next-line no-control-regex -- control characters are the point
    expect(values.slice(1)).toEqual(expected.map((r) => r.map((v) => v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, ''))));
    const bell = defined(
      values.find((r) => r[2] === 'hostile8@example.com'),
      'hostile8 row',
    );
    expect(bell[0]).toBe('bellhere');
    // In all four teams (in PostgreSQL's order of their names, as compared above).
    const many = defined(
      values.find((r) => r[2] === 'many60@example.com'),
      'many60 row',
    );
    expect(many[5].split(', ').sort()).toEqual(['Beta', 'Zeta', '_x0041_ & <Co>', 'alpha']);
  });

  it('is written to the audit log', async () => {
    const rows = await app.sql(`SELECT actor_email, details FROM audit_events WHERE action = 'users.exported'`);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0].actor_email).toBe('admin@example.com');
  });
});
