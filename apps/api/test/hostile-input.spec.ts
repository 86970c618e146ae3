import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { GraphQLSchema } from 'graphql';
import { Client } from './support/client';
import { authenticator } from './support/totp';
import { startApp, STRONG_PASSWORD, TestApp } from './support/app';
import {
  ArbitraryHooks,
  argumentsArbitrary,
  buildCall,
  idKind,
  loadSchema,
  operationFields,
  stringKind,
  ValuePath,
} from './support/schema-cases';

/**
 * Hostile input, generated (fast-check): every Query and Mutation of the committed schema with
 * arguments derived from their types — real ids and garbage, NUL and lone surrogates, 10k-character
 * strings, edge numbers, wrong JSON types, invalid enums, crafted cursors — plus HTTP edge cases on
 * /graphql and the export. Sent one at a time to the real built server, as the signed-in admin
 * (cookie + CSRF), anonymously, as a Viewer and with an admin API token. For every case:
 *   - HTTP status < 500, no INTERNAL_SERVER_ERROR, every GraphQL error has a string extensions.code;
 *   - no stack trace or node_modules path in the response;
 *   - a refused request (errors or a 4xx) changes nothing: the data's fingerprint is the same before and after;
 * and the server still answers /readyz at the end. Cases: every HTTP edge case and the pinned regressions once,
 * then FC_RUNS generated ones (default 3000): fully random arguments, plausible arguments with one hostile value
 * poked in, and users pages with cursors crafted for their sort. All run one after the other (the fingerprint
 * needs it); failures are collected, grouped by cause (with the server's log line) and reported with the
 * smallest request of each group. FC_SEED replays a run (the seed is printed); HOSTILE_DEBUG=1 prints every case.
 */

const SEED = process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : 20_261_128;
const RUNS = process.env['FC_RUNS'] ? Number(process.env['FC_RUNS']) : 3000;
const ADMIN_EMAIL = 'admin@example.com';
const STACK = /at .*\.(js|ts):\d+/;

type Who = 'admin' | 'anonymous' | 'viewer' | 'bearer';

// ---------------------------------------------------------------------------------------------
// References to live data: resolved just before sending, against what exists then.

type RefKind =
  'user' | 'invited' | 'role' | 'team' | 'apiToken' | 'audit' | 'email' | 'invitationToken' | 'challengeToken' | 'totp' | 'cursor';

class Ref {
  constructor(
    readonly kind: RefKind,
    readonly pick: number,
    readonly variant: 'plain' | 'upper' | 'padded' = 'plain',
  ) {}
}

/** A users cursor: [sort field, key, id], base64url of JSON; '$sortBy' takes the case's own sort. */
class CursorRef {
  constructor(
    readonly parts: unknown[],
    readonly encoding: 'base64url' | 'base64' = 'base64url',
  ) {}
}

interface Pools {
  user: string[];
  invited: string[];
  role: string[];
  team: string[];
  apiToken: string[];
  audit: string[];
  email: string[];
  invitationToken: string[];
  challengeToken: string[];
  totp: string[];
  cursor: string[];
}

const FALLBACK_ID = '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b';

function resolve(value: unknown, pools: Pools, sortBy: string): unknown {
  if (value instanceof Ref) {
    const pool = pools[value.kind];
    const v = pool.length ? pool[value.pick % pool.length] : value.kind === 'audit' ? '1' : FALLBACK_ID;
    return value.variant === 'upper' ? v.toUpperCase() : value.variant === 'padded' ? ` ${v} ` : v;
  }
  if (value instanceof CursorRef) {
    const parts = value.parts.map((p) => (p === '$sortBy' ? sortBy : resolve(p, pools, sortBy)));
    return Buffer.from(JSON.stringify(parts)).toString(value.encoding);
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, pools, sortBy));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, resolve(v, pools, sortBy)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Value pools

const HOSTILE_STRINGS: string[] = [
  '',
  ' ',
  '   \t\n ',
  '\u00a0\u2003',
  '\u200b',
  '\u200b\u200c\u200d\u2060',
  '\u202eevil\u202c',
  '\ufeff',
  '\u2028',
  '\u0085',
  '\u007f',
  '\u001b[31mred',
  '\r\n',
  '\uFFFE',
  '\uFFFF',
  'مرحبا بالعالم',
  'שלום',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  'e\u0301',
  'İı',
  'ß',
  'Ω',
  'ａｂｃ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDC00',
  'x\uDBFFy',
  '\uDC00\uD800',
  'ok\uD83D',
  '%',
  '_',
  '\\',
  "'",
  '"',
  '%_\\\'"',
  "' OR '1'='1",
  "'); DROP TABLE users; --",
  '$1',
  '::uuid',
  '%%%%',
  '\\%',
  'a%b_c',
  '\\\\',
  '=1+1',
  '@SUM(A1)',
  '+cmd',
  '-2+3',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../etc/passwd',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
];
const LONG_STRINGS: string[] = [
  'x'.repeat(10_000),
  '😀'.repeat(5000),
  'é'.repeat(10_000),
  '%'.repeat(10_000),
  '\u200b'.repeat(10_000),
  '\u202e'.repeat(3000),
  'a'.repeat(101),
  'a'.repeat(255),
  'a'.repeat(257),
  'A'.repeat(1001),
];
const surrogateUnit = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const hostileUnit = fc.constantFrom('%', '_', '\\', "'", '"', '\u0000', '\u200b', ' ', 'a', '\uD800', '\uDC00', '😀', 'é', '\u202e', '\t');

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 50 },
  { arbitrary: fc.constantFrom(...LONG_STRINGS), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 12 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 10 },
  { arbitrary: fc.string({ unit: hostileUnit, maxLength: 12 }), weight: 15 },
  { arbitrary: fc.string({ unit: surrogateUnit, minLength: 1, maxLength: 3 }), weight: 5 },
);

const INT_EDGES = [
  0,
  1,
  -1,
  49,
  50,
  51,
  199,
  200,
  201,
  3650,
  3651,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e300,
  -1e300,
  0.5,
  1.0000001,
  5e-324,
  -0.5,
];

const deepObject = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
};
const deepList = (depth: number): unknown => {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const wrongScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.constant(['a']),
  fc.constant({ value: 'x' }),
);
const wrongShape: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant('x'),
  fc.constant(''),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(deepObject(30), deepList(30), deepObject(1000)),
);

const randomToken = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
const ref = (kind: RefKind) =>
  fc
    .tuple(fc.nat(1000), fc.constantFrom<'plain' | 'upper' | 'padded'>('plain', 'plain', 'plain', 'plain', 'upper', 'padded'))
    .map(([i, v]) => new Ref(kind, i, v));
const plainRef = (kind: RefKind) => fc.nat(1000).map((i) => new Ref(kind, i));

const UUID_EDGES = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '{0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b}',
  '0b7f1c3e9d2a4e658f102c3d4e5f6a7b',
  'urn:uuid:0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b',
  '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7g',
  '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b\u0000',
  ' 0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b',
  '',
  ' ',
  '1',
  '-1',
  '0',
  '9'.repeat(25),
  '0x10',
  '1e3',
  'null',
  "' OR 1=1 --",
  '%',
  '_',
  'a'.repeat(10_000),
];
const AUDIT_IDS = [
  '0',
  '1',
  '-1',
  '01',
  '1.0',
  '1e3',
  ' 1',
  '1 ',
  '٣',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '9'.repeat(100),
  '99999999999999999999',
];
const ALL_REF_KINDS: RefKind[] = ['user', 'invited', 'role', 'team', 'apiToken', 'audit'];

function idArbitrary(p: ValuePath): fc.Arbitrary<unknown> {
  const kind = idKind(p);
  const own: RefKind = kind === 'unknown' ? 'user' : kind;
  return fc.oneof(
    { arbitrary: ref(own), weight: 45 },
    { arbitrary: fc.constantFrom(...ALL_REF_KINDS).chain((k) => plainRef(k)), weight: 8 },
    { arbitrary: fc.uuid(), weight: 14 },
    { arbitrary: fc.constantFrom(...UUID_EDGES), weight: 12 },
    {
      arbitrary:
        kind === 'audit' ? fc.oneof(fc.constantFrom(...AUDIT_IDS), fc.bigInt().map(String), fc.integer()) : fc.constantFrom(...AUDIT_IDS),
      weight: kind === 'audit' ? 35 : 2,
    },
    { arbitrary: hostileString, weight: 8 },
    { arbitrary: wrongScalar, weight: 3 },
  );
}

