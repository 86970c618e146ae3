import { isUsableEmail } from '../core/graphql/usable-email';
import { hasUnsafeText } from '../core/graphql/safe-text';
import type { DesiredMember } from '../users/provisioning.service';
import { invalidSyntax, invalidValue } from './scim-error';
import { COMMON_ATTRIBUTES, SCHEMAS, SCIM_ENTERPRISE_SCHEMA, SCIM_USER_SCHEMA, type ScimAttribute } from './schemas';

/** A User body as provisioning wants it: the desired member, and the `id` the body names (if any). */
export interface UserInput {
  desired: DesiredMember;
  id?: string;
}

const NAME_MAX = 100;
const DISPLAY_NAME_MAX = 200;
const EXTERNAL_ID_MAX = 255;
const CONTROL = /\p{Cc}/u;

const USER_ATTRIBUTES = [...COMMON_ATTRIBUTES, ...(SCHEMAS.find((s) => s.id === SCIM_USER_SCHEMA)?.attributes ?? [])];
const ENTERPRISE_ATTRIBUTES = SCHEMAS.find((s) => s.id === SCIM_ENTERPRISE_SCHEMA)?.attributes ?? [];

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A User body (POST, PUT, or the result of a PATCH) → the member it asks for (design §5, input rules),
 * as RFC 7644 §3.5.1 reads a replacement: names left out are cleared (''), `displayName` and `externalId`
 * too (null); `active` and `roles` left out stay as they are (`undefined`). Attribute names are
 * case-insensitive. Every attribute of the advertised schemas must have its type, stored or not; what
 * Roster does not store (the enterprise extension, other schema URNs, `password`, `groups`, `meta`, …) is
 * then ignored. A mistyped or malformed value, NUL or a lone surrogate anywhere: 400 `invalidValue`;
 * `schemas` without the core User URN: 400 `invalidSyntax`.
 */
export function userInput(body: unknown): UserInput {
  if (!isObject(body)) throw invalidSyntax('The body must be a JSON object (a User).');
  assertSafe(body, '');
  const schemas = pick(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCIM_USER_SCHEMA.toLowerCase())) {
    throw invalidSyntax(`schemas must list ${SCIM_USER_SCHEMA}.`);
  }
  for (const [key, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    if (/^urn:/i.test(key)) {
      // An extension: the enterprise one's attributes are typed; any other schema's are not Roster's to judge.
      if (key.toLowerCase() === SCIM_ENTERPRISE_SCHEMA.toLowerCase()) {
        if (!isObject(value)) throw invalidValue(`${key} must be an object.`);
        checkAttributes(value, ENTERPRISE_ATTRIBUTES, `${key}:`);
      }
      continue;
    }
    const attribute = USER_ATTRIBUTES.find((a) => a.name.toLowerCase() === key.toLowerCase());
    if (attribute) checkType(value, attribute, attribute.name);
  }
  const email = loginEmail(body);
  const name = pick(body, 'name') as Json | undefined;
  const desired: DesiredMember = {
    email,
    firstName: personName(name && pick(name, 'givenName'), 'name.givenName'),
    lastName: personName(name && pick(name, 'familyName'), 'name.familyName'),
    displayName: text(pick(body, 'displayName'), 'displayName', DISPLAY_NAME_MAX, true),
    externalId: text(pick(body, 'externalId'), 'externalId', EXTERNAL_ID_MAX, false),
  };
  const active = activeValue(pick(body, 'active'));
  if (active !== undefined) desired.active = active;
  const role = roleOf(pick(body, 'roles'));
  if (role !== undefined) desired.role = role;
  const id = pick(body, 'id');
  return typeof id === 'string' ? { desired, id } : { desired };
}

/**
 * `active` as identity providers send it: a boolean, or the strings "true" and "false" in any case
 * (Entra ID's "False"); null or absent: undefined.
 */
export function activeValue(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalidValue('active must be true or false.');
}

/** The value of a key of `object`, named case-insensitively (two spellings of one key: `invalidValue`). */
export function pick(object: Json, name: string): unknown {
  const keys = Object.keys(object).filter((k) => k.toLowerCase() === name.toLowerCase());
  if (keys.length > 1) throw invalidValue(`${name} is given twice (${keys.join(', ')}).`);
  return keys.length ? object[keys[0]] : undefined;
}

/** NUL and lone surrogates are refused anywhere in a body, keys included (PostgreSQL cannot hold them). */
export function assertSafe(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (hasUnsafeText(value)) throw invalidValue(`${path || 'A value'} holds a character that is not allowed.`);
  } else if (Array.isArray(value)) {
    value.forEach((v) => assertSafe(v, path));
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (hasUnsafeText(k)) throw invalidValue('An attribute name holds a character that is not allowed.');
      assertSafe(v, path ? `${path}.${k}` : k);
    }
  }
}

/** Each known attribute of `object` checked against its type (unknown ones are ignored). */
function checkAttributes(object: Json, attributes: readonly ScimAttribute[], prefix: string): void {
  for (const [key, value] of Object.entries(object)) {
    const attribute = attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    if (attribute && value !== null && value !== undefined) checkType(value, attribute, `${prefix}${attribute.name}`);
  }
}

