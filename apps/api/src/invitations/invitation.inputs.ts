import { Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { EmailAddress, PersonName, Secret, Token } from '../core/graphql/validators';

@InputType({ description: 'Whom to invite, with which role and teams.' })
export class CreateInvitationInput {
  @Field({ description: "Their email; refused if it is an active user's or already has a pending invitation." })
  @EmailAddress()
  email: string;

  @Field(() => ID, { description: 'Role they get (one you could grant yourself).' })
  @IsUUID()
  roleId: string;

  @Field(() => [ID], { description: 'Teams ("resource groups") the person joins.' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  teamIds: string[];
}

@InputType({ description: 'Many invitations at once (1 to 1,000), made together or not at all.' })
export class CreateInvitationsInput {
  @Field(() => [CreateInvitationInput], {
    description: 'One entry per person: email, role and teams, under the same rules as createInvitation.',
  })
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => CreateInvitationInput)
  invitations: CreateInvitationInput[];
}

/** Names and password of a new account: shared by invitation and first-admin registration. */
@InputType({ isAbstract: true })
abstract class NewAccountInput {
  @Field({ description: 'First name, 1 to 100 characters.' })
  @PersonName()
  firstName: string;

  @Field({ description: 'Last name, 1 to 100 characters.' })
  @PersonName()
  lastName: string;

  @Field({ description: '10 to 256 characters, not a common password, not containing the email.' })
  @Secret()
  password: string;

  @Field({ description: 'The same password again.' })
  @Secret()
  passwordConfirmation: string;
}

@InputType({
  description:
    'Accepting an invitation: a new person registers with names and password; a person who has an account already accepts it signed in as the invited email, with the token alone.',
})
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation URL (single use).' })
  @Token()
  token: string;

  @Field(() => String, { nullable: true, description: 'First name, 1 to 100 characters (registration only).' })
  @IsOptional()
  @PersonName()
  firstName?: string | null;

  @Field(() => String, { nullable: true, description: 'Last name, 1 to 100 characters (registration only).' })
  @IsOptional()
  @PersonName()
  lastName?: string | null;

  @Field(() => String, {
    nullable: true,
    description: '10 to 256 characters, not a common password, not containing the email (registration only).',
  })
  @IsOptional()
  @Secret()
  password?: string | null;

  @Field(() => String, { nullable: true, description: 'The same password again (registration only).' })
  @IsOptional()
  @Secret()
  passwordConfirmation?: string | null;
}

@InputType({ description: 'Registration of the first Admin, on first start.' })
export class SetupFirstAdminInput extends NewAccountInput {
  @Field({ description: 'The set-up token from the URL printed on first start (single use).' })
  @Token()
  token: string;

  @Field({ description: 'Login email of the first Admin.' })
  @EmailAddress()
  email: string;
}
