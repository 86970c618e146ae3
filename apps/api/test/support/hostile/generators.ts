import fc from 'fast-check';
import { GraphQLSchema } from 'graphql';
import { STRONG_PASSWORD } from '../app';
import { ArbitraryHooks, argumentsArbitrary, idKind, operationFields, stringKind, targetKind, ValuePath } from '../schema-cases';
import { Case, CursorRef, GqlCase, HttpCase, Ref, RefKind, Who } from './cases';
import { graphqlProtocolCases } from './protocol-cases';

/**
 * The hostile-input generators (fast-check): values derived from each argument's type — real ids and garbage, NUL and
 * lone surrogates, 10k-character strings, edge numbers, wrong JSON types, invalid enums, crafted cursors — and the
 * cases built from them: fully random arguments, plausible arguments with one hostile value poked in, users pages with
 * cursors crafted for their sort, exports, and protocol cases sent as someone else. `caseArbitrary` is the mix;
 * sampled with the same seed, it gives the same cases.
 */

// ---------------------------------------------------------------------------------------------
// Value pools

export const HOSTILE_STRINGS: string[] = [
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
export const LONG_STRINGS: string[] = [
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

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 50 },
  { arbitrary: fc.constantFrom(...LONG_STRINGS), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 12 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 10 },
  { arbitrary: fc.string({ unit: hostileUnit, maxLength: 12 }), weight: 15 },
  { arbitrary: fc.string({ unit: surrogateUnit, minLength: 1, maxLength: 3 }), weight: 5 },
);

export const INT_EDGES = [
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
export const wrongShape: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant('x'),
  fc.constant(''),
  fc.integer(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constantFrom(deepObject(30), deepList(30), deepObject(1000)),
);

// Organizations: X-Roster-Organization values, slugs, email domains.

/** UTF-8 bytes read as Latin-1: what a raw client's non-ASCII header value is on the wire (a header carries bytes). */
const wire = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

/** X-Roster-Organization values naming nothing: empty, long, malformed, SQL-ish, reserved, non-ASCII, a UUID of nothing. */
const ORGANIZATION_HEADERS: string[] = [
  '',
  ' ',
  'nobody-here',
  'a'.repeat(41),
  'a'.repeat(5000),
  '00000000-0000-4000-8000-000000000000',
  '0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '0b7f1c3e9d2a4e658f102c3d4e5f6a7b',
  '{0b7f1c3e-9d2a-4e65-8f10-2c3d4e5f6a7b}',
  "x' OR '1'='1",
  "'; DROP TABLE organizations; --",
  '$1',
  '%',
  '_',
  '%_%',
  '\\',
  '-leading',
  'trailing-',
  'under_score',
  'two words',
  'a,b',
  'api',
  'graphql',
  'null',
  '0',
  wire('café'),
  wire('zz-b-örg'),
  wire('😀'),
  wire('\u202eevil'),
  wire('ａｂｃ'),
  'caf\u00e9',
];

const randomToken = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
const ref = (kind: RefKind) =>
  fc
    .tuple(
      fc.nat(1000),
      fc.constantFrom<'plain' | 'upper' | 'padded' | 'foreign'>('plain', 'plain', 'plain', 'plain', 'upper', 'padded', 'foreign'),
    )
    .map(([i, v]) => new Ref(kind, i, v));

/** The caller's own organization named otherwise (id, any case), another's, or nothing at all. */
const organizationHeaderArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...ORGANIZATION_HEADERS), weight: 60 },
  { arbitrary: fc.uuid(), weight: 8 },
  { arbitrary: ref('slug'), weight: 16 },
  { arbitrary: ref('organization'), weight: 10 },
  { arbitrary: fc.string({ unit: fc.constantFrom('a', 'z', '0', '-', '_', ' ', '.', "'", '%'), maxLength: 45 }), weight: 6 },
);
/** Now and then, instead of the caller's own organization. */
export const organizationHeader: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 88 },
  { arbitrary: organizationHeaderArbitrary, weight: 12 },
);
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
const ALL_REF_KINDS: RefKind[] = [
  'user',
  'invited',
  'role',
  'team',
  'apiToken',
  'audit',
  'organization',
  'webhookEndpoint',
  'webhookDelivery',
];

const lastName = (p: ValuePath) => p.names[p.names.length - 1] ?? '';

/** The operators' operations on one organization name it by `id` (setOrganizationDomains too). */
const namesOrganization = (p: ValuePath) =>
  targetKind(p) === 'organization' || (p.field === 'setOrganizationDomains' && lastName(p) === 'id');