const SORT_FIELDS = ['EMAIL', 'FIRST_NAME', 'LAST_NAME', 'LAST_CONNECTION', 'ROLE', 'PERMISSIONS', 'TEAMS'];
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const cursorKey: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 10 },
  {
    arbitrary: fc.constantFrom<unknown>(
      null,
      1e300,
      -1e300,
      2 ** 31,
      2 ** 31 - 1,
      -(2 ** 31),
      -(2 ** 31) + 1,
      2 ** 53,
      0,
      0.5,
      1,
      3,
      '',
      'not a date',
      '-infinity',
      'infinity',
      'Infinity',
      'NaN',
      'epoch',
      'now',
      '2024-02-30T00:00:00Z',
      '2023-02-29T12:00:00Z',
      '2024-04-31T23:59:59Z',
      '0000-01-01T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-06-01T12:00:00.1234567Z',
      '9999-12-31T23:59:59.999999Z',
      '1970-01-01T00:00:00Z',
      '2024-06-01T12:00:00+02:00',
      '2024-06-01',
      'x'.repeat(1000),
      'x'.repeat(1001),
      '\u0000',
      '\uD800',
      'a%',
      '%',
      '_',
      "'",
      true,
      false,
      [],
      {},
      ['nested'],
      { a: 1 },
    ),
    weight: 40,
  },
  { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 15 },
  {
    arbitrary: fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
      )
      .map(([y, m, d, h, mi]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:00Z`),
    weight: 15,
  },
  { arbitrary: fc.integer(), weight: 10 },
  { arbitrary: hostileString, weight: 10 },
);
const DATE_KEYS = [
  '2024-02-30T00:00:00Z',
  '2023-02-29T12:00:00Z',
  '2024-04-31T23:59:59Z',
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999999Z',
  '2024-01-01T24:00:00Z',
  '9999-12-31T23:59:59.999999Z',
  '1970-01-01T00:00:00Z',
  '2024-06-01T12:00:00.123456Z',
  '-infinity',
  'infinity',
  'not a date',
  '2024-06-01',
];
/** A cursor key meant for the column the sort uses (timestamps, ints, text), edge values first. */
function typedCursorKey(sortBy: string): fc.Arbitrary<unknown> {
  if (sortBy === 'LAST_CONNECTION') {
    return fc.oneof(
      { arbitrary: fc.constantFrom<unknown>(...DATE_KEYS, null), weight: 30 },
      { arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), weight: 20 },
      {
        arbitrary: fc
          .tuple(
            fc.integer({ min: 0, max: 9999 }),
            fc.integer({ min: 0, max: 13 }),
            fc.integer({ min: 0, max: 32 }),
            fc.integer({ min: 0, max: 25 }),
          )
          .map(([y, m, d, h]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(h, 2)}:00:00Z`),
        weight: 40,
      },
      { arbitrary: cursorKey, weight: 10 },
    );
  }
  if (sortBy === 'ROLE' || sortBy === 'PERMISSIONS' || sortBy === 'TEAMS') {
    return fc.oneof(
      { arbitrary: fc.constantFrom<unknown>(...INT_EDGES, 2 ** 31 - 1, -(2 ** 31) + 1, '1', null), weight: 50 },
      { arbitrary: fc.integer(), weight: 30 },
      { arbitrary: cursorKey, weight: 20 },
    );
  }
  return fc.oneof(
    { arbitrary: fc.oneof(plainRef('email'), hostileString, fc.constantFrom('', 'x'.repeat(1000), 'x'.repeat(1001), 'Ada')), weight: 80 },
    { arbitrary: cursorKey, weight: 20 },
  );
}
const cursorId: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: plainRef('user'), weight: 35 },
  { arbitrary: ref('user'), weight: 10 },
  { arbitrary: fc.uuid(), weight: 25 },
  { arbitrary: fc.constantFrom(...UUID_EDGES.slice(0, 9)), weight: 15 },
  { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 15 },
);
const cursorArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: ref('cursor'), weight: 8 },
  {
    arbitrary: fc
      .tuple(
        fc.oneof(
          { arbitrary: fc.constant('$sortBy'), weight: 75 },
          { arbitrary: fc.constantFrom<unknown>(...SORT_FIELDS, 'email', 'NOPE', 1, null), weight: 25 },
        ),
        cursorKey,
        cursorId,
        fc.constantFrom<'base64url' | 'base64'>('base64url', 'base64url', 'base64'),
      )
      .map(([f, k, id, enc]) => new CursorRef([f, k, id], enc)),
    weight: 70,
  },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }).map((parts) => new CursorRef(parts)), weight: 8 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'x',
      '',
      '!!!',
      '====',
      'W10',
      Buffer.from('not json').toString('base64url'),
      Buffer.from('[1,2').toString('base64url'),
      '%',
      'x'.repeat(500),
      'x'.repeat(501),
      'WyJFTUFJTCIsImEiLCJ4Il0=\u0000',
      Buffer.from('\u0000').toString('base64url'),
      Buffer.from([0xed, 0xa0, 0x80]).toString('base64url'),
      Buffer.from([0xff, 0xfe, 0x5b, 0x5d]).toString('base64url'),
    ),
    weight: 10,
  },
  { arbitrary: hostileString, weight: 6 },
);

const PASSWORDS = [
  STRONG_PASSWORD,
  'another strong passphrase 42',
  'short',
  'password',
  'password1234',
  'admin@example.com rules ok',
  'x'.repeat(256),
  'x'.repeat(257),
  ' '.repeat(10),
  '🔑'.repeat(10),
];
const EMAILS = [
  'new@example.com',
  'a@b.co',
  'user+tag@example.com',
  '"quoted"@example.com',
  'ünï@exämple.com',
  'xn--nxasmq6b@example.com',
  'a@b',
  '@example.com',
  'a@@example.com',
  ' spaced@example.com ',
  `${'a'.repeat(64)}@example.com`,
  `${'a'.repeat(242)}@example.com`,
  `${'a'.repeat(243)}@example.com`,
  '%@example.com',
  '_@example.com',
  "o'brien@example.com",
  'a\\b@example.com',
  'VIEWER@EXAMPLE.COM',
  'viewer@example.com',
  'mfa@example.com',
  'Member@Example.com',
];
const NAMES = [
  'Ada',
  '  Ada  ',
  'Ünïcödé',
  'Zoë 😀',
  'مرحبا',
  'ａｂｃ',
  'x'.repeat(80),
  'x'.repeat(81),
  'x'.repeat(100),
  'x'.repeat(101),
  '😀'.repeat(80),
  '😀'.repeat(100),
  '😀'.repeat(101),
  'Alpha',
  'ALPHA',
  ' alpha ',
  "O'Brien",
  'a\tb',
  'a\nb',
  'a\u0085b',
  '\u200b',
  '\u202eabc',
  '100% _off\\',
  '   ',
];
const CODES = [
  '123456',
  '000000',
  '999999',
  '12345',
  '1234567',
  'ABCDE-FGHIJ',
  'abcde-fghij',
  'ABCDEFGHIJ',
  'ABCDE FGHIJ',
  'ABCDE-FGHI1',
  '１２３４５６',
  '٠١٢٣٤٥',
  ' 123456',
  '123456 ',
  '-12345',
  '1e5',
];
const SEARCHES = [
  '',
  ' ',
  'a',
  'ad',
  'adm',
  'admin',
  'example',
  'EXAMPLE.COM',
  '%',
  '%%',
  '_',
  '__',
  '\\',
  '\\%',
  "'",
  '"',
  'x'.repeat(254),
  'x'.repeat(255),
  '@',
  '.',
  'İ',
  'ß',
  '😀',
  '  Viewer  ',
];
const ACTIONS = [
  'user.deleted',
  'invitation.created',
  'users.exported',
  'team.created',
  '',
  ' ',
  'x'.repeat(64),
  'x'.repeat(65),
  '%',
  "'",
  'USER.DELETED',
];

function stringArbitrary(p: ValuePath): fc.Arbitrary<unknown> {
  const kind = stringKind(p);
  const specific: Record<string, fc.Arbitrary<unknown>> = {
    password: fc.constantFrom(...PASSWORDS),
    email: fc.oneof(ref('email'), fc.constantFrom(...EMAILS), fc.emailAddress()),
    token: fc.oneof(
      plainRef('invitationToken'),
      randomToken,
      fc.constantFrom('x'.repeat(19), 'x'.repeat(20), 'x'.repeat(100), 'x'.repeat(101)),
    ),
    challengeToken: fc.oneof(plainRef('challengeToken'), randomToken, fc.constantFrom('x'.repeat(19), 'x'.repeat(20), 'x'.repeat(101))),
    code: fc.oneof(plainRef('totp'), fc.constantFrom(...CODES)),
    confirmation: fc.constantFrom('DELETE', 'DELETE', 'DELETE', 'delete', 'DELETE ', ' DELETE', 'DEL\u0415TE', 'SUPPRIMER', ''),
    personName: fc.constantFrom(...NAMES),
    name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 })),
    search: fc.constantFrom(...SEARCHES),
    cursor: cursorArbitrary,
    action: fc.constantFrom(...ACTIONS),
    text: hostileString,
  };
  return fc.oneof(
    { arbitrary: specific[kind] ?? hostileString, weight: 62 },
    { arbitrary: hostileString, weight: 34 },
    { arbitrary: wrongScalar, weight: 4 },
  );
}

