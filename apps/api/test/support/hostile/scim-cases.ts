import fc from 'fast-check';
import { COMMON_ATTRIBUTES, RESOURCE_SCHEMAS, type ScimAttribute } from '../../../src/scim/schemas';
import { FALLBACK_ID, HttpCase, Pools, Ref, RefKind, resolve, Who } from './cases';
import { hostileString, INT_EDGES, LONG_STRINGS, organizationHeader, safeEncode, wrongShape } from './generators';

/**
 * The hostile-input cases of SCIM (/scim/v2, design §11.4), generated with fast-check: every route with filters from a
 * grammar of hostile tokens (NUL, lone surrogates, 10k-character values, deep nesting, unknown URNs, unquoted and
 * mistyped values), JSON bodies with wrong types at every attribute (enumerated once for each attribute of each schema,
 * then at random), duplicate keys, huge arrays, a body of 1 MiB + 1 byte, wrong content types, malformed ids and
 * If-Match; as the A Admin's token (`bearer`), B's (`bearerB`), anonymously and with A's admin session (`admin`, a cookie:
 * refused). Ids are references to live data (A's and B's people and teams, now and then the other organization's),
 * resolved before sending: `scimToHttp` makes the HttpCase the suite sends.
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
const MAX_PAYLOAD = 1_048_576;

/** A part of a path or of a filter's text: text as is, or a reference to live data (resolved, then percent-encoded in a path). */
type Part = string | Ref;

/** A SCIM request before its references are resolved. */
export interface ScimCase {
  who: Who;
  /** The route it aims at (`PATCH /Users/:id`), or the protocol case's name. */
  route: string;
  method: string;
  /** After /scim/v2: its parts joined (references percent-encoded). */
  path: Part[];
  /** The query string's parts (no `?`), encoded already but for references. */
  query?: Part[];
  /** JSON (references resolved, then serialised) or raw bytes. */
  body?: { json: unknown } | { raw: string | Uint8Array };
  /** The Content-Type of a body (null: none); application/scim+json when undefined. */
  contentType?: string | null;
  headers?: Record<string, string>;
  organizationHeader?: unknown;
}

/** A reference that stays inside a filter's quotes: only its own text (ids, emails). */
const refText = (r: Ref, pools: Pools) => String(resolve(r, pools, 'EMAIL'));

/** The HttpCase of a SCIM case, its references resolved against the caller's organization's data. */
export function scimToHttp(c: ScimCase, pools: Pools): HttpCase {
  const join = (parts: Part[], encode: boolean) =>
    parts.map((p) => (p instanceof Ref ? (encode ? safeEncode(refText(p, pools)) : refText(p, pools)) : p)).join('');
  const query = c.query ? join(c.query, true) : '';
  let body: string | Uint8Array | undefined;
  if (c.body && 'json' in c.body) body = JSON.stringify(resolveDeep(c.body.json, pools));
  else if (c.body) body = c.body.raw;
  const headers: Record<string, string> = { ...(c.headers ?? {}) };
  if (body !== undefined && c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/scim+json';
  return {
    type: 'http',
    who: c.who,
    label: `SCIM ${c.route}`,
    method: c.method,
    path: `/scim/v2${join(c.path, true)}${query ? `?${query}` : ''}`,
    headers,
    body,
    // A cookie's request as the console's scripts send it (the CSRF header too): still not a SCIM caller.
    csrf: true,
    organizationHeader: c.organizationHeader,
  };
}

/** JSON with references resolved, and filter texts (arrays of parts marked `$filter`) joined. */
function resolveDeep(value: unknown, pools: Pools): unknown {
  if (value instanceof Ref) return resolve(value, pools, 'EMAIL');
  if (value instanceof FilterText) return value.parts.map((p) => (p instanceof Ref ? refText(p, pools) : p)).join('');
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, pools));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolveDeep(v, pools)]));
  return value;
}

/** A filter's text in a body (a .search's filter, a PATCH path). */
class FilterText {
  constructor(readonly parts: Part[]) {}
}

// ---------------------------------------------------------------------------------------------
// Callers, ids

/** Tokens mostly (SCIM is theirs); anonymous and A's admin session (a cookie) are refused on every route. */
const who = fc.constantFrom<Who>('bearer', 'bearer', 'bearer', 'bearer', 'bearerB', 'bearerB', 'bearerB', 'anonymous', 'admin');

