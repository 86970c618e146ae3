import { computed, signal } from '@angular/core';
import { errorKey } from '../core/api';

/** A page of a list read by cursor, as a list's `fetch` answers it (with any counts the page shows). */
export interface CursorPage<T> {
  rows: readonly T[];
  endCursor: string | null | undefined;
  hasNextPage: boolean;
}

export interface CursorListOptions<T> {
  /** Tells rows apart: a row already shown is not appended twice by `more()`. */
  key?: (row: T) => unknown;
}

/**
 * A list read a page at a time by cursor: its rows, whether a request runs, the translation key of the
 * last request's error, and the cursors of the pages visited. Only the latest request counts: the
 * answer (or failure) of an older one, whose filters have changed since, is dropped.
 *
 * Two ways of paging: `next()` and `previous()` show one page at a time (the users table); `more()`
 * appends the next page to the rows (the audit log, everyone's API tokens).
 */
export class CursorList<T, P extends CursorPage<T> = CursorPage<T>> {
  readonly rows = signal<readonly T[]>([]);
  /** The latest page answered (its counts), null before the first and after a failure. */
  readonly page = signal<P | null>(null);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly hasNextPage = computed(() => this.page()?.hasNextPage ?? false);
  /** The `after` cursors of the pages visited by `next()`; the last one is the current page's. */
  private readonly cursors = signal<(string | null)[]>([null]);
  /** 0 on the first page, 1 on the second... */
  readonly pageIndex = computed(() => this.cursors().length - 1);
  private request = 0;

  /** `fetch` asks for the page after `after` (null: the first) with the current filters. */
  constructor(
    private readonly fetch: (after: string | null) => Promise<P | null | undefined>,
    private readonly options: CursorListOptions<T> = {},
  ) {}

  /** The first page (the filters, the sort or the page size have changed). */
  first(): Promise<void> {
    this.cursors.set([null]);
    return this.load('replace');
  }

  /** The current page again (after an edit or a deletion). */
  reload(): Promise<void> {
    return this.load('replace');
  }

  /** The page after the current one, instead of it. */
  next(): Promise<void> {
    const end = this.page()?.endCursor;
    if (!end) return Promise.resolve();
    this.cursors.update((c) => [...c, end]);
    return this.load('replace');
  }

  /** The page before the current one. */
  previous(): Promise<void> {
    if (this.cursors().length < 2) return Promise.resolve();
    this.cursors.update((c) => c.slice(0, -1));
    return this.load('replace');
  }

  /** Appends the page after the rows shown. */
  more(): Promise<void> {
    if (!this.hasNextPage() || this.loading()) return Promise.resolve();
    return this.load('append');
  }

  private async load(mode: 'replace' | 'append'): Promise<void> {
    const id = ++this.request;
    const cursors = this.cursors();
    const after = mode === 'append' ? (this.page()?.endCursor ?? null) : cursors[cursors.length - 1];
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.fetch(after);
      if (id !== this.request) return;
      if (!page) throw new Error('no page in the answer');
      this.page.set(page);
      this.rows.set(mode === 'append' ? this.append(page.rows) : page.rows);
      // A deletion can empty the last page: step back.
      if (mode === 'replace' && !page.rows.length && cursors.length > 1) void this.previous();
    } catch (e) {
      if (id !== this.request) return;
      this.error.set(errorKey(e));
      // A failed page shows its error, not the rows of another; a failed "more" keeps the rows shown.
      if (mode === 'replace') {
        this.rows.set([]);
        this.page.set(null);
      }
    } finally {
      if (id === this.request) this.loading.set(false);
    }
  }

  private append(rows: readonly T[]): readonly T[] {
    const key = this.options.key;
    if (!key) return [...this.rows(), ...rows];
    const shown = new Set(this.rows().map(key));
    return [...this.rows(), ...rows.filter((r) => !shown.has(key(r)))];
  }
}
