import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { AuditScope } from './audit-query';

registerEnumType(AuditScope, {
  name: 'AuditScope',
  description:
    "Whose events: ORGANIZATION, the current organization's; PLATFORM, the platform's own (organizations created, suspended, deleted, operators granted), for platform operators signed in to the console.",
});

@ObjectType('AuditEvent', { description: 'One admin action (invite, edit, delete, role change, 2FA reset, export...).' })
export class AuditEventModel {
  @Field(() => ID, { description: 'Increasing with time (events of one instant are told apart by it).' })
  id: string;

  @Field(() => DateTimeScalar, { description: 'When it happened.' })
  createdAt: Date;

  @Field(() => ID, {
    nullable: true,
    description: 'Who did it (kept after they are deleted); null for automatic events such as an SSO sign-up.',
  })
  actorId: string | null;

  @Field(() => String, { nullable: true, description: "The actor's email at the time." })
  actorEmail: string | null;

  @Field({ description: 'e.g. "user.deleted", "invitation.created".' })
  action: string;

  @Field(() => ID, { nullable: true, description: 'The person acted on; null for team actions and exports.' })
  targetId: string | null;

  @Field(() => String, { nullable: true, description: "The target's email at the time." })
  targetEmail: string | null;

  @Field({ description: 'JSON object with what changed.' })
  details: string;
}

@ObjectType('AuditEventPage', { description: 'One page of audit events, newest first (by time, then id).' })
export class AuditEventPage {
  @Field(() => [AuditEventModel], { description: 'The events of this page.' })
  events: AuditEventModel[];

  @Field({ description: 'Whether older events follow (pass endCursor as after).' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: "Opaque cursor of the page's last event (null when the page is empty)." })
  endCursor: string | null;
}
