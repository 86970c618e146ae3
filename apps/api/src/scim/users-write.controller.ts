import { Controller, Delete, Inject, Param, Patch, Post, Put, Req, Res, UseFilters } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { EntityManager } from 'typeorm';
import { Permission } from '@roster/contracts/permissions';
import { CurrentPrincipal, RequirePermission } from '../core/access/access.decorators';
import { organizationOf, type Principal } from '../core/access/principal';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { PasswordResetService } from '../password-reset/password-reset.service';
import { SsoConnectionsService } from '../sso/sso-connections.service';
import { MembersProvisioning, ProvisioningError } from '../users/provisioning.service';
import { ScimMembers } from '../users/scim-members';
import { ScimError, ScimErrorFilter, scimNotFound, sendScim } from './errors';
import { SCIM_BASE_PATH } from './schemas';
import { desiredFromPatch, patchOperations } from './patch';
import { userInput } from './user-input';
import { toScimUser } from './user-resource';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a refusal of provisioning is in SCIM (design §9). */
const REFUSALS: Record<ProvisioningError['refusal'], number> = { uniqueness: 409, mutability: 400, invalidValue: 400 };

/** The SCIM user a write answers with (its `meta.version` is the ETag). */
type ScimUser = Record<string, unknown> & { meta: { location: string; version: string } };

/**
 * SCIM's writes on Users (design §5, §6): POST /Users (201 + Location), PUT /Users/:id (RFC 7644 §3.5.1, with
 * `active` and `roles` kept when left out), PATCH /Users/:id, DELETE /Users/:id (204), each through `MembersProvisioning`
 * (users/), which applies the console's rules in one organization transaction. `If-Match` is checked
 * against the member's version under their lock (412 when stale); answers carry `ETag`.
 */
@Controller('scim/v2/Users')
@UseFilters(ScimErrorFilter)
export class ScimUsersWriteController {
  private readonly base: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly provisioning: MembersProvisioning,
    private readonly members: ScimMembers,
    private readonly sso: SsoConnectionsService,
    resets: PasswordResetService,
  ) {
    this.base = `${config.publicUrl}${SCIM_BASE_PATH}`;
    // The connection's default role, read once per provisioning transaction (the role and the sign-in
    // below both ask): the second answer is the first's, as the transaction already saw it.
    const defaultRoles = new WeakMap<EntityManager, Promise<string | null>>();
    const defaultRoleId = (tx: EntityManager, organizationId: string): Promise<string | null> => {
      let known = defaultRoles.get(tx);
      if (!known) defaultRoles.set(tx, (known = sso.defaultRoleId(tx, organizationId)));
      return known;
    };
    // Provisioned people get the role single sign-on gives new people (design §5 case 1).
    provisioning.defaultRoleFrom(defaultRoleId);
    // How someone provisioned without an account signs in (design §8): through the organization's single
    // sign-on connection, else with a password they choose from an emailed link, else not yet.
    provisioning.onProvisioned('signIn', async (tx, { organizationId, userId, registered, actor }) => {
      if (registered) return; // they sign in with what they have
      if ((await defaultRoleId(tx, organizationId)) !== null) return { signIn: 'sso' };
      return { signIn: (await resets.issueForProvisioned(tx, userId, actor)) ? 'password' : 'none' };
    });
  }

  @Post()
  @RequirePermission(Permission.UsersInvite, { bearerOnly: true })
  async create(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { desired } = userInput(req.body);
    // Before the transaction takes its connection: the connection's default role, from memory while unchanged.
    await this.sso.rememberDefaultRole(organizationOf(actor));
    const user = await refusals(
      this.provisioning.create(actor, desired, async (tx, organizationId, id, inserted) =>
        inserted ? (toScimUser(inserted, this.base) as ScimUser) : this.read(tx, organizationId, id),
      ),
    );
    sendScim(res, 201, user, { Location: user.meta.location, ETag: user.meta.version });
  }

  @Put(':id')
  @RequirePermission(Permission.UsersWrite, { bearerOnly: true })
  async replace(@CurrentPrincipal() actor: Principal, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    assertUuid(id);
    const { desired, id: named } = userInput(req.body);
    if (named !== undefined && named !== id) throw new ScimError(400, 'mutability', 'id cannot change: it must be the id of the URL.');
    const user = await refusals(
      this.provisioning.update(
        actor,
        id,
        async (tx) => {
          checkIfMatch(req, await this.read(tx, organizationOf(actor), id));
          return desired;
        },
        (tx, organizationId) => this.read(tx, organizationId, id),
      ),
    );
    sendScim(res, 200, user, { ETag: user.meta.version });
  }

  /** RFC 7644 §3.5.2, every form of design §6 (Okta's and Entra ID's included): the operations, then the same code as PUT. */
  @Patch(':id')
  @RequirePermission(Permission.UsersWrite, { bearerOnly: true })
  async patch(@CurrentPrincipal() actor: Principal, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    assertUuid(id);
    const operations = patchOperations('User', id, req.body);
    const user = await refusals(
      this.provisioning.update(
        actor,
        id,
        async (tx) => {
          const current = await this.read(tx, organizationOf(actor), id);
          checkIfMatch(req, current);
          return desiredFromPatch(current, operations);
        },
        (tx, organizationId) => this.read(tx, organizationId, id),
      ),
    );
    sendScim(res, 200, user, { ETag: user.meta.version });
  }

  @Delete(':id')
  @RequirePermission(Permission.UsersDelete, { bearerOnly: true })
  async remove(@CurrentPrincipal() actor: Principal, @Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    assertUuid(id);
    await refusals(this.provisioning.remove(actor, id, async (tx) => checkIfMatch(req, await this.read(tx, organizationOf(actor), id))));
    sendScim(res, 204, undefined);
  }

  /** The SCIM user as the transaction sees it (NOT_FOUND when they are not one). */
  private async read(tx: EntityManager, organizationId: string, id: string): Promise<ScimUser> {
    const row = await this.members.readOne(tx, organizationId, id);
    if (!row) throw scimNotFound();
    return toScimUser(row, this.base) as ScimUser;
  }
}

/** A path id that is no uuid names no SCIM user: 404, before any SQL. */
function assertUuid(id: string): void {
  if (!UUID.test(id)) throw scimNotFound();
}

/**
 * RFC 7644 §3.14: with `If-Match`, the write goes ahead only when one of its entity tags (or `*`) is the
 * member's current version; else 412. Weak comparison: `W/` is ignored on both sides.
 */
export function checkIfMatch(req: Request, current: { meta: { version: string } }): void {
  const header = req.headers['if-match'];
  if (header === undefined) return;
  const tags = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const bare = (t: string) => t.replace(/^W\//, '');
  if (tags.includes('*') || tags.some((t) => bare(t) === bare(current.meta.version))) return;
  throw new ScimError(412, undefined, 'The user changed since that version (If-Match): read it again.');
}

/** Provisioning's refusals as SCIM errors; the rest goes to the SCIM error filter as it is. */
export async function refusals<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    if (e instanceof ProvisioningError) throw new ScimError(REFUSALS[e.refusal], e.refusal, e.message);
    throw e;
  }
}