const hooks: ArbitraryHooks = {
  scalar(typeName, p) {
    if (typeName === 'ID') return idArbitrary(p);
    if (typeName === 'String') return stringArbitrary(p);
    if (typeName === 'Int') {
      return fc.oneof(
        { arbitrary: fc.constantFrom(...INT_EDGES), weight: 50 },
        { arbitrary: fc.integer({ min: -300, max: 4000 }), weight: 30 },
        { arbitrary: fc.integer(), weight: 10 },
        { arbitrary: fc.oneof(fc.constantFrom('1', '50', '', 'x', '1e3'), fc.boolean(), fc.constant({}), fc.constant([1])), weight: 5 },
      );
    }
    if (typeName === 'Boolean') return fc.oneof(fc.boolean(), wrongScalar);
    return fc.oneof(fc.jsonValue({ maxDepth: 1 }), hostileString);
  },
  enumValue(values) {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...values), weight: 80 },
      {
        arbitrary: fc.constantFrom<unknown>(
          values[0].toLowerCase(),
          `${values[0]} `,
          '',
          'NOPE',
          'en',
          'dark',
          'null',
          1,
          true,
          values[0] + '\u0000',
        ),
        weight: 20,
      },
    );
  },
  wrongShape: () => wrongShape,
  nullOnNonNull: 2,
  wrongShapeWeight: 3,
  extraFieldWeight: 3,
};

/** Values that get past the edge: the "one hostile value among plausible ones" cases start from these. */
function plausibleString(p: ValuePath): fc.Arbitrary<unknown> {
  switch (stringKind(p)) {
    case 'password':
      return fc.constantFrom(STRONG_PASSWORD, STRONG_PASSWORD, STRONG_PASSWORD, 'another strong passphrase 42', 'short');
    case 'email':
      return fc.oneof(
        { arbitrary: plainRef('email'), weight: 3 },
        { arbitrary: fc.emailAddress(), weight: 1 },
        { arbitrary: fc.constantFrom('new@example.com', 'Viewer@Example.com'), weight: 1 },
      );
    case 'token':
      return fc.oneof({ arbitrary: plainRef('invitationToken'), weight: 3 }, { arbitrary: randomToken, weight: 1 });
    case 'challengeToken':
      return fc.oneof({ arbitrary: plainRef('challengeToken'), weight: 3 }, { arbitrary: randomToken, weight: 1 });
    case 'code':
      return fc.oneof({ arbitrary: plainRef('totp'), weight: 3 }, { arbitrary: fc.constantFrom('123456', 'ABCDE-FGHIJ'), weight: 1 });
    case 'confirmation':
      return fc.constant('DELETE');
    case 'personName':
      return fc.constantFrom('Ada', 'Zoë 😀', "O'Brien", 'Ünïcödé', 'x'.repeat(100));
    case 'name':
      return fc.oneof(
        fc.constantFrom('Alpha', 'Beta', 'Zoë 😀', '100% _off\\'),
        fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map((x) => `T ${x}`),
      );
    case 'search':
      return fc.constantFrom('', 'a', 'ad', 'adm', 'example', '%', '_', '\\', 'viewer');
    case 'cursor':
      return fc.oneof({ arbitrary: plainRef('cursor'), weight: 2 }, { arbitrary: cursorArbitrary, weight: 1 });
    case 'action':
      return fc.constantFrom('user.deleted', 'invitation.created', 'users.exported', 'team.created');
    default:
      return fc.constantFrom('x', 'plain text');
  }
}

const plausibleHooks: ArbitraryHooks = {
  scalar(typeName, p) {
    if (typeName === 'ID') {
      const k = idKind(p);
      return fc.oneof({ arbitrary: plainRef(k === 'unknown' ? 'user' : k), weight: 85 }, { arbitrary: fc.uuid(), weight: 15 });
    }
    if (typeName === 'String') return plausibleString(p);
    if (typeName === 'Int') return fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(1, 50, 200, 3650));
    if (typeName === 'Boolean') return fc.boolean();
    return fc.constant('x');
  },
  enumValue: (values) => fc.constantFrom(...values),
  wrongShape: () => fc.constant({}),
  nullOnNonNull: 0,
  nullOnNullable: 5,
  wrongShapeWeight: 0,
  extraFieldWeight: 0,
  omitRequired: 0,
};

/** Where the poke lands: every leaf of the arguments (a Ref or cursor counts as one). */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value instanceof Ref || value instanceof CursorRef || value === null || typeof value !== 'object') return path.length ? [path] : [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  const inner = entries.flatMap(([k, v]) => leafPaths(v, [...path, k]));
  return inner.length || !path.length ? inner : [path];
}

const REMOVE = Symbol('remove');

function pokeAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (!path.length) return replacement;
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (replacement === REMOVE && !rest.length) copy.splice(head as number, 1);
    else copy[head as number] = pokeAt(copy[head as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (replacement === REMOVE && !rest.length) delete copy[head];
  else copy[head] = pokeAt(copy[head], rest, replacement);
  return copy;
}

const pokeValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 50 },
  { arbitrary: fc.constantFrom(...INT_EDGES), weight: 10 },
  { arbitrary: fc.constant(null), weight: 12 },
  { arbitrary: fc.constant(REMOVE), weight: 6 },
  { arbitrary: wrongScalar, weight: 8 },
  { arbitrary: wrongShape, weight: 4 },
  { arbitrary: fc.constantFrom(...UUID_EDGES, ...AUDIT_IDS), weight: 10 },
);

// ---------------------------------------------------------------------------------------------
// Cases

interface GqlCase {
  type: 'gql';
  who: Who;
  field: string;
  args: Record<string, unknown>;
  mode: 'variables' | 'literals';
  extra?: [string, unknown];
  /** Copy each password into its confirmation (so the case gets past the mismatch check). */
  coherent?: boolean;
}

interface HttpCase {
  type: 'http';
  who: Who;
  label: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  body?: string | Uint8Array;
  csrf?: boolean;
}

type Case = GqlCase | HttpCase;

