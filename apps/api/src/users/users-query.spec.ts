import { splitIds } from '../core/database/id-list';
import {
  buildPageQuery,
  CANDIDATE_LIMIT,
  DENSE_MATCHES,
  denseWalkPage,
  encodeCursor,
  filteredPage,
  knownFewPage,
  PageArgs,
  pageRowTeams,
  pageStrategy,
  planPage,
  SHORT_CANDIDATE_LIMIT,
  SMALL_ORGANIZATION,
  LARGE_ORGANIZATION,
  unfilteredPage,
} from './users-query';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from './users.enums';

const ID = '0b9a3f1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const ORG = '7c1e0d2a-5b3f-4a6e-9d8c-1f2e3d4c5b6a';
const page = (args: Partial<PageArgs> = {}): PageArgs => ({
  organizationId: ORG,
  sortBy: UserSortField.EMAIL,
  sortDirection: SortDirection.ASC,
  ...args,
});
/** Every FROM of memberships in a statement is followed by its organization's condition (kept from an index as `(…) IS TRUE`, or not). */
const scopedToOrg = (sql: string) => {
  const froms = [
    ...sql.matchAll(/FROM memberships (\w+)\s+WHERE (?:(\w+)\.organization_id = \$1\b|\((\w+)\.organization_id = \$1\) IS TRUE)/g),
  ];
  return (
    froms.every(([, alias, scoped, hidden]) => alias === (scoped ?? hidden)) &&
    froms.length === (sql.match(/FROM memberships/g) ?? []).length
  );
};
const strategy = (args: Partial<PageArgs>, known?: { count: number; exact: boolean }) => buildPageQuery(page(args), known).strategy;

