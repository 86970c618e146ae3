import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from '../core/graphql/date-time';
import { OrganizationStatus } from './organization.entity';

registerEnumType(OrganizationStatus, {
  name: 'OrganizationStatus',
  description: 'ACTIVE organizations work; SUSPENDED ones refuse every request naming them; DELETING ones are being removed.',
});

@ObjectType('Organization', { description: 'A customer organization: its people, teams, roles, tokens and audit log are its own.' })
export class OrganizationModel {
  @Field(() => ID, { description: 'Its id, the same for ever (the slug may change).' })
  id: string;

  @Field({ description: 'Its name in URLs (`/o/<slug>/…`) and in the X-Roster-Organization header.' })
  slug: string;

  @Field({ description: 'Its name, as people read it.' })
  name: string;

  @Field(() => OrganizationStatus, { description: 'Whether it works (ACTIVE) or is suspended.' })
  status: OrganizationStatus;

  @Field(() => Int, { description: 'Its members: active and deactivated memberships (pending invitations not counted).' })
  memberCount: number;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt: Date;
}

@ObjectType('OrganizationInvitation', { description: "A new organization's first admin invitation: its one URL (shown once)." })
export class OrganizationInvitation {
  @Field({ description: 'Registration URL (or SSO login URL when SSO is configured), as for any invitation.' })
  url: string;

  @Field({ description: 'REGISTRATION or SSO.' })
  urlKind: string;

  @Field(() => DateTimeScalar, { description: 'When the URL stops working.' })
  expiresAt: Date;
}

@ObjectType('CreateOrganizationResult', { description: 'A new organization and the invitation of its first admin.' })
export class CreateOrganizationResult {
  @Field(() => OrganizationModel, { description: 'The organization, active.' })
  organization: OrganizationModel;

  @Field(() => OrganizationInvitation, { description: "The first admin's invitation (Admin role in the new organization)." })
  invitation: OrganizationInvitation;
}

@ObjectType('OrganizationPage', { description: 'One page of organizations, by name (any case), then id.' })
export class OrganizationPage {
  @Field(() => [OrganizationModel], { description: 'The organizations of this page.' })
  organizations: OrganizationModel[];

  @Field({ description: 'Whether more follow (pass endCursor as after).' })
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: "The cursor after this page's last organization; null on an empty page." })
  endCursor: string | null;
}