const whoArbitrary = fc.constantFrom<Who>(
  ...(Array(14).fill('admin') as Who[]),
  'anonymous',
  'anonymous',
  'viewer',
  'viewer',
  'bearer',
  'bearer',
);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function graphqlProtocolCases(): HttpCase[] {
  const json = { 'content-type': 'application/json' };
  const post = (label: string, body: string | Uint8Array, headers: Record<string, string> = json, csrf = true): HttpCase => ({
    type: 'http',
    who: 'admin',
    label,
    method: 'POST',
    path: '/graphql',
    headers,
    body,
    csrf,
  });
  const typename = '{ __typename }';
  const updateUser = 'mutation($i: UpdateUserInput!) { updateUser(input: $i) { id } }';
  const usersSearch = 'query($s: String) { users(search: $s) { totalCount } }';
  const nested = (depth: number) => `{"a":`.repeat(depth) + '1' + '}'.repeat(depth);
  const nestedList = (depth: number) => '['.repeat(depth) + '"x"' + ']'.repeat(depth);
  return [
    post('subscription', JSON.stringify({ query: 'subscription { __typename }' })),
    post('named subscription', JSON.stringify({ query: 'subscription S { __typename }', operationName: 'S' })),
    post(
      'subscription among queries',
      JSON.stringify({ query: 'query Q { __typename } subscription S { __typename }', operationName: 'S' }),
    ),
    post(
      'persisted query, hash mismatch',
      JSON.stringify({ query: typename, extensions: { persistedQuery: { version: 1, sha256Hash: 'deadbeef'.repeat(8) } } }),
    ),
    post('persisted query, hash only', JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(typename) } } })),
    post(
      'persisted query, version 2',
      JSON.stringify({ query: typename, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(typename) } } }),
    ),
    post('persisted query, null', JSON.stringify({ query: typename, extensions: { persistedQuery: null } })),
    post('persisted query, string', JSON.stringify({ query: typename, extensions: { persistedQuery: 'x' } })),
    post('extensions as list', JSON.stringify({ query: typename, extensions: [] })),
    post('extensions as string', JSON.stringify({ query: typename, extensions: 'x' })),
    post('batched, empty', '[]'),
    post('batched, one', JSON.stringify([{ query: typename }])),
    post('batched, two', JSON.stringify([{ query: typename }, { query: '{ me { theme } }' }])),
    post(
      'batched, mutations',
      JSON.stringify([{ query: 'mutation { createTeam(input: { name: "Batched" }) { id } }' }, { query: typename }]),
    ),
    post('batched, numbers', '[1, 2]'),
    post('not JSON', 'not json'),
    post('truncated JSON', '{"query": "{ __typename }"'),
    post('empty body', ''),
    post('JSON null', 'null'),
    post('JSON string', '"{ __typename }"'),
    post('JSON number', '123'),
    post('JSON true', 'true'),
    post('trailing garbage', '{"query": "{ __typename }"} trailing'),
    post('BOM before JSON', '\ufeff{"query": "{ __typename }"}'),
    post('duplicate keys', '{"query": "{ __typename }", "query": "mutation { createTeam(input: {name: \\"Dup\\"}) { id } }"}'),
    post('query not a string', JSON.stringify({ query: 1 })),
    post('query as list', JSON.stringify({ query: [typename] })),
    post('query as object', JSON.stringify({ query: { kind: 'Document' } })),
    post('no query', JSON.stringify({ variables: {} })),
    post('variables as string', JSON.stringify({ query: typename, variables: '{}' })),
    post('variables as list', JSON.stringify({ query: typename, variables: [] })),
    post('variables as number', JSON.stringify({ query: typename, variables: 1 })),
    post('operationName unknown', JSON.stringify({ query: 'query A { __typename }', operationName: 'B' })),
    post('operationName as object', JSON.stringify({ query: typename, operationName: {} })),
    post('two operations, no name', JSON.stringify({ query: 'query A { __typename } query B { __typename }' })),
    post('lone surrogate escape in variables', `{"query":${JSON.stringify(usersSearch)},"variables":{"s":"\\ud800"}}`),
    post('low surrogate escape in variables', `{"query":${JSON.stringify(usersSearch)},"variables":{"s":"a\\udc00b"}}`),
    post('NUL escape in variables', `{"query":${JSON.stringify(usersSearch)},"variables":{"s":"\\u0000"}}`),
    post('lone surrogate escape in an unused variable', `{"query":${JSON.stringify(typename)},"variables":{"zzz":"\\ud800"}}`),
    post('lone surrogate escape in a variable name', `{"query":${JSON.stringify(typename)},"variables":{"\\ud800":"x"}}`),
    post('lone surrogate in a string literal', `{"query":"{ users(search: \\"\\ud800\\") { totalCount } }"}`),
    post('GraphQL surrogate escape in a literal', JSON.stringify({ query: '{ users(search: "\\uD800") { totalCount } }' })),
    post('GraphQL NUL escape in a literal', JSON.stringify({ query: '{ users(search: "\\u0000") { totalCount } }' })),
    post('NUL in a block string', JSON.stringify({ query: '{ users(search: """a\u0000b""") { totalCount } }' })),
    post('NUL in a comment', JSON.stringify({ query: '# \u0000\n{ __typename }' })),
    post('lone surrogate in an operation name', `{"query":"query A\\ud800 { __typename }"}`),
    post(
      'invalid UTF-8 bytes',
      Buffer.concat([
        Buffer.from('{"query":"{ users(search: \\"'),
        Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.from('\\") { totalCount } }"}'),
      ]),
    ),
    post('deeply nested variables (declared)', `{"query":${JSON.stringify(updateUser)},"variables":{"i":${nested(5000)}}}`),
    post('deeply nested variables (undeclared)', `{"query":"{ __typename }","variables":{"zzz":${nested(5000)}}}`),
    post(
      'deeply nested list variable',
      `{"query":"mutation($t: [ID!]) { updateUser(input: { id: \\"${FALLBACK_ID}\\", teamIds: $t }) { id } }","variables":{"t":${nestedList(5000)}}}`,
    ),
    post('very deeply nested variables', `{"query":"{ __typename }","variables":{"zzz":${nested(200_00)}}}`),
    post(
      'NUL deep in an unused variable',
      `{"query":"{ __typename }","variables":{"zzz":${'{"a":'.repeat(30)}"\\u0000"${'}'.repeat(30)}}}`,
    ),
    post(
      'wide variables object',
      JSON.stringify({ query: typename, variables: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`v${i}`, i])) }),
    ),
    post(
      '__proto__ in an input',
      `{"query":${JSON.stringify(updateUser)},"variables":{"i":{"id":"${FALLBACK_ID}","__proto__":{"firstName":"Polluted"}}}}`,
    ),
    post(
      'constructor in an input',
      `{"query":${JSON.stringify(updateUser)},"variables":{"i":{"id":"${FALLBACK_ID}","constructor":{"prototype":{"x":1}}}}}`,
    ),
    post('body over 100 kB', JSON.stringify({ query: typename, variables: { pad: 'x'.repeat(110_000) } })),
    post('too many tokens', JSON.stringify({ query: `{ ${'__typename '.repeat(2100)} }` })),
    post(
      'explicit null for a directive argument (variable default)',
      JSON.stringify({ query: 'query($v: Boolean = true) { __typename @include(if: $v) }', variables: { v: null } }),
    ),
    post(
      'explicit null for __type(name:) (variable default)',
      JSON.stringify({ query: 'query($n: String = "User") { __type(name: $n) { name } }', variables: { n: null } }),
    ),
    post(
      'explicit null for users(sortBy:) (variable default)',
      JSON.stringify({ query: 'query($s: UserSortField = EMAIL) { users(sortBy: $s) { totalCount } }', variables: { s: null } }),
    ),
    post(
      'query nested too deep',
      JSON.stringify({ query: `{ __type(name: "User") { fields { type { ${'ofType { '.repeat(11)}name${' }'.repeat(11)} } } } }` }),
    ),
    post('text/plain JSON', JSON.stringify({ query: typename }), { 'content-type': 'text/plain' }),
    post('text/plain mutation', JSON.stringify({ query: 'mutation { createTeam(input: { name: "Plain" }) { id } }' }), {
      'content-type': 'text/plain',
    }),
    post('form-urlencoded', `query=${encodeURIComponent(typename)}`, { 'content-type': 'application/x-www-form-urlencoded' }),
    post('form-urlencoded mutation', `query=${encodeURIComponent('mutation { createTeam(input: { name: "Form" }) { id } }')}`, {
      'content-type': 'application/x-www-form-urlencoded',
    }),
    post('multipart', '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--b--\r\n', {
      'content-type': 'multipart/form-data; boundary=b',
    }),
    post('application/graphql', typename, { 'content-type': 'application/graphql' }),
    post('application/json latin1', JSON.stringify({ query: typename }), { 'content-type': 'application/json; charset=latin1' }),
    post('application/json utf-16', JSON.stringify({ query: typename }), { 'content-type': 'application/json; charset=utf-16' }),
    post('application/json utf-7', JSON.stringify({ query: typename }), { 'content-type': 'application/json; charset=utf-7' }),
    post('application/json bogus charset', JSON.stringify({ query: typename }), { 'content-type': 'application/json; charset=bogus' }),
    post('graphql-response+json', JSON.stringify({ query: typename }), { 'content-type': 'application/graphql-response+json' }),
    post('upper-case content type', JSON.stringify({ query: typename }), { 'content-type': 'APPLICATION/JSON' }),
    post('no content type', JSON.stringify({ query: typename }), {}),
    post('gzip encoding, not gzipped', JSON.stringify({ query: typename }), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    }),
    post('unknown encoding', JSON.stringify({ query: typename }), { 'content-type': 'application/json', 'content-encoding': 'br2' }),
    post('no CSRF header', JSON.stringify({ query: 'mutation { createTeam(input: { name: "NoCsrf" }) { id } }' }), json, false),
    post(
      'wrong CSRF header',
      JSON.stringify({ query: 'mutation { createTeam(input: { name: "BadCsrf" }) { id } }' }),
      { ...json, 'x-csrf-token': 'x'.repeat(43) },
      false,
    ),
    post('bad Authorization', JSON.stringify({ query: typename }), { ...json, authorization: 'Bearer nope' }),
    post('unknown token', JSON.stringify({ query: '{ me { theme } }' }), { ...json, authorization: `Bearer rst_${'a'.repeat(43)}` }),
    post('overlong token', JSON.stringify({ query: '{ me { theme } }' }), { ...json, authorization: `Bearer rst_${'a'.repeat(5000)}` }),
    post('Basic auth', JSON.stringify({ query: '{ me { theme } }' }), { ...json, authorization: 'Basic YWRtaW46YWRtaW4=' }),
    post('empty Authorization', JSON.stringify({ query: '{ me { theme } }' }), { ...json, authorization: '' }),
    post('apollo-require-preflight', JSON.stringify({ query: typename }), { ...json, 'apollo-require-preflight': 'true' }),
    ...['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'].map((method): HttpCase => ({
      type: 'http',
      who: 'admin',
      label: `${method} /graphql`,
      method,
      path: '/graphql',
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    })),
    ...[
      ['GET mutation', `mutation { createTeam(input: { name: "ViaGet" }) { id } }`],
      ['GET query', typename],
      ['GET users search with NUL', '{ users(search: "a\\u0000") { totalCount } }'],
      ['GET subscription', 'subscription { __typename }'],
    ].flatMap(([label, q]): HttpCase[] => [
      {
        type: 'http',
        who: 'admin',
        label,
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(q)}`,
        headers: { 'apollo-require-preflight': 'true' },
        csrf: true,
      },
      {
        type: 'http',
        who: 'admin',
        label: `${label} (no preflight header)`,
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(q)}`,
        csrf: true,
      },
    ]),
    {
      type: 'http',
      who: 'admin',
      label: 'GET, variables not JSON',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('query($s: String) { users(search: $s) { totalCount } }')}&variables=%7B`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, variables with %00',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('query($s: String) { users(search: $s) { totalCount } }')}&variables=${encodeURIComponent('{"s":"\\u0000"}')}`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, query %00',
      method: 'GET',
      path: '/graphql?query=%00',
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, query as invalid UTF-8',
      method: 'GET',
      path: '/graphql?query=%ED%A0%80',
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, query repeated',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(typename)}&query=${encodeURIComponent(typename)}`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, query[]',
      method: 'GET',
      path: `/graphql?query[]=${encodeURIComponent(typename)}`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, extensions not JSON',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(typename)}&extensions=%7B%7D%7D`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, persisted hash only',
      method: 'GET',
      path: `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(typename) } }))}`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, huge query',
      method: 'GET',
      path: `/graphql?query=${'x'.repeat(20_000)}`,
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'GET, malformed percent',
      method: 'GET',
      path: '/graphql?query=%E0%A4%A&variables=%',
      headers: { 'apollo-require-preflight': 'true' },
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'POST /graphql/',
      method: 'POST',
      path: '/graphql/',
      headers: json,
      body: JSON.stringify({ query: typename }),
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'POST /GRAPHQL',
      method: 'POST',
      path: '/GRAPHQL',
      headers: json,
      body: JSON.stringify({ query: typename }),
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'POST /graphql?x=1',
      method: 'POST',
      path: '/graphql?x=1&query=mutation%7B__typename%7D',
      headers: json,
      body: JSON.stringify({ query: typename }),
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'POST /graphql%00',
      method: 'POST',
      path: '/graphql%00',
      headers: json,
      body: JSON.stringify({ query: typename }),
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'POST /graphql;x',
      method: 'POST',
      path: '/graphql;x',
      headers: json,
      body: JSON.stringify({ query: typename }),
      csrf: true,
    },
    {
      type: 'http',
      who: 'admin',
      label: 'session cookie garbage',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({ query: '{ me { theme } }' }),
      cookies: { roster_session: 'garbage-garbage-garbage-garbage' },
    },
    {
      type: 'http',
      who: 'anonymous',
      label: 'session cookie bad percent',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({ query: '{ me { theme } }' }),
      cookies: { roster_session: '%E0%A4%A%00%ff' + 'x'.repeat(20) },
    },
    {
      type: 'http',
      who: 'anonymous',
      label: 'session cookie huge',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({ query: '{ me { theme } }' }),
      cookies: { roster_session: 'x'.repeat(20_000) },
    },
    {
      type: 'http',
      who: 'anonymous',
      label: 'device cookie garbage',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({
        query: 'mutation { signIn(input: { email: "nobody@example.com", password: "wrong password" }) { twoFactorRequired } }',
      }),
      cookies: { roster_device: 'a.b.c' },
    },
    {
      type: 'http',
      who: 'admin',
      label: 'cookie j: JSON',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({ query: '{ me { theme } }' }),
      cookies: { roster_session: 'j:{"a":1}', roster_device: 'j:[1,2]' },
    },
    {
      type: 'http',
      who: 'anonymous',
      label: 'cookie s: signed',
      method: 'POST',
      path: '/graphql',
      headers: json,
      body: JSON.stringify({ query: '{ me { theme } }' }),
      cookies: { roster_session: 's:abc.def' },
    },
    {
      type: 'http',
      who: 'anonymous',
      label: 'X-Forwarded-For garbage',
      method: 'POST',
      path: '/graphql',
      headers: { ...json, 'x-forwarded-for': 'not-an-ip, ::ffff:1.2.3.4, 999.999.999.999' },
      body: JSON.stringify({
        query: 'mutation { signIn(input: { email: "nobody@example.com", password: "wrong password" }) { twoFactorRequired } }',
      }),
    },
    { type: 'http', who: 'anonymous', label: 'GET /auth/sso', method: 'GET', path: '/auth/sso?invitation=%00&link=1' },
    {
      type: 'http',
      who: 'anonymous',
      label: 'GET /auth/sso repeated invitation',
      method: 'GET',
      path: '/auth/sso?invitation=a&invitation=b',
    },
    { type: 'http', who: 'anonymous', label: 'GET /auth/sso/callback', method: 'GET', path: '/auth/sso/callback?code=%ED%A0%80&state=%00' },
    { type: 'http', who: 'anonymous', label: 'GET /readyz?x', method: 'GET', path: '/readyz?%00=%ED%A0%80' },
    { type: 'http', who: 'anonymous', label: 'GET /playground/../package.json', method: 'GET', path: '/playground/..%2f..%2fpackage.json' },
  ];
}

