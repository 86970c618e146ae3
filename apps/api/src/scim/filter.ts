import { parse, type Filter } from 'scim2-parse-filter';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { invalidFilter } from './scim-error';
import { resolveAttribute, type ResolvedAttribute, type ResourceKind, type ScimAttribute } from './schemas';

/**
 * SCIM filters (RFC 7644 §3.4.2.2) → a small tree that names Roster's fields, not columns; the owners of
 * the tables compile it to SQL (users/members-filter.ts, teams/teams-filter.ts). Here: the text is bounded
 * before the parser sees it, parsed by `scim2-parse-filter`, each attribute folded to its schema's
 * spelling (URN prefixes accepted), each comparison checked against the attribute's type, and what Roster
 * does not keep folded to constants (an attribute it does not store is absent: `pr` and comparisons are
 * false, `ne` true).
 */

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/** How a field compares: case-insensitive text (lower-cased here), exact text, a boolean, an instant, an id. */
export type FieldType = 'text' | 'exact' | 'boolean' | 'dateTime' | 'id';

export type FilterNode =
  | { kind: 'const'; value: boolean }
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'not'; item: FilterNode }
  /** The field has a value (not null, not empty). */
  | { kind: 'present'; field: string; type: FieldType }
  /** `value`: lower-cased for `text` fields, an ISO instant for `dateTime`, as sent otherwise. */
  | { kind: 'compare'; field: string; type: FieldType; op: CompareOp; value: string | boolean };

/** A filterable attribute: its Roster field and how it compares. */
interface FieldSpec {
  field: string;
  type: FieldType;
}

/**
 * The Users' filterable attributes (design §4). `userName` and the email's value are the login email;
 * `roles.value` and `roles.display` both name a role by key or name.
 */
const USER_FIELDS: Record<string, FieldSpec> = {
  id: { field: 'id', type: 'id' },
  externalId: { field: 'externalId', type: 'exact' },
  userName: { field: 'email', type: 'text' },
  'emails.value': { field: 'email', type: 'text' },
  active: { field: 'active', type: 'boolean' },
  'meta.created': { field: 'created', type: 'dateTime' },
  'meta.lastModified': { field: 'lastModified', type: 'dateTime' },
  'name.givenName': { field: 'givenName', type: 'text' },
  'name.familyName': { field: 'familyName', type: 'text' },
  'name.formatted': { field: 'formatted', type: 'text' },
  displayName: { field: 'displayName', type: 'text' },
  'roles.value': { field: 'role', type: 'text' },
  'roles.display': { field: 'role', type: 'text' },
  'groups.value': { field: 'group', type: 'id' },
};

const GROUP_FIELDS: Record<string, FieldSpec> = {
  id: { field: 'id', type: 'id' },
  externalId: { field: 'externalId', type: 'exact' },
  displayName: { field: 'displayName', type: 'text' },
  'meta.created': { field: 'created', type: 'dateTime' },
  'meta.lastModified': { field: 'lastModified', type: 'dateTime' },
  'members.value': { field: 'member', type: 'id' },
};

/** Attributes with the same value on every resource of a kind: every user has one primary work email, one primary role. */
const CONSTANTS: Record<ResourceKind, Record<string, string | boolean>> = {
  User: { 'emails.type': 'work', 'emails.primary': true, 'roles.primary': true, 'meta.resourceType': 'User' },
  Group: { 'members.type': 'User', 'meta.resourceType': 'Group' },
};

const FIELDS: Record<ResourceKind, Record<string, FieldSpec>> = { User: USER_FIELDS, Group: GROUP_FIELDS };

/** Limits checked before parsing (the parser recurses: 20,000 parentheses overflow its stack). */
export const MAX_FILTER_LENGTH = 2000;
export const MAX_FILTER_DEPTH = 10;
export const MAX_FILTER_COMPARISONS = 50;

const OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
/** RFC 3339 date-time (seconds optional, fraction optional, an offset or Z). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The deepest nesting of `(` and `[` outside quoted values. */
function nesting(text: string): number {
  let depth = 0;
  let max = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '[') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']') depth--;
  }
  return max;
}