/** What an ID names, as the generators' references tell it: idKind, and organizations, webhook endpoints and deliveries. */
const refKindOf = (p: ValuePath) => {
  if (namesOrganization(p)) return 'organization';
  const kind = targetKind(p);
  return kind === 'webhookEndpoint' || kind === 'webhookDelivery' ? kind : idKind(p);
};

function idArbitrary(p: ValuePath): fc.Arbitrary<unknown> {
  const kind = refKindOf(p);
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

export const SORT_FIELDS = ['EMAIL', 'FIRST_NAME', 'LAST_NAME', 'LAST_CONNECTION', 'ROLE', 'PERMISSIONS', 'TEAMS'];
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

const SLUGS = [
  'api',
  'auth',
  'o',
  'graphql',
  'scim',
  'Upper-Case',
  '-x',
  'x-',
  'a--b',
  'a'.repeat(40),
  'a'.repeat(41),
  'zz b',
  'under_score',
  'café',
  'ｓｌｕｇ',
  '😀',
  'xn--caf-dma',
  'İstanbul',
  "x'; --",
  '%',
  '0',
];
const DOMAINS = [
  'a.example',
  'zz-b-corp.example',
  'EXAMPLE.ORG',
  'xn--bcher-kva.example',
  'bücher.example',
  '.',
  'a..b',
  '-a.example',
  'a-.example',
  'localhost',
  '127.0.0.1',
  '[::1]',
  '*.example',
  `${'a'.repeat(64)}.example`,
  `${`${'a'.repeat(63)}.`.repeat(4)}example`,
  'example',
  "x'.example",
  '%.example',
  'a_b.example',
  '@example.org',
  'user@a.example',
  'a.example.',
  ' a.example ',
];
/** Webhook endpoint URLs: every refused form (the world's server allows private targets: they are accepted there), and broken ones. */
const WEBHOOK_URLS = [
  'https://1.1.1.1/hooks',
  'https://8.8.8.8:8443/a/b?c=d',
  'http://127.0.0.1/hooks',
  'https://127.0.0.1/',
  'https://2130706433/',
  'https://0x7f.1/',
  'https://0177.0.0.1/',
  'https://127.1/',
  'https://%31%32%37.0.0.1/',
  'https://0/',
  'https://0.0.0.0/',
  'https://[::1]/',
  'https://[::]/',
  'https://[::ffff:127.0.0.1]/',
  'https://[0:0:0:0:0:ffff:127.0.0.1]/',
  'https://[::169.254.169.254]/',
  'https://[64:ff9b::a9fe:a9fe]/',
  'https://169.254.169.254/latest/meta-data',
  'https://100.100.100.200/',
  'https://[fd00:ec2::254]/',
  'https://[fe80::1%25eth0]/',
  'https://localhost/',
  'https://LOCALHOST./',
  'https://a.b.localhost/',
  'https://%6c%6fcalhost/',
  'https://bücher.example/',
  'https://xn--bcher-kva.example/',
  `https://1.1.1.1/${'a'.repeat(1980)}`,
  `https://1.1.1.1/${'a'.repeat(1981)}`,
  'https://1.1.1.1/\u0000',
  'https://1.1.1.1/\uD800',
  'https://1.1.1.1\\@evil/',
  'https://user:pass@1.1.1.1/',
  'https://1.1.1.1:0/',
  'https://1.1.1.1:65536/',
  'https://1.1.1.1/#frag',
  'ftp://1.1.1.1/',
  'javascript:alert(1)',
  '//1.1.1.1/',
  '/relative',
  '',
  ' https://1.1.1.1/ ',
  'https://*.example/',
  'https://a b.example/',
];
/** Event types: real ones, near misses (case, spaces), platform actions, nonsense. */
const EVENT_TYPES = [
  'team.created',
  'user.deleted',
  'webhook_endpoint.created',
  'TEAM.CREATED',
  'team.created ',
  ' team.created',
  'team.*',
  '*',
  'organization.created',
  'operator.granted',
  '',
  'x'.repeat(100),
  'x'.repeat(101),
];

/** A deletion's confirmation: the slug of an organization the cases made, or near misses; never A's or B's own. */
const ORGANIZATION_CONFIRMATIONS = ['DELETE', 'zz-b', 'zz-b-', 'zz-b-x', 'zz\u2011b', 'zz-\u0432', 'defaul', '*', '%'];

function stringArbitrary(p: ValuePath): fc.Arbitrary<unknown> {
  const name = lastName(p);
  if (name === 'slug') {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...SLUGS), weight: 40 },
      { arbitrary: ref('slug'), weight: 15 },
      { arbitrary: fc.stringMatching(/^[a-z0-9]{1,10}$/).map((x) => `h-${x}`), weight: 20 },
      { arbitrary: hostileString, weight: 25 },
    );
  }
  if (name === 'domains') return fc.oneof({ arbitrary: fc.constantFrom(...DOMAINS), weight: 70 }, { arbitrary: hostileString, weight: 30 });
  if (name === 'firstAdminEmail') return stringArbitrary({ ...p, names: [...p.names.slice(0, -1), 'email'] });
  if (/Webhook/.test(p.field) && name === 'url')
    return fc.oneof({ arbitrary: fc.constantFrom(...WEBHOOK_URLS), weight: 70 }, { arbitrary: hostileString, weight: 30 });
  if (/Webhook/.test(p.field) && name === 'eventTypes')
    return fc.oneof({ arbitrary: fc.constantFrom(...EVENT_TYPES), weight: 70 }, { arbitrary: hostileString, weight: 30 });
  if (p.field === 'deleteOrganization' && name === 'confirmation') {
    return fc.oneof(
      { arbitrary: fc.constantFrom(...ORGANIZATION_CONFIRMATIONS), weight: 50 },
      { arbitrary: plainRef('spareSlug'), weight: 25 },
      { arbitrary: hostileString, weight: 25 },
    );
  }
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
  const name = lastName(p);
  if (name === 'slug')
    return fc.oneof(
      fc.stringMatching(/^[a-z0-9]{1,10}$/).map((x) => `h-${x}`),
      plainRef('slug'),
    );
  if (name === 'domains') return fc.constantFrom('a.example', 'b.example', 'zz-b-corp.example');
  if (name === 'firstAdminEmail') return plausibleString({ ...p, names: [...p.names.slice(0, -1), 'email'] });
  if (/Webhook/.test(p.field) && name === 'url')
    return fc.constantFrom('https://1.1.1.1/hooks', 'https://8.8.8.8/h?x=1', 'http://127.0.0.1:9/h');
  if (/Webhook/.test(p.field) && name === 'eventTypes') return fc.constantFrom('team.created', 'user.deleted', 'webhook_endpoint.created');
  if (p.field === 'deleteOrganization' && name === 'confirmation') return fc.oneof(plainRef('spareSlug'), fc.constant('zz-b-x'));
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
      const k = refKindOf(p);
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

