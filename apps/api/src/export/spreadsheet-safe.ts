/**
 * Neutralises cells a spreadsheet would run as a formula (CSV/formula injection, OWASP):
 * a value starting with = + - @ tab or carriage return gets a leading apostrophe.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
