import { dayOrder, parseDay } from './dates';

const day = (d: Date | null) =>
  d && !Number.isNaN(d.getTime()) ? [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes()] : d && 'invalid';

describe('typed dates', () => {
  it('knows the order each language writes a date in', () => {
    expect(dayOrder('en')).toEqual(['month', 'day', 'year']);
    expect(dayOrder('fr')).toEqual(['day', 'month', 'year']);
  });

  it('reads a date as the language writes it, at local midnight', () => {
    expect(day(parseDay('01/03/2026', 'fr'))).toEqual([2026, 3, 1, 0, 0]);
    expect(day(parseDay('01/03/2026', 'en'))).toEqual([2026, 1, 3, 0, 0]);
    expect(day(parseDay(' 1.3.2026 ', 'fr'))).toEqual([2026, 3, 1, 0, 0]);
    expect(day(parseDay('31-12-26', 'fr'))).toEqual([2026, 12, 31, 0, 0]);
    expect(day(parseDay('12/31/2026', 'en'))).toEqual([2026, 12, 31, 0, 0]);
  });

  it('reads YYYY-MM-DD in any language, years below 100 included', () => {
    expect(day(parseDay('2026-03-01', 'fr'))).toEqual([2026, 3, 1, 0, 0]);
    expect(day(parseDay('2026-03-01', 'en'))).toEqual([2026, 3, 1, 0, 0]);
    expect(day(parseDay('0050-06-01', 'en'))).toEqual([50, 6, 1, 0, 0]);
  });

  it('is none when empty, and not a date for days that do not exist or other text', () => {
    expect(parseDay('', 'fr')).toBeNull();
    expect(parseDay('   ', 'en')).toBeNull();
    for (const text of [
      '31/02/2026',
      '2026-02-30',
      '13/13/2026',
      '00/01/2026',
      'yesterday',
      '1/3',
      '1/3/2026/4',
      '1/3/202',
      '001/3/2026',
      '1/3/10000',
    ]) {
      expect([text, day(parseDay(text, 'fr'))]).toEqual([text, 'invalid']);
    }
    expect(day(parseDay('03/01/2026', 'fr'))).toEqual([2026, 1, 3, 0, 0]);
    expect(day(parseDay('31/01/2026', 'en'))).toBe('invalid');
  });
});
