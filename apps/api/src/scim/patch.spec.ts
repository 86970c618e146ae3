import { NoPathInScimPatchOp, patchBodyValidation, scimPatch, type ScimPatchOperation, type ScimResource } from 'scim-patch';
import { ScimError } from './scim-error';
import { applyPatch, desiredFromPatch, MAX_OPERATIONS, patchOperations, type PatchOperation } from './patch';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ID = '4f0c1d9e-5b8a-4c7e-9f21-2a6b3c4d5e6f';

/** A SCIM user as Roster represents one (scim/user-resource.ts). */
function user(): ScimResource & Record<string, unknown> {
  const meta = { resourceType: 'User', created: new Date(0), lastModified: new Date(0), location: `https://r.example/scim/v2/Users/${ID}` };
  return {
    schemas: [USER],
    id: ID,
    externalId: '00u1',
    userName: 'ada@example.com',
    name: { formatted: 'Ada Lovelace', familyName: 'Lovelace', givenName: 'Ada' },
    displayName: 'Ada Lovelace',
    emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
    active: true,
    roles: [{ value: 'MEMBER', display: 'Member', primary: true }],
    groups: [],
    meta,
  };
}

const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP], Operations: operations });
const ops = (...operations: unknown[]) => patchOperations('User', ID, body(...operations));
const desired = (...operations: unknown[]) => desiredFromPatch(user(), ops(...operations));

/** The SCIM error `run` throws: its status and scimType. */
function refusal(run: () => unknown): [number, string | undefined] {
  try {
    run();
  } catch (e) {
    if (e instanceof ScimError) return [e.status, e.scimType];
    throw e;
  }
  throw new Error('no error');
}

/**
 * What scim-patch 0.8.3 was seen to do (design §1): patch.ts normalises around each of these, so an upgrade
 * that changes one fails here first.
 */
describe('scim-patch, as Roster relies on it', () => {
  const apply = (...operations: ScimPatchOperation[]) => scimPatch(user(), operations, { mutateDocument: false, treatMissingAsAdd: true });

  it('accepts add/Add/replace/Replace/remove/Remove, not REPLACE', () => {
    for (const op of ['add', 'Add', 'replace', 'Replace']) {
      expect(apply({ op, path: 'displayName', value: 'A' } as ScimPatchOperation)['displayName']).toBe('A');
    }
    for (const op of ['remove', 'Remove'])
      expect(apply({ op, path: 'displayName' } as ScimPatchOperation)).not.toHaveProperty('displayName');
    expect(() => apply({ op: 'REPLACE', path: 'displayName', value: 'A' } as unknown as ScimPatchOperation)).toThrow();
  });

  it('keeps "False" as a string, and makes a second attribute of a path in another case', () => {
    expect(apply({ op: 'replace', path: 'active', value: 'False' })['active']).toBe('False');
    const r = apply({ op: 'replace', path: 'Active', value: false });
    expect([r['active'], r['Active']]).toEqual([true, false]);
  });

  it('does not match a boolean primary with "True" and appends an entry instead', () => {
    const r = apply({ op: 'add', path: 'roles[primary eq "True"].value', value: 'MANAGER' });
    expect(r['roles']).toEqual([
      { value: 'MEMBER', display: 'Member', primary: true },
      { primary: 'True', value: 'MANAGER' },
    ]);
  });

  it('expands dotted and URN-prefixed keys of a path-less value', () => {
    const r = apply({ op: 'replace', value: { 'name.givenName': 'Augusta', [`${ENTERPRISE}:department`]: 'R&D' } });
    expect((r['name'] as Record<string, string>)['givenName']).toBe('Augusta');
    expect(r[ENTERPRISE]).toEqual({ department: 'R&D' });
  });

  it('refuses remove without a path; removes members by a value list (Entra ID) and by a value filter (Okta)', () => {
    expect(() => patchBodyValidation({ schemas: [PATCH_OP], Operations: [{ op: 'remove' } as ScimPatchOperation] })).toThrow(
      NoPathInScimPatchOp,
    );
    const group = () => ({
      schemas: [],
      meta: { created: new Date(0), lastModified: new Date(0) },
      members: [{ value: 'a' }, { value: 'b' }],
    });
    const entra = scimPatch(group(), [{ op: 'remove', path: 'members', value: [{ value: 'a' }] }], { mutateDocument: false });
    expect(entra.members).toEqual([{ value: 'b' }]);
    const okta = scimPatch(group(), [{ op: 'remove', path: 'members[value eq "b"]' }], { mutateDocument: false });
    expect(okta.members).toEqual([{ value: 'a' }]);
  });
});

