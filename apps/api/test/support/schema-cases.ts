import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLNamedType,
  GraphQLOutputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';

/**
 * Operations generated from the committed schema (apps/api/schema.gql): one document per Query and
 * Mutation field, with a variable (or an inline literal) per argument. Used by the hostile-input
 * property suite and by tests that need a minimal, valid call of every operation.
 */

export const SCHEMA_PATH = join(__dirname, '../../schema.gql');

export function loadSchema(path = SCHEMA_PATH): GraphQLSchema {
  return buildSchema(readFileSync(path, 'utf8'));
}

export type OperationKind = 'query' | 'mutation';

export interface OperationField {
  kind: OperationKind;
  name: string;
  field: GraphQLField<unknown, unknown>;
}

/** Every root field of Query and Mutation, but the excluded ones (by default signOut: it ends the caller's session). */
export function operationFields(schema: GraphQLSchema, exclude: Iterable<string> = ['signOut']): OperationField[] {
  const skip = new Set(exclude);
  const out: OperationField[] = [];
  for (const [kind, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) if (!skip.has(field.name)) out.push({ kind, name: field.name, field });
  }
  return out;
}

export function findOperation(schema: GraphQLSchema, fieldName: string): OperationField {
  const op = operationFields(schema, []).find((o) => o.name === fieldName);
  if (!op) throw new Error(`No Query or Mutation field named ${fieldName}`);
  return op;
}

/** A valid selection for a field of this type: nothing for leaves, `{ __typename }` (or an override by type name) otherwise. */
export function selectionFor(type: GraphQLOutputType, overrides: Record<string, string> = {}): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  return ` ${overrides[named.name] ?? '{ __typename }'}`;
}

