import { inject, Injectable, Pipe, PipeTransform } from '@angular/core';
import { injectLang } from '../core/i18n';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const exactFormats = new Map<string, Intl.DateTimeFormat>();

function once<T>(cache: Map<string, T>, lang: string, make: () => T): T {
  let format = cache.get(lang);
  if (!format) cache.set(lang, (format = make()));
  return format;
}

/** "3 days ago", "in 7 days", "il y a 2 heures"... */
export function relativeTime(iso: string, lang: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = once(relativeFormats, lang, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}

/** The exact local date and time ("March 1, 2026 at 2:05:09 PM", "1 mars 2026 à 14:05:09"). */
export function exactTime(iso: string, lang: string): string {
  return once(exactFormats, lang, () => new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'medium' })).format(new Date(iso));
}

/** Whether a moment has passed (an invitation, a link or a token has expired). */
export function isPast(iso: string, now = Date.now()): boolean {
  return new Date(iso).getTime() < now;
}

/** Times in the console's language, following it when it changes. */
@Injectable({ providedIn: 'root' })
export class TimeFormat {
  readonly lang = injectLang();

  relative(iso: string): string {
    return relativeTime(iso, this.lang());
  }

  exact(iso: string): string {
    return exactTime(iso, this.lang());
  }
}

/**
 * `{{ iso | relativeTime }}`: "3 days ago" in the console's language. Impure, so that the text follows
 * the language and the clock whenever the view is checked.
 */
@Pipe({ name: 'relativeTime', pure: false })
export class RelativeTimePipe implements PipeTransform {
  private readonly time = inject(TimeFormat);

  transform(iso: string): string {
    return this.time.relative(iso);
  }
}

/** `{{ iso | exactTime }}`: the exact local date and time in the console's language (a tooltip, an audit row). */
@Pipe({ name: 'exactTime', pure: false })
export class ExactTimePipe implements PipeTransform {
  private readonly time = inject(TimeFormat);

  transform(iso: string): string {
    return this.time.exact(iso);
  }
}
