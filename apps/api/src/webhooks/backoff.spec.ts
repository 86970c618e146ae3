import { retryAfterMs, retryDelayMs } from './backoff';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('webhook retry delay', () => {
  const base = 30_000;

  it('doubles from the base after each failure, within ±20 %', () => {
    for (let k = 1; k <= 11; k++) {
      const low = retryDelayMs({ attempts: k, baseMs: base, remainingMs: DAY, status: 500, random: () => 0 });
      const high = retryDelayMs({ attempts: k, baseMs: base, remainingMs: DAY, status: 500, random: () => 0.999999 });
      const mid = retryDelayMs({ attempts: k, baseMs: base, remainingMs: DAY, status: 500, random: () => 0.5 });
      const nominal = base * 2 ** (k - 1);
      expect(mid).toBe(Math.min(nominal, DAY));
      expect(low).toBe(Math.min(Math.round(nominal * 0.8), DAY));
      expect(high).toBeLessThanOrEqual(Math.min(nominal * 1.2, DAY));
      expect(high).toBeGreaterThan(Math.min(nominal * 1.19, DAY - 1));
    }
    // With Math.random: always within the bounds.
    for (let i = 0; i < 1000; i++) {
      const d = retryDelayMs({ attempts: 3, baseMs: 100, remainingMs: DAY, status: null }) as number;
      expect(d).toBeGreaterThanOrEqual(320);
      expect(d).toBeLessThanOrEqual(480);
    }
  });

  it('makes the last attempt at retry_until, then gives up', () => {
    // The default base reaches about 17 h in 11 retries; the twelfth would fall past the window.
    let elapsed = 0;
    let k = 0;
    for (;;) {
      k++;
      const d = retryDelayMs({ attempts: k, baseMs: base, remainingMs: DAY - elapsed, status: 500, random: () => 0.5 });
      if (d === null) break;
      elapsed += d;
    }
    expect(elapsed).toBe(DAY);
    expect(k).toBe(13); // 11 retries by the schedule, the last at retry_until, then none
    expect(retryDelayMs({ attempts: 5, baseMs: base, remainingMs: 1_000, status: 500, random: () => 0.5 })).toBe(1_000);
    expect(retryDelayMs({ attempts: 1, baseMs: base, remainingMs: 0, status: 500 })).toBeNull();
    expect(retryDelayMs({ attempts: 1, baseMs: base, remainingMs: -5, status: 500 })).toBeNull();
  });

  it('honours Retry-After on 429 and 503: never sooner than the backoff, never more than an hour', () => {
    const at = (status: number, retryAfter: string | string[] | null) =>
      retryDelayMs({ attempts: 1, baseMs: 100, remainingMs: DAY, status, retryAfter, random: () => 0.5, now: 0 });
    expect(at(429, '2')).toBe(2_000);
    expect(at(503, '2')).toBe(2_000);
    expect(at(429, '0')).toBe(100);
    expect(at(429, '100000')).toBe(HOUR);
    expect(at(429, new Date(90_000).toUTCString())).toBe(90_000);
    // Other statuses do not read it; a malformed value is ignored.
    expect(at(500, '2')).toBe(100);
    expect(at(200, '2')).toBe(100);
    for (const bad of ['-1', '1.5', 'soon', '2 ', ['2', '3'], '', 'Sun, 06 Nov 1994 08:49:37', '99999999999'])
      expect({ bad, delay: at(429, bad) }).toEqual({ bad, delay: bad === '2 ' ? 2_000 : 100 });
    // Still cut at retry_until.
    expect(retryDelayMs({ attempts: 1, baseMs: 100, remainingMs: 500, status: 429, retryAfter: '60' })).toBe(500);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('Sunday, 06-Dec-26 12:01:00 GMT', now)).toBeNull();
  });
});
