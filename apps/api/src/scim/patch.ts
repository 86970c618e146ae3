import { filter as tester, parse, stringify, type Filter } from 'scim2-parse-filter';
import { InvalidScimRemoveValue, scimPatch, ScimError as PatchLibraryError, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { invalidSyntax, invalidValue, ScimError } from './scim-error';
import { resolveAttribute, SCIM_PATCH_SCHEMA, type ResourceKind, type ScimAttribute } from './schemas';
import type { DesiredMember } from '../users/provisioning.service';
import { assertSafe, emailsEntry, isObject, pick, userInput } from './user-input';

/**
 * RFC 7644 §3.5.2 PATCH (design §6): the body checked, each operation normalised to what `scim-patch`
 * applies correctly (lower-case `op`, paths folded to the schema's spelling, booleans typed in value
 * filters, path-less values split into one operation per attribute), operations on attributes Roster does
 * not store dropped, on read-only ones refused, then the library applied to the resource read under the
 * lock. Wrapping the library here keeps its behaviours (patch.spec.ts) in one place.
 */

/** One operation as Roster applies it: `op` lower-case, `path` in the schema's spelling. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
  /** The path's attribute as the schema names it (`emails`, `name`, `active`…). */
  attribute: string;
  /** The sub-attribute the path ends with, if any (`value` of `emails[type eq "work"].value`). */
  sub?: string;
  /** The value filter of the path, if any (its text, as the library parses it). */
  filter?: string;
}

export const MAX_OPERATIONS = 1000;
const MAX_PATH = 2000;
const MAX_FILTER_DEPTH = 10;
const MAX_FILTER_COMPARISONS = 50;

const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);
const noTarget = (detail: string) => new ScimError(400, 'noTarget', detail);
const mutability = (detail: string) => new ScimError(400, 'mutability', detail);

/**
 * The operations of a PATCH body for a resource of `kind` whose id is `id`, normalised (design §6, 1–3).
 * `schemas` must hold the PatchOp URN and `Operations` 1–1,000 entries (`invalidSyntax`).
 */
export function patchOperations(kind: ResourceKind, id: string, body: unknown): PatchOperation[] {
  if (!isObject(body)) throw invalidSyntax('The body must be a JSON object (a PatchOp).');
  assertSafe(body, '');
  const schemas = pick(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_PATCH_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`schemas must list ${SCIM_PATCH_SCHEMA}.`);
  }
  const operations = pick(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0 || operations.length > MAX_OPERATIONS) {
    throw invalidSyntax(`Operations must list 1 to ${MAX_OPERATIONS} operations.`);
  }
  return operations.flatMap((raw, i) => normalise(kind, id, raw, i));
}

function normalise(kind: ResourceKind, id: string, raw: unknown, index: number): PatchOperation[] {
  const at = `Operations[${index}]`;
  if (!isObject(raw)) throw invalidSyntax(`${at} must be an object.`);
  const opText = pick(raw, 'op');
  const op = typeof opText === 'string' ? opText.toLowerCase() : '';
  if (op !== 'add' && op !== 'replace' && op !== 'remove') throw invalidSyntax(`${at}.op must be add, replace or remove.`);
  const path = pick(raw, 'path');
  const hasValue = Object.keys(raw).some((k) => k.toLowerCase() === 'value');
  const value = pick(raw, 'value');
  if (path !== undefined && path !== null && typeof path !== 'string') throw invalidPath(`${at}.path must be a string.`);
  if (path === undefined || path === null || path === '') {
    if (op === 'remove') throw noTarget(`${at}: remove needs a path.`);
    if (!isObject(value)) throw invalidSyntax(`${at}: without a path, value must be an object of attributes.`);
    // A path-less value is a set of attributes: one operation each, through the same rules as a path.
    return Object.entries(value).flatMap(([key, v]) => pathless(kind, id, op, key, v, at));
  }
  if (op !== 'remove' && !hasValue) throw invalidSyntax(`${at}: ${op} needs a value.`);
  const one = withPath(kind, op, path, value, at);
  return one ? [one] : [];
}

