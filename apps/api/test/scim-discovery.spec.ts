import { startApp, TestApp } from './support/app';
import { Client, Json } from './support/client';

const CREATE_TOKEN = `mutation($i: CreateApiTokenInput!) { createApiToken(input: $i) { secret } }`;
const SCIM = '/scim/v2';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface ScimAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

async function call(client: Client, path: string, init: RequestInit = {}): Promise<ScimAnswer> {
  const res = await client.fetch(`${SCIM}${path}`, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** A SCIM error answer (RFC 7644 §3.12): its status as a string, a detail, no stack; the media type of SCIM. */
function expectScimError(answer: ScimAnswer, status: number, scimType?: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
  expect(answer.body.schemas).toEqual([ERROR_SCHEMA]);
  expect(answer.body.status).toBe(String(status));
  expect(typeof answer.body.detail).toBe('string');
  if (scimType) expect(answer.body.scimType).toBe(scimType);
  else expect(answer.body).not.toHaveProperty('scimType');
  expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.(js|ts):\d+/);
}

const TYPES = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'];
const MUTABILITY = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED = ['always', 'never', 'default', 'request'];
const UNIQUENESS = ['none', 'server', 'global'];

/** Every attribute of a schema document as RFC 7643 §7 describes it (sub-attributes one level deep, for complex ones only). */
function expectValidAttributes(attributes: Json[], depth = 0): void {
  for (const a of attributes) {
    expect(Object.keys(a).sort()).toEqual(
      expect.arrayContaining([
        'caseExact',
        'description',
        'multiValued',
        'mutability',
        'name',
        'required',
        'returned',
        'type',
        'uniqueness',
      ]),
    );
    expect(a).not.toHaveProperty('stored');
    expect(TYPES).toContain(a.type);
    expect(MUTABILITY).toContain(a.mutability);
    expect(RETURNED).toContain(a.returned);
    expect(UNIQUENESS).toContain(a.uniqueness);
    expect(typeof a.multiValued).toBe('boolean');
    expect(typeof a.required).toBe('boolean');
    expect(typeof a.caseExact).toBe('boolean');
    expect(a.description.length).toBeGreaterThan(0);
    if (a.type === 'complex') {
      expect(depth).toBe(0);
      expect(a.subAttributes.length).toBeGreaterThan(0);
      expectValidAttributes(a.subAttributes, depth + 1);
    } else expect(a).not.toHaveProperty('subAttributes');
    if (a.type === 'reference') expect(a.referenceTypes.length).toBeGreaterThan(0);
  }
}

/** /ServiceProviderConfig, /ResourceTypes, /Schemas; who may call /scim/v2; the body parser; error bodies. */
describe('SCIM discovery', () => {
  let app: TestApp;
  let scim: Client;
  beforeAll(async () => {
    app = await startApp('scim-discovery');
    const secret = (await app.admin.ok(CREATE_TOKEN, { i: { name: 'provisioning' } })).createApiToken.secret;
    scim = app.client({ bearer: secret });
  });
  afterAll(() => app?.close());

  it('serves its configuration: PATCH, filters up to 1,000, sorting, ETags; no Bulk, no password change', async () => {
    const r = await call(scim, '/ServiceProviderConfig');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(r.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: 1000 },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      meta: { resourceType: 'ServiceProviderConfig', location: `${app.server.url}${SCIM}/ServiceProviderConfig` },
    });
    expect(r.body.authenticationSchemes).toEqual([
      expect.objectContaining({ type: 'oauthbearertoken', name: 'OAuth Bearer Token', primary: true }),
    ]);
  });

  it('lists the User and Group resource types, each by name too, pointing at schemas it serves', async () => {
    const list = await call(scim, '/ResourceTypes');
    expect(list.status).toBe(200);
    expect(list.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(list.body.totalResults).toBe(2);
    expect(list.body.Resources.map((t: Json) => [t.name, t.endpoint, t.schema])).toEqual([
      ['User', '/Users', USER_SCHEMA],
      ['Group', '/Groups', GROUP_SCHEMA],
    ]);
    expect(list.body.Resources[0].schemaExtensions).toEqual([{ schema: ENTERPRISE_SCHEMA, required: false }]);
    const served = (await call(scim, '/Schemas')).body.Resources.map((s: Json) => s.id);
    for (const type of list.body.Resources) {
      expect(served).toContain(type.schema);
      for (const e of type.schemaExtensions) expect(served).toContain(e.schema);
      const one = await call(scim, `/ResourceTypes/${type.name}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(type);
      expect(type.meta.location).toBe(`${app.server.url}${SCIM}/ResourceTypes/${type.name}`);
    }
    expectScimError(await call(scim, '/ResourceTypes/Printer'), 404);
  });

  it('serves the core User, Group and enterprise schemas, each attribute fully described, each by its URN', async () => {
    const list = await call(scim, '/Schemas');
    expect(list.status).toBe(200);
    expect(list.body.Resources.map((s: Json) => s.id)).toEqual([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_SCHEMA]);
    for (const schema of list.body.Resources) {
      expect(schema.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
      expectValidAttributes(schema.attributes);
      const one = await call(scim, `/Schemas/${schema.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(schema);
      expect(schema.meta).toEqual({ resourceType: 'Schema', location: `${app.server.url}${SCIM}/Schemas/${schema.id}` });
    }
    const [user, group, enterprise] = list.body.Resources;
    const attr = (schema: Json, name: string) => schema.attributes.find((a: Json) => a.name === name);
    expect(attr(user, 'userName')).toMatchObject({ type: 'string', required: true, caseExact: false, uniqueness: 'server' });
    expect(attr(user, 'active')).toMatchObject({ type: 'boolean', mutability: 'readWrite' });
    expect(attr(user, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attr(user, 'groups')).toMatchObject({ multiValued: true, mutability: 'readOnly' });
    expect(attr(user, 'title').description).toContain('Accepted, not stored.');
    expect(attr(user, 'userName').description).not.toContain('Accepted, not stored.');
    expect(attr(group, 'displayName')).toMatchObject({ required: true, uniqueness: 'server' });
    expect(attr(group, 'members').subAttributes.find((a: Json) => a.name === 'value')).toMatchObject({ mutability: 'immutable' });
    for (const a of enterprise.attributes) expect(a.description).toContain('Accepted, not stored.');
    // The URN is matched case-insensitively; an unknown one is a SCIM 404.
    expect((await call(scim, `/Schemas/${USER_SCHEMA.toUpperCase()}`)).body.id).toBe(USER_SCHEMA);
    expectScimError(await call(scim, '/Schemas/urn:example:nothing'), 404);
  });

  it('answers 401 with WWW-Authenticate: Bearer without a token, with a dead one, and to a browser session', async () => {
    const anonymous = app.client();
    const dead = app.client({ bearer: 'rst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const malformed = app.client({ bearer: 'not a token' });
    for (const client of [anonymous, dead, malformed, app.admin]) {
      for (const path of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes/User', '/Bulk']) {
        const r = await call(client, path);
        expectScimError(r, 401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      }
    }
    // The admin's session is a valid one (the console works): SCIM does not take cookies, even with the CSRF header.
    expect((await app.admin.ok(`{ me { user { email } } }`)).me.user.email).toBe('admin@example.com');
  });

  it('answers 403 to a token naming another organization than its own', async () => {
    const r = await call(scim, '/ServiceProviderConfig', { headers: { 'x-roster-organization': 'some-other-organization' } });
    expectScimError(r, 403);
  });

  it('answers 501 for /Bulk and /Me, and a SCIM 404 for any other path under /scim', async () => {
    expectScimError(await call(scim, '/Bulk', { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: '{}' }), 501);
    expectScimError(await call(scim, '/Me'), 501);
    expectScimError(await call(scim, '/Printers'), 404);
    expectScimError(await call(scim, '/Schemas/a/b'), 404);
    const v1 = await scim.fetch('/scim/v1/Users', { headers: { accept: 'text/html' } });
    expect(v1.status).toBe(404);
    expect(v1.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
  });

  it('reads bodies up to the advertised 1 MiB: over it 413, malformed JSON or another media type 400 invalidSyntax', async () => {
    const big = JSON.stringify({ schemas: [USER_SCHEMA], userName: 'big@example.com', title: 'x'.repeat(1024 * 1024) });
    const r413 = await call(scim, '/Bulk', { method: 'POST', headers: { 'content-type': 'application/scim+json' }, body: big });
    expectScimError(r413, 413);
    // Just under the limit is read (then /Bulk says it is not supported).
    const under = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 - 20) });
    expect(Buffer.byteLength(under)).toBeLessThanOrEqual(1048576);
    expectScimError(await call(scim, '/Bulk', { method: 'POST', headers: { 'content-type': 'application/json' }, body: under }), 501);
    for (const [type, body] of [
      ['application/scim+json', '{"schemas": ['],
      ['application/json; charset=utf-8', 'not json'],
      ['text/plain', '{}'],
      ['application/x-www-form-urlencoded', 'userName=a'],
    ]) {
      expectScimError(await call(scim, '/Bulk', { method: 'POST', headers: { 'content-type': type }, body }), 400, 'invalidSyntax');
    }
    expectScimError(await call(scim, '/Bulk', { method: 'POST', body: '{}' }), 400, 'invalidSyntax');
  });
});
