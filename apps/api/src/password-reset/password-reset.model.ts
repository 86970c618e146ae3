import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { Secret, Token } from '../core/graphql/validators';

@ObjectType('PasswordResetLink', { description: 'A one-time link that lets a person choose a new password.' })
export class PasswordResetLink {
  @Field({ description: 'Give it to the person (it is shown once: only its hash is stored).' })
  url: string;

  @Field(() => DateTimeScalar, { description: 'When the link stops working.' })
  expiresAt: Date;
}

@ObjectType('PasswordResetPreview', { description: 'What the reset page shows before the new password is chosen.' })
export class PasswordResetPreview {
  @Field({ description: 'Whose password the link resets.' })
  email: string;

  @Field(() => DateTimeScalar, { description: 'When the link stops working.' })
  expiresAt: Date;

  @Field({
    description:
      'True when the person has no password yet (an account an identity provider created, whose link says its account is ready): the page asks them to choose their password rather than a new one.',
  })
  firstPassword: boolean;
}

@InputType({ description: 'A new password, through a reset link.' })
export class ResetPasswordInput {
  @Field({ description: 'The token from the reset URL (single use).' })
  @Token()
  token: string;

  @Field({ description: '10 to 256 characters, not a common password, not containing the email.' })
  @Secret()
  password: string;

  @Field({ description: 'The same password again.' })
  @Secret()
  passwordConfirmation: string;
}