const whoArbitrary = fc.constantFrom<Who>(
  ...(Array(10).fill('admin') as Who[]),
  ...(Array(6).fill('adminB') as Who[]),
  'anonymous',
  'anonymous',
  'viewer',
  'viewer',
  'viewerB',
  'bearer',
  'bearer',
  'bearerB',
);

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

export function safeEncode(s: string): string {
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
    organizationHeader,
  })
  .map(({ who, format, search, extra, organizationHeader }) => {
    const params = [format !== undefined ? `format=${format}` : null, search !== undefined ? `search=${search}` : null]
      .filter(Boolean)
      .join('&');
    const q = `${params}${extra}`.replace(/^&/, '');
    return {
      type: 'http',
      who,
      label: 'GET /api/export/users',
      method: 'GET',
      path: `/api/export/users${q ? `?${q}` : ''}`,
      organizationHeader,
    };
  });

export function caseArbitrary(schema: GraphQLSchema): fc.Arbitrary<Case> {
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
        organizationHeader,
      })
      .map((r): GqlCase => ({ type: 'gql', field, ...r })),
  );
  // users has the most to parse (cursors, search, sort): an extra share of plausible pages whose cursor is crafted
  // for the sort asked (a key of the column's type, or not), so that the cursor is what the server has to deal with.
  const page = fc.option(fc.oneof(fc.integer({ min: 1, max: 200 }), fc.constantFrom(...INT_EDGES)), { nil: undefined, freq: 3 });
  const users = fc.constantFrom(...SORT_FIELDS).chain((sortBy) =>
    fc
      .record({
        who: fc.constantFrom<Who>('admin', 'admin', 'admin', 'bearer', 'viewer', 'adminB', 'adminB', 'bearerB', 'viewerB'),
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
        organizationHeader,
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
        organizationHeader,
      })
      .map(({ who, args, pick, value, poke, mode, coherent, organizationHeader }): GqlCase => {
        const leaves = leafPaths(args);
        const poked = poke && leaves.length ? (pokeAt(args, leaves[pick % leaves.length], value) as Record<string, unknown>) : args;
        return { type: 'gql', field, who, args: poked, mode, coherent, organizationHeader };
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
