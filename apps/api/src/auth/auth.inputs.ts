import { Field, InputType } from '@nestjs/graphql';
import { EmailAddress, Secret } from '../core/validators';

@InputType()
export class SignInInput {
  @Field()
  @EmailAddress()
  email: string;

  @Field()
  @Secret()
  password: string;
}
