import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsUUID } from 'class-validator';
import { EmailAddress, PersonName, Secret, Token } from '../core/validators';

@InputType()
export class CreateInvitationInput {
  @Field()
  @EmailAddress()
  email: string;

  @Field(() => ID)
  @IsUUID()
  roleId: string;

  @Field(() => [ID], { description: 'Teams ("resource groups") the person joins.' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  teamIds: string[];
}

@InputType()
export class AcceptInvitationInput {
  @Field()
  @Token()
  token: string;

  @Field()
  @PersonName()
  firstName: string;

  @Field()
  @PersonName()
  lastName: string;

  @Field()
  @Secret()
  password: string;

  @Field()
  @Secret()
  passwordConfirmation: string;
}

@InputType()
export class SetupFirstAdminInput {
  @Field()
  @Token()
  token: string;

  @Field()
  @EmailAddress()
  email: string;

  @Field()
  @PersonName()
  firstName: string;

  @Field()
  @PersonName()
  lastName: string;

  @Field()
  @Secret()
  password: string;

  @Field()
  @Secret()
  passwordConfirmation: string;
}
