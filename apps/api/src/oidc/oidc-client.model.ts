import { applyDecorators } from '@nestjs/common';
import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateBy,
  ValidateIf,
} from 'class-validator';
import { DateTimeScalar } from '../core/graphql/date-time';
import { hasUnsafeText } from '../core/graphql/safe-text';

/** Limits of a client's fields. */
export const OIDC_CLIENT_NAME_MAX = 100;
export const OIDC_URIS_MAX = 10;
export const OIDC_URI_MAX = 2000;
/** Clients per organization. */
export const OIDC_CLIENTS_PER_ORGANIZATION = 50;

const trim = Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A name a person typed: trimmed, no control characters nor broken surrogates. */
const ClientName = () =>
  applyDecorators(
    trim,
    IsString(),
    MinLength(1),
    MaxLength(OIDC_CLIENT_NAME_MAX),
    Matches(/^[^\p{Cc}\p{Zl}\p{Zp}]*$/u, { message: 'noControlCharacters' }),
    ValidateBy({ name: 'safeText', validator: { validate: (v: unknown) => typeof v === 'string' && !hasUnsafeText(v) } }),
  );

/** A list of URIs: at most OIDC_URIS_MAX strings of at most OIDC_URI_MAX characters (what they may be: the service's rules). */
const UriList = () =>
  applyDecorators(IsArray(), ArrayMaxSize(OIDC_URIS_MAX), IsString({ each: true }), MaxLength(OIDC_URI_MAX, { each: true }));

/** One optional URI. */
const OptionalUri = () =>
  applyDecorators(
    IsOptional(),
    ValidateIf((_o: object, v: unknown) => v !== null),
    IsString(),
    MaxLength(OIDC_URI_MAX),
  );

@ObjectType('OidcClient', { description: 'An application that signs people in through Roster (an OpenID Connect client).' })
export class OidcClientModel {
  @Field(() => ID, { description: "The client's id in Roster (what the mutations take)." })
  id: string;

  @Field({ description: 'The client_id the application sends (rst_client_…).' })
  clientId: string;

  @Field({ description: "The application's name, as people see it." })
  name: string;

  @Field(() => [String], { description: 'Where Roster may send people back with a code: matched exactly.' })
  redirectUris: string[];

  @Field(() => [String], { description: 'Where Roster may send people back after signing out.' })
  postLogoutRedirectUris: string[];

  @Field(() => String, { nullable: true, description: 'Where Roster posts logout tokens when a session ends.' })
  backchannelLogoutUri: string | null;

  @Field({ description: 'A public client (a single-page or native application): no secret, PKCE only.' })
  public: boolean;

  @Field({ description: 'A first-party application: no consent asked.' })
  firstParty: boolean;

  @Field({ description: 'Usable by people of every organization (registered by an operator); read-only to organization admins.' })
  platformWide: boolean;

  @Field(() => DateTimeScalar, { description: 'When the client was registered.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { description: 'When the client was last changed (its secret rotated included).' })
  updatedAt: Date;
}

@ObjectType('OidcClientWithSecret', { description: 'A client with its secret, shown this once.' })
export class OidcClientWithSecretModel {
  @Field(() => OidcClientModel, { description: 'The client as registered.' })
  client: OidcClientModel;

  @Field(() => String, { nullable: true, description: 'The client secret, shown only now (sealed by Roster); null for public clients.' })
  clientSecret: string | null;
}

@InputType({ description: 'A new OpenID Connect client.' })
export class CreateOidcClientInput {
  @Field({ description: `The application's name, 1 to ${OIDC_CLIENT_NAME_MAX} characters.` })
  @ClientName()
  name: string;

  @Field(() => [String], {
    description: `1 to ${OIDC_URIS_MAX} redirect URIs: absolute https (http only on loopback), no fragment nor credentials, at most ${OIDC_URI_MAX} characters each.`,
  })
  @UriList()
  redirectUris: string[];

  @Field(() => [String], { nullable: true, description: `Up to ${OIDC_URIS_MAX} post-logout redirect URIs, the same rules.` })
  @IsOptional()
  @UriList()
  postLogoutRedirectUris?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The back-channel logout URI, the same rules.' })
  @OptionalUri()
  backchannelLogoutUri?: string | null;

  @Field({ description: 'A public client (no secret); cannot change later.' })
  @IsBoolean()
  public: boolean;

  @Field({ description: 'A first-party application (no consent asked).' })
  @IsBoolean()
  firstParty: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Usable by people of every organization (operators only).' })
  @IsOptional()
  @IsBoolean()
  platformWide?: boolean | null;
}

@InputType({ description: 'Changes to a client (its kind, public or not, stays).' })
export class UpdateOidcClientInput {
  @Field(() => ID, { description: 'The client to change.' })
  @IsUUID()
  id: string;

  @Field({ description: `The application's name, 1 to ${OIDC_CLIENT_NAME_MAX} characters.` })
  @ClientName()
  name: string;

  @Field(() => [String], { description: `1 to ${OIDC_URIS_MAX} redirect URIs.` })
  @UriList()
  redirectUris: string[];

  @Field(() => [String], { nullable: true, description: `Up to ${OIDC_URIS_MAX} post-logout redirect URIs.` })
  @IsOptional()
  @UriList()
  postLogoutRedirectUris?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The back-channel logout URI; null removes it.' })
  @OptionalUri()
  backchannelLogoutUri?: string | null;

  @Field({ description: 'A first-party application (no consent asked).' })
  @IsBoolean()
  firstParty: boolean;
}
