import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ChangeFeed } from '../core/database/change-feed';

export interface SearchCount {
  count: number;
  exact: boolean;
}

/** Terms remembered (the oldest go first), and for how long at most without any change announced. */
const MAX_TERMS = 1_000;
const MAX_AGE_MS = 60_000;

/**
 * How many people a search matched, per organization and search (term and filters), for the pages that follow: the
 * count of a common term costs reading every match, the page itself does not. Any change announced
 * on the change feed (people added, changed or deleted, on any instance) drops every count; while
 * the feed is down nothing is served from here. A count read while a change happened is not kept.
 */
@Injectable()
export class SearchCounts {
  private readonly entries = new LRUCache<string, SearchCount>({ max: MAX_TERMS, ttl: MAX_AGE_MS });
  private generation = 0;

  constructor(private readonly feed: ChangeFeed) {
    // Any change may alter who matches, except team names (searches and filters never read them) and
    // webhook deliveries written.
    feed.subscribe((change) => {
      if (!('teamsOf' in change || 'webhooksDue' in change)) this.forgetAll();
    });
  }

  /** A search's key: its organization (each counts its own members), filters and term. */
  static key(organizationId: string, term: string, status: string | null, twoFactor: string | null): string {
    return `${organizationId}\u0000${status ?? ''}\u0000${twoFactor ?? ''}\u0000${term}`;
  }

  /** Call before counting; pass the result to `put`. */
  begin(): number {
    return this.generation;
  }

  get(key: string): SearchCount | undefined {
    return this.feed.live ? this.entries.get(key) : undefined;
  }

  put(key: string, count: SearchCount, generation: number): void {
    if (this.feed.live && generation === this.generation) this.entries.set(key, count);
  }

  /** After a change this instance committed (the announcement follows a few milliseconds later). */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }
}