const EXPORT_FORMATS = ['csv', 'xlsx', 'CSV', 'XLSX', 'pdf', '', 'csv%00', '%ED%A0%80', 'xls', 'csv%20', '%20csv', 'x'.repeat(11), '%'];
const EXPORT_SEARCHES_RAW = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ED%B0%80',
  '%C0%80',
  '%FF',
  '%',
  '%zz',
  '%25',
  '_',
  '%5C',
  "'",
  '%22',
  'x'.repeat(254),
  'x'.repeat(255),
  'x'.repeat(10_000),
  'x'.repeat(20_000),
  'ad',
  'admin',
  '+',
  '%2B',
  '%F0%9F%98%80',
  '%E2%80%AE',
  '%C2%A0',
];
const EXPORT_EXTRAS = [
  '',
  '',
  '',
  '&format=xlsx',
  '&format=csv',
  '&search=b',
  '&search[]=a',
  '&search[a]=b',
  '&format[]=csv',
  '&format=',
  '&search=',
  '&utm=1',
  '&search=%00',
];

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...s].map((ch) => (/[\uD800-\uDFFF]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

const exportCase: fc.Arbitrary<HttpCase> = fc
  .record({
    who: whoArbitrary,
    format: fc.option(fc.constantFrom(...EXPORT_FORMATS), { nil: undefined }),
    search: fc.option(fc.oneof(fc.constantFrom(...EXPORT_SEARCHES_RAW), hostileString.map(safeEncode)), { nil: undefined }),
    extra: fc.constantFrom(...EXPORT_EXTRAS),
  })
  .map(({ who, format, search, extra }) => {
    const params = [format !== undefined ? `format=${format}` : null, search !== undefined ? `search=${search}` : null]
      .filter(Boolean)
      .join('&');
    const q = `${params}${extra}`.replace(/^&/, '');
    return { type: 'http', who, label: 'GET /api/export/users', method: 'GET', path: `/api/export/users${q ? `?${q}` : ''}` };
  });

/**
 * Inputs that broke the server once, pinned so that every run tries them whatever the seed
 * (the generators find them too, but not in every run).
 */
const PINNED: GqlCase[] = [
  // An audit cursor beyond bigint.
  { type: 'gql', who: 'admin', field: 'auditEvents', args: { after: '9223372036854775808' }, mode: 'variables' },
  // Explicit null for arguments that have a default (through a nullable variable).
  { type: 'gql', who: 'admin', field: 'auditEvents', args: { first: null }, mode: 'variables' },
  { type: 'gql', who: 'anonymous', field: 'users', args: { sortDirection: null }, mode: 'variables' },
  // Users cursors whose timestamp JavaScript accepts and PostgreSQL does not.
  ...['2024-02-30T00:00:00Z', '0000-01-01T00:00:00Z'].map((key): GqlCase => ({
    type: 'gql',
    who: 'viewer',
    field: 'users',
    args: { sortBy: 'LAST_CONNECTION', first: 10, after: new CursorRef(['$sortBy', key, new Ref('user', 0)]) },
    mode: 'variables',
  })),
];

function caseArbitrary(schema: GraphQLSchema): fc.Arbitrary<Case> {
  const fields = operationFields(schema);
  // Fields with arguments have more to get wrong: three times the share of those without.
  const fieldName = fc.oneof(
    {
      arbitrary: fc.constantFrom(...fields.filter((f) => f.field.args.length).map((f) => f.name)),
      weight: 3 * fields.filter((f) => f.field.args.length).length,
    },
    {
      arbitrary: fc.constantFrom(...fields.filter((f) => !f.field.args.length).map((f) => f.name)),
      weight: fields.filter((f) => !f.field.args.length).length,
    },
  );
  const gql = fieldName.chain((field) =>
    fc
      .record({
        who: whoArbitrary,
        args: argumentsArbitrary(schema, field, hooks),
        mode: fc.constantFrom<'variables' | 'literals'>('variables', 'variables', 'variables', 'literals'),
        coherent: fc.boolean(),
        extra: fc.oneof(
          { arbitrary: fc.constant(undefined), weight: 95 },
          { arbitrary: fc.tuple(fc.constantFrom('zzz', 'unused'), fc.oneof(hostileString, wrongShape)), weight: 5 },
        ),
      })
      .map((r): GqlCase => ({ type: 'gql', field, ...r })),
  );
  // users has the most to parse (cursors, search, sort): an extra share of plausible pages whose cursor is crafted
  // for the sort asked (a key of the column's type, or not), so that the cursor is what the server has to deal with.
  const page = fc.option(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(...INT_EDGES)), { nil: undefined, freq: 3 });
  const users = fc.constantFrom(...SORT_FIELDS).chain((sortBy) =>
    fc
      .record({
        who: fc.constantFrom<Who>('admin', 'admin', 'admin', 'bearer', 'viewer'),
        args: fc
          .record({
            first: page,
            last: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined, freq: 2 }),
            search: fc.option(fc.oneof(fc.constantFrom(...SEARCHES), hostileString), { nil: undefined, freq: 2 }),
            sortBy: sortBy === 'EMAIL' ? fc.constantFrom(undefined, 'EMAIL') : fc.constant(sortBy),
            sortDirection: fc.option(fc.constantFrom('ASC', 'DESC'), { nil: undefined, freq: 3 }),
            dir: fc.constantFrom('after', 'before'),
            cursor: fc.oneof(
              { arbitrary: fc.tuple(typedCursorKey(sortBy), cursorId).map(([k, id]) => new CursorRef([sortBy, k, id])), weight: 70 },
              { arbitrary: cursorArbitrary, weight: 30 },
            ),
          })
          .map(({ dir, cursor, ...a }) => ({
            ...(dir === 'before' ? { ...a, first: undefined } : { ...a, last: undefined }),
            [dir]: cursor,
          })),
        mode: fc.constantFrom<'variables' | 'literals'>('variables', 'variables', 'literals'),
      })
      .map((r): GqlCase => ({ type: 'gql', field: 'users', ...r })),
  );
  // Plausible arguments with one hostile value poked in: the case reaches the resolver with exactly one thing wrong.
  const poked = fieldName.chain((field) =>
    fc
      .record({
        who: whoArbitrary,
        args: argumentsArbitrary(schema, field, plausibleHooks),
        pick: fc.nat(),
        value: pokeValue,
        poke: fc.boolean(),
        mode: fc.constantFrom<'variables' | 'literals'>('variables', 'variables', 'variables', 'literals'),
        coherent: fc.constantFrom(true, true, true, false),
      })
      .map(({ who, args, pick, value, poke, mode, coherent }): GqlCase => {
        const leaves = leafPaths(args);
        const poked = poke && leaves.length ? (pokeAt(args, leaves[pick % leaves.length], value) as Record<string, unknown>) : args;
        return { type: 'gql', field, who, args: poked, mode, coherent };
      }),
  );
  const protocol = fc
    .tuple(fc.constantFrom(...graphqlProtocolCases()), whoArbitrary)
    .map(([c, who]): HttpCase => ({ ...c, who: c.who === 'anonymous' ? 'anonymous' : who }));
  return fc.oneof(
    { arbitrary: gql, weight: 38 },
    { arbitrary: poked, weight: 34 },
    { arbitrary: users, weight: 8 },
    { arbitrary: exportCase, weight: 8 },
    { arbitrary: protocol, weight: 12 },
  );
}