/** Variable type for an argument: its own, but nullable when it has a default (so it can be left out, or sent as null). */
function variableType(arg: GraphQLArgument): string {
  if (arg.defaultValue !== undefined && isNonNullType(arg.type)) return String(arg.type.ofType);
  return String(arg.type);
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * A GraphQL literal for a JSON-ish value. With the expected type, strings that name an enum value
 * are printed bare; anything else is printed as it is (a wrong type stays wrong, for the server to refuse).
 */
export function printLiteral(value: unknown, type?: GraphQLInputType): string {
  const named: GraphQLNamedType | undefined = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    if (named && isEnumType(named) && NAME.test(value) && !['true', 'false', 'null'].includes(value)) return value;
    return JSON.stringify(value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const inner =
      type && isListType(isNonNullType(type) ? type.ofType : type)
        ? ((isNonNullType(type) ? type.ofType : type) as { ofType: GraphQLInputType }).ofType
        : undefined;
    return `[${value.map((v) => printLiteral(v, inner)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${printLiteral(v, fields[k]?.type)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(String(value));
}

export interface BuiltCall {
  kind: OperationKind;
  fieldName: string;
  query: string;
  variables: Record<string, unknown>;
}

export interface BuildOptions {
  /** 'variables' (default): `$arg` per argument; 'literals': values written inline in the document. */
  mode?: 'variables' | 'literals';
  /** Selection set per output type name (default `{ __typename }`). */
  selections?: Record<string, string>;
}

/**
 * The document and variables calling one root field. `args` maps argument names to values; an
 * argument whose value is undefined is left out of the call (and of the variable definitions).
 */
export function buildCall(schema: GraphQLSchema, fieldName: string, args: Record<string, unknown>, opts: BuildOptions = {}): BuiltCall {
  const op = findOperation(schema, fieldName);
  const variables: Record<string, unknown> = {};
  const defs: string[] = [];
  const passed: string[] = [];
  for (const arg of op.field.args) {
    const value = args[arg.name];
    if (value === undefined) continue;
    if (opts.mode === 'literals') {
      passed.push(`${arg.name}: ${printLiteral(value, arg.type)}`);
    } else {
      defs.push(`$${arg.name}: ${variableType(arg)}`);
      passed.push(`${arg.name}: $${arg.name}`);
      variables[arg.name] = value;
    }
  }
  const query = `${op.kind}${defs.length ? `(${defs.join(', ')})` : ''} { ${op.name}${passed.length ? `(${passed.join(', ')})` : ''}${selectionFor(op.field.type, opts.selections)} }`;
  return { kind: op.kind, fieldName, query, variables };
}

// ---------------------------------------------------------------------------------------------
// Minimal, plausible values

export interface PlausibleContext {
  /** An existing person (for id, userId). */
  userId?: string;
  /** An invited person (for regenerateInvitation, revokeInvitation); userId when not given. */
  invitedUserId?: string;
  /** An existing role (for roleId). */
  roleId?: string;
  /** An existing team (for teamIds, and id of renameTeam/deleteTeam). */
  teamId?: string;
  /** An existing API token (for revokeApiToken). */
  apiTokenId?: string;
  /** An invitation or challenge token. */
  token?: string;
  /** A password (default: a strong passphrase). */
  password?: string;
  /** The new password of changeMyPassword (default: password). */
  newPassword?: string;
  /** An email (default: a fresh one under example.com). */
  email?: string;
}

/** Where a value sits: the root field, then argument and input-field names (innermost last). */
export interface ValuePath {
  field: string;
  names: string[];
}

const lastName = (p: ValuePath) => p.names[p.names.length - 1] ?? '';

/** Which kind of thing an ID argument names, from where it sits. */
export function idKind(p: ValuePath): 'user' | 'invited' | 'role' | 'team' | 'apiToken' | 'audit' | 'unknown' {
  const name = lastName(p);
  if (name === 'roleId' || name === 'replacementRoleId' || ((p.field === 'updateRole' || p.field === 'deleteRole') && name === 'id'))
    return 'role';
  if (name === 'teamIds' || ((p.field === 'renameTeam' || p.field === 'deleteTeam') && name === 'id')) return 'team';
  if (p.field === 'revokeApiToken') return 'apiToken';
  if (p.field === 'auditEvents') return 'audit';
  if (p.field === 'regenerateInvitation' || p.field === 'revokeInvitation') return 'invited';
  if (name === 'id' || name === 'userId') return 'user';
  return 'unknown';
}

/** idKind's kinds, and those only a second organization needs told apart: browser sessions and organizations. */
export type TargetKind = ReturnType<typeof idKind> | 'session' | 'organization' | 'oidcClient' | 'webhookEndpoint' | 'webhookDelivery';

/**
 * Which kind of thing an ID argument names, finer than idKind: a session (revokeMySession, revokeSession,
 * `sessionId`), an organization (`organizationId`, the `id` of the operators' …Organization operations), an
 * OpenID Connect client (the `id` of the …OidcClient… operations), a webhook endpoint (the `id` of the
 * …WebhookEndpoint operations and of rotateWebhookSecret, `endpointId`), a webhook delivery (`deliveryId`), and roles named by a
 * plural (`requiredRoleIds`). A membership is named by its person's id (kind user).
 */
export function targetKind(p: ValuePath): TargetKind {
  const name = lastName(p);
  if (p.field === 'revokeMySession' || p.field === 'revokeSession' || /^sessionIds?$/.test(name)) return 'session';
  if (/^organizationIds?$/.test(name) || (/Organization$/.test(p.field) && name === 'id')) return 'organization';
  if (/[rR]oleIds$/.test(name)) return 'role';
  if (/^teamIds?$/.test(name)) return 'team';
  if (/^(memberId|personId|ownerId)$/.test(name)) return 'user';
  if (/OidcClient/.test(p.field) && name === 'id') return 'oidcClient';
  if (((/WebhookEndpoint$/.test(p.field) || p.field === 'rotateWebhookSecret') && name === 'id') || name === 'endpointId')
    return 'webhookEndpoint';
  if (name === 'deliveryId') return 'webhookDelivery';
  return idKind(p);
}

/** Which kind of text a String argument carries, from its name. */
export function stringKind(p: ValuePath): string {
  const name = lastName(p);
  if (/password/i.test(name)) return 'password';
  if (name === 'email') return 'email';
  if (name === 'token') return 'token';
  if (name === 'challengeToken') return 'challengeToken';
  if (name === 'code') return 'code';
  if (name === 'confirmation') return 'confirmation';
  if (name === 'firstName' || name === 'lastName') return 'personName';
  if (name === 'name') return 'name';
  if (name === 'search') return 'search';
  if (p.field === 'users' && (name === 'after' || name === 'before')) return 'cursor';
  if (name === 'action') return 'action';
  return 'text';
}

function plausibleScalar(typeName: string, p: ValuePath, ctx: PlausibleContext): unknown {
  if (typeName === 'ID') {
    switch (idKind(p)) {
      case 'role':
        return ctx.roleId ?? randomUUID();
      case 'team':
        return ctx.teamId ?? randomUUID();
      case 'apiToken':
        return ctx.apiTokenId ?? randomUUID();
      case 'audit':
        return '1';
      case 'invited':
        return ctx.invitedUserId ?? ctx.userId ?? randomUUID();
      default:
        return ctx.userId ?? randomUUID();
    }
  }
  if (typeName === 'String') {
    switch (stringKind(p)) {
      case 'password':
        return (/^newPassword/.test(lastName(p)) ? ctx.newPassword : undefined) ?? ctx.password ?? 'correct horse battery staple';
      case 'email':
        return ctx.email ?? `minimal-${randomBytes(4).toString('hex')}@example.com`;
      case 'token':
      case 'challengeToken':
        return ctx.token ?? randomBytes(32).toString('base64url');
      case 'code':
        return '123456';
      case 'confirmation':
        return 'DELETE';
      case 'personName':
        return 'Test';
      case 'name':
        return `Minimal ${randomBytes(4).toString('hex')}`;
      case 'search':
        return 'a';
      case 'action':
        return 'user.updated';
      default:
        return 'x';
    }
  }
  if (typeName === 'Int') return 1;
  if (typeName === 'Float') return 1.5;
  if (typeName === 'Boolean') return true;
  if (typeName === 'DateTime') return new Date().toISOString();
  return 'x';
}

function plausibleValue(type: GraphQLInputType, p: ValuePath, ctx: PlausibleContext): unknown {
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) return idKind(p) === 'team' && ctx.teamId ? [ctx.teamId] : [];
  if (isEnumType(t)) return t.getValues()[0]?.name;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined)
        out[f.name] = plausibleValue(f.type, { field: p.field, names: [...p.names, f.name] }, ctx);
    }
    return out;
  }
  if (isScalarType(t)) return plausibleScalar(t.name, p, ctx);
  return null;
}

/** Plausible values for the required arguments of one root field (optional ones and those with defaults are left out). */
export function minimalVariables(schema: GraphQLSchema, fieldName: string, ctx: PlausibleContext = {}): Record<string, unknown> {
  const op = findOperation(schema, fieldName);
  const out: Record<string, unknown> = {};
  for (const arg of op.field.args) {
    if (isNonNullType(arg.type) && arg.defaultValue === undefined)
      out[arg.name] = plausibleValue(arg.type, { field: fieldName, names: [arg.name] }, ctx);
  }
  return out;
}

/** A syntactically valid call of one root field with plausible values for its required arguments. */
export function minimalCall(schema: GraphQLSchema, fieldName: string, ctx: PlausibleContext = {}, opts: BuildOptions = {}): BuiltCall {
  return buildCall(schema, fieldName, minimalVariables(schema, fieldName, ctx), opts);
}

// ---------------------------------------------------------------------------------------------
// Arbitraries derived from the types

/** Marks an argument or input field as left out (distinct from an explicit null). */
export const OMIT = undefined;

export interface ArbitraryHooks {
  /** Values for a scalar at this place (plausible and hostile mixed, wrong JSON types included). */
  scalar(typeName: string, p: ValuePath): fc.Arbitrary<unknown>;
  /** Values for an enum: valid ones and invalid ones. */
  enumValue(values: string[], p: ValuePath): fc.Arbitrary<unknown>;
  /** A value of the wrong shape for a list or input object (a string, a number, a list for an object...). */
  wrongShape(p: ValuePath): fc.Arbitrary<unknown>;
  /** Weights: explicit null on a non-null place, null on a nullable one, wrong shapes, unknown extra fields (out of 100). */
  nullOnNonNull?: number;
  nullOnNullable?: number;
  /** Weight (out of 100) of leaving a required argument out. */
  omitRequired?: number;
  wrongShapeWeight?: number;
  extraFieldWeight?: number;
}

/** fc.oneof without the entries of weight 0. */
function weighted(...entries: { arbitrary: fc.Arbitrary<unknown>; weight: number }[]): fc.Arbitrary<unknown> {
  const kept = entries.filter((e) => e.weight > 0);
  return kept.length === 1 ? kept[0].arbitrary : fc.oneof(...kept);
}

export function valueArbitrary(type: GraphQLInputType, p: ValuePath, hooks: ArbitraryHooks): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) {
    const inner = valueArbitrary(type.ofType, p, hooks);
    const nul = hooks.nullOnNonNull ?? 3;
    return weighted({ arbitrary: inner, weight: 100 - nul }, { arbitrary: fc.constant(null), weight: nul });
  }
  const nul = hooks.nullOnNullable ?? 12;
  return weighted({ arbitrary: fc.constant(null), weight: nul }, { arbitrary: nullableInner(type, p, hooks), weight: 100 - nul });
}

function nullableInner(type: GraphQLInputType, p: ValuePath, hooks: ArbitraryHooks): fc.Arbitrary<unknown> {
  const wrong = hooks.wrongShapeWeight ?? 6;
  if (isListType(type)) {
    const item = valueArbitrary(type.ofType as GraphQLInputType, p, hooks);
    return weighted(
      { arbitrary: fc.array(item, { maxLength: 4 }), weight: 70 },
      // A single value where a list is expected: GraphQL coerces it into a one-item list.
      { arbitrary: item, weight: wrong ? 10 : 0 },
      // More items than any list input allows (ArrayMaxSize 100).
      { arbitrary: fc.array(item, { minLength: 101, maxLength: 120 }), weight: wrong ? 4 : 0 },
      { arbitrary: hooks.wrongShape(p), weight: wrong ? wrong + 10 : 0 },
    );
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields());
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    for (const f of fields) {
      const fp = { field: p.field, names: [...p.names, f.name] };
      const v = valueArbitrary(f.type, fp, hooks);
      // Optional input fields: left out, explicit null (inside valueArbitrary), or a value.
      shape[f.name] = isNonNullType(f.type) ? v : fc.oneof({ arbitrary: fc.constant(OMIT), weight: 30 }, { arbitrary: v, weight: 70 });
    }
    const obj = fc.record(shape).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    const extra = hooks.extraFieldWeight ?? 4;
    return weighted(
      { arbitrary: obj, weight: 100 - wrong - extra },
      {
        arbitrary: fc
          .tuple(obj, fc.constantFrom('bogus', '__proto__', 'constructor', 'id2', 'ID', 'Email'), hooks.scalar('String', p))
          .map(([o, k, v]) => ({ ...o, [k]: v })),
        weight: extra,
      },
      { arbitrary: hooks.wrongShape(p), weight: wrong },
    );
  }
  if (isEnumType(type))
    return hooks.enumValue(
      type.getValues().map((v) => v.name),
      p,
    );
  if (isScalarType(type)) return hooks.scalar(type.name, p);
  return fc.constant(null);
}

/** Arguments for one root field: each argument left out (when optional), null, or a generated value. */
export function argumentsArbitrary(schema: GraphQLSchema, fieldName: string, hooks: ArbitraryHooks): fc.Arbitrary<Record<string, unknown>> {
  const op = findOperation(schema, fieldName);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const arg of op.field.args) {
    const v = valueArbitrary(arg.type, { field: fieldName, names: [arg.name] }, hooks);
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    // A required argument is left out now and then too (a validation error, never a crash).
    const omit = required ? (hooks.omitRequired ?? 2) : 30;
    shape[arg.name] = weighted({ arbitrary: fc.constant(OMIT), weight: omit }, { arbitrary: v, weight: 100 - omit });
  }
  return fc.record(shape);
}
