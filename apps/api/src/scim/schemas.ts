/**
 * The SCIM schemas Roster serves (RFC 7643 §4, §8.7): core User, core Group and the enterprise User
 * extension, as one table of attributes. The same table is served at /Schemas, drives the validation of
 * bodies and PATCH paths, and the folding of filter and `attributes` names to their spelling, so what is
 * advertised is what is enforced. An attribute Roster does not keep says "Accepted, not stored." in its
 * description (`stored: false`): a client may send it (with the right type) and filter on it (it is absent).
 */

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const SCIM_LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SCIM_PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const SCIM_SEARCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const SCIM_SPC_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const SCIM_RESOURCE_TYPE_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCIM_SCHEMA_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** Where the SCIM service lives under PUBLIC_URL. */
export const SCIM_BASE_PATH = '/scim/v2';
/** The advertised `maxPayloadSize` (bytes): the API's JSON body limit. */
export const SCIM_MAX_PAYLOAD = 1_048_576;
/** The advertised `filter.maxResults`: a page's `count` is clamped to it. */
export const SCIM_MAX_RESULTS = 1000;

export type ScimType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'binary' | 'reference' | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute of a schema, as RFC 7643 §7 describes it, plus whether Roster keeps it. */
export interface ScimAttribute {
  name: string;
  type: ScimType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: ScimAttribute[];
  /** Roster keeps (or computes) it; false: accepted when well typed, ignored, absent from answers and filters. */
  stored: boolean;
}

export interface ScimSchema {
  id: string;
  name: string;
  description: string;
  attributes: ScimAttribute[];
}

const NOT_STORED = 'Accepted, not stored.';

type Options = Partial<Omit<ScimAttribute, 'name' | 'type' | 'description'>>;

/** An attribute with RFC 7643's defaults (§2.2): single-valued, optional, case-insensitive, read-write, returned by default. */
function attr(name: string, type: ScimType, description: string, options: Options = {}): ScimAttribute {
  const stored = options.stored ?? true;
  return {
    name,
    type,
    multiValued: false,
    description: stored ? description : `${description} ${NOT_STORED}`,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
    stored,
  };
}

const ignored = (name: string, type: ScimType, description: string, options: Options = {}) =>
  attr(name, type, description, { ...options, stored: false });

/** The sub-attributes of a multi-valued attribute of RFC 7643 §2.4 (`value`, `display`, `type`, `primary`). */
function multi(
  name: string,
  description: string,
  stored: boolean,
  valueType: ScimType = 'string',
  types: string[] = ['work', 'home', 'other'],
) {
  return attr(name, 'complex', description, {
    multiValued: true,
    stored,
    subAttributes: [
      attr('value', valueType, `The ${name} value.`, { stored, ...(valueType === 'reference' ? { referenceTypes: ['external'] } : {}) }),
      ignored('display', 'string', 'A human-readable name, for display only.', { mutability: 'readWrite' }),
      attr('type', 'string', 'A label indicating the function of the value.', { stored, canonicalValues: types }),
      attr('primary', 'boolean', 'Whether this is the primary value.', { stored }),
    ],
  });
}

