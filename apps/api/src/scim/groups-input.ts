import { hasUnsafeText } from '../core/graphql/safe-text';
import { parseFilter, type FilterNode } from './filter';
import { SCIM_GROUP_SCHEMA, SCIM_PATCH_SCHEMA } from './schemas';
import { invalidSyntax, invalidValue, ScimError } from './scim-error';

/**
 * What a SCIM client asks of a Group (design §6, §7): a POST or PUT body as the desired team, a PATCH as
 * changes to its name, external id and members. Members are handled as sets of ids, never as the whole
 * list in memory: Okta's one-member change reads one member.
 */

/** The team name rules (the console's TeamName): trimmed, 1–80 characters, no control characters. */
export const TEAM_NAME_MAX = 80;
const EXTERNAL_ID_MAX = 255;
const MEMBERS_MAX = 10_000;
const OPERATIONS_MAX = 1000;
const CONTROL = /\p{Cc}/u;

const mutability = (detail: string) => new ScimError(400, 'mutability', detail);
const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);

export function teamName(value: unknown): string {
  if (typeof value !== 'string') throw invalidValue('displayName must be a string.');
  const name = value.trim();
  if (name.length < 1 || name.length > TEAM_NAME_MAX || CONTROL.test(name) || hasUnsafeText(name)) {
    throw invalidValue(`displayName must be 1 to ${TEAM_NAME_MAX} characters, without control characters.`);
  }
  return name;
}

/** An external id: exact text up to 255 characters; null (or empty) clears it. */
export function externalIdOf(value: unknown): string | null {
  if (value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > EXTERNAL_ID_MAX || CONTROL.test(value) || hasUnsafeText(value)) {
    throw invalidValue(`externalId must be a string of at most ${EXTERNAL_ID_MAX} characters, without control characters.`);
  }
  return value;
}

/** The ids of a `members` value: a list of `{ "value": id }` (one object is taken as a list of one). */
export function memberIdsOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'object' && value !== null ? [value] : null;
  if (!items) throw invalidValue('members must be a list of { "value": <user id> }.');
  if (items.length > MEMBERS_MAX) throw invalidValue(`members may list at most ${MEMBERS_MAX} people at once.`);
  return items.map((item) => {
    const id = typeof item === 'object' && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>)['value'] : undefined;
    if (typeof id !== 'string' || id.length > 100 || hasUnsafeText(id)) throw invalidValue('Each member must be { "value": <user id> }.');
    return id.trim().toLowerCase();
  });
}

const objectOf = (body: unknown, what: string): Record<string, unknown> => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidSyntax(`The body must be ${what}.`);
  return body as Record<string, unknown>;
};