/** One attribute of a path-less value: `id` repeating the resource's own is dropped (Okta sends it), `schemas` too. */
function pathless(kind: ResourceKind, id: string, op: 'add' | 'replace', key: string, value: unknown, at: string): PatchOperation[] {
  const lower = key.toLowerCase();
  if (lower === 'schemas') return [];
  if (lower === 'id') {
    if (value === id) return [];
    throw mutability('id cannot change.');
  }
  if (/^urn:/i.test(key) && !resolveAttribute(kind, key)) {
    // An extension object (`"urn:…:enterprise:2.0:User": {…}`) or another schema's attribute: as in a body, not Roster's.
    return [];
  }
  const one = withPath(kind, op, key, value, at);
  return one ? [one] : [];
}

/** The path `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub` (URN-prefixed or not), folded; null when dropped. */
function withPath(kind: ResourceKind, op: PatchOperation['op'], path: string, value: unknown, at: string): PatchOperation | null {
  if (path.length > MAX_PATH) throw invalidPath(`${at}.path is too long.`);
  const m = /^([^[\]]+?)(?:\[(.*)\](?:\.([^[\].]+))?)?$/s.exec(path.trim());
  if (!m) throw invalidPath(`${at}.path "${path.slice(0, 100)}" is not a SCIM path.`);
  const [, attrText, filterText, subText] = m;
  const resolved = resolveAttribute(kind, attrText);
  if (!resolved) throw invalidPath(`${at}.path names no attribute of the ${kind} schemas: "${path.slice(0, 100)}".`);
  const top = resolved.parent ?? resolved.attribute;
  const filtered = filterText !== undefined;
  if (filtered && (resolved.parent || !top.multiValued || top.type !== 'complex')) {
    throw invalidPath(`${at}.path filters ${resolved.path}, which is not a multi-valued complex attribute.`);
  }
  const filter = filtered ? valueFilter(top, filterText, at) : undefined;
  let sub: ScimAttribute | undefined = resolved.parent ? resolved.attribute : undefined;
  if (subText !== undefined) {
    sub = top.subAttributes?.find((a) => a.name.toLowerCase() === subText.toLowerCase());
    if (!sub) throw invalidPath(`${at}.path: ${top.name} has no sub-attribute "${subText.slice(0, 100)}".`);
  }
  // What Roster does not keep is accepted and dropped, and so is a computed part of a writable attribute
  // (`name.formatted`, which Entra ID sends); a read-only attribute (`id`, `meta`, `groups`) is refused.
  if (!top.stored || (sub && !sub.stored)) return null;
  if (top.mutability === 'readOnly') throw mutability(`${top.name} is read-only.`);
  if (sub?.mutability === 'readOnly') return null;
  const canonical = `${top.name}${filter !== undefined ? `[${filter}]` : ''}${sub ? `.${sub.name}` : ''}`;
  return {
    op,
    path: canonical,
    ...(op === 'remove' && value === undefined ? {} : { value: foldValue(sub ?? top, value, filtered && !sub) }),
    attribute: top.name,
    ...(sub ? { sub: sub.name } : {}),
    ...(filter !== undefined ? { filter } : {}),
  };
}

/**
 * A complex value's keys in the schema's spelling (`{"GivenName": …}` → `givenName`), so that the library
 * merges it into the attribute instead of adding a second spelling; `item`: one entry of a multi-valued
 * attribute (a filtered path without a sub-attribute). Unknown keys stay as sent (the validation ignores them).
 */
function foldValue(attribute: ScimAttribute, value: unknown, item: boolean): unknown {
  if (attribute.type !== 'complex') return value;
  const foldObject = (v: unknown) =>
    isObject(v)
      ? Object.fromEntries(
          Object.entries(v).map(([k, x]) => [attribute.subAttributes?.find((a) => a.name.toLowerCase() === k.toLowerCase())?.name ?? k, x]),
        )
      : v;
  if (attribute.multiValued && !item) return Array.isArray(value) ? value.map(foldObject) : foldObject(value);
  return foldObject(value);
}