const USER_ATTRIBUTES: ScimAttribute[] = [
  attr('userName', 'string', "The person's login email, lower-cased; the same as the primary or work email.", {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'complex', "The person's name.", {
    subAttributes: [
      attr('formatted', 'string', 'The full name, "givenName familyName" (computed; a sent value is ignored).', { mutability: 'readOnly' }),
      attr('familyName', 'string', 'The family name (at most 100 characters).'),
      attr('givenName', 'string', 'The given name (at most 100 characters).'),
      ignored('middleName', 'string', 'The middle name.'),
      ignored('honorificPrefix', 'string', 'The honorific prefix.'),
      ignored('honorificSuffix', 'string', 'The honorific suffix.'),
    ],
  }),
  attr('displayName', 'string', 'The name to display (at most 200 characters); "givenName familyName" when none was sent.'),
  ignored('nickName', 'string', 'The casual name.'),
  ignored('profileUrl', 'reference', 'A URI of an online profile.', { referenceTypes: ['external'] }),
  ignored('title', 'string', 'The title, such as "Vice President".'),
  ignored('userType', 'string', 'The relationship to the organization, such as "Employee".'),
  ignored('preferredLanguage', 'string', 'The preferred written or spoken language.'),
  ignored('locale', 'string', 'The default location, for localizing.'),
  ignored('timezone', 'string', 'The time zone, in the IANA database format.'),
  attr('active', 'boolean', "Whether the person's membership is active: false deactivates it, true reactivates it."),
  ignored('password', 'string', 'A password: never stored nor returned (people sign in through single sign-on or choose a password).', {
    mutability: 'writeOnly',
    returned: 'never',
  }),
  attr('emails', 'complex', 'The login email, as the one primary work email; other entries are ignored.', {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', 'The email address, lower-cased.'),
      ignored('display', 'string', 'A human-readable name, for display only.'),
      attr('type', 'string', 'Always "work".', { canonicalValues: ['work', 'home', 'other'] }),
      attr('primary', 'boolean', 'Always true.'),
    ],
  }),
  multi('phoneNumbers', 'Phone numbers.', false, 'string', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
  multi('ims', 'Instant messaging addresses.', false, 'string', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
  multi('photos', 'URLs of photos.', false, 'reference', ['photo', 'thumbnail']),
  ignored('addresses', 'complex', 'Physical mailing addresses.', {
    multiValued: true,
    subAttributes: [
      ignored('formatted', 'string', 'The full mailing address.'),
      ignored('streetAddress', 'string', 'The street address.'),
      ignored('locality', 'string', 'The city or locality.'),
      ignored('region', 'string', 'The state or region.'),
      ignored('postalCode', 'string', 'The zip or postal code.'),
      ignored('country', 'string', 'The country, as an ISO 3166-1 alpha-2 code.'),
      ignored('type', 'string', 'A label indicating the function of the address.', { canonicalValues: ['work', 'home', 'other'] }),
      ignored('primary', 'boolean', 'Whether this is the primary address.'),
    ],
  }),
  attr('groups', 'complex', "The person's teams (change them through /Groups).", {
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'string', "The team's id.", { mutability: 'readOnly' }),
      attr('$ref', 'reference', "The team's URI.", { mutability: 'readOnly', referenceTypes: ['Group'] }),
      attr('display', 'string', "The team's name.", { mutability: 'readOnly' }),
      ignored('type', 'string', 'How the membership came about.', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
    ],
  }),
  multi('entitlements', 'Entitlements.', false),
  attr('roles', 'complex', "The person's role in the organization: one, named by its key or name (case-insensitive).", {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', "The role's key (a role's key or name when sent)."),
      attr('display', 'string', "The role's name."),
      ignored('type', 'string', 'A label indicating the role’s function.'),
      attr('primary', 'boolean', 'Always true: a person holds one role.'),
    ],
  }),
  multi('x509Certificates', 'X.509 certificates.', false, 'binary'),
];

const ENTERPRISE_ATTRIBUTES: ScimAttribute[] = [
  ignored('employeeNumber', 'string', 'A string identifier, typically numeric or alphanumeric, assigned to a person.'),
  ignored('costCenter', 'string', 'The name of a cost center.'),
  ignored('organization', 'string', 'The name of an organization.'),
  ignored('division', 'string', 'The name of a division.'),
  ignored('department', 'string', 'The name of a department.'),
  ignored('manager', 'complex', "The person's manager.", {
    subAttributes: [
      ignored('value', 'string', "The manager's id."),
      ignored('$ref', 'reference', "The manager's URI.", { referenceTypes: ['User'] }),
      ignored('displayName', 'string', "The manager's display name.", { mutability: 'readOnly' }),
    ],
  }),
];

const GROUP_ATTRIBUTES: ScimAttribute[] = [
  attr('displayName', 'string', "The team's name, unique in the organization (case-insensitive).", {
    required: true,
    uniqueness: 'server',
  }),
  attr('members', 'complex', "The team's members: people of the organization.", {
    multiValued: true,
    subAttributes: [
      attr('value', 'string', "The member's id (a SCIM user's id).", { mutability: 'immutable' }),
      attr('$ref', 'reference', "The member's URI.", { mutability: 'immutable', referenceTypes: ['User'] }),
      attr('display', 'string', "The member's email.", { mutability: 'readOnly' }),
      attr('type', 'string', 'Always "User".', { mutability: 'immutable', canonicalValues: ['User'] }),
    ],
  }),
];

/**
 * The attributes every resource has (RFC 7643 §3.1): not part of a schema document, but named in filters,
 * `attributes` and bodies like the others.
 */
export const COMMON_ATTRIBUTES: ScimAttribute[] = [
  attr('id', 'string', "The resource's id, chosen by Roster.", {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('externalId', 'string', "The identity provider's id for the resource (exact case, at most 255 characters).", {
    caseExact: true,
  }),
  attr('meta', 'complex', "The resource's metadata.", {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'The resource type.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'dateTime', 'When the resource was created (a membership: when the person joined).', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the resource last changed.', { mutability: 'readOnly' }),
      attr('location', 'reference', "The resource's URI.", { caseExact: true, mutability: 'readOnly', referenceTypes: ['uri'] }),
      attr('version', 'string', "The resource's version (a weak entity tag).", { caseExact: true, mutability: 'readOnly' }),
    ],
  }),
];

export const SCHEMAS: readonly ScimSchema[] = [
  { id: SCIM_USER_SCHEMA, name: 'User', description: 'A person of the organization.', attributes: USER_ATTRIBUTES },
  { id: SCIM_GROUP_SCHEMA, name: 'Group', description: 'A team of the organization.', attributes: GROUP_ATTRIBUTES },
  {
    id: SCIM_ENTERPRISE_SCHEMA,
    name: 'EnterpriseUser',
    description: `The enterprise User extension. ${NOT_STORED}`,
    attributes: ENTERPRISE_ATTRIBUTES,
  },
];

export type ResourceKind = 'User' | 'Group';

/** The schemas a resource type's attributes may come from: its core schema first, then its extensions. */
export const RESOURCE_SCHEMAS: Record<ResourceKind, readonly ScimSchema[]> = {
  User: [SCHEMAS[0], SCHEMAS[2]],
  Group: [SCHEMAS[1]],
};

/** An attribute found by a path, with its spelling in its schema. */
export interface ResolvedAttribute {
  /** The schema it belongs to (null: a common attribute, `id`, `externalId`, `meta`). */
  schema: string | null;
  /** The path in the schema's spelling, without a URN: `name.givenName`, `emails.value`, `manager.value`. */
  path: string;
  attribute: ScimAttribute;
  /** The parent (complex) attribute, for a sub-attribute. */
  parent?: ScimAttribute;
}

const byName = (attributes: readonly ScimAttribute[] | undefined, name: string) =>
  attributes?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/**
 * Finds an attribute by a path as a client writes it: case-insensitive (RFC 7644 §3.4.2.2), with or
 * without its schema's URN (`urn:…:User:userName`, `urn:…:enterprise:2.0:User:manager.value`), at most
 * one sub-attribute deep. Null when no schema of the resource type defines it.
 */
export function resolveAttribute(kind: ResourceKind, rawPath: string): ResolvedAttribute | null {
  const schemas = RESOURCE_SCHEMAS[kind];
  let path = rawPath;
  let only: ScimSchema | null = null;
  if (/^urn:/i.test(path)) {
    // The longest URN the path starts with, followed by ':' (the enterprise URN extends the core one's prefix).
    const found = [...schemas]
      .sort((a, b) => b.id.length - a.id.length)
      .find((s) => path.toLowerCase().startsWith(`${s.id.toLowerCase()}:`));
    if (!found) return null;
    only = found;
    path = path.slice(found.id.length + 1);
  }
  const parts = path.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) return null;
  const candidates: { schema: string | null; attributes: readonly ScimAttribute[] }[] = only
    ? [{ schema: only.id, attributes: only === schemas[0] ? [...only.attributes, ...COMMON_ATTRIBUTES] : only.attributes }]
    : [
        { schema: null, attributes: COMMON_ATTRIBUTES },
        { schema: schemas[0].id, attributes: schemas[0].attributes },
      ];
  for (const { schema, attributes } of candidates) {
    const top = byName(attributes, parts[0]);
    if (!top) continue;
    const owner = COMMON_ATTRIBUTES.includes(top) ? null : schema;
    if (parts.length === 1) return { schema: owner, path: top.name, attribute: top };
    const sub = byName(top.subAttributes, parts[1]);
    if (!sub) return null;
    return { schema: owner, path: `${top.name}.${sub.name}`, attribute: sub, parent: top };
  }
  return null;
}

