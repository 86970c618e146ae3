import { hasUnsafeText } from '../core/graphql/safe-text';
import { invalidSyntax, invalidValue } from './scim-error';
import { resolveAttribute, type ResourceKind, SCIM_LIST_SCHEMA, SCIM_MAX_RESULTS, SCIM_SEARCH_SCHEMA } from './schemas';

/**
 * A list request's parameters (RFC 7644 §3.4.2, §3.4.3), from a GET's query or a POST /.search body:
 * `filter`, `startIndex`/`count` paging, `sortBy`/`sortOrder`, `attributes`/`excludedAttributes`.
 */
export interface ListRequest {
  filter: string | null;
  /** 1-based; below 1 counts as 1. */
  startIndex: number;
  /** 0 to SCIM_MAX_RESULTS (more is clamped, less than 0 is 0). */
  count: number;
  sortBy: string | null;
  descending: boolean;
  attributes: string[] | null;
  excludedAttributes: string[] | null;
}

export const DEFAULT_COUNT = 100;
/** Beyond any organization's size: an OFFSET stays an int. */
const MAX_START_INDEX = 2 ** 31 - 1;
const MAX_TEXT = 2000;

/**
 * A query parameter given at most once, as text (a repeated one is refused, not guessed). A filter's
 * text is bounded by the filter's parser (its faults are `invalidFilter`).
 */
function single(query: Record<string, unknown>, name: string): string | null {
  const key = Object.keys(query).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : query[key];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw invalidValue(`${name} must be given once.`);
  if (name !== 'filter' && (value.length > MAX_TEXT || hasUnsafeText(value)))
    throw invalidValue(`${name} must be at most ${MAX_TEXT} characters of text.`);
  return value;
}

/** An integer parameter: text of digits (a huge one is clamped by the caller), or a JSON number in a body. */
function integer(name: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw invalidValue(`${name} must be an integer.`);
    return value;
  }
  if (typeof value !== 'string' || !/^\s*[-+]?\d+\s*$/.test(value)) throw invalidValue(`${name} must be an integer.`);
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function paging(startIndex: unknown, count: unknown): { startIndex: number; count: number } {
  const start = integer('startIndex', startIndex);
  const size = integer('count', count);
  return {
    startIndex: start === null || start < 1 ? 1 : Math.min(start, MAX_START_INDEX),
    count: size === null ? DEFAULT_COUNT : Math.max(0, Math.min(size, SCIM_MAX_RESULTS)),
  };
}

function sortOrder(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (v === 'ascending') return false;
    if (v === 'descending') return true;
  }
  throw invalidValue('sortOrder must be ascending or descending.');
}

const names = (text: string | null) =>
  text === null
    ? null
    : text
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);

/** The list parameters of a GET's query string. */
export function listFromQuery(query: Record<string, unknown>): ListRequest {
  const filter = single(query, 'filter');
  return {
    filter: filter === null || filter.trim() === '' ? null : filter,
    ...paging(single(query, 'startIndex'), single(query, 'count')),
    sortBy: single(query, 'sortBy'),
    descending: sortOrder(single(query, 'sortOrder')),
    attributes: names(single(query, 'attributes')),
    excludedAttributes: names(single(query, 'excludedAttributes')),
  };
}

/** The list parameters of a POST /.search body (RFC 7644 §3.4.3). */
export function listFromSearch(body: unknown): ListRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidSyntax('The body must be a SearchRequest object.');
  const b = body as Record<string, unknown>;
  const schemas = b['schemas'];
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_SEARCH_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`schemas must hold ${SCIM_SEARCH_SCHEMA}.`);
  }
  const text = (name: string): string | null => {
    const v = b[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw invalidValue(`${name} must be text.`);
    if (name !== 'filter' && (v.length > MAX_TEXT || hasUnsafeText(v)))
      throw invalidValue(`${name} must be at most ${MAX_TEXT} characters of text.`);
    return v;
  };
  const list = (name: string): string[] | null => {
    const v = b[name];
    if (v === undefined || v === null) return null;
    const items = typeof v === 'string' ? names(v) : v;
    if (!Array.isArray(items) || items.length > 200 || items.some((i) => typeof i !== 'string' || i.length > 300 || hasUnsafeText(i))) {
      throw invalidValue(`${name} must be a list of attribute names.`);
    }
    return (items as string[]).map((i) => i.trim()).filter(Boolean);
  };
  const filter = text('filter');
  return {
    filter: filter === null || filter.trim() === '' ? null : filter,
    ...paging(b['startIndex'], b['count']),
    sortBy: text('sortBy'),
    descending: sortOrder(b['sortOrder']),
    attributes: list('attributes'),
    excludedAttributes: list('excludedAttributes'),
  };
}

/** The sortable attribute `sortBy` names, as `sortable` maps its schema spelling; another one is `400 invalidValue`. */
export function sortField<T extends string>(kind: ResourceKind, sortBy: string | null, sortable: Record<string, T>, fallback: T): T {
  if (sortBy === null || sortBy.trim() === '') return fallback;
  const path = resolveAttribute(kind, sortBy.trim())?.path;
  const field = path === undefined ? undefined : sortable[path];
  if (field === undefined) throw invalidValue(`sortBy must be one of ${Object.keys(sortable).join(', ')}.`);
  return field;
}

/** A ListResponse (RFC 7644 §3.4.2). */
export function listResponse(total: number, startIndex: number, resources: unknown[]): Record<string, unknown> {
  return { schemas: [SCIM_LIST_SCHEMA], totalResults: total, itemsPerPage: resources.length, startIndex, Resources: resources };
}