const ref = (kind: RefKind) =>
  fc
    .tuple(
      fc.nat(1000),
      fc.constantFrom<'plain' | 'upper' | 'padded' | 'foreign'>('plain', 'plain', 'plain', 'upper', 'padded', 'foreign', 'foreign'),
    )
    .map(([i, v]) => new Ref(kind, i, v));

const MALFORMED_IDS = [
  FALLBACK_ID,
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '0b7f1c3e9d2a4e658f102c3d4e5f6a7b',
  '{0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b}',
  `${FALLBACK_ID}x`,
  '%00',
  '%ED%A0%80',
  '%E0%A4%A',
  '%',
  '%25',
  '..%2f..%2fpackage.json',
  '.search',
  '1',
  '-1',
  "'%20OR%20'1'%3D'1",
  'x'.repeat(10_000),
  '%F0%9F%98%80',
  'null',
  '__proto__',
];

/** An id in a path: a person or team of either organization (as is, upper-cased, padded), an email, garbage. */
const idPart: fc.Arbitrary<Part> = fc.oneof(
  { arbitrary: fc.nat(1000).map((i) => new Ref('user', i)), weight: 25 },
  { arbitrary: ref('user'), weight: 20 },
  { arbitrary: ref('team'), weight: 15 },
  { arbitrary: ref('invited'), weight: 8 },
  { arbitrary: ref('email'), weight: 5 },
  { arbitrary: fc.constantFrom(...MALFORMED_IDS), weight: 30 },
  { arbitrary: hostileString.map(safeEncode), weight: 12 },
);

const IF_MATCH = [
  'W/"1"',
  '*',
  '"x"',
  'W/"99999999999999999999999"',
  'W/""',
  'W/"-1"',
  'garbage',
  'W/"1", W/"2"',
  'x'.repeat(5000),
  'W/"1e3"',
  '',
];
const ifMatch = fc.option(fc.constantFrom(...IF_MATCH), { nil: undefined, freq: 3 });

// ---------------------------------------------------------------------------------------------
// Filters: a grammar with hostile tokens

const ATTRIBUTE_PATHS = [
  'userName',
  'UserName',
  'USERNAME',
  'id',
  'externalId',
  'active',
  'displayName',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'emails.value',
  'emails.type',
  'emails.primary',
  'emails[type eq "work"].value',
  'roles.value',
  'groups.value',
  'members.value',
  'members',
  'meta.lastModified',
  'meta.created',
  'meta.version',
  'meta',
  'title',
  'nickName',
  'phoneNumbers.value',
  `${USER_SCHEMA}:userName`,
  `${USER_SCHEMA}:name.givenName`,
  `${ENTERPRISE_SCHEMA}:employeeNumber`,
  `${ENTERPRISE_SCHEMA}:manager.value`,
  'urn:ietf:params:scim:schemas:extension:unknown:2.0:User:x',
  'urn:x',
  'urn:',
  'nope',
  'a.b.c.d',
  'emails[',
  'emails[value eq "x"',
  'emails[type eq "work"][type eq "work"]',
  'emails[type[value eq "x"] eq "y"]',
  '',
  '$ref',
  '__proto__',
  'constructor.prototype',
];
const OPERATORS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Eq', 'xx', '=', '==', 'like', ''];
const VALUE_TOKENS = [
  'true',
  'false',
  'null',
  'True',
  '0',
  '-1',
  '1e309',
  '1.5',
  'john',
  'unquoted@example.com',
  '"2024-02-30T00:00:00Z"',
  '"0000-01-01T00:00:00Z"',
  '"2026-01-01T00:00:00Z"',
  '"9999-12-31T23:59:59.999999999Z"',
  '"yesterday"',
  '"\\"quoted\\""',
  '"a\\u0000b"',
  '"\\ud800"',
  '"unterminated',
  '""',
  "'single'",
];

/** A quoted value: hostile text (escaped as JSON strings are, as the RFC's grammar has it), or a reference. */
const quoted: fc.Arbitrary<Part[]> = fc.oneof(
  { arbitrary: hostileString.map((s) => [JSON.stringify(s)]), weight: 40 },
  { arbitrary: fc.oneof(ref('user'), ref('email'), ref('team')).map((r) => ['"', r, '"']), weight: 30 },
  { arbitrary: fc.constantFrom(...VALUE_TOKENS).map((t) => [t]), weight: 25 },
  { arbitrary: fc.constantFrom(...LONG_STRINGS).map((s) => [JSON.stringify(s)]), weight: 5 },
);

