import { checkRows, parseCsv, parsePasted, resultsCsv } from './bulk-invite';

describe('bulk invitation parsing', () => {
  const defaults = { roleId: 'member', teamIds: ['t1'] };
  const roles = [
    { id: 'admin', name: 'Admin', key: 'ADMIN' },
    { id: 'member', name: 'Member', key: 'MEMBER' },
  ];
  const teams = [
    { id: 't1', name: 'Sales' },
    { id: 't2', name: 'R&D, Paris' },
  ];

  it('reads pasted emails in any separator, with the defaults', () => {
    const rows = parsePasted(' a@x.io, B@x.io;c@x.io\n\nd@x.io  e@x.io ', defaults);
    expect(rows.map((r) => r.email)).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'e@x.io']);
    expect(rows.every((r) => r.roleId === 'member' && r.teamIds[0] === 't1')).toBe(true);
  });

  it('reads a CSV with a header, roles by name or key, quoted team names, and flags unknown ones', () => {
    const csv = '\uFEFFemail,role,teams\r\nann@x.io,admin,"R&D, Paris;Sales"\nbob@x.io,,\ncid@x.io,Boss,\ndan@x.io,Member,Nowhere\n';
    const rows = parseCsv(csv, roles, teams, defaults);
    expect(rows).toEqual([
      { email: 'ann@x.io', roleId: 'admin', teamIds: ['t2', 't1'], problem: null },
      { email: 'bob@x.io', roleId: 'member', teamIds: ['t1'], problem: null },
      { email: 'cid@x.io', roleId: 'member', teamIds: ['t1'], problem: 'UNKNOWN_ROLE' },
      { email: 'dan@x.io', roleId: 'member', teamIds: ['t1'], problem: 'UNKNOWN_TEAM' },
    ]);
  });

  it('marks invalid, duplicate, existing and pending emails, and lets expired invitations through', () => {
    const rows = parsePasted('ok@x.io nope dup@x.io dup@x.io user@x.io pending@x.io expired@x.io', defaults);
    const inUse = new Map([
      ['user@x.io', { status: 'ACTIVE', pending: false }],
      ['pending@x.io', { status: 'INVITED', pending: true }],
      ['expired@x.io', { status: 'INVITED', pending: false }],
    ]);
    expect(checkRows(rows, inUse).map((r) => r.problem)).toEqual([null, 'INVALID_EMAIL', null, 'DUPLICATE', 'EXISTING', 'PENDING', null]);
  });

  it('writes the results as CSV', () => {
    expect(resultsCsv([{ email: 'a@x.io', url: 'http://h/register?token=abc' }])).toBe('email,url\na@x.io,http://h/register?token=abc\n');
  });
});
