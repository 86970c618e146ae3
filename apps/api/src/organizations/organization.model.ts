import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
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
}
