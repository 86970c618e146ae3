import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { UserModel } from '../users/user.model';

@ObjectType('InvitationResult', { description: 'A new or regenerated invitation and its one URL (shown once).' })
export class InvitationResult {
  @Field(() => UserModel, { description: 'The invited person (status INVITED).' })
  user: UserModel;

  @Field({ description: 'Registration URL (or SSO login URL when SSO is configured).' })
  url: string;

  @Field({ description: 'REGISTRATION or SSO.' })
  urlKind: string;

  @Field(() => DateTimeScalar, { description: 'When the URL stops working.' })
  expiresAt: Date;
}

@ObjectType('InvitationPreview', { description: 'What the invitation page shows before the person registers or accepts.' })
export class InvitationPreview {
  @Field({ description: 'The invited email (the login email once registered).' })
  email: string;

  @Field(() => DateTimeScalar, { description: 'When the invitation expires.' })
  expiresAt: Date;

  @Field({
    description:
      'Whether the invited email has an account already: then the person signs in as it and accepts (acceptInvitation with the token alone) rather than registering.',
  })
  existingAccount: boolean;
}

@ObjectType('EmailInUse', { description: 'An email that already belongs to someone (for the bulk invitation preview).' })
export class EmailInUse {
  @Field({ description: 'The email, lower-case.' })
  email: string;

  @Field({ description: 'ACTIVE, INVITED or DEACTIVATED.' })
  status: string;

  @Field({ description: 'Whether an unexpired invitation is pending for it.' })
  pending: boolean;
}