// ---------------------------------------------------------------------------------------------
// Printing and checking

/** JSON for people: long strings shortened (with their length), NUL and surrogates escaped by JSON. */
function show(value: unknown, max = 2000): string {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'string' && v.length > 120) {
      const head = v.slice(0, 40);
      const uniform = [...new Set(v)].length === 1 || v === head[0].repeat(v.length);
      return uniform ? `<${JSON.stringify(head[0]).slice(1, -1)} × ${v.length}>` : `${head}…<${v.length} chars>`;
    }
    return v;
  });
  return text.length > max ? `${text.slice(0, max)}…<${text.length} chars>` : text;
}

interface Observed {
  status: number;
  text: string;
  networkError?: string;
}

/** What the cases read back from a JSON answer. */
interface Body {
  errors?: unknown;
  code?: unknown;
  message?: unknown;
  data?: Record<string, { url?: unknown; challengeToken?: unknown; pageInfo?: Record<string, unknown> } | null | undefined> | null;
}

function problemsOf(
  r: Observed,
  graphql: boolean,
): { problems: string[]; refused: boolean; codes: string[]; messages: string[]; json: Body | undefined } {
  const problems: string[] = [];
  if (r.networkError) problems.push(`connection failed: ${r.networkError}`);
  if (r.status >= 500) problems.push(`HTTP ${r.status}`);
  if (STACK.test(r.text)) problems.push(`stack trace in the response (${STACK.exec(r.text)?.[0].slice(0, 120)})`);
  if (r.text.includes('node_modules')) problems.push('node_modules path in the response');
  let json: Body | undefined;
  try {
    const parsed: unknown = JSON.parse(r.text);
    json = parsed && typeof parsed === 'object' ? (parsed as Body) : {};
  } catch {
    json = undefined;
  }
  const codes: string[] = [];
  const messages: string[] = [];
  const errors = json?.errors;
  if (Array.isArray(errors)) {
    for (const e of errors as { message?: unknown; extensions?: { code?: unknown } }[]) {
      const code = e?.extensions?.code;
      messages.push(String(e?.message ?? ''));
      if (typeof code !== 'string') problems.push(`GraphQL error without a string extensions.code: ${show(e, 300)}`);
      else {
        codes.push(code);
        if (code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
      }
    }
  } else if (json && typeof json === 'object' && typeof json.code === 'string') {
    codes.push(json.code);
    messages.push(String(json.message ?? ''));
    if (json.code === 'INTERNAL_SERVER_ERROR') problems.push('INTERNAL_SERVER_ERROR');
  }
  if (graphql && !r.networkError && json === undefined) problems.push(`GraphQL answer is not JSON: ${r.text.slice(0, 200)}`);
  const refused = Boolean(r.networkError) || r.status >= 400 || (Array.isArray(errors) && errors.length > 0);
  return { problems, refused, codes, messages, json };
}

/** The decoded JSON of crafted users cursors, for the report. */
function describeCursors(args: Record<string, unknown>): string {
  const out: string[] = [];
  for (const k of ['after', 'before']) {
    const v = args[k];
    if (typeof v !== 'string' || v.length > 2000) continue;
    const decoded = Buffer.from(v, 'base64url').toString('utf8');
    if (/^[[{"]/.test(decoded)) out.push(`${k} decodes to ${show(decoded, 600)}`);
  }
  return out.length ? `\n    (${out.join('; ')})` : '';
}

/** The first error the server logged (pino JSON or text), without its stack. */
function serverLogOf(output: string): string {
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    try {
      const j = JSON.parse(t) as { msg?: unknown; err?: { message?: unknown } };
      const msg = String(j.err?.message ?? j.msg ?? '');
      if (msg) return msg.split('\n')[0].slice(0, 300);
    } catch {
      if (!/^\s*at /.test(t)) return t.slice(0, 300);
    }
  }
  return '';
}

interface Failure {
  signature: string;
  problems: string[];
  request: string;
  observed: string;
  changedTables: string[];
  count: number;
}

// ---------------------------------------------------------------------------------------------

describe('hostile input (property-based)', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  const clients = {} as Record<Who, Client>;
  let adminPassword = STRONG_PASSWORD;
  let bearerTokenId = '';
  let bearerSecret = '';
  let mfa: { client: Client; userId: string; secret: string; email: string };
  let serial = 0;
  const invitationTokens: string[] = [];
  const challengeTokens: string[] = [];
  const cursors: string[] = [];
  let fingerprintSql = '';
  let poolSql = '';

  const SIGN_IN = `mutation($i: SignInInput!) { signIn(input: $i) { twoFactorRequired challengeToken } }`;

  async function signIn(client: Client, email: string, password: string) {
    return client.ok(SIGN_IN, { i: { email, password } });
  }

  async function newBearer(): Promise<void> {
    const r = await app.admin.ok(`mutation { createApiToken(input: { name: "hostile-input ${++serial}" }) { secret token { id } } }`);
    bearerTokenId = r.createApiToken.token.id;
    bearerSecret = r.createApiToken.secret;
    clients.bearer = app.client({ bearer: bearerSecret });
  }

  async function newViewer(): Promise<void> {
    clients.viewer = (await app.register(`viewer-${++serial}@example.com`, 'VIEWER')).client;
  }

  /** Turns two-factor authentication on for the 2FA user (not always possible: the cases may have spent its attempts). */
  async function enableMfa(): Promise<void> {
    const setup = await mfa.client.gql(`mutation { startTwoFactorSetup { secret } }`);
    const secret: unknown = setup.data?.startTwoFactorSetup?.secret;
    if (typeof secret !== 'string') return;
    const done = await mfa.client.gql(`mutation($i: TwoFactorCodeInput!) { completeTwoFactorSetup(input: $i) { recoveryCodes } }`, {
      i: { code: authenticator(secret) },
    });
    if (done.data?.completeTwoFactorSetup) mfa.secret = secret;
  }

  async function newMfaUser(): Promise<void> {
    const email = `mfa-${++serial}@example.com`;
    const r = await app.register(email, 'MEMBER');
    mfa = { client: r.client, userId: r.userId, secret: '', email };
    // A device cookie for later sign-ins (refused once the cases exhausted the address's limit: then the session from registering is kept).
    await mfa.client.gql(SIGN_IN, { i: { email, password: STRONG_PASSWORD } });
    await enableMfa();
  }

  async function invite(n: number): Promise<void> {
    const teams = await app.sql<{ id: string }>(`SELECT id FROM teams ORDER BY random() LIMIT 1`);
    for (let i = 0; i < n; i++) {
      const inv = await app.invite(
        `fodder-${++serial}@example.com`,
        i % 2 ? 'MEMBER' : 'VIEWER',
        teams.map((t) => t.id),
      );
      invitationTokens.push(inv.token);
    }
  }

  /** After a request that succeeded: put back what the suite relies on (signed-in admin, a Viewer, a token, fodder). */
  async function maintain(): Promise<void> {
    const me = await app.admin.gql(`{ me { user { id } } }`);
    if (!me.data?.me) {
      const r = await app.admin.gql(SIGN_IN, { i: { email: ADMIN_EMAIL, password: adminPassword } });
      if (r.errors?.length) throw new Error(`The admin could not sign in again: ${show(r.errors)}`);
    }
    const v = await clients.viewer.gql(`{ me { user { role { key } } } }`);
    if (v.data?.me?.user?.role?.key !== 'VIEWER') await newViewer();
    const [st] = await app.sql<{ invited: number; teams: number; bearer: number; mfa_exists: number; mfa_on: boolean | null }>(
      `SELECT (SELECT count(*) FROM users WHERE status = 'INVITED')::int AS invited, (SELECT count(*) FROM teams)::int AS teams,
              (SELECT count(*) FROM api_tokens WHERE id = $1)::int AS bearer, (SELECT count(*) FROM users WHERE id = $2)::int AS mfa_exists,
              (SELECT totp_enabled_at IS NOT NULL FROM users WHERE id = $2) AS mfa_on`,
      [bearerTokenId, mfa.userId],
    );
    if (st.teams < 3)
      for (let i = st.teams; i < 3; i++)
        await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: `Fodder team ${++serial}` });
    if (st.invited < 3) await invite(3 - st.invited);
    if (!st.bearer) await newBearer();
    if (!st.mfa_exists) await newMfaUser();
    else if (!st.mfa_on) {
      const m = await mfa.client.gql(`{ me { user { id } } }`);
      if (!m.data?.me) await mfa.client.gql(SIGN_IN, { i: { email: mfa.email, password: STRONG_PASSWORD } });
      if ((await mfa.client.gql(`{ me { user { id } } }`)).data?.me) await enableMfa();
    }
  }

  /** Every 150 cases: a fresh sign-in challenge for the two-factor user (signed in from its own device). */
  async function replenish(): Promise<void> {
    const r = await mfa.client.gql(SIGN_IN, { i: { email: mfa.email, password: STRONG_PASSWORD } });
    if (typeof r.data?.signIn?.challengeToken === 'string') challengeTokens.push(r.data.signIn.challengeToken);
  }

  async function pools(): Promise<{ pools: Pools; fingerprint: Record<string, string> }> {
    const [row] = await app.sql<Record<string, unknown>>(`SELECT ${fingerprintSql}, ${poolSql}`, [ADMIN_EMAIL]);
    const fingerprint: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) if (k.startsWith('fp_')) fingerprint[k.slice(3)] = String(v);
    const list = (k: string) => (row[k] as string[] | null) ?? [];
    return {
      fingerprint,
      pools: {
        user: list('p_user'),
        invited: list('p_invited'),
        role: list('p_role'),
        team: list('p_team'),
        apiToken: list('p_api_token'),
        audit: list('p_audit'),
        email: list('p_email'),
        invitationToken: invitationTokens.slice(-30),
        challengeToken: challengeTokens.slice(-30),
        totp: mfa.secret ? [authenticator(mfa.secret)] : [],
        cursor: cursors.slice(-60),
      },
    };
  }

  async function fingerprintNow(): Promise<Record<string, string>> {
    const [row] = await app.sql<Record<string, unknown>>(`SELECT ${fingerprintSql}`);
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k.slice(3), String(v)]));
  }

  function cloneOf(who: Who): Client {
    const base = clients[who];
    const c = who === 'bearer' ? app.client({ bearer: bearerSecret }) : app.client();
    for (const [k, v] of base.cookies) c.cookies.set(k, v);
    return c;
  }

  async function observe(run: () => Promise<Response>): Promise<Observed> {
    try {
      const res = await run();
      const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
      return { status: res.status, text };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      return {
        status: 0,
        text: '',
        networkError: `${err.message}${err.cause ? ` (${err.cause.code ?? ''} ${err.cause.message ?? ''})` : ''}`,
      };
    }
  }

  beforeAll(async () => {
    app = await startApp('hostile');
    schema = loadSchema();
    // A device cookie for the admin's client: later sign-ins count on it alone (not the address, which the cases exhaust).
    await signIn(app.admin, ADMIN_EMAIL, adminPassword);
    clients.admin = app.admin;
    clients.anonymous = app.client();
    await newViewer();
    await app.register('member@example.com', 'MEMBER');
    await app.register('manager@example.com', 'MANAGER');
    for (const name of ['Alpha', 'Ünïcödé 😀', '100% _off\\'])
      await app.admin.ok(`mutation($n: String!) { createTeam(input: { name: $n }) { id } }`, { n: name });
    await newMfaUser();
    await invite(4);
    await newBearer();
    for (const sortBy of SORT_FIELDS) {
      const r = await app.admin.ok(`query($s: UserSortField!) { users(first: 3, sortBy: $s) { pageInfo { startCursor endCursor } } }`, {
        s: sortBy,
      });
      cursors.push(r.users.pageInfo.startCursor, r.users.pageInfo.endCursor);
    }

    // The fingerprint: every table but rate_limits and mfa_challenges, without the columns that move on any request.
    const tables = await app.sql<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const dropColumns: Record<string, string[]> = { sessions: ['last_seen_at'], api_tokens: ['last_used_at'] };
    const skip = new Set(['rate_limits', 'mfa_challenges']);
    fingerprintSql = tables
      .filter((t) => !skip.has(t.table_name))
      .map(({ table_name: t }) => {
        const row = `(to_jsonb(t)${(dropColumns[t] ?? []).map((c) => ` - '${c}'`).join('')})::text`;
        return `(SELECT md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) FROM "${t}" t) AS "fp_${t}"`;
      })
      .join(',\n');
    expect(fingerprintSql).toContain('fp_users');
    expect(fingerprintSql).toContain('fp_audit_events');
    expect(fingerprintSql).not.toContain('fp_rate_limits');
    // The fingerprint sees a change of data, and not a session merely being used.
    const fp0 = await fingerprintNow();
    await app.sql(`UPDATE sessions SET last_seen_at = last_seen_at - interval '1 minute'`);
    await app.sql(`UPDATE api_tokens SET last_used_at = now()`);
    expect(await fingerprintNow()).toEqual(fp0);
    await app.admin.ok(`mutation { createTeam(input: { name: "Fingerprint check" }) { id } }`);
    const fp1 = await fingerprintNow();
    expect(
      Object.keys(fp0)
        .filter((t) => fp0[t] !== fp1[t])
        .sort(),
    ).toEqual(['audit_events', 'teams']);
    poolSql = `
      (SELECT json_agg(id ORDER BY created_at, id) FROM users) AS p_user,
      (SELECT json_agg(id ORDER BY created_at, id) FROM users WHERE status = 'INVITED') AS p_invited,
      (SELECT json_agg(id ORDER BY rank) FROM roles) AS p_role,
      (SELECT json_agg(id ORDER BY created_at, id) FROM teams) AS p_team,
      (SELECT json_agg(id ORDER BY created_at, id) FROM api_tokens) AS p_api_token,
      (SELECT json_agg(id::text) FROM (SELECT id FROM audit_events ORDER BY id DESC LIMIT 30) a) AS p_audit,
      (SELECT json_agg(email ORDER BY created_at) FROM users WHERE email <> $1) AS p_email`;
  }, 120_000);

  afterAll(() => app?.close());

  it(`keeps every property for ${RUNS} generated cases (seed ${SEED})`, async () => {
    console.log(`hostile-input: seed ${SEED} (FC_SEED=${SEED} reproduces), ${RUNS} generated cases`);
    // Every HTTP edge case once and the pinned cases (enumerated), then the generated ones.
    const cases: Case[] = [...graphqlProtocolCases(), ...PINNED, ...fc.sample(caseArbitrary(schema), { numRuns: RUNS, seed: SEED })];
    const operationKind = new Map(operationFields(schema).map((f) => [f.name, f.kind]));
    // Every Query and Mutation field but signOut is generated (and signOut is not).
    const generated = new Set(cases.flatMap((c) => (c.type === 'gql' ? [c.field] : [])));
    expect([...operationKind.keys()].filter((f) => !generated.has(f))).toEqual([]);
    expect(generated.has('signOut')).toBe(false);
    const failures = new Map<string, Failure>();
    const outcomes = new Map<string, { ok: number; refused: number; codes: Map<string, number> }>();
    const started = Date.now();

    for (const [index, c] of cases.entries()) {
      const { pools: p, fingerprint: before } = await pools();
      const logMark = app.server.output().length;
      const client = cloneOf(c.who);
      let request: string;
      let target: string;
      let observed: Observed;
      let graphql = false;
      let resolvedArgs: Record<string, unknown> = {};
      if (c.type === 'gql') {
        const sortBy =
          typeof c.args['sortBy'] === 'string' && SORT_FIELDS.includes(c.args['sortBy'] as string) ? (c.args['sortBy'] as string) : 'EMAIL';
        const args = resolve(c.args, p, sortBy) as Record<string, unknown>;
        if (c.coherent) {
          for (const input of Object.values(args)) {
            if (!input || typeof input !== 'object' || Array.isArray(input)) continue;
            const o = input as Record<string, unknown>;
            if ('password' in o && 'passwordConfirmation' in o) o['passwordConfirmation'] = o['password'];
            if ('newPassword' in o && 'newPasswordConfirmation' in o) o['newPasswordConfirmation'] = o['newPassword'];
          }
        }
        const call = buildCall(schema, c.field, args, {
          mode: c.mode,
          selections: {
            InvitationResult: '{ url }',
            SignInResult: '{ twoFactorRequired challengeToken }',
            UserConnection: '{ totalCount pageInfo { startCursor endCursor } }',
          },
        });
        const variables = c.extra ? { ...call.variables, [c.extra[0]]: resolve(c.extra[1], p, sortBy) } : call.variables;
        resolvedArgs = args;
        graphql = true;
        target = `${call.kind} ${c.field}`;
        request = `POST /graphql as ${c.who}: ${show({ query: call.query.length > 3000 ? call.query : '<below>', variables })}${call.query.length > 3000 ? '' : `\n    query: ${call.query}`}${describeCursors(args)}`;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const csrf = client.cookies.get('roster_csrf');
        if (csrf) headers['x-csrf-token'] = csrf;
        observed = await observe(() =>
          client.fetch('/graphql', {
            method: 'POST',
            headers,
            body: JSON.stringify(variables && Object.keys(variables).length ? { query: call.query, variables } : { query: call.query }),
          }),
        );
      } else {
        target = c.label;
        for (const [k, v] of Object.entries(c.cookies ?? {})) client.cookies.set(k, v);
        const headers: Record<string, string> = { ...(c.headers ?? {}) };
        const csrf = client.cookies.get('roster_csrf');
        if (c.csrf && csrf) headers['x-csrf-token'] = csrf;
        request = `${c.method} ${c.path.length > 300 ? `${c.path.slice(0, 200)}…<${c.path.length} chars>` : c.path} as ${c.who}${c.cookies ? ` with cookies ${show(c.cookies, 300)}` : ''}, headers ${show(headers, 400)}${c.body !== undefined ? `, body ${typeof c.body === 'string' ? show(c.body, 800) : `<${c.body.length} bytes, latin1: ${JSON.stringify(Buffer.from(c.body).toString('latin1'))}>`}` : ''}`;
        observed = await observe(() =>
          client.fetch(c.path, {
            method: c.method,
            headers,
            body: c.method === 'GET' || c.method === 'HEAD' ? undefined : (c.body as BodyInit | undefined),
          }),
        );
      }

      const verdict = problemsOf(observed, graphql);
      if (process.env['HOSTILE_DEBUG'])
        process.stdout.write(
          `#${index} ${request.slice(0, 400)}\n   -> ${observed.status} ${observed.networkError ?? ''} ${observed.text.slice(0, 300)}\n`,
        );
      let changedTables: string[] = [];
      if (verdict.refused) {
        const after = await fingerprintNow();
        changedTables = Object.keys(before).filter((t) => before[t] !== after[t]);
        if (changedTables.length) verdict.problems.push(`a refused request changed data (${changedTables.join(', ')})`);
      }
      const tally = outcomes.get(target) ?? { ok: 0, refused: 0, codes: new Map<string, number>() };
      tally[verdict.refused ? 'refused' : 'ok']++;
      const outcome = `${c.who}:${verdict.codes[0] ?? (verdict.refused ? `HTTP ${observed.status}` : 'OK')}`;
      tally.codes.set(outcome, (tally.codes.get(outcome) ?? 0) + 1);
      outcomes.set(target, tally);

      if (verdict.problems.length) {
        const kinds = verdict.problems.map((x) => x.replace(/\(.*$/, '').replace(/:.*/, '').trim()).join('+');
        const normalise = (m: string) =>
          m
            .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '<uuid>')
            .replace(/"[^"]*"/g, '"…"')
            .replace(/\d+/g, 'N')
            .slice(0, 100);
        await new Promise((r) => setTimeout(r, 50)); // let the server's log line arrive
        const serverLog = serverLogOf(app.server.output().slice(logMark));
        const message = normalise(verdict.messages[0] ?? observed.networkError ?? observed.text.slice(0, 80));
        const signature = `${target} | ${kinds} | ${verdict.codes.join(',') || `HTTP ${observed.status}`} | ${message}${serverLog ? ` | log: ${normalise(serverLog)}` : ''}`;
        const entry: Failure = {
          signature,
          problems: verdict.problems,
          request,
          observed: `case #${index}: HTTP ${observed.status}${observed.networkError ? ` (${observed.networkError})` : ''} ${observed.text.length > 600 ? `${observed.text.slice(0, 600)}…` : observed.text}${serverLog ? `\n  server log: ${serverLog}` : ''}`,
          changedTables,
          count: 1,
        };
        const seen = failures.get(signature);
        if (!seen) failures.set(signature, entry);
        else {
          seen.count++;
          if (entry.request.length < seen.request.length) Object.assign(seen, { ...entry, count: seen.count });
        }
      }

      // Harvest single-use secrets the later cases can use: invitation tokens, sign-in challenges.
      const data = verdict.json?.data;
      for (const key of ['createInvitation', 'regenerateInvitation']) {
        const url = data?.[key]?.url;
        if (typeof url === 'string') invitationTokens.push(new URL(url).searchParams.get('token') ?? '');
      }
      const challenge = data?.['signIn']?.challengeToken;
      if (typeof challenge === 'string') challengeTokens.push(challenge);
      for (const k of ['startCursor', 'endCursor']) {
        const cursor = data?.['users']?.pageInfo?.[k];
        if (typeof cursor === 'string') cursors.push(cursor);
      }
      if (index % 150 === 149) await replenish();
      if (c.type === 'gql' && c.field === 'changeMyPassword' && c.who === 'admin' && !verdict.refused) {
        adminPassword = String((resolvedArgs['input'] as { newPassword?: unknown } | undefined)?.newPassword ?? adminPassword);
      }
      const wrote = c.type === 'gql' ? operationKind.get(c.field) === 'mutation' : c.method !== 'GET';
      if ((wrote && !verdict.refused) || observed.networkError) await maintain();
    }

    const seconds = (Date.now() - started) / 1000;
    const coverage = [...outcomes.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([t, o]) =>
          `${t}: ${o.ok} ok, ${o.refused} refused (${[...o.codes]
            .sort((a, b) => b[1] - a[1])
            .map(([k, n]) => `${k} ${n}`)
            .join(', ')})`,
      )
      .join('\n  ');
    console.log(`hostile-input: ${cases.length} cases in ${seconds.toFixed(1)} s (seed ${SEED})\n  ${coverage}`);

    const ready = await observe(() => app.client().fetch('/readyz'));
    expect(ready.status).toBe(200);

    if (failures.size) {
      const report = [...failures.values()]
        .map(
          (f, i) =>
            `#${i + 1} ×${f.count} ${f.signature}\n  problems: ${f.problems.join('; ')}\n  request: ${f.request}\n  observed: ${f.observed}`,
        )
        .join('\n\n');
      throw new Error(
        `${failures.size} distinct failures over ${cases.length} cases (seed ${SEED}; FC_SEED=${SEED} to replay):\n\n${report}`,
      );
    }
    expect(cases.length).toBeGreaterThanOrEqual(2000);
  }, 600_000);
});
