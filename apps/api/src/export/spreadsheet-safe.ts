/** What a spreadsheet may skip before it reads a formula's first character. */
const LEADING_BLANKS = /^[\s\p{Cc}\p{Cf}\p{Z}]+/u;

/**
 * Neutralises cells a spreadsheet would run as a formula (CSV/formula injection, OWASP): a value that
 * starts with = + - @ — also after leading spaces, tabs, newlines or invisible characters, and in
 * full-width or other compatibility forms such as "＝" — or with a tab or carriage return gets a
 * leading apostrophe.
 */
export function spreadsheetSafe(value: string): string {
  // Fast path (nearly every cell): starts with a plain letter or digit.
  const c = value.charCodeAt(0);
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || value.length === 0) return value;
  if (/^[\t\r\n]/.test(value)) return `'${value}`;
  const start = value.replace(LEADING_BLANKS, '').slice(0, 4).normalize('NFKC');
  return /^[=+\-@]/.test(start) ? `'${value}` : value;
}
