/**
 * Opaque keyset cursors on (created_at, id), newest first: the exact instant to the microsecond (what
 * PostgreSQL stores; a millisecond Date would skip or repeat rows sharing one) and the row's id, as
 * base64url of a JSON pair. Table-free, so that any feature pages this way without importing another.
 */

/** `column` to the microsecond in UTC, as the cursor carries it (`2026-12-06T14:48:31.123456Z`). */
export const cursorInstantSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const MICRO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;

/** The longest cursor read (a real one is under 100 characters). */
export const CURSOR_MAX_LENGTH = 200;

/** An instant written as cursorInstantSql gives it back, and one that exists (no 30 February, no year 0). */
export function isRealMicroInstant(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = MICRO_INSTANT.exec(v);
  if (!m || m[1] === '0000') return false;
  const t = Date.parse(`${v.slice(0, 23)}Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === v.slice(0, 19);
}

/** The cursor of a row: its instant (from cursorInstantSql) and its id. */
export function encodeInstantCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

/**
 * A cursor's instant and id, or null when it is not one of ours (too long, not base64url of a pair, an
 * instant that does not exist, an id `isId` refuses): the caller answers its own BAD_USER_INPUT.
 */
export function decodeInstantCursor(cursor: string, isId: (id: unknown) => boolean): { at: string; id: string } | null {
  if (cursor.length > CURSOR_MAX_LENGTH) return null;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) return null;
    const [at, id] = decoded as unknown[];
    return isRealMicroInstant(at) && isId(id) ? { at, id: id as string } : null;
  } catch {
    return null;
  }
}
