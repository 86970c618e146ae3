import { parse } from 'scim2-parse-filter';
import { FilterNode, MAX_FILTER_COMPARISONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from './filter';
import { ScimError } from './scim-error';

/** The SCIM error a call throws (its status and scimType), or a test failure when it throws none. */
function refusal(call: () => unknown): { status: number; scimType?: string; detail: string } {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    const { status, scimType, detail } = e as ScimError;
    return { status, scimType, detail };
  }
  throw new Error('expected a SCIM error');
}

const users = (text: string) => parseFilter('User', text);
const groups = (text: string) => parseFilter('Group', text);
const cmp = (field: string, type: string, op: string, value: unknown): FilterNode =>
  ({ kind: 'compare', field, type, op, value }) as FilterNode;

/**
 * What scim2-parse-filter 0.2.10 was seen to do (design §1): an upgrade that changes one of these fails
 * here, where Roster relies on it.
 */
describe('scim2-parse-filter, as Roster relies on it', () => {
  it('refuses unquoted values, a dangling and, an unclosed bracket', () => {
    expect(() => parse('userName eq john')).toThrow();
    expect(() => parse('userName eq "a" and')).toThrow();
    expect(() => parse('emails[type eq "work"')).toThrow();
  });

  it('lower-cases operators but keeps the attribute names as written', () => {
    expect(parse('UserName Eq "x"')).toEqual({ op: 'eq', attrPath: 'UserName', compValue: 'x' });
    expect(parse('a eq "b" AND c pr')).toMatchObject({ op: 'and' });
  });

  it('splits a value path followed by a sub-attribute into two conditions (correlation lost)', () => {
    expect(parse('emails[type eq "work"].value eq "x"')).toEqual({
      op: 'and',
      filters: [
        { op: '[]', attrPath: 'emails', valFilter: { op: 'eq', attrPath: 'type', compValue: 'work' } },
        { op: 'eq', attrPath: 'emails.value', compValue: 'x' },
      ],
    });
  });

  it('parses nested value paths (Roster refuses them) and lone surrogates in values (Roster refuses them)', () => {
    expect(parse('a[b[c eq "d"]]')).toMatchObject({ op: '[]', valFilter: { op: '[]' } });
    expect((parse('userName eq "a\ud800"') as { compValue: string }).compValue).toBe('a\ud800');
    // JSON escapes are not decoded (only \" is): "\u0000" stays six characters of text.
    expect((parse('userName eq "\\u0000"') as { compValue: string }).compValue).toBe('\\u0000');
  });

  it('overflows its stack on very deep nesting: why the text is bounded before parsing', () => {
    expect(() => parse(`${'('.repeat(20_000)}a eq "b"${')'.repeat(20_000)}`)).toThrow(RangeError);
  });
});

