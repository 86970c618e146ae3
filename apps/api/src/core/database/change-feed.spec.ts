import type { Principal } from '../access/principal';
import type { Change, ChangeFeed } from './change-feed';

// Nest's decorators are not what is tested here (and its packages load as ES modules only).
jest.mock('@nestjs/common', () => ({
  Inject: () => () => undefined,
  Injectable: () => () => undefined,
  Logger: class {
    log = jest.fn();
    warn = jest.fn();
  },
}));
jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

const { parseChange } = require('./change-feed') as typeof import('./change-feed');
const { PrincipalCache } = require('../access/principal-cache') as typeof import('../access/principal-cache');
const { SearchCounts } = require('../../users/search-counts') as typeof import('../../users/search-counts');

/** A live feed whose notifications the test sends. */
function fakeFeed(): { feed: ChangeFeed; send: (payload: string) => void } {
  const listeners: ((change: Change) => void)[] = [];
  const feed = { live: true, subscribe: (l: (change: Change) => void) => listeners.push(l) } as unknown as ChangeFeed;
  return { feed, send: (payload) => listeners.forEach((l) => l(parseChange(payload))) };
}

describe('change feed payloads', () => {
  it('reads each known payload as its change, anything else as a change to everything', () => {
    expect(parseChange('u:1')).toEqual({ userId: '1' });
    expect(parseChange('o:2')).toEqual({ organizationId: '2' });
    expect(parseChange('s:2')).toEqual({ organizationId: '2' });
    expect(parseChange('t:3')).toEqual({ teamsOf: '3' });
    expect(parseChange('n')).toEqual({ added: true });
    expect(parseChange('w')).toEqual({ webhooksDue: true });
    expect(parseChange('*')).toEqual({ all: true });
    expect(parseChange('x')).toEqual({ all: true });
    expect(parseChange('ww')).toEqual({ all: true });
  });

  it("'s:' (an organization's single sign-on connection) drops that organization's principals, not the others'", () => {
    const { feed, send } = fakeFeed();
    const principals = new PrincipalCache(feed);
    const inOne = { userId: 'u1', organization: { id: 'o1' } } as unknown as Principal;
    const inTwo = { userId: 'u2', organization: { id: 'o2' } } as unknown as Principal;
    principals.put('one', inOne, null, principals.begin());
    principals.put('two', inTwo, null, principals.begin());
    send('s:o1');
    expect(principals.get('one')).toBeUndefined();
    expect(principals.get('two')).toBe(inTwo);
  });

  it("'w' (webhook deliveries written) drops no cache and fails no lookup under way", () => {
    const { feed, send } = fakeFeed();
    const principals = new PrincipalCache(feed);
    const counts = new SearchCounts(feed);
    const principal = { userId: 'u1', organization: { id: 'o1' } } as unknown as Principal;
    const started = principals.begin();
    const counting = counts.begin();
    send('w');
    // Lookups begun before the wake-up still store what they found…
    principals.put('key', principal, null, started);
    counts.put('search', { count: 3, exact: true }, counting);
    send('w');
    // …and what is stored survives it.
    expect(principals.get('key')).toBe(principal);
    expect(counts.get('search')).toEqual({ count: 3, exact: true });
    // While any other unknown payload still drops everything.
    send('?');
    expect(principals.get('key')).toBeUndefined();
    expect(counts.get('search')).toBeUndefined();
  });
});
