import { ParseUUIDPipe } from '@nestjs/common';
import { Args, Field, ID, InputType, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { TeamName } from '../core/graphql/validators';
import { TeamModel } from './team.model';
import { TeamsService } from './teams.service';

@InputType({ description: 'The name of a new or renamed team.' })
export class TeamNameInput {
  @Field({ description: '1 to 80 characters, unique (case-insensitive).' })
  @TeamName()
  name: string;
}

@Resolver(() => TeamModel)
export class TeamsResolver {
  constructor(private readonly teamsService: TeamsService) {}

  @Query(() => [TeamModel], { description: 'The teams of the current organization, by name, with member counts.' })
  @RequirePermission(Permission.TeamsRead)
  teams(@CurrentPrincipal() actor: Principal): Promise<TeamModel[]> {
    return this.teamsService.list(organizationOf(actor));
  }

  @Mutation(() => TeamModel, { description: 'Creates an empty team; fails with TEAM_NAME_TAKEN if the name is in use.' })
  @RequirePermission(Permission.TeamsWrite)
  createTeam(
    @CurrentPrincipal() actor: Principal,
    @Args('input', { description: 'The team name.' }) input: TeamNameInput,
  ): Promise<TeamModel> {
    return this.teamsService.create(actor, input.name);
  }

  @Mutation(() => TeamModel, { description: 'Renames a team; fails with TEAM_NAME_TAKEN if the name is in use.' })
  @RequirePermission(Permission.TeamsWrite)
  renameTeam(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The team to rename.' }, new ParseUUIDPipe()) id: string,
    @Args('input', { description: 'The new name.' }) input: TeamNameInput,
  ): Promise<TeamModel> {
    return this.teamsService.rename(actor, id, input.name);
  }

  @Mutation(() => Boolean, { description: 'Deletes a team; its members simply leave it.' })
  @RequirePermission(Permission.TeamsWrite)
  deleteTeam(
    @CurrentPrincipal() actor: Principal,
    @Args('id', { type: () => ID, description: 'The team to delete.' }, new ParseUUIDPipe()) id: string,
  ): Promise<boolean> {
    return this.teamsService.delete(actor, id);
  }
}