/**
 * A value filter (`type eq "work"`, `primary eq "True"`): parsed (unquoted values and other syntax errors:
 * `invalidFilter`, RFC 7644 §3.12), bounded, its attribute names folded to the sub-attributes' spelling and
 * boolean literals typed (`"True"` → `true`), so that the library's tester matches them. Returns the text.
 */
function valueFilter(attribute: ScimAttribute, text: string, at: string): string {
  let depth = 0;
  let deepest = 0;
  for (const c of text) {
    if (c === '(') deepest = Math.max(deepest, ++depth);
    else if (c === ')') depth--;
    else if (c === '[') throw invalidFilter(`${at}: value filters do not nest.`);
  }
  if (deepest > MAX_FILTER_DEPTH) throw invalidFilter(`${at}: the filter nests too deeply.`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch {
    throw invalidFilter(`${at}: the filter "${text.slice(0, 100)}" does not parse (values are quoted: type eq "work").`);
  }
  let comparisons = 0;
  const fold = (f: Filter): Filter => {
    switch (f.op) {
      case 'and':
      case 'or':
        return { ...f, filters: f.filters.map(fold) };
      case 'not':
        return { ...f, filter: fold(f.filter) };
      case '[]':
        throw invalidFilter(`${at}: value filters do not nest.`);
      default: {
        if (++comparisons > MAX_FILTER_COMPARISONS) throw invalidFilter(`${at}: the filter has too many comparisons.`);
        const name = f.attrPath.replace(new RegExp(`^${attribute.name}\\.`, 'i'), '');
        const sub = attribute.subAttributes?.find((a) => a.name.toLowerCase() === name.toLowerCase());
        if (!sub) throw invalidFilter(`${at}: ${attribute.name} has no sub-attribute "${f.attrPath.slice(0, 100)}".`);
        if (f.op === 'pr') return { ...f, attrPath: sub.name };
        let compValue = f.compValue;
        if (sub.type === 'boolean' && typeof compValue === 'string' && /^(true|false)$/i.test(compValue)) {
          compValue = compValue.toLowerCase() === 'true';
        }
        return { ...f, attrPath: sub.name, compValue };
      }
    }
  };
  return stringify(fold(ast));
}

/**
 * The operations applied to `resource` (a copy): the library's errors become SCIM's 400 with their
 * `scimType` (`noTarget`, `invalidPath`, `invalidValue`), never a 500. All or nothing: the caller writes
 * only the result.
 */
export function applyPatch<T extends object>(resource: T, operations: PatchOperation[]): T {
  const ops = operations.map(({ op, path, value }) => ({ op, path, ...(value === undefined ? {} : { value }) })) as ScimPatchOperation[];
  try {
    return scimPatch(resource as unknown as ScimResource, ops, { mutateDocument: false, treatMissingAsAdd: true }) as unknown as T;
  } catch (e) {
    if (e instanceof PatchLibraryError) {
      const type = e.scimCode === 'noTarget' ? 'noTarget' : e instanceof InvalidScimRemoveValue ? 'invalidValue' : 'invalidPath';
      throw new ScimError(400, type, e.message);
    }
    if (e instanceof ScimError) throw e;
    // The library met a shape it does not handle (a value of the wrong type where it navigates): the value is at fault.
    throw invalidValue(`The operations cannot be applied: ${e instanceof Error ? e.message.slice(0, 200) : 'malformed value'}.`);
  }
}

/**
 * What a User PATCH says of the login email and the role, which the representation holds as lists
 * (design §6.5): the last email an operation supplied through `userName` or the login entry of `emails`
 * (the two set to different addresses: `invalidValue`), and the last role one supplied through `roles` — a
 * person holds one, so `add` on roles replaces it, and removing it means the organization's default role.
 * An operation whose value filter does not select the current entry (`emails[type eq "home"]`) says nothing
 * of them.
 */
export interface UserPatchIntent {
  email?: string;
  role?: { ref: string } | 'default';
}

export function userPatchIntent(operations: PatchOperation[], current: { userName: string; roles?: unknown }): UserPatchIntent {
  let userName: string | undefined;
  let emails: string | undefined;
  let role: UserPatchIntent['role'];
  const loginEntry = { value: current.userName, type: 'work', primary: true };
  const roleEntry = (Array.isArray(current.roles) && isObject(current.roles[0]) ? current.roles[0] : {}) as Record<string, unknown>;
  const selects = (o: PatchOperation, entry: object) => o.filter === undefined || tester(parse(o.filter))(entry);
  const email = (v: unknown, what: string) => {
    if (typeof v !== 'string') throw invalidValue(`${what} must be an email address.`);
    return v.trim().toLowerCase();
  };
  for (const o of operations) {
    if (o.attribute === 'userName' && o.op !== 'remove') userName = email(o.value, 'userName');
    if (o.attribute === 'emails' && o.op !== 'remove' && selects(o, loginEntry)) {
      if (o.sub === 'value') emails = email(o.value, 'emails.value');
      else if (!o.sub) {
        const list = (Array.isArray(o.value) ? o.value : [o.value]).filter(isObject);
        // Added entries count when they say they are the login email; a replacement list, as a body's does.
        const login = o.op === 'add' ? list.filter((e) => isLogin(e)) : list;
        const found = emailsEntry(login);
        if (found !== undefined) emails = found;
      }
    }
    if (o.attribute === 'roles' && selects(o, roleEntry)) {
      if (o.op === 'remove') role = 'default';
      else if (o.sub === 'value' || o.sub === 'display') {
        if (typeof o.value !== 'string' || !o.value.trim()) throw invalidValue('roles must name a role by its key or name.');
        role = { ref: o.value };
      } else if (!o.sub) {
        const list = (Array.isArray(o.value) ? o.value : [o.value]).filter(isObject);
        if (list.length === 0) role = 'default';
        else {
          const last = list[list.length - 1];
          const ref = [pick(last, 'value'), pick(last, 'display')].find((v): v is string => typeof v === 'string' && v.trim() !== '');
          if (!ref) throw invalidValue('roles must name a role by its key or name (value).');
          role = { ref };
        }
      }
    }
  }
  if (userName !== undefined && emails !== undefined && userName !== emails) {
    throw invalidValue('userName and the primary (or work) email must be the same address.');
  }
  const login = userName ?? emails;
  return { ...(login !== undefined ? { email: login } : {}), ...(role !== undefined ? { role } : {}) };
}

/** An `emails` entry that says it is the login email: primary, or of type work. */
function isLogin(entry: Record<string, unknown>): boolean {
  const primary = pick(entry, 'primary');
  const type = pick(entry, 'type');
  return (
    primary === true ||
    (typeof primary === 'string' && primary.toLowerCase() === 'true') ||
    (typeof type === 'string' && type.toLowerCase() === 'work')
  );
}

/**
 * The member a User PATCH asks for (design §6.4–5): the operations applied to `current` (the representation
 * read under the lock), then read like a PUT body, keeping only what differs from `current` read the same
 * way (a computed `displayName` is not stored by a PATCH of something else). The login email and the role
 * come from the operations (`userPatchIntent`).
 */
export function desiredFromPatch(current: Record<string, unknown>, operations: PatchOperation[]): DesiredMember {
  if (operations.some((o) => o.attribute === 'userName' && o.op === 'remove'))
    throw invalidValue('userName is required: it cannot be removed.');
  const intent = userPatchIntent(operations, current as { userName: string; roles?: unknown });
  const login = intent.email ?? (current['userName'] as string);
  const patched: Record<string, unknown> = { ...applyPatch(current, operations), userName: login };
  patched['emails'] = [{ value: login, type: 'work', primary: true }];
  delete patched['roles'];
  const after = userInput(patched).desired;
  const withoutRoles: Record<string, unknown> = { ...current };
  delete withoutRoles['roles'];
  const before = userInput(withoutRoles).desired;
  const desired: DesiredMember = { email: after.email };
  for (const key of ['firstName', 'lastName', 'displayName', 'externalId', 'active'] as const) {
    if (after[key] !== before[key]) (desired as unknown as Record<string, unknown>)[key] = after[key];
  }
  if (intent.role !== undefined) desired.role = intent.role;
  return desired;
}
