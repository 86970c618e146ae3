import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { ScimMembers, type ScimMemberSort } from '../users/scim-members';
import { ScimErrorFilter, scimNotFound, sendScim } from './errors';
import { parseFilter } from './filter';
import { ListRequest, listFromQuery, listFromSearch, listResponse, sortField } from './list';
import { project, projection, returns } from './projection';
import { SCIM_BASE_PATH } from './schemas';
import { toScimUser, versionTag } from './user-resource';

/** What `sortBy` may name for Users (design §4), by its schema spelling. */
const SORTABLE: Record<string, ScimMemberSort> = {
  userName: 'email',
  'emails.value': 'email',
  externalId: 'externalId',
  'meta.lastModified': 'lastModified',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
};

/**
 * Reading SCIM users (`users:read`, the twin of the users page): GET /Users (filter, paging, sorting,
 * attributes), POST /Users/.search (the same in a body), GET /Users/:id. Anyone who is not a SCIM user of
 * the token's organization (another organization's person, an invitee, a random or malformed id) is 404.
 */
@Controller('scim/v2/Users')
@UseFilters(ScimErrorFilter)
export class ScimUsersReadController {
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly members: ScimMembers,
  ) {
    this.base = `${config.publicUrl}${SCIM_BASE_PATH}`;
  }

  @Get()
  @RequirePermission(Permission.UsersRead, { bearerOnly: true })
  async list(@CurrentPrincipal() actor: Principal, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    sendScim(res, 200, await this.answer(actor, listFromQuery(query)));
  }

  @Post('.search')
  @HttpCode(200)
  @RequirePermission(Permission.UsersRead, { bearerOnly: true })
  async search(@CurrentPrincipal() actor: Principal, @Body() body: unknown, @Res() res: Response): Promise<void> {
    sendScim(res, 200, await this.answer(actor, listFromSearch(body)));
  }

  @Get(':id')
  @RequirePermission(Permission.UsersRead, { bearerOnly: true })
  async one(
    @CurrentPrincipal() actor: Principal,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const { attributes, excludedAttributes } = listFromQuery(query);
    const shape = projection('User', attributes, excludedAttributes);
    const row = await this.members.byId(organizationOf(actor), id.toLowerCase(), returns(shape, 'groups'));
    if (!row) throw scimNotFound('No such user.');
    sendScim(res, 200, project(toScimUser(row, this.base), shape), { ETag: versionTag(row.version) });
  }

  private async answer(actor: Principal, request: ListRequest): Promise<Record<string, unknown>> {
    const filter = request.filter === null ? ({ kind: 'const', value: true } as const) : parseFilter('User', request.filter);
    const sortBy = sortField('User', request.sortBy, SORTABLE, 'email');
    const shape = projection('User', request.attributes, request.excludedAttributes);
    const { total, rows } = await this.members.page({
      organizationId: organizationOf(actor),
      // A walk by startIndex is continued per token (keyset, design §4).
      caller: actor.tokenId,
      filter,
      startIndex: request.startIndex,
      count: request.count,
      sortBy,
      descending: request.descending,
      withTeams: returns(shape, 'groups'),
    });
    return listResponse(
      total,
      request.startIndex,
      rows.map((row) => project(toScimUser(row, this.base), shape)),
    );
  }
}
