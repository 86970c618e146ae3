import {
  buildPageQuery,
  CANDIDATE_LIMIT,
  DENSE_MATCHES,
  denseWalkPage,
  encodeCursor,
  filteredPage,
  knownFewPage,
  PageArgs,
  pageStrategy,
  planPage,
  SHORT_CANDIDATE_LIMIT,
  unfilteredPage,
} from './users-query';
import { SortDirection, TwoFactorState, UserSortField, UserStatus } from './users.enums';

const ID = '0b9a3f1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const page = (args: Partial<PageArgs> = {}): PageArgs => ({ sortBy: UserSortField.EMAIL, sortDirection: SortDirection.ASC, ...args });
const strategy = (args: Partial<PageArgs>, known?: { count: number; exact: boolean }) => buildPageQuery(page(args), known).strategy;

describe('the users page strategies', () => {
  it('reads an unfiltered page by the sort index, with the counter as total', () => {
    expect(strategy({})).toBe('unfiltered');
    expect(strategy({ search: '   ' })).toBe('unfiltered'); // blank is no search
    expect(strategy({ sortBy: UserSortField.TEAMS, after: encodeCursor(UserSortField.TEAMS, 2, ID) })).toBe('unfiltered');
    const q = buildPageQuery(page({ first: 20, withCount: true }));
    expect(q.sql).toContain('(SELECT n FROM user_counts WHERE id = 1) AS total_count');
    expect(q.sql).toMatch(/ORDER BY u\.email ASC LIMIT 21$/);
    expect(q.params).toEqual([]);
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

  it('decides in one statement when nothing is known about the matches', () => {
    expect(strategy({ search: 'abc' })).toBe('filtered');
    expect(strategy({ twoFactor: TwoFactorState.ENABLED })).toBe('filtered');
    const q = buildPageQuery(page({ search: 'abc', withCount: true }));
    expect(q.sql).toContain(`LIMIT ${CANDIDATE_LIMIT + 1})`);
    expect(q.sql).toContain('UNION ALL');
    expect(q.preparable).toBe(false);
  });

  it('numbers the parameters: cursor first, then the search pattern, then the status', () => {
    const email = encodeCursor(UserSortField.EMAIL, 'm@x.io', ID);
    expect(buildPageQuery(page({ after: email, search: '50%_a', status: UserStatus.ACTIVE })).params).toEqual([
      'm@x.io',
      '%50\\%\\_a%',
      UserStatus.ACTIVE,
    ]);
    // Other sorts carry the id as a second key; a null last connection is "never" (-infinity).
    const never = encodeCursor(UserSortField.LAST_CONNECTION, null, ID);
    const q = buildPageQuery(page({ sortBy: UserSortField.LAST_CONNECTION, after: never, twoFactor: TwoFactorState.MISSING }));
    expect(q.params).toEqual(['-infinity', ID]);
    expect(q.sql).toContain('($1::timestamptz, $2::uuid)');
    expect(q.sql).toContain('NOT EXISTS (SELECT 1 FROM totp_secrets tf WHERE tf.user_id = u.id');
    const dense = buildPageQuery(page({ after: email, search: 'example' }), { count: DENSE_MATCHES, exact: false });
    expect(dense.params).toEqual(['m@x.io', '%example%']);
    expect(dense.sql).toContain('WHERE m.email LIKE $2');
  });

  it('reads a backward page in the other order, and turns it', () => {
    const before = encodeCursor(UserSortField.ROLE, 3, ID);
    const q = buildPageQuery(page({ sortBy: UserSortField.ROLE, last: 10, before }));
    expect(q).toMatchObject({ backward: true, limit: 10, params: [3, ID], preparable: true });
    expect(q.sql).toContain('(u.role_rank, u.id) < ($1::int, $2::uuid)');
    expect(q.sql).toMatch(/ORDER BY u\.role_rank DESC, u\.id DESC LIMIT 11$/);
    expect(buildPageQuery(page({ first: 5, before })).backward).toBe(false); // `first` wins: the cursor is ignored
  });

  it("prepares only the unfiltered page, at the console's page sizes", () => {
    expect(buildPageQuery(page({ first: 25 })).preparable).toBe(true);
    expect(buildPageQuery(page({ first: 7 })).preparable).toBe(false);
    expect(buildPageQuery(page({ first: 25, status: UserStatus.ACTIVE })).preparable).toBe(false);
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
      expect(first.params[0]).toBe('a@b.c');
    }
    expect(pageStrategy(plan)).toBe('filtered');
  });
});
