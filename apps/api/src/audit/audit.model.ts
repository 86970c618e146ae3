import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('AuditEvent', { description: 'One admin action (invite, edit, delete, role change, 2FA reset, export...).' })
export class AuditEventModel {
  @Field(() => ID, { description: 'Increasing; also the pagination cursor.' })
  id: string;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => ID, { nullable: true })
  actorId: string | null;

  @Field(() => String, { nullable: true })
  actorEmail: string | null;

  @Field({ description: 'e.g. "user.deleted", "invitation.created".' })
  action: string;

  @Field(() => ID, { nullable: true })
  targetId: string | null;

  @Field(() => String, { nullable: true })
  targetEmail: string | null;

  @Field({ description: 'JSON object with what changed.' })
  details: string;
}

@ObjectType('AuditEventPage')
export class AuditEventPage {
  @Field(() => [AuditEventModel])
  events: AuditEventModel[];

  @Field()
  hasNextPage: boolean;
}
