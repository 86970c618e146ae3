import { RESOURCE_SCHEMAS, resolveAttribute, type ResourceKind } from './schemas';

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.9): which attributes an answer holds. Names are
 * case-insensitive, with or without their schema's URN; unknown ones are ignored; `id` and `schemas`
 * are always returned (`returned: always`).
 */
export interface Projection {
  /** Only these paths (schema spelling: `userName`, `name.givenName`), or null for the default set. */
  include: Set<string> | null;
  exclude: Set<string>;
}

const ALWAYS = new Set(['id', 'schemas']);

function paths(kind: ResourceKind, names: string[] | null): Set<string> | null {
  if (names === null) return null;
  const found = new Set<string>();
  for (const name of names) {
    const resolved = resolveAttribute(kind, name);
    // Extension attributes are never stored, so never in an answer: nothing to select.
    if (resolved && resolved.schema !== null && resolved.schema !== RESOURCE_SCHEMAS[kind][0].id) continue;
    if (resolved) found.add(resolved.path);
  }
  return found;
}

export function projection(kind: ResourceKind, attributes: string[] | null, excludedAttributes: string[] | null): Projection {
  return {
    include: attributes === null ? null : (paths(kind, attributes) ?? new Set()),
    exclude: paths(kind, excludedAttributes) ?? new Set(),
  };
}

/** Whether the answer holds (part of) the top-level attribute `name`: so that what is not returned is not read. */
export function returns(p: Projection, name: string): boolean {
  if (ALWAYS.has(name)) return true;
  if (p.exclude.has(name)) return false;
  if (p.include === null) return true;
  return [...p.include].some((path) => path === name || path.startsWith(`${name}.`));
}

/** The resource as the projection shapes it (a new object; `resource` is left as it is). */
export function project(resource: Record<string, unknown>, p: Projection): Record<string, unknown> {
  if (p.include === null && p.exclude.size === 0) return resource;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resource)) {
    if (ALWAYS.has(name)) {
      out[name] = value;
      continue;
    }
    if (p.exclude.has(name)) continue;
    const wholly = p.include === null || p.include.has(name);
    const subs =
      p.include === null ? [] : [...p.include].filter((path) => path.startsWith(`${name}.`)).map((path) => path.slice(name.length + 1));
    if (!wholly && subs.length === 0) continue;
    const excludedSubs = [...p.exclude].filter((path) => path.startsWith(`${name}.`)).map((path) => path.slice(name.length + 1));
    const keep = (sub: string) => (wholly || subs.includes(sub)) && !excludedSubs.includes(sub);
    const shape = (v: unknown): unknown => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      return Object.fromEntries(Object.entries(v).filter(([sub]) => keep(sub)));
    };
    if (wholly && excludedSubs.length === 0) out[name] = value;
    else if (Array.isArray(value)) out[name] = value.map(shape);
    else if (typeof value === 'object' && value !== null) out[name] = shape(value);
    else if (wholly) out[name] = value;
  }
  return out;
}
