import { groupBody, groupPatch, ifMatches } from './groups-input';
import { ScimError } from './scim-error';

const ID = '0b9a3f1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const patch = (...Operations: unknown[]) => groupPatch({ schemas: [PATCH], Operations }, ID);

function scimType(call: () => unknown): string | undefined {
  try {
    call();
  } catch (e) {
    expect(e).toBeInstanceOf(ScimError);
    return (e as ScimError).scimType;
  }
  throw new Error('expected a SCIM error');
}

describe('a Group PATCH as changes', () => {
  it('reads the members forms of Okta and Entra ID as sets, applied in order', () => {
    expect(patch({ op: 'add', path: 'members', value: [{ value: A }, { value: B.toUpperCase() }] })).toEqual({
      cleared: false,
      add: new Set([A, B]),
      remove: new Set(),
    });
    expect(patch({ op: 'remove', path: `members[value eq "${A}"]` }).remove).toEqual(new Set([A]));
    expect(patch({ op: 'remove', path: `members[value eq "${A}" or value eq "${B}"]` }).remove).toEqual(new Set([A, B]));
    expect(patch({ op: 'Remove', path: 'members', value: [{ value: A }] }).remove).toEqual(new Set([A]));
    expect(patch({ op: 'remove', path: 'members' })).toEqual({ cleared: true, add: new Set(), remove: new Set() });
    expect(patch({ op: 'replace', path: 'members', value: [{ value: A }] })).toEqual({
      cleared: true,
      add: new Set([A]),
      remove: new Set(),
    });
    expect(patch({ op: 'add', path: 'members', value: [{ value: A }] }, { op: 'remove', path: `members[value eq "${A}"]` })).toEqual({
      cleared: false,
      add: new Set(),
      remove: new Set([A]),
    });
    expect(patch({ op: 'add', value: { members: [{ value: B }] } }).add).toEqual(new Set([B]));
  });

  it('folds names, takes path-less values, ignores the id repeated and other schemas', () => {
    expect(patch({ op: 'Replace', path: 'DISPLAYNAME', value: ' Ops ' }).displayName).toBe('Ops');
    expect(patch({ op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName', value: 'Ops' }).displayName).toBe('Ops');
    const okta = patch({ op: 'replace', value: { id: ID, displayName: 'Renamed', 'urn:example:ext:1.0:Group:x': 1, unknownThing: 2 } });
    expect(okta).toMatchObject({ displayName: 'Renamed' });
    expect(patch({ op: 'remove', path: 'externalId' }).externalId).toBeNull();
    expect(patch({ op: 'add', path: 'externalId', value: 'Ext-1' }).externalId).toBe('Ext-1');
  });

  it('refuses with the RFC 7644 types', () => {
    expect(scimType(() => groupPatch({ Operations: [{ op: 'add', path: 'displayName', value: 'x' }] }, ID))).toBe('invalidSyntax');
    expect(scimType(() => patch())).toBe('invalidSyntax');
    expect(scimType(() => patch({ op: 'REPLACE ', path: 'displayName', value: 'x' }))).toBe('invalidSyntax');
    expect(scimType(() => patch({ op: 'remove' }))).toBe('noTarget');
    expect(scimType(() => patch({ op: 'add', path: 'title', value: 'x' }))).toBe('invalidPath');
    expect(scimType(() => patch({ op: 'add', path: 'members[value eq "x"]', value: [] }))).toBe('invalidPath');
    expect(scimType(() => patch({ op: 'remove', path: 'members[display eq "x"]' }))).toBe('invalidFilter');
    expect(scimType(() => patch({ op: 'remove', path: 'members[value eq x]' }))).toBe('invalidFilter');
    expect(() => patch({ op: 'replace', path: 'id', value: ID })).not.toThrow(); // the same id, repeated
    expect(scimType(() => patch({ op: 'replace', path: 'id', value: A }))).toBe('mutability');
    expect(scimType(() => patch({ op: 'replace', path: 'meta.created', value: 'x' }))).toBe('mutability');
    expect(scimType(() => patch({ op: 'replace', value: { id: A } }))).toBe('mutability');
    expect(scimType(() => patch({ op: 'remove', path: 'displayName' }))).toBe('invalidValue');
    expect(scimType(() => patch({ op: 'add', path: 'members', value: 'x' }))).toBe('invalidValue');
    expect(scimType(() => patch({ op: 'add', path: 'members', value: [{ value: 5 }] }))).toBe('invalidValue');
    expect(scimType(() => patch({ op: 'replace', path: 'displayName', value: 'a\u0000' }))).toBe('invalidValue');
  });
});

describe('a Group body', () => {
  it('needs the Group schema and a name; clears what it leaves out', () => {
    expect(groupBody({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Ops' })).toEqual({
      id: undefined,
      displayName: 'Ops',
      externalId: null,
      members: [],
    });
    expect(scimType(() => groupBody({ displayName: 'Ops' }))).toBe('invalidSyntax');
    expect(scimType(() => groupBody({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] }))).toBe('invalidValue');
  });
});

describe('If-Match', () => {
  it('matches the weak tag, any tag of a list, or *', () => {
    expect(ifMatches(undefined, '12')).toBe(true);
    expect(ifMatches('W/"12"', '12')).toBe(true);
    expect(ifMatches('"12"', '12')).toBe(true);
    expect(ifMatches('W/"11", W/"12"', '12')).toBe(true);
    expect(ifMatches('*', '12')).toBe(true);
    expect(ifMatches('W/"11"', '12')).toBe(false);
  });
});