function comparisons(f: Filter): number {
  switch (f.op) {
    case 'and':
    case 'or':
      return f.filters.reduce((n, g) => n + comparisons(g), 0);
    case 'not':
      return comparisons(f.filter);
    case '[]':
      return comparisons(f.valFilter);
    default:
      return 1;
  }
}

/** Parses a filter's text into the tree of `kind`'s fields; any fault is `400 invalidFilter`. */
export function parseFilter(kind: ResourceKind, text: string): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`);
  if (hasUnsafeText(text)) throw invalidFilter('The filter holds characters that are not text.');
  if (nesting(text) > MAX_FILTER_DEPTH) throw invalidFilter(`The filter nests more than ${MAX_FILTER_DEPTH} levels deep.`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    throw invalidFilter(`The filter does not parse (values must be quoted strings, true, false, null or numbers): ${reason.slice(0, 200)}`);
  }
  if (comparisons(ast) > MAX_FILTER_COMPARISONS) throw invalidFilter(`The filter has more than ${MAX_FILTER_COMPARISONS} comparisons.`);
  return simplify(fold(kind, ast, null));
}

/** The tree of one node of the parser's AST; `parent`: the multi-valued attribute of an enclosing value path. */
function fold(kind: ResourceKind, f: Filter, parent: ResolvedAttribute | null): FilterNode {
  switch (f.op) {
    case 'and':
    case 'or':
      return { kind: f.op, items: f.filters.map((g) => fold(kind, g, parent)) };
    case 'not':
      return { kind: 'not', item: fold(kind, f.filter, parent) };
    case '[]': {
      if (parent) throw invalidFilter('Value paths may not nest (RFC 7644 §3.4.2.2).');
      const attribute = resolve(kind, f.attrPath, null);
      if (attribute.attribute.type !== 'complex' || attribute.parent) {
        throw invalidFilter(`${attribute.path} is not a complex attribute: it has no value path.`);
      }
      return fold(kind, f.valFilter, attribute);
    }
    case 'pr':
      return present(kind, resolve(kind, f.attrPath, parent));
    default:
      if (!OPS.has(f.op)) throw invalidFilter(`Unknown operator ${f.op}.`);
      return compare(kind, resolve(kind, f.attrPath, parent), f.op, f.compValue);
  }
}

/** The attribute a path names (inside a value path: a sub-attribute of it); unknown → invalidFilter. */
function resolve(kind: ResourceKind, path: string, parent: ResolvedAttribute | null): ResolvedAttribute {
  const full = parent ? `${parent.schema && !/^urn:/i.test(path) ? `${parent.schema}:` : ''}${parent.path}.${path}` : path;
  const found = parent && /^urn:/i.test(path) ? null : resolveAttribute(kind, full);
  if (!found) throw invalidFilter(`Unknown attribute: ${path.slice(0, 100)}.`);
  return found;
}

/** A complex attribute compared or tested as a whole stands for its `value` sub-attribute (RFC 7644 §3.4.2.2: `emails co "x"`). */
function leaf(a: ResolvedAttribute): ResolvedAttribute | null {
  if (a.attribute.type !== 'complex') return a;
  const value = a.attribute.subAttributes?.find((s) => s.name === 'value');
  return value ? { schema: a.schema, path: `${a.path}.value`, attribute: value, parent: a.attribute } : null;
}

const stored = (a: ResolvedAttribute) => a.attribute.stored && (a.parent?.stored ?? true);

function present(kind: ResourceKind, resolved: ResolvedAttribute): FilterNode {
  const a = leaf(resolved);
  if (!a) {
    // A complex attribute without a value: `name` is there when the formatted name is, `meta` always.
    if (kind === 'User' && resolved.path === 'name') return { kind: 'present', field: 'formatted', type: 'text' };
    return { kind: 'const', value: stored(resolved) };
  }
  if (!stored(a)) return { kind: 'const', value: false };
  if (a.path in CONSTANTS[kind]) return { kind: 'const', value: true };
  const spec = FIELDS[kind][a.path];
  if (!spec) throw invalidFilter(`${a.path} cannot be filtered on here.`);
  return { kind: 'present', field: spec.field, type: spec.type };
}

/** Whether an operator applies to an attribute of this type (RFC 7644 §3.4.2.2). */
function checkType(attribute: ScimAttribute, path: string, op: CompareOp, value: unknown): void {
  const refuse: (why: string) => never = (why) => {
    throw invalidFilter(`${path} ${op}: ${why}`);
  };
  switch (attribute.type) {
    case 'boolean':
      if (op !== 'eq' && op !== 'ne') refuse('a boolean is compared with eq or ne only.');
      if (typeof value !== 'boolean') refuse('the value must be true or false.');
      return;
    case 'dateTime':
      if (op === 'co' || op === 'sw' || op === 'ew') refuse('a date and time is compared with eq, ne, gt, ge, lt or le.');
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        refuse('the value must be an RFC 3339 date and time in quotes, such as "2026-01-31T12:00:00Z".');
      }
      return;
    case 'integer':
    case 'decimal':
      if (op === 'co' || op === 'sw' || op === 'ew') refuse('a number is compared with eq, ne, gt, ge, lt or le.');
      if (typeof value !== 'number') refuse('the value must be a number.');
      return;
    case 'binary':
      if (op !== 'eq' && op !== 'ne') refuse('binary values are compared with eq or ne only.');
      if (typeof value !== 'string') refuse('the value must be a quoted string.');
      return;
    default:
      if (typeof value !== 'string') refuse('the value must be a quoted string.');
      if (hasUnsafeText(value)) refuse('the value holds characters that are not text.');
  }
}

/** Compares two texts as RFC 7644 says for `op` (already lower-cased for case-insensitive attributes). */
function textMatches(op: CompareOp, actual: string, wanted: string): boolean {
  switch (op) {
    case 'eq':
      return actual === wanted;
    case 'ne':
      return actual !== wanted;
    case 'co':
      return actual.includes(wanted);
    case 'sw':
      return actual.startsWith(wanted);
    case 'ew':
      return actual.endsWith(wanted);
    case 'gt':
      return actual > wanted;
    case 'ge':
      return actual >= wanted;
    case 'lt':
      return actual < wanted;
    case 'le':
      return actual <= wanted;
  }
}

function compare(kind: ResourceKind, resolved: ResolvedAttribute, op: CompareOp, value: unknown): FilterNode {
  const a = leaf(resolved);
  if (!a) throw invalidFilter(`${resolved.path} is a complex attribute: compare one of its sub-attributes.`);
  // `eq null` / `ne null`: whether the attribute has no value / has one.
  if (value === null && (op === 'eq' || op === 'ne')) {
    const has = present(kind, a);
    return op === 'eq' ? { kind: 'not', item: has } : has;
  }
  checkType(a.attribute, a.path, op, value);
  if (!stored(a)) return { kind: 'const', value: op === 'ne' };
  const constant = CONSTANTS[kind][a.path];
  if (constant !== undefined) {
    if (typeof constant === 'boolean') return { kind: 'const', value: (constant === value) === (op === 'eq') };
    return { kind: 'const', value: textMatches(op, constant.toLowerCase(), String(value).toLowerCase()) };
  }
  const spec = FIELDS[kind][a.path];
  if (!spec) throw invalidFilter(`${a.path} cannot be filtered on here.`);
  let v = value as string | boolean;
  if (spec.type === 'text') v = String(value).trim().toLowerCase();
  else if (spec.type === 'dateTime') v = new Date(String(value)).toISOString();
  else if (spec.type === 'id') v = String(value).toLowerCase();
  return { kind: 'compare', field: spec.field, type: spec.type, op, value: v };
}

/** Folds constants through `and`, `or` and `not`, and flattens nested `and`s and `or`s. */
export function simplify(node: FilterNode): FilterNode {
  switch (node.kind) {
    case 'not': {
      const item = simplify(node.item);
      if (item.kind === 'const') return { kind: 'const', value: !item.value };
      if (item.kind === 'not') return item.item;
      return { kind: 'not', item };
    }
    case 'and':
    case 'or': {
      const absorbing = node.kind === 'or';
      const items: FilterNode[] = [];
      for (const child of node.items.map(simplify)) {
        if (child.kind === 'const') {
          if (child.value === absorbing) return child;
          continue;
        }
        if (child.kind === node.kind) items.push(...child.items);
        else items.push(child);
      }
      if (items.length === 0) return { kind: 'const', value: !absorbing };
      return items.length === 1 ? items[0] : { kind: node.kind, items };
    }
    default:
      return node;
  }
}