const comparison: fc.Arbitrary<Part[]> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...ATTRIBUTE_PATHS), fc.constantFrom(...OPERATORS), quoted)
      .map(([a, op, v]): Part[] => [a, ' ', op, ' ', ...v]),
    weight: 85,
  },
  { arbitrary: fc.constantFrom(...ATTRIBUTE_PATHS).map((a): Part[] => [a, ' pr']), weight: 10 },
  { arbitrary: hostileString.map((s): Part[] => [s]), weight: 5 },
);

const filterTree: fc.Arbitrary<Part[]> = fc.letrec<{ f: Part[] }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: comparison, weight: 50 },
    {
      arbitrary: fc
        .tuple(tie('f'), fc.constantFrom(' and ', ' or ', ' AND ', ' Or ', ' and', ' xor '), tie('f'))
        .map(([x, op, y]) => [...x, op, ...y]),
      weight: 20,
    },
    { arbitrary: tie('f').map((x): Part[] => ['not (', ...x, ')']), weight: 8 },
    { arbitrary: tie('f').map((x): Part[] => ['(', ...x, ')']), weight: 8 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom('emails', 'members', 'roles', 'groups', 'name', 'x'), tie('f'))
        .map(([a, x]): Part[] => [a, '[', ...x, ']']),
      weight: 8,
    },
    { arbitrary: tie('f').map((x): Part[] => [...x, ' and']), weight: 3 },
  ),
})).f;

/** Whole filters: from the grammar, or texts that break parsers (deep nesting, thousands of terms, long values). */
const FILTER_EXTREMES: string[] = [
  '('.repeat(20_000) + 'userName eq "x"' + ')'.repeat(20_000),
  '('.repeat(11) + 'userName eq "x"' + ')'.repeat(11),
  '('.repeat(10) + 'userName eq "x"' + ')'.repeat(10),
  'emails['.repeat(500) + 'value eq "x"' + ']'.repeat(500),
  'not ('.repeat(3000) + 'active eq true' + ')'.repeat(3000),
  Array.from({ length: 5000 }, (_, i) => `userName eq "u${i}@example.com"`).join(' or '),
  Array.from({ length: 51 }, (_, i) => `userName eq "u${i}@example.com"`).join(' or '),
  Array.from({ length: 50 }, (_, i) => `userName eq "u${i}@example.com"`).join(' or '),
  `userName eq "${'x'.repeat(10_000)}@example.com"`,
  `userName co "${'%'.repeat(1990)}"`,
  `userName eq "${'a'.repeat(1985)}"`,
  'userName eq john',
  'userName eq "x" and',
  'userName eq "x" or or userName eq "y"',
  'userName eq "a\u0000b"',
  'userName eq "\uD800"',
  'userName eq "\uDC00\uD800"',
  'displayName co "\u202eevil"',
  'meta.lastModified gt "not a date"',
  'meta.lastModified gt "2024-02-30T00:00:00Z"',
  'meta.lastModified gt 5',
  'active gt true',
  'active co "t"',
  'active eq "yes"',
  'id eq 5',
  'id eq "0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b" or id eq "x"',
  'members.value eq "not-a-uuid"',
  'groups.value eq "0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b"',
  'roles.value eq "ADMIN"',
  'emails[type eq "work" and value co "@"]',
  'emails[value eq "x"].value eq "y"',
  'urn:ietf:params:scim:schemas:core:2.0:User:emails[type eq "work"].value eq "x"',
  ' ',
  '\t\n',
  '()',
  '[]',
  '""',
  '\u0000',
];

const filterText: fc.Arbitrary<Part[]> = fc.oneof(
  { arbitrary: filterTree, weight: 80 },
  { arbitrary: fc.constantFrom(...FILTER_EXTREMES).map((s): Part[] => [s]), weight: 20 },
);

// ---------------------------------------------------------------------------------------------
// Query strings of the lists

