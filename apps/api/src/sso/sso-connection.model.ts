import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { hasUnsafeText } from '../core/graphql/safe-text';
import { DateTimeScalar } from '../core/graphql/date-time';

/** Limits of a connection's fields (characters). */
export const SSO_ISSUER_MAX = 500;
export const SSO_CLIENT_ID_MAX = 200;
export const SSO_CLIENT_SECRET_MAX = 500;
export const SSO_LABEL_MAX = 40;
export const SSO_DOMAINS_MAX = 50;

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Loopback hosts, where a provider may run without TLS outside production (development, tests). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Development, tests, or a server that is itself only on a loopback address (its PUBLIC_URL): not a deployment people reach. */
function localServer(): boolean {
  const env = process.env['NODE_ENV'];
  if (env === 'development' || env === 'test') return true;
  try {
    const own = new URL(process.env['PUBLIC_URL'] ?? '');
    return own.protocol === 'http:' && LOOPBACK.has(own.hostname);
  } catch {
    return false;
  }
}

/**
 * Whether a text is an issuer Roster may talk to: an absolute https URL without credentials, query or
 * fragment; plain http only to a loopback host, and only in development, tests or a server on loopback itself.
 */
export function issuerProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not an absolute URL';
  }
  if (url.username || url.password || url.search || url.hash) return 'no credentials, query or fragment';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname) && localServer()) return null;
  return 'must be https';
}

/** Text a person typed: trimmed, no control characters nor broken surrogates. */
const SafeLine = (min: number, max: number) =>
  applyDecorators(
    trim,
    IsString(),
    MinLength(min),
    MaxLength(max),
    Matches(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, { message: 'noControlCharacters' }),
    ValidateBy({ name: 'safeText', validator: { validate: (v: unknown) => typeof v === 'string' && !hasUnsafeText(v) } }),
  );

export const Issuer = () =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? value.trim().replace(/\/+$/, '') : value)),
    IsString(),
    MaxLength(SSO_ISSUER_MAX),
    ValidateBy({
      name: 'issuer',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && issuerProblem(v) === null,
        defaultMessage: (args) => `issuer ${typeof args?.value === 'string' ? (issuerProblem(args.value) ?? '') : 'must be a URL'}`,
      },
    }),
  );

@ObjectType('SsoConnection', { description: "The organization's OpenID Connect connection. Its client secret is never returned." })
export class SsoConnectionModel {
  @Field({ description: "The provider's issuer URL (discovery at <issuer>/.well-known/openid-configuration)." })
  issuer: string;

  @Field({ description: 'The client id Roster uses at the provider.' })
  clientId: string;

  @Field({ description: 'Whether a client secret is set (it is never shown again).' })
  hasSecret: boolean;

  @Field({ description: "Set by the server's OIDC_* variables (the first organization's); saving it here stores it instead." })
  fromEnv: boolean;

  @Field({ description: 'The label of the "Continue with …" button.' })
  label: string;

  @Field(() => ID, { description: 'The role of people who join through the provider (their email domain belongs to the organization).' })
  defaultRoleId: string;

  @Field({ description: 'Whether members act in the organization only through its provider (password sessions cannot enter it).' })
  requireSso: boolean;

  @Field(() => DateTimeScalar, { description: 'When it last changed.' })
  updatedAt: Date;
}

@InputType({ description: "The organization's OpenID Connect connection." })
export class SetSsoConnectionInput {
  @Field({ description: `The issuer URL: https (plain http only to localhost outside production), at most ${SSO_ISSUER_MAX} characters.` })
  @Issuer()
  issuer: string;

  @Field({ description: `The client id, 1 to ${SSO_CLIENT_ID_MAX} characters.` })
  @SafeLine(1, SSO_CLIENT_ID_MAX)
  clientId: string;

  @Field(() => String, {
    nullable: true,
    description: `The client secret (at most ${SSO_CLIENT_SECRET_MAX} characters), sealed and never returned; omit it to keep the one set.`,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(SSO_CLIENT_SECRET_MAX)
  @ValidateBy({ name: 'safeText', validator: { validate: (v: unknown) => typeof v === 'string' && !hasUnsafeText(v) } })
  clientSecret?: string | null;

  @Field({ description: `The label of the "Continue with …" button, 1 to ${SSO_LABEL_MAX} characters.` })
  @SafeLine(1, SSO_LABEL_MAX)
  label: string;

  @Field(() => ID, { description: 'The role of people who join through the provider; not Admin.' })
  @IsUUID()
  defaultRoleId: string;

  @Field({ description: 'Members act in the organization only after signing in through its provider.' })
  @IsBoolean()
  requireSso: boolean;
}

@InputType({ description: 'A connection to check before saving it: no secret needed.' })
export class TestSsoConnectionInput {
  @Field({ description: 'The issuer URL.' })
  @Issuer()
  issuer: string;
}

@ObjectType('SsoConnectionTest', { description: 'What checking a connection found.' })
export class SsoConnectionTest {
  @Field({ description: 'Discovery answered for this issuer and its signing keys are reachable.' })
  ok: boolean;

  @Field({ description: 'What was found, in a sentence.' })
  message: string;
}

export enum SignInMethodKind {
  PASSWORD = 'PASSWORD',
  SSO = 'SSO',
}

registerEnumType(SignInMethodKind, {
  name: 'SignInMethodKind',
  description: "PASSWORD, or SSO: the email's domain belongs to an organization that signs its people in through its provider.",
});

@ObjectType('SignInMethod', { description: 'How an email signs in, decided by its domain alone.' })
export class SignInMethodModel {
  @Field(() => SignInMethodKind, { description: 'Password, or the provider of the organization.' })
  method: SignInMethodKind;

  @Field(() => String, { nullable: true, description: 'Where to go for SSO; null for PASSWORD.' })
  ssoUrl: string | null;

  @Field(() => String, { nullable: true, description: 'The label of the "Continue with …" button; null for PASSWORD.' })
  ssoLabel: string | null;
}