/** A key of `object`, case-insensitive (RFC 7643 §2.1). */
function field(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

const hasSchema = (object: Record<string, unknown>, urn: string) => {
  const schemas = field(object, 'schemas');
  return Array.isArray(schemas) && schemas.some((s) => typeof s === 'string' && s.toLowerCase() === urn.toLowerCase());
};

/** A POST or PUT body: the whole team (a PUT's left-out `externalId` and `members` are cleared, RFC 7644 §3.5.1). */
export interface GroupBody {
  id?: unknown;
  displayName: string;
  externalId: string | null;
  members: string[];
}

export function groupBody(body: unknown): GroupBody {
  const b = objectOf(body, 'a Group');
  if (!hasSchema(b, SCIM_GROUP_SCHEMA)) throw invalidSyntax(`schemas must hold ${SCIM_GROUP_SCHEMA}.`);
  const members = field(b, 'members');
  return {
    id: field(b, 'id'),
    displayName: teamName(field(b, 'displayName')),
    externalId: externalIdOf(field(b, 'externalId') ?? null),
    members: members === undefined || members === null ? [] : memberIdsOf(members),
  };
}

/** A PATCH's effect: the new name and external id (when changed), and the members added, removed, or all replaced. */
export interface GroupPatch {
  displayName?: string;
  externalId?: string | null;
  /** Every current member goes first (a `replace` of members, or a `remove` without a value). */
  cleared: boolean;
  add: Set<string>;
  remove: Set<string>;
}

type Target =
  { kind: 'displayName' } | { kind: 'externalId' } | { kind: 'members'; only: string[] | null } | { kind: 'readOnly'; name: string };

const GROUP_URN_PREFIX = `${SCIM_GROUP_SCHEMA.toLowerCase()}:`;

/** The ids a `members[…]` filter names: `value eq "…"` comparisons, alone or joined by `or`. */
function memberFilterIds(tree: FilterNode): string[] {
  if (tree.kind === 'compare' && tree.field === 'member' && tree.op === 'eq') return [String(tree.value)];
  if (tree.kind === 'or') return tree.items.flatMap(memberFilterIds);
  if (tree.kind === 'const' && !tree.value) return [];
  throw invalidPath('A members filter may only name members by value eq "<id>" (joined by or).');
}

/** What a PATCH path names, folded to the schema's spelling (URN prefix accepted). */
function target(rawPath: string): Target {
  let path = rawPath.trim();
  if (path.toLowerCase().startsWith(GROUP_URN_PREFIX)) path = path.slice(GROUP_URN_PREFIX.length);
  const bracket = path.indexOf('[');
  if (bracket >= 0) {
    if (path.slice(0, bracket).toLowerCase() !== 'members' || !path.endsWith(']'))
      throw invalidPath(`Unsupported path: ${rawPath.slice(0, 100)}.`);
    return { kind: 'members', only: memberFilterIds(parseFilter('Group', path)) };
  }
  switch (path.toLowerCase()) {
    case 'displayname':
      return { kind: 'displayName' };
    case 'externalid':
      return { kind: 'externalId' };
    case 'members':
      return { kind: 'members', only: null };
    case 'id':
    case 'meta':
    case 'schemas':
      return { kind: 'readOnly', name: path };
    default:
      if (/^meta\./i.test(path)) return { kind: 'readOnly', name: path };
      throw invalidPath(`No attribute of a Group is at ${rawPath.slice(0, 100)}.`);
  }
}

/**
 * A PATCH body (RFC 7644 §3.5.2) as changes to a group whose id is `id`: ops in any case (`Replace`,
 * `Add`), with or without a path, `members[value eq "…"]` (Okta) or a `members` value list (Entra)
 * for removals. Applied in order, atomically by the caller.
 */
export function groupPatch(body: unknown, id: string): GroupPatch {
  const b = objectOf(body, 'a PatchOp');
  if (!hasSchema(b, SCIM_PATCH_SCHEMA)) throw invalidSyntax(`schemas must hold ${SCIM_PATCH_SCHEMA}.`);
  const operations = field(b, 'Operations');
  if (!Array.isArray(operations) || operations.length < 1 || operations.length > OPERATIONS_MAX) {
    throw invalidSyntax(`Operations must list 1 to ${OPERATIONS_MAX} operations.`);
  }
  const patch: GroupPatch = { cleared: false, add: new Set(), remove: new Set() };
  const addMembers = (ids: string[]) => ids.forEach((m) => (patch.remove.delete(m), patch.add.add(m)));
  const removeMembers = (ids: string[]) => ids.forEach((m) => (patch.add.delete(m), patch.remove.add(m)));
  const set = (op: string, t: Target, value: unknown) => {
    switch (t.kind) {
      case 'displayName':
        if (op === 'remove') throw invalidValue('displayName is required: it cannot be removed.');
        patch.displayName = teamName(value);
        return;
      case 'externalId':
        patch.externalId = op === 'remove' ? null : externalIdOf(value);
        return;
      case 'readOnly':
        if (t.name.toLowerCase() === 'id' && op !== 'remove' && typeof value === 'string' && value.toLowerCase() === id.toLowerCase())
          return;
        if (t.name.toLowerCase() === 'schemas' && op !== 'remove') return;
        throw mutability(`${t.name} is read-only.`);
      case 'members':
        if (op === 'remove') {
          if (t.only) return removeMembers(t.only);
          if (value === undefined || value === null) {
            patch.cleared = true;
            patch.add.clear();
            patch.remove.clear();
            return;
          }
          return removeMembers(memberIdsOf(value));
        }
        if (t.only) throw invalidPath('Add or replace members with path "members" and a list of values.');
        if (op === 'replace') {
          patch.cleared = true;
          patch.add = new Set(memberIdsOf(value ?? []));
          patch.remove.clear();
          return;
        }
        return addMembers(memberIdsOf(value));
    }
  };
  for (const raw of operations) {
    const operation = objectOf(raw, 'a list of operations');
    const opValue = field(operation, 'op');
    const op = typeof opValue === 'string' ? opValue.toLowerCase() : '';
    if (op !== 'add' && op !== 'replace' && op !== 'remove')
      throw invalidSyntax('Each operation\u2019s op must be add, replace or remove.');
    const path = field(operation, 'path');
    const value = field(operation, 'value');
    if (path !== undefined && path !== null && path !== '') {
      if (typeof path !== 'string' || path.length > 1000 || hasUnsafeText(path)) throw invalidPath('path must be text.');
      set(op, target(path), value);
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'A remove operation needs a path.');
    // No path: the value is an object of attributes (Okta's `{"id": …, "displayName": …}`, a members list).
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw invalidValue('Without a path, value must be an object of attributes.');
    for (const [key, v] of Object.entries(value)) {
      // Attributes of other schemas (URN keys) and unknown ones are not the team's: ignored, as in bodies.
      if (/^urn:/i.test(key) && !key.toLowerCase().startsWith(GROUP_URN_PREFIX)) continue;
      let t: Target;
      try {
        t = target(key);
      } catch (e) {
        if (e instanceof ScimError && e.scimType === 'invalidPath') continue;
        throw e;
      }
      set(op, t, v);
    }
  }
  return patch;
}

/** A weak ETag list of If-Match against the current version: false when it names none of it (`*` matches any). */
export function ifMatches(header: string | undefined, version: string): boolean {
  if (header === undefined) return true;
  const tags = header.split(',').map((t) => t.trim());
  return tags.some((t) => t === '*' || t.replace(/^W\//, '') === `"${version}"`);
}
