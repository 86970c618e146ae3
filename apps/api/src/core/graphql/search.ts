/** A search box's value: trimmed, lower-cased (emails are stored lower-case), or null when empty. */
export function normaliseSearch(search: string | null | undefined): string | null {
  const s = (search ?? '').trim().toLowerCase();
  return s.length ? s : null;
}

/** A LIKE pattern matching the term anywhere, its own %, _ and backslash taken literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