/** A value of an attribute: its type (RFC 7643 §2.3), one or many. `active` is read by `activeValue`. */
function checkType(value: unknown, attribute: ScimAttribute, path: string): void {
  if (attribute.mutability === 'readOnly') return; // ignored whatever it holds (groups, meta, id)
  if (attribute.multiValued) {
    if (!Array.isArray(value)) throw invalidValue(`${path} must be a list.`);
    for (const item of value) if (item !== null) checkOne(item, attribute, path);
    return;
  }
  checkOne(value, attribute, path);
}

function checkOne(value: unknown, attribute: ScimAttribute, path: string): void {
  const fail = (what: string) => invalidValue(`${path} must be ${what}.`);
  switch (attribute.type) {
    case 'complex':
      if (!isObject(value)) throw fail('an object');
      checkAttributes(value, attribute.subAttributes ?? [], `${path}.`);
      return;
    case 'boolean':
      if (attribute.name === 'active') return void activeValue(value);
      if (typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))) return;
      throw fail('true or false');
    case 'integer':
      if (!Number.isInteger(value)) throw fail('an integer');
      return;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('a number');
      return;
    default:
      // string, dateTime, reference, binary: text.
      if (typeof value !== 'string') throw fail('a string');
  }
}

/**
 * The login email: `userName` (required, an email), and the primary entry of `emails` (else the work
 * one, else the only one), which must be the same address; the primary and work entries must agree.
 */
function loginEmail(body: Json): string {
  const userName = pick(body, 'userName');
  if (userName === undefined || userName === null) throw invalidValue('userName is required.');
  const email = normalisedEmail(userName, 'userName');
  const fromEmails = emailsEntry(pick(body, 'emails'));
  if (fromEmails !== undefined && fromEmails !== email) {
    throw invalidValue('userName and the primary (or work) email must be the same address.');
  }
  return email;
}

/** The email `emails` names as the login email (undefined when the list names none). */
export function emailsEntry(emails: unknown): string | undefined {
  if (emails === undefined || emails === null) return undefined;
  const entries = (emails as unknown[]).filter(isObject);
  const valueOf = (e: Json) => {
    const v = pick(e, 'value');
    return v === undefined || v === null ? undefined : normalisedEmail(v, 'emails.value');
  };
  const primary = entries.filter((e) => isTrue(pick(e, 'primary')));
  if (primary.length > 1) throw invalidValue('emails has more than one primary entry.');
  const work = entries.filter((e) => typeof pick(e, 'type') === 'string' && (pick(e, 'type') as string).toLowerCase() === 'work');
  const primaryValue = primary[0] && valueOf(primary[0]);
  const workValues = [...new Set(work.map(valueOf).filter((v) => v !== undefined))];
  if (workValues.length > 1) throw invalidValue('emails has more than one work address.');
  if (primaryValue !== undefined && workValues.length && workValues[0] !== primaryValue) {
    throw invalidValue('The primary and the work email must be the same address.');
  }
  if (primaryValue !== undefined) return primaryValue;
  if (workValues.length) return workValues[0];
  return entries.length === 1 ? valueOf(entries[0]) : undefined;
}

const isTrue = (v: unknown) => v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');

function normalisedEmail(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalidValue(`${path} must be an email address.`);
  const email = value.trim().toLowerCase();
  if (!isUsableEmail(email)) throw invalidValue(`${path} must be an email address.`);
  return email;
}

/** A given or family name: trimmed, at most 100 characters, no control characters; left out: ''. */
function personName(value: unknown, path: string): string {
  if (value === undefined || value === null) return '';
  const name = (value as string).trim();
  if (name.length > NAME_MAX) throw invalidValue(`${path} is longer than ${NAME_MAX} characters.`);
  if (CONTROL.test(name)) throw invalidValue(`${path} holds a control character.`);
  return name;
}

/** `displayName`, `externalId`: bounded text, null when left out or empty (`trim`: a display name is trimmed; an id is exact). */
function text(value: unknown, path: string, max: number, trim: boolean): string | null {
  if (value === undefined || value === null) return null;
  const s = trim ? (value as string).trim() : (value as string);
  if (s.length > max) throw invalidValue(`${path} is longer than ${max} characters.`);
  if (CONTROL.test(s)) throw invalidValue(`${path} holds a control character.`);
  return s === '' ? null : s;
}

/**
 * The role `roles` names: the primary entry, else the only one (several without a primary:
 * `invalidValue`), by its `value`, else its `display`. An empty list: the organization's default role.
 * Absent: undefined (the role stays).
 */
export function roleOf(roles: unknown): DesiredMember['role'] {
  if (roles === undefined || roles === null) return undefined;
  const entries = (roles as unknown[]).filter(isObject);
  if (entries.length === 0) return 'default';
  const primary = entries.filter((e) => isTrue(pick(e, 'primary')));
  if (primary.length > 1) throw invalidValue('roles has more than one primary entry: a person holds one role.');
  if (primary.length === 0 && entries.length > 1)
    throw invalidValue('roles names several roles and none is primary: a person holds one role.');
  const entry = primary[0] ?? entries[0];
  const ref = [pick(entry, 'value'), pick(entry, 'display')].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!ref) throw invalidValue('roles must name a role by its key or name (value).');
  return { ref };
}