const PARAM_VALUES = [
  '1',
  '0',
  '-1',
  '100',
  '1000',
  '1001',
  '2147483647',
  '2147483648',
  '99999999999999999999999',
  '1e3',
  '1.5',
  ' 5 ',
  '+5',
  '0x10',
  'abc',
  '',
  '%00',
  '%ED%A0%80',
  'userName',
  'emails.value',
  'meta.lastModified',
  'name.givenName',
  'externalId',
  'displayName',
  'members',
  'password',
  'ascending',
  'descending',
  'DESCENDING',
  'sideways',
  'id,userName,members',
  `${USER_SCHEMA}:userName`,
  'x'.repeat(3000),
  ',,,',
];
const PARAMS = ['filter', 'startIndex', 'count', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes', 'FILTER', 'Count'];

const queryString: fc.Arbitrary<Part[]> = fc
  .tuple(
    fc.option(filterText, { nil: undefined, freq: 2 }),
    fc.array(
      fc.tuple(
        fc.constantFrom(...PARAMS, 'filter[]', 'filter[a]', 'count[]', 'startIndex[$gt]', '__proto__[x]', 'x'),
        fc.oneof(fc.constantFrom(...PARAM_VALUES), hostileString.map(safeEncode), fc.constantFrom(...INT_EDGES).map(String)),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([filter, params]) => {
    const parts: Part[] = [];
    if (filter) for (const [i, p] of filter.entries()) parts.push(...(i === 0 ? ['filter='] : []), p instanceof Ref ? p : safeEncode(p));
    for (const [k, v] of params) parts.push(parts.length ? '&' : '', `${k}=${v}`);
    return parts;
  });

// ---------------------------------------------------------------------------------------------
// Bodies: a plausible resource, then one attribute given the wrong type (or hostile text)

let serial = 0;
const freshEmail = fc.nat().map((n) => `scim-hostile-${n}-${++serial}@example.com`);

const plausibleUser = fc
  .record({
    userName: fc.oneof(
      { arbitrary: freshEmail, weight: 6 },
      { arbitrary: ref('email'), weight: 3 },
      { arbitrary: hostileString, weight: 1 },
    ),
    givenName: fc.oneof(fc.constantFrom('Ada', 'Émile', ''), hostileString),
    familyName: fc.constantFrom('Lovelace', 'Zola', ''),
    active: fc.constantFrom<unknown>(true, false, 'False', 'true', undefined),
    role: fc.option(fc.oneof(fc.constantFrom('MEMBER', 'VIEWER', 'ADMIN', 'manager', 'Nope'), ref('role')), { nil: undefined }),
    externalId: fc.option(fc.oneof(fc.uuid(), hostileString), { nil: undefined }),
    extra: fc.constantFrom<Record<string, unknown>>(
      {},
      { password: 'Secret123!' },
      { [ENTERPRISE_SCHEMA]: { employeeNumber: '42', manager: { value: FALLBACK_ID } } },
      { 'urn:ietf:params:scim:schemas:extension:unknown:2.0:User': { x: 1 } },
      { groups: [{ value: FALLBACK_ID }] },
      { id: FALLBACK_ID, meta: { version: 'W/"1"' } },
      { unknownKey: 'ignored' },
    ),
  })
  .map(({ userName, givenName, familyName, active, role, externalId, extra }) => ({
    schemas: [USER_SCHEMA, ...(ENTERPRISE_SCHEMA in extra ? [ENTERPRISE_SCHEMA] : [])],
    userName,
    name: { givenName, familyName },
    emails: [{ value: userName, type: 'work', primary: true }],
    ...(active === undefined ? {} : { active }),
    ...(role === undefined ? {} : { roles: [{ value: role, primary: true }] }),
    ...(externalId === undefined ? {} : { externalId }),
    ...extra,
  }));

const plausibleGroup = fc
  .record({
    displayName: fc.oneof({ arbitrary: fc.nat().map((n) => `Hostile team ${n}`), weight: 6 }, { arbitrary: hostileString, weight: 3 }),
    members: fc.array(fc.oneof(ref('user'), ref('invited'), fc.constantFrom(...MALFORMED_IDS.slice(0, 6))), { maxLength: 4 }),
    externalId: fc.option(fc.oneof(fc.uuid(), hostileString), { nil: undefined }),
  })
  .map(({ displayName, members, externalId }) => ({
    schemas: [GROUP_SCHEMA],
    displayName,
    members: members.map((value) => ({ value })),
    ...(externalId === undefined ? {} : { externalId }),
  }));

/** A value of the wrong type for an attribute of `type` (a string for a boolean, an object for a string…), or hostile text. */
function wrongFor(attribute: ScimAttribute | undefined): fc.Arbitrary<unknown> {
  const hugeArray = fc.constantFrom(
    Array.from({ length: 20_000 }, () => 'x'),
    Array.from({ length: 5000 }, () => ({ value: FALLBACK_ID })),
  );
  return fc.oneof(
    { arbitrary: wrongShape, weight: 40 },
    { arbitrary: hostileString, weight: attribute?.type === 'string' ? 30 : 10 },
    { arbitrary: fc.constantFrom(null, 0, -1, Number.MAX_VALUE, true, 'true', 'False', [null], [[]], [{}]), weight: 20 },
    { arbitrary: hugeArray, weight: 3 },
  );
}

/** The attributes of a resource as paths (`name.givenName`), each with its schema's definition. */
function attributePaths(kind: 'User' | 'Group'): { path: string[]; attribute: ScimAttribute; urn?: string }[] {
  const out: { path: string[]; attribute: ScimAttribute; urn?: string }[] = [];
  const [core, ...extensions] = RESOURCE_SCHEMAS[kind];
  for (const a of [...COMMON_ATTRIBUTES, ...core.attributes]) {
    out.push({ path: [a.name], attribute: a });
    for (const s of a.subAttributes ?? []) out.push({ path: a.multiValued ? [a.name, '0', s.name] : [a.name, s.name], attribute: s });
  }
  for (const schema of extensions)
    for (const a of schema.attributes) {
      out.push({ path: [schema.id, a.name], attribute: a, urn: schema.id });
      for (const s of a.subAttributes ?? []) out.push({ path: [schema.id, a.name, s.name], attribute: s, urn: schema.id });
    }
  out.push({ path: ['schemas'], attribute: { ...COMMON_ATTRIBUTES[0], name: 'schemas', multiValued: true } });
  return out;
}

/** `resource` with the value at `path` set to `value` (objects and lists on the way made). */
function setAt(resource: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(resource) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const [i, key] of path.entries()) {
    if (i === path.length - 1) node[key] = value;
    else {
      const next = node[key];
      const list = /^\d+$/.test(path[i + 1]);
      if (!next || typeof next !== 'object') node[key] = list ? [] : {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return copy;
}

const USER_PATHS = attributePaths('User');
const GROUP_PATHS = attributePaths('Group');

const poked = (kind: 'User' | 'Group') =>
  fc
    .tuple(kind === 'User' ? plausibleUser : plausibleGroup, fc.constantFrom(...(kind === 'User' ? USER_PATHS : GROUP_PATHS)), fc.boolean())
    .chain(([resource, p, poke]) =>
      poke ? wrongFor(p.attribute).map((value) => setAt(resource, p.path, value)) : fc.constant<unknown>(resource),
    );

// PATCH

const PATCH_PATHS = [
  ...ATTRIBUTE_PATHS,
  'members[value eq "0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b"]',
  'members[value eq 0b7f1c3e]',
  'roles[primary eq "True"].value',
  'emails[type eq "work"].value',
  'emails[type eq work].value',
  'name',
  'Active',
  'name.GivenName',
  'groups',
  'id',
  'meta.version',
  'schemas',
];
const OPS = ['add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REPLACE', 'ADD', 'delete', '', 'x'];

const operation = fc.record(
  {
    op: fc.oneof({ arbitrary: fc.constantFrom(...OPS), weight: 9 }, { arbitrary: wrongShape, weight: 1 }),
    path: fc.oneof(
      { arbitrary: fc.constantFrom(...PATCH_PATHS), weight: 6 },
      { arbitrary: filterTree.map((f) => new FilterText(['members[', ...f, ']'])), weight: 2 },
      { arbitrary: ref('user').map((r) => new FilterText(['members[value eq "', r, '"]'])), weight: 2 },
      { arbitrary: hostileString, weight: 1 },
      { arbitrary: wrongShape, weight: 1 },
    ),
    value: fc.oneof(
      { arbitrary: wrongFor(undefined), weight: 4 },
      {
        arbitrary: fc.constantFrom<unknown>(true, false, 'False', 'True', { active: false }, { displayName: 'x', 'name.givenName': 'y' }),
        weight: 3,
      },
      {
        arbitrary: fc.array(
          fc.oneof(ref('user'), ref('invited')).map((value) => ({ value })),
          { maxLength: 3 },
        ),
        weight: 3,
      },
      { arbitrary: fc.constantFrom<unknown>({ [`${ENTERPRISE_SCHEMA}:manager`]: 'x' }, { id: FALLBACK_ID }, { meta: {} }), weight: 1 },
    ),
  },
  { requiredKeys: ['op'] },
);

const patchBody: fc.Arbitrary<unknown> = fc.oneof(
  {
    arbitrary: fc.array(operation, { minLength: 1, maxLength: 4 }).map((Operations) => ({ schemas: [PATCH_SCHEMA], Operations })),
    weight: 80,
  },
  {
    arbitrary: fc.constantFrom<unknown>(
      { schemas: [PATCH_SCHEMA], Operations: [] },
      { schemas: [PATCH_SCHEMA], Operations: Array.from({ length: 1001 }, () => ({ op: 'replace', path: 'displayName', value: 'x' })) },
      { schemas: [PATCH_SCHEMA], Operations: {} },
      { schemas: [PATCH_SCHEMA] },
      { Operations: [{ op: 'replace', value: { active: false } }] },
      { schemas: 'x', Operations: [{ op: 'replace', value: { active: false } }] },
      { schemas: [USER_SCHEMA], Operations: [{ op: 'replace', value: { active: false } }] },
      { schemas: [PATCH_SCHEMA], Operations: [null] },
      { schemas: [PATCH_SCHEMA], Operations: [{ op: 'remove' }] },
      {
        schemas: [PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'members', value: Array.from({ length: 20_000 }, () => ({ value: FALLBACK_ID })) }],
      },
    ),
    weight: 20,
  },
);

/** A SearchRequest: plausible (the filter from the grammar), and now and then one member of the wrong type. */
const searchBody: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.record(
      {
        filter: filterText.map((f) => new FilterText(f)),
        startIndex: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.constantFrom(...INT_EDGES)),
        count: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.constantFrom(...INT_EDGES)),
        sortBy: fc.constantFrom(...PARAM_VALUES),
        sortOrder: fc.constantFrom('ascending', 'descending', 'x'),
        attributes: fc.constantFrom<unknown>(
          ['userName'],
          'userName,members',
          ['id', 'groups'],
          Array.from({ length: 201 }, () => 'id'),
        ),
        excludedAttributes: fc.constantFrom<unknown>(['members'], 'groups', []),
      },
      { requiredKeys: [] },
    ),
    fc.option(
      fc.tuple(
        fc.constantFrom('schemas', 'filter', 'startIndex', 'count', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes'),
        fc.oneof(wrongShape, hostileString),
      ),
      { nil: undefined, freq: 2 },
    ),
  )
  .map(([fields, poke]) => ({ schemas: [SEARCH_SCHEMA], ...fields, ...(poke ? { [poke[0]]: poke[1] } : {}) }));

// Raw bodies and content types

const RAW_BODIES: (string | Uint8Array)[] = [
  '',
  'not json',
  '{',
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"dup-1@example.com","userName":"dup-2@example.com"}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"schemas":[],"userName":"dup-3@example.com"}',
  '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","op":"remove","path":"active","value":false}]}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Dup","displayName":{"a":1}}',
  '\ufeff{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bom@example.com"}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a\\u0000b@example.com"}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\\ud800@example.com"}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x@example.com","__proto__":{"active":false}}',
  '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"y@example.com","constructor":{"prototype":{"x":1}}}',
  `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
  `[${'['.repeat(5000)}${']'.repeat(5000)}]`,
  Buffer.concat([
    Buffer.from('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"'),
    Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
    Buffer.from('@example.com"}'),
  ]),
  // Over the advertised maxPayloadSize by one byte, and exactly at it (valid JSON both).
  (() => {
    const head = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big@example.com","title":"';
    return `${head}${'x'.repeat(MAX_PAYLOAD + 1 - head.length - 2)}"}`;
  })(),
  (() => {
    const head = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"big@example.com","title":"';
    return `${head}${'x'.repeat(MAX_PAYLOAD - head.length - 2)}"}`;
  })(),
];
const CONTENT_TYPES: (string | null)[] = [
  'application/scim+json',
  'application/json',
  'application/scim+json; charset=utf-8',
  'APPLICATION/SCIM+JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=b',
  'application/xml',
  'application/scim+json; charset=latin1',
  'application/json; charset=utf-16',
  'application/scim+jsonx',
  '',
  null,
];
const contentType = fc.oneof(
  { arbitrary: fc.constant<string | null | undefined>(undefined), weight: 85 },
  { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 15 },
);

