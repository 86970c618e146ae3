import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Patch, Post, Put, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole, Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { OrgDb } from '../core/database/org-db';
import { AppError } from '../core/errors/app-error';
import { ScimTeams, type ScimTeamRow, type ScimTeamSort } from '../teams/scim-teams';
import { TeamsService } from '../teams/teams.service';
import { ScimMembers } from '../users/scim-members';
import { invalidValue, ScimError, ScimErrorFilter, scimNotFound, sendScim } from './errors';
import { parseFilter } from './filter';
import { groupBody, groupPatch, ifMatches } from './groups-input';
import { toScimGroup } from './groups-resource';
import { ListRequest, listFromQuery, listFromSearch, listResponse, sortField } from './list';
import { project, projection, returns, type Projection } from './projection';
import { SCIM_BASE_PATH } from './schemas';
import { versionTag } from './user-resource';

const SORTABLE: Record<string, ScimTeamSort> = {
  displayName: 'displayName',
  externalId: 'externalId',
  'meta.lastModified': 'lastModified',
};

/** What SCIM's changes add to their audit events. */
const VIA = { via: 'scim' };

const mutability = (detail: string) => new ScimError(400, 'mutability', detail);

/**
 * Groups = the organization's teams (design §7): read with `teams:read`, changed with `teams:write`, as
 * the console's team mutations are. Adding or removing someone is changing their teams, which the console
 * allows only on people the caller may manage (`updateUser` through `target()`): the same here, for each
 * member added or removed. A member value that is not a SCIM user of the organization is `400 invalidValue`.
 * Each write is one organization transaction; PATCH answers 204 unless the request asks for attributes.
 */
