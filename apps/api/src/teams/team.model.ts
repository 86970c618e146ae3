import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('Team', { description: 'A team ("resource group") people belong to.' })
export class TeamModel {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => Int, { nullable: true, description: 'Members (only on the teams list).' })
  memberCount?: number;
}