// ---------------------------------------------------------------------------------------------
// Routes

const usersOrGroups = fc.constantFrom<'Users' | 'Groups'>('Users', 'Users', 'Groups');

const listCase = usersOrGroups.chain((r) =>
  fc.record({ who, query: queryString, organizationHeader }).map(({ who, query, organizationHeader }): ScimCase => ({
    who,
    route: `GET /${r}`,
    method: 'GET',
    path: [`/${r}`],
    query,
    organizationHeader,
  })),
);

const searchCase = usersOrGroups.chain((r) =>
  fc.record({ who, body: searchBody, contentType, organizationHeader }).map(({ who, body, contentType, organizationHeader }): ScimCase => ({
    who,
    route: `POST /${r}/.search`,
    method: 'POST',
    path: [`/${r}/.search`],
    body: { json: body },
    contentType,
    organizationHeader,
  })),
);

const getOneCase = usersOrGroups.chain((r) =>
  fc
    .record({ who, id: idPart, query: fc.option(queryString, { nil: undefined }), organizationHeader })
    .map(({ who, id, query, organizationHeader }): ScimCase => ({
      who,
      route: `GET /${r}/:id`,
      method: 'GET',
      path: [`/${r}/`, id],
      query,
      organizationHeader,
    })),
);

const createCase = usersOrGroups.chain((r) =>
  fc
    .record({ who, body: poked(r === 'Users' ? 'User' : 'Group'), contentType, organizationHeader })
    .map(({ who, body, contentType, organizationHeader }): ScimCase => ({
      who,
      route: `POST /${r}`,
      method: 'POST',
      path: [`/${r}`],
      body: { json: body },
      contentType,
      organizationHeader,
    })),
);

