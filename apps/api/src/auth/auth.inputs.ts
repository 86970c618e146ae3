import { Field, InputType } from '@nestjs/graphql';
import { EmailAddress, Secret } from '../core/graphql/validators';

@InputType({ description: 'Email + password sign-in (refused when password sign-in is disabled).' })
export class SignInInput {
  @Field({ description: 'Login email (case-insensitive).' })
  @EmailAddress()
  email: string;

  @Field({ description: 'The password; a wrong one and an unknown email get the same error.' })
  @Secret()
  password: string;
}