describe('SCIM filters → the tree of Roster fields', () => {
  it('folds attribute names to their schema spelling, with or without the schema URN', () => {
    const expected = cmp('email', 'text', 'eq', 'ada@example.com');
    expect(users('userName eq "Ada@Example.com"')).toEqual(expected);
    expect(users('USERNAME EQ "ada@example.com"')).toEqual(expected);
    expect(users('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ada@example.com"')).toEqual(expected);
    expect(users('emails.value eq "ada@example.com"')).toEqual(expected);
    expect(users('emails eq "ada@example.com"')).toEqual(expected); // a complex attribute compares its value
    expect(users('name.GIVENNAME sw "Ad"')).toEqual(cmp('givenName', 'text', 'sw', 'ad'));
    expect(users('Meta.LastModified gt "2026-01-01T00:00:00+01:00"')).toEqual(
      cmp('lastModified', 'dateTime', 'gt', '2025-12-31T23:00:00.000Z'),
    );
  });

  it('keeps externalId and ids exact, lower-cases the case-insensitive texts', () => {
    expect(users('externalId eq "00uAbC"')).toEqual(cmp('externalId', 'exact', 'eq', '00uAbC'));
    expect(users('displayName co "LoVe"')).toEqual(cmp('displayName', 'text', 'co', 'love'));
    expect(users('roles.value eq "Manager"')).toEqual(cmp('role', 'text', 'eq', 'manager'));
    expect(users('groups.value eq "ABC"')).toEqual(cmp('group', 'id', 'eq', 'abc'));
    expect(groups('displayName eq "Ops"')).toEqual(cmp('displayName', 'text', 'eq', 'ops'));
    expect(groups('members.value eq "x"')).toEqual(cmp('member', 'id', 'eq', 'x'));
    expect(groups('members[value eq "x"]')).toEqual(cmp('member', 'id', 'eq', 'x'));
  });

  it('folds a value path onto its sub-attributes, and the constants of every user', () => {
    // Every user has one email, of type work, primary: the type test is true, the value test remains.
    expect(users('emails[type eq "work"].value eq "a@b.c"')).toEqual(cmp('email', 'text', 'eq', 'a@b.c'));
    expect(users('emails[type eq "work" and value co "@b"]')).toEqual(cmp('email', 'text', 'co', '@b'));
    expect(users('emails[type eq "home"]')).toEqual({ kind: 'const', value: false });
    expect(users('emails[primary eq true]')).toEqual({ kind: 'const', value: true });
    expect(users('roles[primary eq true].value eq "admin"')).toEqual(cmp('role', 'text', 'eq', 'admin'));
    expect(users('meta.resourceType eq "user"')).toEqual({ kind: 'const', value: true });
  });

  it('treats what Roster does not store as absent: pr and comparisons false, ne true', () => {
    expect(users('title pr')).toEqual({ kind: 'const', value: false });
    expect(users('title eq "CEO"')).toEqual({ kind: 'const', value: false });
    expect(users('nickName ne "x"')).toEqual({ kind: 'const', value: true });
    expect(users('phoneNumbers[type eq "work"]')).toEqual({ kind: 'const', value: false });
    expect(users('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "7"')).toEqual({
      kind: 'const',
      value: false,
    });
    expect(users('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value pr')).toEqual({ kind: 'const', value: false });
    expect(users('userName eq "a" and not (title pr)')).toEqual(cmp('email', 'text', 'eq', 'a'));
    expect(users('userName eq "a" or title pr')).toEqual(cmp('email', 'text', 'eq', 'a'));
  });

  it('keeps and, or, not and parentheses, flattened', () => {
    expect(users('not (active eq true) and (userName sw "a" or userName sw "b")')).toEqual({
      kind: 'and',
      items: [
        { kind: 'not', item: cmp('active', 'boolean', 'eq', true) },
        { kind: 'or', items: [cmp('email', 'text', 'sw', 'a'), cmp('email', 'text', 'sw', 'b')] },
      ],
    });
    expect(users('userName pr')).toEqual({ kind: 'present', field: 'email', type: 'text' });
    expect(users('externalId eq null')).toEqual({ kind: 'not', item: { kind: 'present', field: 'externalId', type: 'exact' } });
  });

  it('refuses what no advertised schema defines', () => {
    for (const text of [
      'username2 eq "a"',
      'name.nickname eq "a"',
      'urn:example:custom:1.0:User:x eq "a"',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:title eq "a"',
      'department eq "a"', // an extension attribute is named with its URN
      'members.value eq "x"', // a Group's, not a User's
    ]) {
      expect(refusal(() => users(text))).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
    expect(refusal(() => groups('userName eq "a"')).scimType).toBe('invalidFilter');
  });

  it('refuses comparisons an attribute type does not allow', () => {
    for (const text of [
      'active gt true',
      'active co "t"',
      'active eq "true"',
      'userName eq true',
      'userName eq 12',
      'meta.lastModified co "2026"',
      'meta.lastModified gt "yesterday"',
      'meta.created eq "2026-02-30"',
      'name eq "Ada"',
      'emails[value[type eq "x"]]',
      'userName[value eq "x"]',
      'meta.version eq "x"',
    ]) {
      expect(refusal(() => users(text))).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
  });

  it('refuses unparsable text as invalidFilter: unquoted values, dangling operators, unclosed brackets', () => {
    for (const text of [
      'userName eq john',
      'userName eq "a" and',
      'emails[type eq "work"',
      'userName',
      '(userName eq "a"',
      'userName zz "a"',
    ]) {
      expect(refusal(() => users(text))).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    }
  });

  it('bounds the text before parsing: length, nesting, comparisons, unsafe characters', () => {
    const long = `userName eq "${'a'.repeat(MAX_FILTER_LENGTH)}"`;
    expect(refusal(() => users(long)).scimType).toBe('invalidFilter');
    const deep = (n: number) => `${'('.repeat(n)}userName eq "a"${')'.repeat(n)}`;
    expect(users(deep(MAX_FILTER_DEPTH))).toEqual(cmp('email', 'text', 'eq', 'a'));
    expect(refusal(() => users(deep(MAX_FILTER_DEPTH + 1))).scimType).toBe('invalidFilter');
    expect(refusal(() => users(deep(20_000).slice(0, 1999))).scimType).toBe('invalidFilter');
    // Parentheses inside quoted values do not count.
    expect(users(`userName eq "${'('.repeat(50)}"`)).toEqual(cmp('email', 'text', 'eq', '('.repeat(50)));
    const many = (n: number) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(' or ');
    expect(users(many(MAX_FILTER_COMPARISONS))).toMatchObject({ kind: 'or' });
    expect(refusal(() => users(many(MAX_FILTER_COMPARISONS + 1))).scimType).toBe('invalidFilter');
    expect(refusal(() => users('userName eq "a\u0000"')).scimType).toBe('invalidFilter');
    expect(refusal(() => users('userName eq "a\ud800"')).scimType).toBe('invalidFilter');
    expect(refusal(() => users('userName eq "\udc00b"')).scimType).toBe('invalidFilter');
  });
});
