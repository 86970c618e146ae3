import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Team', { description: 'A team ("resource group") people belong to.' })
export class TeamModel {
  @Field(() => ID, { description: 'Identifies the team (e.g. in teamIds).' })
  id: string;

  @Field({ description: 'Unique name (case-insensitive).' })
  name: string;

  @Field(() => Int, { nullable: true, description: 'Members (only on the teams list).' })
  memberCount?: number;
}
