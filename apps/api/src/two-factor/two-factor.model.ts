import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { IsString, Length, Matches } from 'class-validator';
import { MeModel } from '../users/user.model';
import { Secret, Token } from '../core/graphql/validators';

@ObjectType('TwoFactorSetup', { description: 'Step 2 of the set-up: scan the QR code or type the key.' })
export class TwoFactorSetup {
  @Field({ description: 'Base32 secret for manual entry in an authenticator app.' })
  secret: string;

  @Field({ description: 'otpauth:// URI (what the QR code holds).' })
  otpauthUri: string;

  @Field({ description: 'PNG QR code as a data: URL.' })
  qrCodeDataUrl: string;
}

@ObjectType('TwoFactorEnabled', { description: 'Two-factor authentication is now on; keep these recovery codes.' })
export class TwoFactorEnabled {
  @Field(() => [String], { description: 'Ten one-time recovery codes. Shown only now: they are stored hashed.' })
  recoveryCodes: string[];
}

@ObjectType('SignInResult', { description: 'Either signed in (me), or a second factor is required (challengeToken).' })
export class SignInResult {
  @Field(() => MeModel, { nullable: true, description: 'The signed-in person; null while a second factor is required.' })
  me: MeModel | null;

  @Field({ description: 'True when verifyTwoFactor must follow (no session yet).' })
  twoFactorRequired: boolean;

  @Field(() => String, { nullable: true, description: 'Pass to verifyTwoFactor with a code. Valid 5 minutes.' })
  challengeToken: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When challengeToken expires.' })
  challengeExpiresAt: Date | null;
}

/** A 6-digit TOTP code or a recovery code (XXXXX-XXXXX). */
const Code = () => Matches(/^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/, { message: 'code' });

@InputType({ description: 'A code from the authenticator app.' })
export class TwoFactorCodeInput {
  @Field({ description: 'The 6-digit code from the authenticator app.' })
  @IsString()
  @Length(6, 6)
  @Matches(/^\d{6}$/, { message: 'sixDigits' })
  code: string;
}

@InputType({ description: 'The second sign-in step: the challenge and a code.' })
export class VerifyTwoFactorInput {
  @Field({ description: 'The challengeToken returned by signIn.' })
  @Token()
  challengeToken: string;

  @Field({ description: 'A 6-digit code, or an unused recovery code.' })
  @IsString()
  @Code()
  code: string;
}

@InputType({ description: 'Proof that you may turn two-factor authentication off.' })
export class DisableTwoFactorInput {
  @Field({ description: 'Your current password.' })
  @Secret()
  password: string;

  @Field({ description: 'A current 6-digit code (or a recovery code).' })
  @IsString()
  @Code()
  code: string;
}