describe('the users page strategies', () => {
  it('reads an unfiltered page by the sort index, with the counter as total', () => {
    expect(strategy({})).toBe('unfiltered');
    expect(strategy({ search: '   ' })).toBe('unfiltered'); // blank is no search
    expect(strategy({ sortBy: UserSortField.TEAMS, after: encodeCursor(UserSortField.TEAMS, 2, ID) })).toBe('unfiltered');
    const q = buildPageQuery(page({ first: 20, withCount: true }));
    expect(q.sql).toContain('(SELECT sum(c.total)::bigint FROM membership_counts c WHERE c.organization_id = $1) AS total_count');
    expect(q.sql).toContain('FROM memberships m WHERE m.organization_id = $1');
    expect(q.sql).toMatch(/ORDER BY m\.email ASC LIMIT 21$/);
    expect(q.sql).not.toMatch(/\busers\b|user_counts/);
    expect(q.params).toEqual([ORG]);
  });

  it('names the organization first in every branch of every strategy', () => {
    const email = encodeCursor(UserSortField.EMAIL, 'm@x.io', ID);
    const byName = encodeCursor(UserSortField.LAST_NAME, 'Doe', ID);
    const statements = [
      buildPageQuery(page({ withCount: true })),
      buildPageQuery(page({ sortBy: UserSortField.LAST_NAME, after: byName, withCount: true })),
      buildPageQuery(page({ search: 'example', after: email }), { count: DENSE_MATCHES, exact: false }),
      buildPageQuery(page({ search: 'rare', status: UserStatus.INVITED }), { count: 3, exact: true }),
      buildPageQuery(page({ search: 'abc', twoFactor: TwoFactorState.ENABLED, after: email, withCount: true })),
      buildPageQuery(
        page({ search: 'ab', status: UserStatus.ACTIVE, after: byName, sortBy: UserSortField.LAST_NAME, organizationSize: 53 }),
      ),
    ];
    expect(statements.map((q) => q.strategy)).toEqual(['unfiltered', 'unfiltered', 'denseWalk', 'knownFew', 'filtered', 'small']);
    for (const q of statements) {
      expect(q.params[0]).toBe(ORG);
      expect(scopedToOrg(q.sql)).toBe(true);
      expect(q.sql).not.toMatch(/\busers\b|user_counts|\bu\./);
    }
    // The team ids and the invitation of the member in this organization; team names come from the teams cache.
    const all = statements[0].sql;
    expect(all).toContain(
      'ARRAY(SELECT ut.team_id FROM user_teams ut WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id)',
    );
    expect(all).not.toMatch(/\bteams\b t|JOIN teams/);
    expect(all).toContain('WHERE i.organization_id = m.organization_id AND i.user_id = m.user_id');
    // The two-factor column: a scalar probe by the primary key, not EXISTS (which may hash every secret once per page).
    expect(all).toContain('COALESCE((SELECT tf.enabled_at IS NOT NULL FROM totp_secrets tf WHERE tf.user_id = m.user_id), false)');
    expect(all).not.toContain('EXISTS');
  });

  it('refuses to write a page without its organization', () => {
    expect(() => buildPageQuery(page({ organizationId: undefined as unknown as string }))).toThrow('organization');
    expect(() => buildPageQuery(page({ organizationId: "x' OR true --" }))).toThrow('organization');
  });

  it('walks the email index for a common term, by email, without filters', () => {
    const common = { count: DENSE_MATCHES, exact: false };
    expect(strategy({ search: 'example' }, common)).toBe('denseWalk');
    expect(buildPageQuery(page({ search: 'example' }), common)).toMatchObject({ dense: true, preparable: false });
    // Not for short terms, other sorts, filters, or terms not known to be common.
    expect(strategy({ search: 'ex' }, common)).toBe('filtered');
    expect(strategy({ search: 'example', sortBy: UserSortField.LAST_NAME }, common)).toBe('filtered');
    expect(strategy({ search: 'example', status: UserStatus.ACTIVE }, common)).toBe('filtered');
    expect(strategy({ search: 'example', twoFactor: TwoFactorState.MISSING }, common)).toBe('filtered');
    expect(strategy({ search: 'example' }, { count: DENSE_MATCHES - 1, exact: true })).toBe('knownFew');
  });

  it('collects known few matches without counting them again', () => {
    expect(strategy({ search: 'rare' }, { count: 12, exact: true })).toBe('knownFew');
    expect(strategy({ status: UserStatus.INVITED }, { count: CANDIDATE_LIMIT, exact: true })).toBe('knownFew');
    expect(strategy({ status: UserStatus.INVITED }, { count: CANDIDATE_LIMIT + 1, exact: true })).toBe('filtered');
    // 1–2 character terms: the lower candidate limit.
    expect(strategy({ search: 'ab' }, { count: SHORT_CANDIDATE_LIMIT, exact: true })).toBe('knownFew');
    expect(strategy({ search: 'ab' }, { count: SHORT_CANDIDATE_LIMIT + 1, exact: true })).toBe('filtered');
    // A capped count says nothing about how few.
    expect(strategy({ search: 'rare' }, { count: 12, exact: false })).toBe('filtered');
    expect(buildPageQuery(page({ search: 'rare' }), { count: 12, exact: true }).sql).not.toContain('total_count');
  });

  it('returns the count of few matches even when the total is not asked for, and counts many only when it is', () => {
    const unasked = buildPageQuery(page({ search: 'rare' })).sql;
    expect(unasked).toContain('(SELECT n FROM few) AS total_count');
    expect(unasked).toContain('NULL::bigint AS total_count');
    expect(unasked).not.toContain('FROM memberships c WHERE');
    const asked = buildPageQuery(page({ search: 'rare', withCount: true })).sql;
    expect(asked).toContain('(SELECT n FROM few) AS total_count');
    expect(asked).toContain('FROM memberships c WHERE');
    expect(asked).not.toContain('NULL::bigint');
  });

  it('decides in one statement when nothing is known about the matches', () => {
    expect(strategy({ search: 'abc' })).toBe('filtered');
    expect(strategy({ twoFactor: TwoFactorState.ENABLED })).toBe('filtered');
    const q = buildPageQuery(page({ search: 'abc', withCount: true }));
    expect(q.sql).toContain(`LIMIT ${CANDIDATE_LIMIT + 1})`);
    expect(q.sql).toContain('UNION ALL');
    expect(q.preparable).toBe(false);
  });

  it('numbers the parameters: organization, cursor, then the search pattern, then the status', () => {
    const email = encodeCursor(UserSortField.EMAIL, 'm@x.io', ID);
    expect(buildPageQuery(page({ after: email, search: '50%_a', status: UserStatus.ACTIVE })).params).toEqual([
      ORG,
      'm@x.io',
      '%50\\%\\_a%',
      UserStatus.ACTIVE,
    ]);
    // Other sorts carry the id as a second key; a null last connection is "never" (-infinity).
    const never = encodeCursor(UserSortField.LAST_CONNECTION, null, ID);
    const q = buildPageQuery(page({ sortBy: UserSortField.LAST_CONNECTION, after: never, twoFactor: TwoFactorState.MISSING }));
    expect(q.params).toEqual([ORG, '-infinity', ID]);
    expect(q.sql).toContain('($2::timestamptz, $3::uuid)');
    // As a filter, EXISTS (the secrets may be joined); as a column, a probe by primary key.
    // An invited member's account (perhaps registered elsewhere) counts as without two-factor.
    expect(q.sql).toContain(
      "(m.status = 'INVITED' OR m.own_names OR NOT EXISTS (SELECT 1 FROM totp_secrets tf WHERE tf.user_id = m.user_id AND tf.enabled_at IS NOT NULL))",
    );
    expect(q.sql).toContain(
      "(m.status <> 'INVITED' AND NOT m.own_names AND COALESCE((SELECT tf.enabled_at IS NOT NULL FROM totp_secrets tf WHERE tf.user_id = m.user_id), false)) AS two_factor_enabled",
    );
    const dense = buildPageQuery(page({ after: email, search: 'example' }), { count: DENSE_MATCHES, exact: false });
    expect(dense.params).toEqual([ORG, 'm@x.io', '%example%']);
    expect(dense.sql).toContain('WHERE w.organization_id = $1 AND w.email > $2::text');
    expect(dense.sql).toContain('WHERE e.email LIKE $3');
  });

  it('reads whether SCIM provisioned a member, and its external id, only when asked', () => {
    const none = {
      teams: false,
      teamIds: false,
      invitation: false,
      invitationEmail: false,
      lastSignInAt: false,
      createdAt: false,
      twoFactorEnabled: false,
      provisioned: false,
      externalId: false,
    };
    const plain = buildPageQuery(page({ fields: none })).sql;
    expect(plain).not.toMatch(/provisioned|external_id/);
    const asked = buildPageQuery(page({ fields: { ...none, provisioned: true, externalId: true } })).sql;
    expect(asked).toContain('m.provisioned_at IS NOT NULL AS provisioned');
    expect(asked).toContain('m.external_id');
    expect(buildPageQuery(page({ fields: { ...none, provisioned: true } })).sql).not.toContain('external_id');
  });

  it('reads a backward page in the other order, and turns it', () => {
    const before = encodeCursor(UserSortField.ROLE, 3, ID);
    const q = buildPageQuery(page({ sortBy: UserSortField.ROLE, last: 10, before }));
    expect(q).toMatchObject({ backward: true, limit: 10, params: [ORG, 3, ID], preparable: true });
    expect(q.sql).toContain('(m.role_rank, m.user_id) < ($2::int, $3::uuid)');
    expect(q.sql).toMatch(/ORDER BY m\.role_rank DESC, m\.user_id DESC LIMIT 11$/);
    expect(buildPageQuery(page({ first: 5, before })).backward).toBe(false); // `first` wins: the cursor is ignored
  });

  it("prepares only the unfiltered page and a small organization's, at the console's page sizes", () => {
    expect(buildPageQuery(page({ first: 25 })).preparable).toBe(true);
    expect(buildPageQuery(page({ first: 7 })).preparable).toBe(false);
    expect(buildPageQuery(page({ first: 25, status: UserStatus.ACTIVE })).preparable).toBe(false);
    expect(buildPageQuery(page({ first: 25, status: UserStatus.ACTIVE, organizationSize: 53 })).preparable).toBe(true);
    expect(buildPageQuery(page({ first: 7, search: 'rare', organizationSize: 53 })).preparable).toBe(false);
  });

  it("prepares a large organization's search known to be rare, its term hidden from the planner", () => {
    const few = { count: 12, exact: true };
    const q = (args: Partial<PageArgs>, known: { count: number; exact: boolean } | null = few) =>
      buildPageQuery(page(args), known ?? undefined);
    const rare = q({ first: 25, search: 'rare', organizationSize: LARGE_ORGANIZATION });
    expect(rare).toMatchObject({ strategy: 'knownFew', preparable: true, params: [ORG, '%rare%'] });
    expect(rare.sql).toContain('m.email LIKE (SELECT $2::text)');
    // Another term, the same statement.
    expect(q({ first: 25, search: 'other', organizationSize: LARGE_ORGANIZATION }).sql).toBe(rare.sql);
    // After a cursor, the pattern follows the cursor's parameters.
    const after = encodeCursor(UserSortField.LAST_NAME, 'Doe', ID);
    const next = q({ first: 25, search: 'rare', sortBy: UserSortField.LAST_NAME, after, organizationSize: LARGE_ORGANIZATION });
    expect(next).toMatchObject({ preparable: true, params: [ORG, 'Doe', ID, '%rare%'] });
    expect(next.sql).toContain('m.email LIKE (SELECT $4::text)');
    // Not when the plan may depend on the values: a middling or unknown size, another filter, a short term or one
    // without three letters or digits in a row (no trigram: a plan made for it scans the table), a term not
    // counted yet; nor at a page size that is not prepared (planned each time, it may as well see the term).
    for (const other of [
      q({ first: 25, search: 'rare', organizationSize: LARGE_ORGANIZATION - 1 }),
      q({ first: 25, search: 'rare' }),
      q({ first: 25, search: 'rare', organizationSize: LARGE_ORGANIZATION, status: UserStatus.ACTIVE }),
      q({ first: 25, search: 'rare', organizationSize: LARGE_ORGANIZATION, twoFactor: TwoFactorState.ENABLED }),
      q({ first: 25, search: 'ra', organizationSize: LARGE_ORGANIZATION }),
      q({ first: 25, search: '...', organizationSize: LARGE_ORGANIZATION }),
      q({ first: 25, search: 'a.b-c@d_e', organizationSize: LARGE_ORGANIZATION }),
      // Other letters are word characters to pg_trgm in some locales only.
      q({ first: 25, search: 'zoë', organizationSize: LARGE_ORGANIZATION }),
      q({ first: 25, search: 'rare', organizationSize: LARGE_ORGANIZATION }, null),
      q({ first: 7, search: 'rare', organizationSize: LARGE_ORGANIZATION }),
    ]) {
      expect(other.preparable).toBe(false);
      expect(other.sql).not.toContain('(SELECT $');
    }
  });

  it('reads a search or filter of a small organization, when its size is known, by one statement whatever the term', () => {
    const size = (organizationSize: number | null | undefined, known?: { count: number; exact: boolean }) =>
      strategy({ search: 'rare', organizationSize }, known);
    expect(size(53)).toBe('small');
    expect(size(SMALL_ORGANIZATION - 1, { count: 12, exact: true })).toBe('small');
    expect(size(SMALL_ORGANIZATION)).toBe('filtered');
    expect(size(SMALL_ORGANIZATION, { count: 12, exact: true })).toBe('knownFew');
    expect(size(null)).toBe('filtered');
    expect(size(undefined)).toBe('filtered');
    expect(size(Number.NaN)).toBe('filtered');
    // The whole organization stays the unfiltered page.
    expect(strategy({ organizationSize: 53 })).toBe('unfiltered');
    // Two terms, the same statement: only the parameter differs. Every match is read (no candidate limit).
    const a = buildPageQuery(page({ search: 'rare', organizationSize: 53, withCount: true }));
    const b = buildPageQuery(page({ search: 'other', organizationSize: 53, withCount: true }));
    expect(a.sql).toBe(b.sql);
    expect(a.params).toEqual([ORG, '%rare%']);
    expect(a.sql).not.toMatch(/LIMIT 50001|UNION/);
    expect(a.sql).toContain('total_count');
    expect(a.sql).toContain('organization_size');
    expect(buildPageQuery(page({ search: 'rare', organizationSize: 53 })).sql).not.toContain('total_count');
  });

  it("reads a search's candidates by the branch a known size picks, alone", () => {
    const sql = (organizationSize?: number) => buildPageQuery(page({ search: 'rare', organizationSize }), { count: 12, exact: true }).sql;
    expect(sql()).toContain('large AS');
    expect(sql(5_000)).not.toContain('large AS');
    expect(sql(5_000)).not.toContain('IS TRUE');
    expect(sql(LARGE_ORGANIZATION)).not.toContain('large AS');
    expect(sql(LARGE_ORGANIZATION)).toContain('(m.organization_id = $1) IS TRUE');
  });

  it('tells the organization size with every search or filter, for the next page', () => {
    for (const q of [
      buildPageQuery(page({ search: 'rare' })),
      buildPageQuery(page({ search: 'rare' }), { count: 12, exact: true }),
      buildPageQuery(page({ status: UserStatus.ACTIVE, organizationSize: 12 })),
    ]) {
      expect(q.sql).toContain(`(SELECT sum(c.total)::bigint FROM membership_counts c WHERE c.organization_id = $1) AS organization_size`);
    }
  });

  it('refuses bad page arguments and cursors', () => {
    expect(() => buildPageQuery(page({ first: 10, last: 10 }))).toThrow('Use first or last, not both.');
    expect(() => buildPageQuery(page({ first: 0 }))).toThrow('Page size must be 1 to 200.');
    expect(() => buildPageQuery(page({ last: 201 }))).toThrow('Page size must be 1 to 200.');
    expect(() => buildPageQuery(page({ after: 'nonsense' }))).toThrow('The page cursor is invalid');
    expect(() => buildPageQuery(page({ after: encodeCursor(UserSortField.TEAMS, 1, ID) }))).toThrow('The page cursor is invalid');
  });

  it('writes each statement without touching its input', () => {
    const args = page({ after: encodeCursor(UserSortField.EMAIL, 'a@b.c', ID), search: 'abc', status: UserStatus.ACTIVE });
    const plan = Object.freeze(planPage(Object.freeze(args)));
    for (const write of [unfilteredPage, denseWalkPage, knownFewPage, filteredPage]) {
      const first = write(plan);
      expect(write(plan)).toEqual(first); // the same for the same page
      expect(first.params.slice(0, 2)).toEqual([ORG, 'a@b.c']);
    }
    expect(pageStrategy(plan)).toBe('filtered');
  });
});

describe('a page row’s teams', () => {
  const names = new Map([
    ['a', { name: 'Alpha', rank: 0 }],
    ['b', { name: 'beta', rank: 1 }],
    ['c', { name: 'Gamma', rank: 2 }],
  ]);
  const row = (team_ids?: string) =>
    ({
      id: ID,
      organization_id: ORG,
      email: 'x@y.z',
      first_name: 'X',
      last_name: 'Y',
      status: UserStatus.ACTIVE,
      role_id: ID,
      team_ids,
    }) as const;

  it('names them in the order the organization’s teams sort by name', () => {
    expect(pageRowTeams(splitIds(row('c,a,b').team_ids), names)).toEqual([
      { id: 'a', name: 'Alpha' },
      { id: 'b', name: 'beta' },
      { id: 'c', name: 'Gamma' },
    ]);
    expect(pageRowTeams(splitIds(row('').team_ids), names)).toEqual([]);
    expect(pageRowTeams(splitIds(row(undefined).team_ids), names)).toEqual([]);
  });

  it('gives up on a team it does not know, so that the names are read again', () => {
    expect(pageRowTeams(splitIds(row('a,new').team_ids), names)).toBeUndefined();
  });
});
