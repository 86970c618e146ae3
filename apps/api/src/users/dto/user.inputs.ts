import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsEnum, IsString, IsUUID } from 'class-validator';
import { Language, Theme } from '../users.enums';
import '../users.enums.graphql';
import { OmittableNotNull, PersonName, Secret } from '../../core/graphql/validators';

@InputType({ description: 'What an admin edits on a person. Omitted fields stay.' })
export class UpdateUserInput {
  @Field(() => ID, { description: 'The person to edit.' })
  @IsUUID()
  id: string;

  @Field({ nullable: true, description: 'First name, 1 to 100 characters.' })
  @OmittableNotNull()
  @PersonName()
  firstName?: string;

  @Field({ nullable: true, description: 'Last name, 1 to 100 characters.' })
  @OmittableNotNull()
  @PersonName()
  lastName?: string;

  @Field(() => ID, {
    nullable: true,
    description: 'New role (one you could grant). You cannot change your own role or demote the last admin.',
  })
  @OmittableNotNull()
  @IsUUID()
  roleId?: string;

  @Field(() => [ID], { nullable: true, description: 'The complete new set of teams.' })
  @OmittableNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  teamIds?: string[];
}

@InputType({ description: 'The person to delete, with the typed confirmation.' })
export class DeleteUserInput {
  @Field(() => ID, { description: 'The person to delete (not yourself, not the last admin).' })
  @IsUUID()
  id: string;

  @Field({ description: 'Must be the confirmation word DELETE, as typed in the console.' })
  @IsString()
  confirmation: string;
}

@InputType({ description: 'Your own profile and preferences. Omitted fields stay.' })
export class UpdateMyProfileInput {
  @Field({ nullable: true, description: 'First name, 1 to 100 characters.' })
  @OmittableNotNull()
  @PersonName()
  firstName?: string;

  @Field({ nullable: true, description: 'Last name, 1 to 100 characters.' })
  @OmittableNotNull()
  @PersonName()
  lastName?: string;

  @Field(() => Language, { nullable: true, description: 'Console language.' })
  @OmittableNotNull()
  @IsEnum(Language)
  language?: Language;

  @Field(() => Theme, { nullable: true, description: 'Console theme.' })
  @OmittableNotNull()
  @IsEnum(Theme)
  theme?: Theme;
}

@InputType({ description: 'Your current password and the new one, twice.' })
export class ChangePasswordInput {
  @Field({ description: 'Your current password; a wrong one fails with WRONG_PASSWORD.' })
  @Secret()
  currentPassword: string;

  @Field({ description: '10 to 256 characters, not a common password, not containing your email.' })
  @Secret()
  newPassword: string;

  @Field({ description: 'The same new password again.' })
  @Secret()
  newPasswordConfirmation: string;
}