@Controller('scim/v2/Groups')
@UseFilters(ScimErrorFilter)
export class ScimGroupsController {
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly orgDb: OrgDb,
    private readonly teams: TeamsService,
    private readonly scimTeams: ScimTeams,
    private readonly members: ScimMembers,
  ) {
    this.base = `${config.publicUrl}${SCIM_BASE_PATH}`;
  }

  @Get()
  @RequirePermission(Permission.TeamsRead, { bearerOnly: true })
  async list(@CurrentPrincipal() actor: Principal, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    sendScim(res, 200, await this.answer(actor, listFromQuery(query)));
  }

  @Post('.search')
  @HttpCode(200)
  @RequirePermission(Permission.TeamsRead, { bearerOnly: true })
  async search(@CurrentPrincipal() actor: Principal, @Body() body: unknown, @Res() res: Response): Promise<void> {
    sendScim(res, 200, await this.answer(actor, listFromSearch(body)));
  }

  @Get(':id')
  @RequirePermission(Permission.TeamsRead, { bearerOnly: true })
  async one(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const shape = this.shapeOf(query);
    const row = await this.scimTeams.one(this.scimTeams.pool, organizationOf(actor), id, returns(shape, 'members'));
    if (!row) throw scimNotFound('No such group.');
    const group = await this.represent(this.scimTeams.pool, organizationOf(actor), [row], shape);
    sendScim(res, 200, group[0], { ETag: versionTag(row.version) });
  }

  @Post()
  @RequirePermission(Permission.TeamsWrite, { bearerOnly: true })
  async create(
    @CurrentPrincipal() actor: Principal,
    @Body() body: unknown,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const input = groupBody(body);
    const shape = this.shapeOf(query);
    const { group, version, id } = await this.write(actor, async (tx, organizationId) => {
      const people = await this.people(tx, actor, input.members, []);
      const teamId = await this.teams.createIn(tx, actor, input.displayName, input.externalId, VIA);
      await this.teams.changeMembers(tx, actor, teamId, { add: people.add, remove: [] }, VIA);
      return this.readBack(tx, organizationId, teamId, shape);
    });
    sendScim(res, 201, group, { Location: `${this.base}/Groups/${id}`, ETag: versionTag(version) });
  }

  @Put(':id')
  @RequirePermission(Permission.TeamsWrite, { bearerOnly: true })
  async replace(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const input = groupBody(body);
    const shape = this.shapeOf(query);
    const { group, version } = await this.write(actor, async (tx, organizationId) => {
      const team = await this.locked(tx, organizationId, id, ifMatch, true);
      if (input.id !== undefined && (typeof input.id !== 'string' || input.id.toLowerCase() !== team.id)) {
        throw mutability('id cannot change.');
      }
      const current = (await this.members.briefs(tx, organizationId, team.member_ids ?? [])).map((m) => m.id);
      const wanted = new Set(input.members);
      const people = await this.people(
        tx,
        actor,
        [...wanted].filter((m) => !current.includes(m)),
        current.filter((m) => !wanted.has(m)),
      );
      await this.teams.renameIn(tx, actor, team.id, team.name, input.displayName, VIA);
      await this.teams.setExternalId(tx, organizationId, team.id, input.externalId);
      await this.teams.changeMembers(tx, actor, team.id, people, VIA);
      return this.readBack(tx, organizationId, team.id, shape);
    });
    sendScim(res, 200, group, { ETag: versionTag(version) });
  }

  @Patch(':id')
  @RequirePermission(Permission.TeamsWrite, { bearerOnly: true })
  async patch(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const wantsBody = listFromQuery(query).attributes !== null || listFromQuery(query).excludedAttributes !== null;
    const shape = this.shapeOf(query);
    const { group, version } = await this.write(actor, async (tx, organizationId) => {
      // Locked first, then the body read against it (an id repeated in a path-less value must be this one).
      const team = await this.locked(tx, organizationId, id, ifMatch, false);
      const change = groupPatch(body, team.id);
      let add = [...change.add];
      let remove = [...change.remove];
      if (change.cleared) {
        // Everyone goes but those the same PATCH adds back: only then are all the members read.
        const all = await this.scimTeams.one(tx, organizationId, team.id, true);
        const current = (await this.members.briefs(tx, organizationId, all?.member_ids ?? [])).map((m) => m.id);
        remove = current.filter((m) => !change.add.has(m));
        add = add.filter((m) => !current.includes(m));
      }
      const people = await this.people(tx, actor, add, remove);
      if (change.displayName !== undefined) await this.teams.renameIn(tx, actor, team.id, team.name, change.displayName, VIA);
      if (change.externalId !== undefined) await this.teams.setExternalId(tx, organizationId, team.id, change.externalId);
      await this.teams.changeMembers(tx, actor, team.id, people, VIA);
      if (wantsBody) return this.readBack(tx, organizationId, team.id, shape);
      const after = await this.scimTeams.one(tx, organizationId, team.id, false);
      return { group: undefined, version: after?.version ?? team.version, id: team.id };
    });
    if (group === undefined) sendScim(res, 204, undefined, { ETag: versionTag(version) });
    else sendScim(res, 200, group, { ETag: versionTag(version) });
  }

  @Delete(':id')
  @RequirePermission(Permission.TeamsWrite, { bearerOnly: true })
  async remove(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.write(actor, async (tx, organizationId) => {
      const team = await this.locked(tx, organizationId, id, ifMatch, false);
      await this.teams.deleteIn(tx, actor, team.id, VIA);
      return { group: undefined, version: team.version, id: team.id };
    });
    sendScim(res, 204, undefined);
  }

  private shapeOf(query: Record<string, unknown>): Projection {
    const { attributes, excludedAttributes } = listFromQuery(query);
    return projection('Group', attributes, excludedAttributes);
  }

  private async answer(actor: Principal, request: ListRequest): Promise<Record<string, unknown>> {
    const filter = request.filter === null ? ({ kind: 'const', value: true } as const) : parseFilter('Group', request.filter);
    const sortBy = sortField('Group', request.sortBy, SORTABLE, 'displayName');
    const shape = projection('Group', request.attributes, request.excludedAttributes);
    const organizationId = organizationOf(actor);
    const { total, rows } = await this.scimTeams.page({
      organizationId,
      filter,
      startIndex: request.startIndex,
      count: request.count,
      sortBy,
      descending: request.descending,
      withMembers: returns(shape, 'members'),
    });
    return listResponse(total, request.startIndex, await this.represent(this.scimTeams.pool, organizationId, rows, shape));
  }

  /** The groups as answered: their members (SCIM users only) named by one read of the people. */
  private async represent(manager: EntityManager, organizationId: string, rows: ScimTeamRow[], shape: Projection) {
    const ids = rows.flatMap((r) => r.member_ids ?? []);
    const people = new Map((await this.members.briefs(manager, organizationId, ids)).map((p) => [p.id, p]));
    return rows.map((row) => {
      const members = row.member_ids?.flatMap((id) => {
        const person = people.get(id);
        return person ? [{ id, email: person.email }] : [];
      });
      return project(toScimGroup(row, members, this.base), shape);
    });
  }

  private async readBack(tx: EntityManager, organizationId: string, id: string, shape: Projection) {
    const row = await this.scimTeams.one(tx, organizationId, id, returns(shape, 'members'));
    if (!row) throw scimNotFound('No such group.');
    const [group] = await this.represent(tx, organizationId, [row], shape);
    return { group, version: row.version, id };
  }

  /** The team, locked for this change (404 for any id not a team of the organization), its If-Match checked. */
  private async locked(
    tx: EntityManager,
    organizationId: string,
    id: string,
    ifMatch: string | undefined,
    withMembers: boolean,
  ): Promise<ScimTeamRow> {
    const team = await this.scimTeams.one(tx, organizationId, id, withMembers, true);
    if (!team) throw scimNotFound('No such group.');
    if (!ifMatches(ifMatch, team.version)) throw new ScimError(412, undefined, 'The group changed since that version (If-Match).');
    return team;
  }

  /**
   * The people a change adds and removes, checked: each added one a SCIM user of the organization (else
   * `400 invalidValue`, the same answer whoever it is), each one added or removed someone the caller may
   * manage (the console's rule for changing a person's teams; else `403`, naming the first). Removing an
   * id that is nobody here changes nothing. Their memberships are key-share locked until the change commits.
   */
  private async people(tx: EntityManager, actor: Principal, add: string[], remove: string[]): Promise<{ add: string[]; remove: string[] }> {
    const organizationId = organizationOf(actor);
    const found = new Map((await this.members.briefs(tx, organizationId, [...add, ...remove], true)).map((p) => [p.id, p]));
    const unknown = add.find((id) => !found.has(id));
    if (unknown !== undefined) throw invalidValue(`members: ${unknown.slice(0, 100)} is not a user of the organization.`);
    for (const id of [...add, ...remove]) {
      const person = found.get(id);
      if (person && id !== actor.userId && !canGrantRole(actor.permissions, person.permissions)) {
        throw new AppError(ErrorCode.Forbidden, `You cannot manage ${id}: their role holds permissions this token does not.`);
      }
    }
    return { add: add.filter((id) => found.has(id)), remove: remove.filter((id) => found.has(id)) };
  }

  /** One organization transaction; the teams' names are forgotten after it, whatever happened. */
  private async write<T>(actor: Principal, work: (tx: EntityManager, organizationId: string) => Promise<T>): Promise<T> {
    const organizationId = organizationOf(actor);
    try {
      return await this.orgDb.transaction(organizationId, (tx) => work(tx, organizationId));
    } finally {
      this.teams.namesChanged(organizationId);
    }
  }
}