/** A schema document as /Schemas serves it (RFC 7643 §7), without Roster's own `stored` flag. */
export function schemaDocument(schema: ScimSchema, base: string): Record<string, unknown> {
  const served = (a: ScimAttribute): Record<string, unknown> => {
    const doc: Record<string, unknown> = { ...a };
    delete doc['stored'];
    if (a.subAttributes) doc['subAttributes'] = a.subAttributes.map(served);
    return doc;
  };
  return {
    schemas: [SCIM_SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(served),
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  };
}

/** The ResourceType documents (RFC 7643 §6). */
export function resourceTypeDocuments(base: string): Record<string, unknown>[] {
  return [
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'The people of the organization (its active and deactivated members).',
      schema: SCIM_USER_SCHEMA,
      schemaExtensions: [{ schema: SCIM_ENTERPRISE_SCHEMA, required: false }],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
    },
    {
      schemas: [SCIM_RESOURCE_TYPE_SCHEMA],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'The teams of the organization.',
      schema: SCIM_GROUP_SCHEMA,
      schemaExtensions: [],
      meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
    },
  ];
}

/**
 * The ServiceProviderConfig document (RFC 7643 §5). No `documentationUri`: the server serves no
 * documentation page of its own (the README's "Provisioning with SCIM" is the guide).
 */
export function serviceProviderConfig(base: string): Record<string, unknown> {
  return {
    schemas: [SCIM_SPC_SCHEMA],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: SCIM_MAX_PAYLOAD },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'An API token of the organization',
        specUri: 'https://www.rfc-editor.org/info/rfc6750',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
  };
}