describe('PATCH operations, normalised', () => {
  const shape = (o: PatchOperation[]) => o.map(({ op, path, value }) => ({ op, path, value }));

  it('checks the body: the PatchOp schema, 1 to 1,000 operations, known ops', () => {
    expect(refusal(() => patchOperations('User', ID, { Operations: [{ op: 'add', path: 'active', value: true }] }))).toEqual([
      400,
      'invalidSyntax',
    ]);
    expect(refusal(() => patchOperations('User', ID, body()))).toEqual([400, 'invalidSyntax']);
    const many = Array.from({ length: MAX_OPERATIONS + 1 }, () => ({ op: 'add', path: 'active', value: true }));
    expect(refusal(() => patchOperations('User', ID, body(...many)))).toEqual([400, 'invalidSyntax']);
    expect(refusal(() => ops({ op: 'move', path: 'active', value: true }))).toEqual([400, 'invalidSyntax']);
    expect(refusal(() => ops({ op: 'add', path: 'active' }))).toEqual([400, 'invalidSyntax']);
    expect(refusal(() => ops({ op: 'Remove' }))).toEqual([400, 'noTarget']);
    expect(refusal(() => patchOperations('User', ID, [1]))).toEqual([400, 'invalidSyntax']);
    expect(refusal(() => ops({ op: 'add', path: 'displayName', value: 'x\u0000' }))).toEqual([400, 'invalidValue']);
  });

  it('lower-cases ops and folds paths to the schema, typing booleans in value filters', () => {
    expect(
      shape(
        ops(
          { op: 'REPLACE', path: 'Active', value: 'False' },
          { op: 'Add', path: 'name.GivenName', value: 'A' },
          { op: 'Replace', path: 'roles[Primary eq "True"].Value', value: 'MANAGER' },
          { op: 'add', path: `${USER}:emails[type eq "work"].value`, value: 'a@example.com' },
          { op: 'replace', path: 'NAME', value: { GivenName: 'B', familyname: 'C' } },
        ),
      ),
    ).toEqual([
      { op: 'replace', path: 'active', value: 'False' },
      { op: 'add', path: 'name.givenName', value: 'A' },
      { op: 'replace', path: 'roles[primary eq true].value', value: 'MANAGER' },
      { op: 'add', path: 'emails[type eq "work"].value', value: 'a@example.com' },
      { op: 'replace', path: 'name', value: { givenName: 'B', familyName: 'C' } },
    ]);
  });

  it("splits a path-less value into one operation per attribute; the resource's own id is dropped, another refused", () => {
    expect(shape(ops({ op: 'replace', value: { id: ID, active: false } }))).toEqual([{ op: 'replace', path: 'active', value: false }]);
    expect(
      shape(
        ops({ op: 'Replace', value: { displayName: 'Ada L.', 'name.givenName': 'Ada', [ENTERPRISE]: { department: 'x' }, schemas: [] } }),
      ),
    ).toEqual([
      { op: 'replace', path: 'displayName', value: 'Ada L.' },
      { op: 'replace', path: 'name.givenName', value: 'Ada' },
    ]);
    expect(refusal(() => ops({ op: 'replace', value: { id: 'another' } }))).toEqual([400, 'mutability']);
    expect(refusal(() => ops({ op: 'replace', value: 'x' }))).toEqual([400, 'invalidSyntax']);
  });

  it('drops what Roster does not store, refuses read-only attributes, unknown paths and bad filters', () => {
    expect(
      ops(
        { op: 'Add', path: `${ENTERPRISE}:manager`, value: 'boss-id' },
        { op: 'replace', path: 'title', value: 'Dr' },
        { op: 'replace', path: 'password', value: 'x' },
        { op: 'replace', path: 'addresses[type eq "work"].formatted', value: 'x' },
        { op: 'replace', path: 'name.formatted', value: 'x' },
      ),
    ).toEqual([]);
    for (const path of ['id', 'meta.created', 'groups', 'meta']) {
      expect(refusal(() => ops({ op: 'replace', path, value: 'x' }))).toEqual([400, 'mutability']);
    }
    for (const path of ['nope', 'name.nope', 'urn:example:custom:attr', 'active[type eq "x"]', 'emails[type eq "work"].nope', 'a.b.c']) {
      expect([path, refusal(() => ops({ op: 'replace', path, value: 'x' }))]).toEqual([path, [400, 'invalidPath']]);
    }
    for (const path of [
      'emails[type eq work].value',
      'emails[type eq "work" and].value',
      'emails[nope eq "x"]',
      'emails[value[x eq "y"]]',
    ]) {
      expect([path, refusal(() => ops({ op: 'replace', path, value: 'x' }))]).toEqual([path, [400, 'invalidFilter']]);
    }
  });
});

