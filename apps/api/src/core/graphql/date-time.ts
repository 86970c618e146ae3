import { GraphQLScalarType, Kind } from 'graphql';

/**
 * ISO 8601 instants as people and programs write them: a day (`2026-03-01`, midnight UTC) or a day
 * and time with its offset (`2026-03-01T08:30:00Z`, `2026-03-01T09:30:00.250+01:00`). Each part must
 * exist: JavaScript's Date would roll 30 February over to 2 March and 24:00 over to the next day.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/i;

/** The instant written in `text`, or an invalid Date (NaN) when it is not one: years 1 to 9999, real days and times only. */
export function parseInstant(text: string): Date {
  const m = INSTANT.exec(text);
  const invalid = new Date(NaN);
  if (!m) return invalid;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const calendar = new Date(Date.UTC(2000, month - 1, day));
  calendar.setUTCFullYear(year);
  if (year < 1 || calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return invalid;
  }
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return invalid;
  if (m[8] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return invalid;
  const date = new Date(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : text.toUpperCase());
  return date;
}

/**
 * The schema's `DateTime`: written as an ISO instant in UTC (as before); read with `parseInstant`, so
 * a date that does not exist reaches the resolver as an invalid Date, which its validation refuses
 * (BAD_USER_INPUT) exactly as the HTTP routes refuse the same text.
 */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  description: 'A date-time string at UTC, such as 2019-12-03T09:54:33Z, compliant with the date-time format.',
  serialize(value) {
    return value instanceof Date ? value.toISOString() : null;
  },
  parseValue(value) {
    return typeof value === 'string' ? parseInstant(value) : new Date(NaN);
  },
  parseLiteral(ast) {
    return ast.kind === Kind.STRING ? parseInstant(ast.value) : new Date(NaN);
  },
});
