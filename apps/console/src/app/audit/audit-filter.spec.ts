import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AUDIT_ACTION_NAMES } from '@roster/contracts/audit-actions';
import { actionKey } from '../shared/audit-action';
import {
  actingToken,
  dateOf,
  dayOf,
  detailEntries,
  EMPTY_FILTER,
  exportQuery,
  filterFromParams,
  filterParams,
  filterVars,
  localDayStart,
} from './audit-filter';

describe('audit filter', () => {
  it('turns whole days into a half-open range in the local time zone, both dates included', () => {
    const vars = filterVars({ ...EMPTY_FILTER, fromDate: '2026-03-01', toDate: '2026-03-31' });
    expect(vars.from).toBe(new Date(2026, 2, 1).toISOString());
    expect(vars.to).toBe(new Date(2026, 3, 1).toISOString());
    expect(localDayStart('2026-12-31', 1)).toBe(new Date(2027, 0, 1).toISOString());
    expect(localDayStart('0050-06-01')).toBe(new Date(new Date(0, 5, 1).setFullYear(50, 5, 1)).toISOString());
    expect(localDayStart('')).toBeNull();
    expect(localDayStart('31/12/2026')).toBeNull();
  });

  it('trims text, leaves empty filters out, and builds the export query from the same values', () => {
    const vars = filterVars({ actor: '  Ada@Example.com ', target: ' ', action: 'user.deleted', fromDate: '', toDate: '' });
    expect(vars).toEqual({ actor: 'Ada@Example.com', target: null, action: 'user.deleted', from: null, to: null });
    expect(exportQuery(vars)).toBe('actor=Ada%40Example.com&action=user.deleted');
    expect(exportQuery(filterVars(EMPTY_FILTER))).toBe('');
  });

  it('keeps the filter in the URL and reads it back, leaving out what is not a filter', () => {
    const form = { actor: ' ada@example.com', target: '', action: 'user.deleted', fromDate: '2026-03-01', toDate: '' };
    const params = filterParams(form);
    expect(params).toEqual({ actor: 'ada@example.com', action: 'user.deleted', from: '2026-03-01' });
    expect(filterFromParams((name) => params[name] ?? null)).toEqual({ ...form, actor: 'ada@example.com' });
    const odd: Record<string, string> = { from: 'yesterday', to: '2026-3-1', action: '', target: 'x'.repeat(300) };
    expect(filterFromParams((name) => odd[name] ?? null)).toEqual({ ...EMPTY_FILTER, target: 'x'.repeat(254) });
  });

  it('hands the datepicker local days and takes them back as YYYY-MM-DD; impossible days in a link are left out', () => {
    expect(dateOf('2026-03-01')).toEqual(new Date(2026, 2, 1));
    expect(dayOf(new Date(2026, 2, 1))).toBe('2026-03-01');
    expect(dayOf(new Date(2026, 11, 31, 23, 59))).toBe('2026-12-31');
    expect(dayOf(dateOf('0050-06-01'))).toBe('0050-06-01');
    expect(dayOf(null)).toBe('');
    expect(dayOf(new Date(NaN))).toBe('');
    expect(dateOf('2026-02-30')).toBeNull();
    expect(dateOf('')).toBeNull();
    expect(filterFromParams((name) => ({ from: '2026-02-30', to: '2026-02-28' })[name] ?? null)).toEqual({
      ...EMPTY_FILTER,
      toDate: '2026-02-28',
    });
  });

  it('shows details as key/value pairs, nested values as JSON', () => {
    expect(detailEntries('{"role":"Admin","teams":["a"],"n":2,"gone":null}')).toEqual([
      { key: 'role', value: 'Admin' },
      { key: 'teams', value: '[\n  "a"\n]' },
      { key: 'n', value: '2' },
      { key: 'gone', value: '—' },
    ]);
    expect(detailEntries('{}')).toEqual([]);
    expect(detailEntries('[1]')).toEqual([{ key: '', value: '[\n  1\n]' }]);
    expect(detailEntries('not json')).toEqual([{ key: '', value: 'not json' }]);
  });

  it('says which API token made an event, and whether through SCIM, instead of listing them as recorded', () => {
    const scim = JSON.stringify({ role: 'Member', via: 'scim', token: { id: 't1', name: 'Okta' }, externalId: '00u1' });
    expect(actingToken(scim)).toEqual({ id: 't1', name: 'Okta', scim: true });
    expect(detailEntries(scim)).toEqual([
      { key: 'role', value: 'Member' },
      { key: 'externalId', value: '00u1' },
    ]);
    // A token's write through GraphQL; a token without a name (null is recorded when none is known).
    expect(actingToken('{"token":{"id":"t2","name":null}}')).toEqual({ id: 't2', name: null, scim: false });
    expect(detailEntries('{"token":{"id":"t2","name":null}}')).toEqual([]);
    // Not a token's event, or a `token` of another shape: shown as recorded.
    expect(actingToken('{"teamId":"x"}')).toBeNull();
    expect(actingToken('{"token":"rst_…"}')).toBeNull();
    expect(actingToken('not json')).toBeNull();
    expect(detailEntries('{"token":"abc","via":"scim"}')).toEqual([
      { key: 'token', value: 'abc' },
      { key: 'via', value: 'scim' },
    ]);
  });

  it('names every action of the catalogue in both languages', () => {
    for (const lang of ['en', 'fr']) {
      const tree = JSON.parse(readFileSync(join(__dirname, '../../../public/i18n', `${lang}.json`), 'utf8'));
      const missing = AUDIT_ACTION_NAMES.filter((a) => {
        const key = actionKey(a) ?? '';
        return typeof key.split('.').reduce((node, k) => node?.[k], tree) !== 'string';
      });
      expect([lang, missing]).toEqual([lang, []]);
    }
    expect(actionKey('something.new')).toBeNull();
  });

  it('finds in the catalogue every action the API records', () => {
    const api = join(__dirname, '../../../../api/src');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
      });
    const recorded = new Set<string>();
    for (const file of files(api)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/audit\.record\(\s*[^,]+,\s*[^,]+,\s*'([a-z0-9_.]+)'/g)) recorded.add(m[1]);
    }
    expect(recorded.size).toBeGreaterThan(20);
    expect([...recorded].filter((a) => !(AUDIT_ACTION_NAMES as readonly string[]).includes(a)).sort()).toEqual([]);
  });
});
