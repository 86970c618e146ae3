const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field (RFC 4180, as csv-stringify writes it): quoted only when it holds a quote, a comma, a
 * carriage return or a line feed, its quotes doubled.
 */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** A CSV record: its fields and the line feed. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}