const replaceCase = usersOrGroups.chain((r) =>
  fc
    .record({ who, id: idPart, body: poked(r === 'Users' ? 'User' : 'Group'), contentType, ifMatch, organizationHeader })
    .map(({ who, id, body, contentType, ifMatch, organizationHeader }): ScimCase => ({
      who,
      route: `PUT /${r}/:id`,
      method: 'PUT',
      path: [`/${r}/`, id],
      body: { json: body },
      contentType,
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      organizationHeader,
    })),
);

const patchCase = usersOrGroups.chain((r) =>
  fc
    .record({ who, id: idPart, body: patchBody, contentType, ifMatch, organizationHeader })
    .map(({ who, id, body, contentType, ifMatch, organizationHeader }): ScimCase => ({
      who,
      route: `PATCH /${r}/:id`,
      method: 'PATCH',
      path: [`/${r}/`, id],
      body: { json: body },
      contentType,
      headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      organizationHeader,
    })),
);

const deleteCase = usersOrGroups.chain((r) =>
  fc.record({ who, id: idPart, ifMatch, organizationHeader }).map(({ who, id, ifMatch, organizationHeader }): ScimCase => ({
    who,
    route: `DELETE /${r}/:id`,
    method: 'DELETE',
    path: [`/${r}/`, id],
    headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
    organizationHeader,
  })),
);

