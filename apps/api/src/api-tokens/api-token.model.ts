import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { TeamName } from '../core/graphql/validators';

@ObjectType('ApiToken', { description: 'An API token (its secret is shown once, at creation).' })
export class ApiTokenModel {
  @Field(() => ID, { description: 'Identifies the token (e.g. for revokeApiToken).' })
  id: string;

  @Field({ description: 'What the token is for.' })
  name: string;

  @Field({ description: 'First characters of the secret, to recognise it.' })
  prefix: string;

  @Field(() => ID, { description: 'The person the token acts as.' })
  ownerId: string;

  @Field({ description: "The owner's email." })
  ownerEmail: string;

  @Field(() => String, { nullable: true, description: 'The smaller role the token is capped to, if any.' })
  roleName: string | null;

  @Field(() => String, { nullable: true, description: 'The key of the role the token is capped to (e.g. VIEWER), if any.' })
  roleKey: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it stops working; null if never.' })
  expiresAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Last request made with it (to the minute).' })
  lastUsedAt: Date | null;
}

@ObjectType('CreatedApiToken', { description: 'A new API token and its secret (shown once).' })
export class CreatedApiToken {
  @Field(() => ApiTokenModel, { description: 'The token as it will be listed.' })
  token: ApiTokenModel;

  @Field({ description: 'Send as "Authorization: Bearer <secret>". Shown only now: it is stored hashed.' })
  secret: string;
}

@InputType({ description: 'A new API token: name, lifetime and optional role cap.' })
export class CreateApiTokenInput {
  @Field({ description: 'What the token is for, 1–80 characters.' })
  @TeamName()
  name: string;

  @Field(() => Int, { nullable: true, description: 'Days until it expires (1–3650); never when omitted.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expiresInDays?: number | null;

  @Field(() => ID, { nullable: true, description: 'Cap the token to this role (at most your own permissions).' })
  @IsOptional()
  @IsUUID()
  roleId?: string | null;
}

export enum ApiTokenStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ApiTokenStatus, { name: 'ApiTokenStatus', description: 'ACTIVE tokens work; EXPIRED tokens are past their expiry.' });

@ArgsType()
export class AllApiTokensArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 50, at most 200).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor: the endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  after?: string | null;

  @Field(() => String, { nullable: true, description: "Case-insensitive substring of the owner's email or of the token's name." })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  search?: string | null;

  @Field(() => ApiTokenStatus, { nullable: true, description: 'Only ACTIVE or only EXPIRED tokens.' })
  @IsOptional()
  @IsEnum(ApiTokenStatus)
  status?: ApiTokenStatus | null;
}

@ObjectType('ApiTokenPage', { description: 'One page of API tokens, newest first.' })
export class ApiTokenPage {
  @Field(() => [ApiTokenModel], { description: 'The tokens of this page.' })
  tokens: ApiTokenModel[];

  @Field(() => Int, { description: 'Tokens matching the filters.' })
  totalCount: number;

  @Field(() => String, { nullable: true, description: 'Pass as after for the next page.' })
  endCursor: string | null;

  @Field({ description: 'Whether more tokens follow.' })
  hasNextPage: boolean;
}
