import { Injectable, inject, Provider } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { DateAdapter, MAT_DATE_FORMATS, MAT_NATIVE_DATE_FORMATS, MatDateFormats, NativeDateAdapter } from '@angular/material/core';
import { MatDatepickerIntl } from '@angular/material/datepicker';
import { TranslocoService } from '@jsverse/transloco';

type DayPart = 'day' | 'month' | 'year';

/** The order a language writes a date's numbers in: ['month', 'day', 'year'] in English, day first in French. */
export function dayOrder(locale: string): DayPart[] {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(2000, 10, 22))
    .map((p) => p.type)
    .filter((t): t is DayPart => t === 'day' || t === 'month' || t === 'year');
}

/** Local midnight of a day that exists (years 1 to 9999), else null. */
function existingDay(year: number, month: number, day: number): Date | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const date = new Date(2000, 0, 1);
  date.setFullYear(year, month - 1, day); // years below 100 are not 19xx
  return date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

/**
 * A day typed in a date field: as the language writes it (01/03/2026 is 1 March in French, 3 January in
 * English; "/", ".", "-" or spaces between the numbers; a two-digit year is 20xx), or as YYYY-MM-DD in any
 * language. Null when empty; an invalid Date for anything else (the field then says so).
 */
export function parseDay(text: string, locale: string): Date | null {
  const value = text.trim();
  if (!value) return null;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (iso) return existingDay(Number(iso[1]), Number(iso[2]), Number(iso[3])) ?? new Date(NaN);
  const parts = value.split(/[\s./-]+/);
  const order = dayOrder(locale);
  if (parts.length !== 3 || order.length !== 3 || !parts.every((p) => /^\d{1,4}$/.test(p))) return new Date(NaN);
  const field = (type: DayPart) => parts[order.indexOf(type)];
  const year = field('year');
  if (year.length !== 2 && year.length !== 4) return new Date(NaN);
  if (field('day').length > 2 || field('month').length > 2) return new Date(NaN);
  return existingDay((year.length === 2 ? 2000 : 0) + Number(year), Number(field('month')), Number(field('day'))) ?? new Date(NaN);
}

/**
 * Material's native date adapter in the console's language (its locale follows Transloco's active
 * language), reading typed dates as that language writes them.
 */
@Injectable()
export class ConsoleDateAdapter extends NativeDateAdapter {
  constructor() {
    super();
    inject(TranslocoService)
      .langChanges$.pipe(takeUntilDestroyed())
      .subscribe((lang) => this.setLocale(lang));
  }

  override parse(value: unknown, parseFormat?: unknown): Date | null {
    if (typeof value === 'string') return parseDay(value, this.locale as string);
    return super.parse(value, parseFormat);
  }
}

/** Dates in fields as two-digit day and month with the full year (01/03/2026, 03/01/2026). */
export const CONSOLE_DATE_FORMATS: MatDateFormats = {
  ...MAT_NATIVE_DATE_FORMATS,
  display: { ...MAT_NATIVE_DATE_FORMATS.display, dateInput: { year: 'numeric', month: '2-digit', day: '2-digit' } },
};

/** The datepicker's own words (buttons, calendar) in the console's language. */
@Injectable()
export class ConsoleDatepickerIntl extends MatDatepickerIntl {
  private readonly transloco = inject(TranslocoService);

  constructor() {
    super();
    this.transloco
      .selectTranslation()
      .pipe(takeUntilDestroyed())
      .subscribe(() => {
        const t = (key: string) => this.transloco.translate(`datepicker.${key}`);
        this.calendarLabel = t('calendar');
        this.openCalendarLabel = t('openCalendar');
        this.closeCalendarLabel = t('closeCalendar');
        this.prevMonthLabel = t('prevMonth');
        this.nextMonthLabel = t('nextMonth');
        this.prevYearLabel = t('prevYear');
        this.nextYearLabel = t('nextYear');
        this.prevMultiYearLabel = t('prevMultiYear');
        this.nextMultiYearLabel = t('nextMultiYear');
        this.switchToMonthViewLabel = t('switchToMonthView');
        this.switchToMultiYearViewLabel = t('switchToMultiYearView');
        this.changes.next();
      });
  }

  override formatYearRangeLabel(start: string, end: string): string {
    return this.transloco.translate('datepicker.yearRange', { start, end });
  }
}

/**
 * Material datepickers that speak the console's language: calendar, typed and shown dates, and labels
 * follow Transloco's active language (Chromium's own date input follows the browser's locale instead).
 */
export function provideConsoleDates(): Provider[] {
  return [
    { provide: DateAdapter, useClass: ConsoleDateAdapter },
    { provide: MAT_DATE_FORMATS, useValue: CONSOLE_DATE_FORMATS },
    { provide: MatDatepickerIntl, useClass: ConsoleDatepickerIntl },
  ];
}
