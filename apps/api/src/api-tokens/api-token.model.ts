import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { TeamName } from '../core/validators';

@ObjectType('ApiToken', { description: 'An API token (its secret is shown once, at creation).' })
export class ApiTokenModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field({ description: 'First characters of the secret, to recognise it.' })
  prefix: string;

  @Field(() => ID)
  ownerId: string;

  @Field()
  ownerEmail: string;

  @Field(() => String, { nullable: true, description: 'The smaller role the token is capped to, if any.' })
  roleName: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  expiresAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last request made with it (to the minute).' })
  lastUsedAt: Date | null;
}

@ObjectType('CreatedApiToken')
export class CreatedApiToken {
  @Field(() => ApiTokenModel)
  token: ApiTokenModel;

  @Field({ description: 'Send as "Authorization: Bearer <secret>". Shown only now: it is stored hashed.' })
  secret: string;
}

@InputType()
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
