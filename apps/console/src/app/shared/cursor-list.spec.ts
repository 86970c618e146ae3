import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { CursorList, CursorPage } from './cursor-list';

interface Row {
  id: string;
}
type Page = CursorPage<Row> & { totalCount: number };

/** An answer the test settles when it chooses, as a slow network would. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, ko) => {
    resolve = ok;
    reject = ko;
  });
  return { promise, resolve, reject };
}

const page = (ids: string[], endCursor: string | null = ids[ids.length - 1] ?? null, hasNextPage = true): Page => ({
  rows: ids.map((id) => ({ id })),
  endCursor,
  hasNextPage,
  totalCount: 99,
});
const ids = (list: CursorList<Row, Page>) => list.rows().map((r) => r.id);
const tick = () => new Promise((r) => setTimeout(r));

/** A list whose every request waits for the test to answer it; `asked` holds each request's `after`. */
function slowList() {
  const pending: ReturnType<typeof deferred<Page | null>>[] = [];
  const asked: (string | null)[] = [];
  const list = new CursorList<Row, Page>(
    (after) => {
      asked.push(after);
      const answer = deferred<Page | null>();
      pending.push(answer);
      return answer.promise;
    },
    { key: (r) => r.id },
  );
  return { list, pending, asked };
}

describe('CursorList', () => {
  it('shows only the latest request’s answer: an older one arriving later is dropped', async () => {
    const { list, pending } = slowList();
    const older = list.first();
    const newer = list.first();
    expect(list.loading()).toBe(true);

    pending[1].resolve(page(['b1', 'b2']));
    await newer;
    expect(ids(list)).toEqual(['b1', 'b2']);
    expect(list.loading()).toBe(false);

    pending[0].resolve(page(['a1']));
    await older;
    expect(ids(list)).toEqual(['b1', 'b2']);
    expect(list.page()?.endCursor).toBe('b2');
    expect(list.loading()).toBe(false);
  });

  it('stays loading while the latest request runs, even when an older one answers first', async () => {
    const { list, pending } = slowList();
    const older = list.first();
    const newer = list.first();
    pending[0].resolve(page(['a1']));
    await older;
    expect(list.loading()).toBe(true);
    expect(ids(list)).toEqual([]);
    pending[1].resolve(page(['b1']));
    await newer;
    expect(list.loading()).toBe(false);
    expect(ids(list)).toEqual(['b1']);
  });

  it('drops an older request’s failure too', async () => {
    const { list, pending } = slowList();
    const older = list.first();
    const newer = list.first();
    pending[1].resolve(page(['b1']));
    await newer;
    pending[0].reject(new CombinedGraphQLErrors({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }));
    await older;
    expect(list.error()).toBeNull();
    expect(ids(list)).toEqual(['b1']);
  });

  it('pages forward and back by cursor, one page at a time', async () => {
    const { list, pending, asked } = slowList();
    const answer = async (work: Promise<void>, rows: string[]) => {
      pending[pending.length - 1].resolve(page(rows));
      await work;
    };
    await answer(list.first(), ['1', '2']);
    await answer(list.next(), ['3', '4']);
    expect(ids(list)).toEqual(['3', '4']);
    expect(list.pageIndex()).toBe(1);
    await answer(list.next(), ['5']);
    await answer(list.previous(), ['3', '4']);
    expect(asked).toEqual([null, '2', '4', '2']);
    expect(list.pageIndex()).toBe(1);
    await answer(list.first(), ['1', '2']);
    expect(list.pageIndex()).toBe(0);
    expect(asked[asked.length - 1]).toBeNull();
  });

  it('steps back when the current page comes back empty (its last row was deleted)', async () => {
    const { list, pending, asked } = slowList();
    const first = list.first();
    pending[0].resolve(page(['1', '2']));
    await first;
    const next = list.next();
    pending[1].resolve(page(['3']));
    await next;
    const reload = list.reload();
    pending[2].resolve(page([], null, false));
    await reload;
    await tick();
    expect(asked).toEqual([null, '2', '2', null]);
    pending[3].resolve(page(['1', '2']));
    await tick();
    expect(ids(list)).toEqual(['1', '2']);
    expect(list.pageIndex()).toBe(0);
  });

  it('appends the next page with "more", once per row, only when there is one and nothing runs', async () => {
    const { list, pending, asked } = slowList();
    const first = list.first();
    pending[0].resolve(page(['1', '2']));
    await first;
    const more = list.more();
    void list.more(); // a second click while the first runs asks nothing
    pending[1].resolve(page(['2', '3'], '3', false));
    await more;
    expect(ids(list)).toEqual(['1', '2', '3']);
    expect(asked).toEqual([null, '2']);
    await list.more();
    expect(asked).toEqual([null, '2']);
  });

  it('says why a page failed: no rows for a failed page, the rows kept for a failed "more"', async () => {
    const { list, pending } = slowList();
    const first = list.first();
    pending[0].resolve(page(['1']));
    await first;
    const more = list.more();
    pending[1].reject(new CombinedGraphQLErrors({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }));
    await more;
    expect(list.error()).toBe('errors.RATE_LIMITED');
    expect(ids(list)).toEqual(['1']);
    expect(list.hasNextPage()).toBe(true);

    const again = list.first();
    expect(list.error()).toBeNull();
    pending[2].reject(new Error('network down'));
    await again;
    expect(list.error()).toBe('errors.INTERNAL_SERVER_ERROR');
    expect(ids(list)).toEqual([]);
    expect(list.page()).toBeNull();
    expect(list.loading()).toBe(false);
  });
});
