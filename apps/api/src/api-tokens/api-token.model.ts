import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { TeamName } from '../core/validators';

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

  @Field(() => GraphQLISODateTime, { description: 'When it was created.' })
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When it stops working; null if never.' })
  expiresAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last request made with it (to the minute).' })
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
