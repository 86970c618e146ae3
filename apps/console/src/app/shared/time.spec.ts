import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { TranslocoService, TranslocoTestingModule } from '@jsverse/transloco';
import { exactTime, ExactTimePipe, isPast, relativeTime, RelativeTimePipe } from './time';

const NOW = new Date(2026, 2, 10, 12, 0, 0).getTime();
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();
const later = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();
/** Intl puts narrow or no-break spaces in some formats: compare as plain spaces. */
const plain = (text: string) => text.replace(/[\u202f\u00a0]/g, ' ');

describe('relativeTime', () => {
  it('says how long ago, in the largest whole unit', () => {
    expect(relativeTime(ago(0), 'en', NOW)).toBe('now');
    expect(relativeTime(ago(45), 'en', NOW)).toBe('45 seconds ago');
    expect(relativeTime(ago(60), 'en', NOW)).toBe('1 minute ago');
    expect(relativeTime(ago(2 * 3600), 'en', NOW)).toBe('2 hours ago');
    expect(relativeTime(ago(24 * 3600), 'en', NOW)).toBe('yesterday');
    expect(relativeTime(ago(3 * 24 * 3600), 'en', NOW)).toBe('3 days ago');
    expect(relativeTime(ago(400 * 24 * 3600), 'en', NOW)).toBe('last year');
  });

  it('says how long until, and speaks French', () => {
    expect(relativeTime(later(7 * 24 * 3600), 'en', NOW)).toBe('in 7 days');
    expect(relativeTime(ago(2 * 3600), 'fr', NOW)).toBe('il y a 2 heures');
    expect(relativeTime(later(7 * 24 * 3600), 'fr', NOW)).toBe('dans 7 jours');
    expect(relativeTime(ago(24 * 3600), 'fr', NOW)).toBe('hier');
  });
});

describe('exactTime', () => {
  it('writes the local date and time as each language does', () => {
    const iso = new Date(2026, 2, 1, 14, 5, 9).toISOString();
    expect(plain(exactTime(iso, 'en'))).toBe('March 1, 2026 at 2:05:09 PM');
    expect(plain(exactTime(iso, 'fr'))).toBe('1 mars 2026 à 14:05:09');
  });
});

describe('isPast', () => {
  it('is true once the moment has gone by', () => {
    expect(isPast(ago(1), NOW)).toBe(true);
    expect(isPast(later(1), NOW)).toBe(false);
  });
});

@Component({
  selector: 'ro-time-test',
  imports: [RelativeTimePipe, ExactTimePipe],
  template: '<span class="relative">{{ at | relativeTime }}</span><span class="exact">{{ at | exactTime }}</span>',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class TimeTest {
  at = new Date(Date.now() - 3 * 24 * 3600 * 1000 - 60_000).toISOString();
}

describe('time pipes', () => {
  it('show times in the console’s language and follow it when it changes', async () => {
    TestBed.configureTestingModule({
      imports: [
        TimeTest,
        TranslocoTestingModule.forRoot({ langs: { en: {}, fr: {} }, translocoConfig: { defaultLang: 'en', availableLangs: ['en', 'fr'] } }),
      ],
    });
    const fixture = TestBed.createComponent(TimeTest);
    await fixture.whenStable();
    const text = (selector: string) => plain((fixture.nativeElement as HTMLElement).querySelector(selector)?.textContent ?? '');
    expect(text('.relative')).toBe('3 days ago');
    expect(text('.exact')).toBe(plain(exactTime(fixture.componentInstance.at, 'en')));

    TestBed.inject(TranslocoService).setActiveLang('fr');
    await fixture.whenStable();
    expect(text('.relative')).toBe('il y a 3 jours');
    expect(text('.exact')).toBe(plain(exactTime(fixture.componentInstance.at, 'fr')));
  });
});
