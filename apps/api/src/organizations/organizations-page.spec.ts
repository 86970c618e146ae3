import {
  decodeOrganizationCursor,
  encodeOrganizationCursor,
  myOrganizationsQuery,
  organizationsPageQuery,
  pageSize,
  searchTerm,
} from './organizations-page';

const ID = '0b8f6c1e-0a5d-4c39-9a53-2f0c1d7b9e11';

describe("the operators' list of organizations", () => {
  it('round-trips its cursor and refuses altered ones', () => {
    expect(decodeOrganizationCursor(encodeOrganizationCursor('acme corp', ID))).toEqual({ name: 'acme corp', id: ID });
    for (const bad of [
      '',
      'garbage',
      Buffer.from('["x","nope"]').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      'x'.repeat(2000),
    ]) {
      expect(() => decodeOrganizationCursor(bad)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('bounds the page size and the search', () => {
    expect(pageSize(1)).toBe(1);
    expect(pageSize(100)).toBe(100);
    for (const n of [0, -1, 101, 1.5]) expect(() => pageSize(n)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(searchTerm(null)).toBeNull();
    expect(searchTerm('   ')).toBeNull();
    expect(searchTerm(' Acme ')).toBe('Acme');
    expect(() => searchTerm('x'.repeat(101))).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => searchTerm('a\u0000b')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('pages by (lower(name), id), leaves out organizations being deleted, reads member counts in the same statement', () => {
    const { sql, params } = organizationsPageQuery('50%_off\\', { name: 'm', id: ID }, 11);
    expect(sql).toMatch(/o\.slug IS NOT NULL/);
    expect(sql).toMatch(
      /LEFT JOIN LATERAL \(SELECT sum\(s\.total\) AS total, sum\(s\.invited\) AS invited\s+FROM membership_counts s WHERE s\.organization_id = o\.id\) c ON TRUE/,
    );
    expect(sql).toMatch(/COALESCE\(c\.total - c\.invited, 0\)::int AS "memberCount"/);
    expect(sql).toMatch(/\(lower\(o\.name\), o\.id\) > \(\$2::text, \$3::uuid\)/);
    expect(sql).toMatch(/ORDER BY lower\(o\.name\), o\.id LIMIT \$4/);
    // LIKE's wildcards are taken literally.
    expect(params).toEqual(['%50\\%\\_off\\\\%', 'm', ID, 11]);
    expect(organizationsPageQuery(null, null, 3).params).toEqual([3]);
  });
});

describe("a person's organizations", () => {
  it('lists active memberships of organizations not being deleted, the last used first', () => {
    const { sql, params } = myOrganizationsQuery(ID, 'acme', 100, null);
    expect(sql).toMatch(/m\.user_id = \$1/);
    expect(sql).toMatch(/m\.status = 'ACTIVE'/);
    expect(sql).toMatch(/o\.slug IS NOT NULL/);
    expect(sql).not.toMatch(/o\.status = 'ACTIVE'/); // suspended ones too, with their status
    expect(sql).toMatch(/ORDER BY \(m\.organization_id = u\.last_organization_id\) IS TRUE DESC, m\.last_sign_in_at DESC NULLS LAST/);
    expect(params).toEqual([ID, '%acme%', 100]);
  });

  it('keeps an API token to its own organization', () => {
    const { sql, params } = myOrganizationsQuery(ID, null, 5, 'org-id');
    expect(sql).toMatch(/m\.organization_id = \$2::uuid/);
    expect(params).toEqual([ID, 'org-id', 5]);
  });
});