describe('the member a User PATCH asks for', () => {
  it('Okta: deactivation and reactivation without a path; Entra ID: "False" with a path', () => {
    expect(desired({ op: 'replace', value: { active: false } })).toEqual({ email: 'ada@example.com', active: false });
    expect(desired({ op: 'Replace', path: 'active', value: 'False' })).toEqual({ email: 'ada@example.com', active: false });
    expect(desired({ op: 'replace', value: { active: true } })).toEqual({ email: 'ada@example.com' });
  });

  it('changes only what the operations change: a computed display name is not stored', () => {
    expect(desired({ op: 'replace', path: 'name.givenName', value: 'Augusta' })).toEqual({
      email: 'ada@example.com',
      firstName: 'Augusta',
    });
    expect(desired({ op: 'remove', path: 'externalId' })).toEqual({ email: 'ada@example.com', externalId: null });
    expect(desired({ op: 'add', path: 'displayName', value: 'Countess' })).toEqual({ email: 'ada@example.com', displayName: 'Countess' });
    expect(desired({ op: 'replace', path: 'name', value: { familyName: 'King' } })).toEqual({ email: 'ada@example.com', lastName: 'King' });
    expect(desired({ op: 'add', path: 'title', value: 'Countess' })).toEqual({ email: 'ada@example.com' });
  });

  it('changes the login email through userName or the work email; the two different: invalidValue', () => {
    expect(desired({ op: 'Add', path: 'emails[type eq "work"].value', value: 'Ada@New.example' })).toEqual({ email: 'ada@new.example' });
    expect(desired({ op: 'replace', path: 'userName', value: 'ada@new.example' })).toEqual({ email: 'ada@new.example' });
    expect(desired({ op: 'add', path: 'emails', value: [{ value: 'home@example.com', type: 'home' }] })).toEqual({
      email: 'ada@example.com',
    });
    const both = [
      { op: 'replace', path: 'userName', value: 'one@example.com' },
      { op: 'replace', path: 'emails[primary eq true].value', value: 'two@example.com' },
    ];
    expect(refusal(() => desired(...both))).toEqual([400, 'invalidValue']);
    expect(refusal(() => desired({ op: 'replace', path: 'userName', value: 'not an email' }))).toEqual([400, 'invalidValue']);
    expect(refusal(() => desired({ op: 'remove', path: 'userName' }))).toEqual([400, 'invalidValue']);
  });

  it('takes the last role supplied (add replaces it), and removing it means the default role', () => {
    expect(desired({ op: 'add', path: 'roles', value: [{ value: 'manager' }] })).toEqual({
      email: 'ada@example.com',
      role: { ref: 'manager' },
    });
    expect(desired({ op: 'Replace', path: 'roles[primary eq "True"].value', value: 'Viewer' })).toEqual({
      email: 'ada@example.com',
      role: { ref: 'Viewer' },
    });
    expect(desired({ op: 'remove', path: 'roles' })).toEqual({ email: 'ada@example.com', role: 'default' });
    expect(desired({ op: 'remove', path: 'roles[value eq "OTHER"]' })).toEqual({ email: 'ada@example.com' });
  });

  it("turns the library's refusals and mistyped results into SCIM 400s", () => {
    expect(refusal(() => desired({ op: 'replace', path: 'roles[value eq "NOPE"]', value: { value: 'x' } }))).toEqual([400, 'noTarget']);
    expect(refusal(() => desired({ op: 'replace', path: 'name', value: 'Ada' }))).toEqual([400, 'invalidValue']);
    expect(refusal(() => desired({ op: 'replace', path: 'active', value: 5 }))).toEqual([400, 'invalidValue']);
    expect(refusal(() => applyPatch(user(), [{ op: 'remove', path: 'displayName', value: 'x', attribute: 'displayName' }]))).toEqual([
      400,
      'invalidValue',
    ]);
  });
});
