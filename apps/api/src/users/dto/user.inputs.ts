import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';
import { Language, Theme } from '../../core/enums';
import { PersonName, Secret } from '../../core/validators';

@InputType({ description: 'What an admin edits on a person (SPEC §3). Omitted fields stay.' })
export class UpdateUserInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field({ nullable: true })
  @IsOptional()
  @PersonName()
  firstName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @PersonName()
  lastName?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  roleId?: string;

  @Field(() => [ID], { nullable: true, description: 'The complete new set of teams.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  teamIds?: string[];
}

@InputType()
export class DeleteUserInput {
  @Field(() => ID)
  @IsUUID()
  id: string;

  @Field({ description: 'Must be the confirmation word DELETE, as typed in the console.' })
  @IsString()
  confirmation: string;
}

@InputType({ description: 'Your own profile and preferences. Omitted fields stay.' })
export class UpdateMyProfileInput {
  @Field({ nullable: true })
  @IsOptional()
  @PersonName()
  firstName?: string;

  @Field({ nullable: true })
  @IsOptional()
  @PersonName()
  lastName?: string;

  @Field(() => Language, { nullable: true })
  @IsOptional()
  @IsEnum(Language)
  language?: Language;

  @Field(() => Theme, { nullable: true })
  @IsOptional()
  @IsEnum(Theme)
  theme?: Theme;
}

@InputType()
export class ChangePasswordInput {
  @Field()
  @Secret()
  currentPassword: string;

  @Field()
  @Secret()
  newPassword: string;

  @Field()
  @Secret()
  newPasswordConfirmation: string;
}
