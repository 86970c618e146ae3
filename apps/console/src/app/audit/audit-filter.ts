/** The audit log screen's filters as typed, and what the API and the export take from them. */
export interface AuditFilterForm {
  actor: string;
  target: string;
  action: string | null;
  /** Days as YYYY-MM-DD (or empty), as the URL keeps them. */
  fromDate: string;
  toDate: string;
}

export interface AuditFilterVars {
  actor: string | null;
  target: string | null;
  action: string | null;
  /** Instants: the start of `fromDate` and the end of `toDate` (the start of the next day), in the viewer's time zone. */
  from: string | null;
  to: string | null;
}

export const EMPTY_FILTER: AuditFilterForm = { actor: '', target: '', action: null, fromDate: '', toDate: '' };

/** Local midnight of a YYYY-MM-DD day, `plusDays` later, as an ISO instant (null when empty or not a date). */
export function localDayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  date.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays); // years below 100 are not 19xx
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A datepicker's day (local midnight) as YYYY-MM-DD; empty when none or not a date. */
export function dayOf(date: Date | null): string {
  if (!date || Number.isNaN(date.getTime())) return '';
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1, 2)}-${pad(date.getDate(), 2)}`;
}

/** A YYYY-MM-DD day as the datepicker takes it (local midnight); null when empty or not a day. */
export function dateOf(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const date = new Date(2000, 0, 1);
  date.setFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayOf(date) === day ? date : null;
}

/** The API's filter: trimmed text, whole days in the viewer's time zone, both dates included. */
export function filterVars(form: AuditFilterForm): AuditFilterVars {
  return {
    actor: form.actor.trim() || null,
    target: form.target.trim() || null,
    action: form.action || null,
    from: localDayStart(form.fromDate),
    to: localDayStart(form.toDate, 1),
  };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filter as the page's URL keeps it (`?actor=…&action=…&from=2026-03-01&to=…`): a link shows the same events. */
export function filterParams(form: AuditFilterForm): Record<string, string> {
  const params: Record<string, string> = {};
  if (form.actor.trim()) params['actor'] = form.actor.trim();
  if (form.target.trim()) params['target'] = form.target.trim();
  if (form.action) params['action'] = form.action;
  if (DAY.test(form.fromDate)) params['from'] = form.fromDate;
  if (DAY.test(form.toDate)) params['to'] = form.toDate;
  return params;
}

/** The fields from the page's URL (anything unexpected is left out). */
export function filterFromParams(get: (name: string) => string | null): AuditFilterForm {
  const day = (value: string | null) => (value && dateOf(value) ? value : '');
  return {
    actor: get('actor')?.slice(0, 254) ?? '',
    target: get('target')?.slice(0, 254) ?? '',
    action: get('action')?.slice(0, 64) || null,
    fromDate: day(get('from')),
    toDate: day(get('to')),
  };
}

/** The export's query string for the same filter. */
export function exportQuery(vars: AuditFilterVars): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(vars)) if (value) params.set(key, value);
  return params.toString();
}

export interface DetailEntry {
  key: string;
  value: string;
}

/** The API token an event was made with (`token` in its details), and whether through SCIM (`via: 'scim'`). */
export interface ActingToken {
  id: string;
  name: string | null;
  scim: boolean;
}

/** Details the page shows in words rather than as recorded: the acting token and the SCIM door. */
const SHOWN_IN_WORDS = ['token', 'via'];

function parseObject(details: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(details);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The API token that made the event, from its details; null for an event made otherwise (or details of another shape). */
export function actingToken(details: string): ActingToken | null {
  const parsed = parseObject(details);
  const token = parsed?.['token'];
  if (!token || typeof token !== 'object' || Array.isArray(token)) return null;
  const { id, name } = token as Record<string, unknown>;
  if (typeof id !== 'string') return null;
  return { id, name: typeof name === 'string' && name ? name : null, scim: parsed?.['via'] === 'scim' };
}

/**
 * An event's details (a JSON object) as key/value pairs; nested values as indented JSON. The acting
 * token and `via: 'scim'` are left out when `actingToken` reads them (the page says them in words).
 */
export function detailEntries(details: string): DetailEntry[] {
  const token = actingToken(details);
  if (token) {
    const parsed = parseObject(details) ?? {};
    const rest = Object.fromEntries(
      Object.entries(parsed).filter(([key, value]) => !SHOWN_IN_WORDS.includes(key) || (key === 'via' && value !== 'scim')),
    );
    return plainEntries(JSON.stringify(rest));
  }
  return plainEntries(details);
}

function plainEntries(details: string): DetailEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [{ key: '', value: details }];
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [{ key: '', value: JSON.stringify(parsed, null, 2) }];
  return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({
    key,
    value: value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value, null, 2),
  }));
}