const DISCOVERY_PATHS = [
  '/ServiceProviderConfig',
  '/ResourceTypes',
  '/ResourceTypes/User',
  '/ResourceTypes/Group',
  '/ResourceTypes/%00',
  '/ResourceTypes/%ED%A0%80',
  `/ResourceTypes/${'x'.repeat(5000)}`,
  '/Schemas',
  `/Schemas/${USER_SCHEMA}`,
  `/Schemas/${ENTERPRISE_SCHEMA}`,
  '/Schemas/urn:x',
  '/Schemas/%E0%A4%A',
  '/Bulk',
  '/Me',
  '/Me/x',
  '/Nope',
  '/users',
  '/Users/',
  '/Users//x',
  '/Users/.search/x',
  '/Groups/.search',
  '',
  '/',
  '/..%2f..%2fgraphql',
];

const discoveryCase = fc
  .record({
    who,
    path: fc.constantFrom(...DISCOVERY_PATHS),
    method: fc.constantFrom('GET', 'GET', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
    organizationHeader,
  })
  .map(({ who, path, method, organizationHeader }): ScimCase => ({
    who,
    route:
      method === 'GET' && !/Bulk|Me|Nope|users|\/\/|%|\.\.|^\/?$|\/\.search\/|Groups\/\.search/.test(path)
        ? `GET ${path.replace(/\/(User|Group|urn:.*|x+)$/, '/:name')}`
        : 'other paths and methods',
    method,
    path: [path],
    body: method === 'GET' || method === 'DELETE' || method === 'OPTIONS' ? undefined : { json: { schemas: [USER_SCHEMA] } },
    organizationHeader,
  }));

/** Raw bodies and content types on the routes that take a body. */
const rawCase = fc
  .record({
    who,
    target: fc.constantFrom<[string, string, RefKind | null]>(
      ['POST', '/Users', null],
      ['POST', '/Users/.search', null],
      ['POST', '/Groups', null],
      ['POST', '/Groups/.search', null],
      ['PUT', '/Users/', 'user'],
      ['PATCH', '/Users/', 'user'],
      ['PUT', '/Groups/', 'team'],
      ['PATCH', '/Groups/', 'team'],
    ),
    raw: fc.constantFrom(...RAW_BODIES),
    contentType: fc.oneof(
      { arbitrary: fc.constant<string | null | undefined>(undefined), weight: 2 },
      { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 },
    ),
    pick: fc.nat(1000),
  })
  .map(({ who, target: [method, path, kind], raw, contentType, pick }): ScimCase => ({
    who,
    route: `${method} ${path}${kind ? ':id' : ''}`,
    method,
    path: kind ? [path, new Ref(kind, pick)] : [path],
    body: { raw },
    contentType,
  }));

/** Every SCIM case kind, mixed: reads and writes of Users and Groups, discovery and stray paths, raw bodies. */
export const scimCaseArbitrary: fc.Arbitrary<ScimCase> = fc.oneof(
  { arbitrary: listCase, weight: 16 },
  { arbitrary: searchCase, weight: 10 },
  { arbitrary: getOneCase, weight: 8 },
  { arbitrary: createCase, weight: 14 },
  { arbitrary: replaceCase, weight: 12 },
  { arbitrary: patchCase, weight: 16 },
  { arbitrary: deleteCase, weight: 6 },
  { arbitrary: discoveryCase, weight: 6 },
  { arbitrary: rawCase, weight: 12 },
);

/**
 * Enumerated once per run: each attribute of each schema (and each sub-attribute) given each wrong JSON type in a POST
 * of an otherwise valid resource, as A's Admin token; then each raw body on POST /Users.
 */
export function scimEnumeratedCases(): ScimCase[] {
  const out: ScimCase[] = [];
  const wrong: [string, unknown][] = [
    ['a number', 5],
    ['a boolean', true],
    ['null', null],
    ['an object', { value: 'x' }],
    ['a list', ['x']],
    ['text with NUL', 'a\u0000b'],
    ['a lone surrogate', '\uD800'],
  ];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
  const fits = (a: ScimAttribute, v: unknown) => {
    const t = typeOf(v);
    if (a.multiValued) return t === 'list';
    return (
      (a.type === 'boolean' && t === 'boolean') ||
      (a.type === 'complex' && t === 'object') ||
      ((a.type === 'integer' || a.type === 'decimal') && t === 'number') ||
      (['string', 'reference', 'dateTime', 'binary'].includes(a.type) &&
        t === 'string' &&
        !(v as string).includes('\u0000') &&
        !/[\uD800-\uDFFF]/.test(v as string))
    );
  };
  let n = 0;
  for (const [kind, paths] of [
    ['Users', USER_PATHS],
    ['Groups', GROUP_PATHS],
  ] as const) {
    for (const p of paths)
      for (const [, value] of wrong) {
        if (fits(p.attribute, value)) continue;
        const base =
          kind === 'Users'
            ? {
                schemas: [USER_SCHEMA, ...(p.urn ? [p.urn] : [])],
                userName: `scim-typed-${++n}@example.com`,
                name: { givenName: 'Typed', familyName: 'Case' },
              }
            : { schemas: [GROUP_SCHEMA], displayName: `Typed team ${++n}` };
        out.push({ who: 'bearer', route: `POST /${kind}`, method: 'POST', path: [`/${kind}`], body: { json: setAt(base, p.path, value) } });
      }
  }
  for (const raw of RAW_BODIES) out.push({ who: 'bearer', route: 'POST /Users', method: 'POST', path: ['/Users'], body: { raw } });
  for (const contentType of CONTENT_TYPES)
    out.push({
      who: 'bearer',
      route: 'POST /Users',
      method: 'POST',
      path: ['/Users'],
      body: { json: { schemas: [USER_SCHEMA], userName: `scim-ct-${++n}@example.com` } },
      contentType,
    });
  for (const filter of FILTER_EXTREMES)
    out.push({ who: 'bearer', route: 'GET /Users', method: 'GET', path: ['/Users'], query: [`filter=${safeEncode(filter)}`] });
  return out;
}

/** The routes of the SCIM API the cases aim at. */
export const SCIM_ROUTES = [
  'GET /ServiceProviderConfig',
  'GET /ResourceTypes',
  'GET /Schemas',
  'GET /Users',
  'POST /Users/.search',
  'GET /Users/:id',
  'POST /Users',
  'PUT /Users/:id',
  'PATCH /Users/:id',
  'DELETE /Users/:id',
  'GET /Groups',
  'POST /Groups/.search',
  'GET /Groups/:id',
  'POST /Groups',
  'PUT /Groups/:id',
  'PATCH /Groups/:id',
  'DELETE /Groups/:id',
];
