import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { canGrantRole } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { LOCKS } from '../core/database/locks';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { AuditService } from '../audit/audit.service';
import { PasswordService } from '../core/security/password.service';
import { organizationOf, type Principal } from '../core/access/principal';
import { hasValidCsrf } from '../core/access/csrf';
import { SessionService } from '../sessions/session.service';
import { hashToken, newToken } from '../core/access/tokens';
import { UserStatus } from '../users/users.enums';
import { RoleRow, RolesService } from '../roles/roles.service';
import { TeamsService } from '../teams/teams.service';
import { AccountsService } from '../users/accounts.service';
import { EmailService } from '../email/email.service';
import { AcceptInvitationInput, CreateInvitationInput } from './invitation.inputs';
import { UserModel } from '../users/user.model';
import { InvitationPreview, InvitationResult } from './invitation.model';
import { OrgDb } from '../core/database/org-db';

/** Invitations made at once, at most. */
export const MAX_BULK = 1000;

const bulkBusy = () =>
  new AppError(ErrorCode.BulkInvitationsBusy, 'Another list of invitations is being created. Try again in a few seconds.', {
    retryAfterSeconds: 5,
  });

/** An invitation row found by its token, with its person and the organization it invites to. */
interface TokenInvitation {
  id: string;
  user_id: string;
  organization_id: string;
  expires_at: Date;
  email: string;
  /** Whether the person has registered already (an existing account invited to another organization). */
  registered: boolean;
}

/**
 * Whether invitations into an organization are accepted through single sign-on (its connection). sso/
 * answers it (it sits above invitations/ and tells this service at start); until then, the OIDC_* variables do.
 */
export interface InvitationSso {
  throughSso(manager: EntityManager, organizationId: string): Promise<boolean>;
}

/** Where an invitation token stands before its holder goes to an identity provider with it. */
export type InvitationStatus =
  | { status: 'invalid' | 'expired' }
  /** `registered`: an existing account, invited to another organization (it accepts signed in, not at a provider). */
  | { status: 'valid' | 'registered'; organizationId: string };

/** The one answer to a token that is unknown, used, replaced, revoked, of a closed organization or of someone else. */
const invalid = () => new AppError(ErrorCode.InvitationInvalid, 'This invitation link is not valid (used, revoked or replaced).');

/**
 * Invitations: the invited person is a membership with status INVITED in the organization that
 * invites them (so its users table shows them), on a person (users row) who is new or already exists,
 * plus one invitation row of that organization holding the SHA-256 of a single-use, expiring token.
 */
@Injectable()
export class InvitationsService {
  /** The organizations this instance is creating a bulk batch for (a second one is refused before it takes a connection). */
  private readonly bulkRunning = new Set<string>();
  private sso: InvitationSso = { throughSso: async () => Boolean(this.config.sso) };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly orgDb: OrgDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsService,
    private readonly roles: RolesService,
    private readonly teams: TeamsService,
    private readonly audit: AuditService,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly email: EmailService,
  ) {}

  /** sso/ says which organizations accept invitations through their provider. */
  acceptThroughSsoWhen(sso: InvitationSso): void {
    this.sso = sso;
  }

  async create(actor: Principal, input: CreateInvitationInput): Promise<InvitationResult> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const role = await this.grantableRole(tx, actor, organizationId, input.roleId);
      return this.invite(tx, actor, organizationId, input, role, { language: await this.languageOf(tx, actor), locked: false });
    });
  }

  /**
   * An invitation into `organizationId` in the caller's transaction, under the same rules as any other,
   * made by the platform rather than by a member (an operator creating an organization invites its
   * first admin): the actor need not belong to it, so their own role does not cap the one granted.
   */
  async inviteInto(tx: EntityManager, actor: Principal, organizationId: string, email: string, roleId: string): Promise<InvitationResult> {
    const role = await this.roles.byId(tx, organizationId, roleId);
    const input: CreateInvitationInput = { email, roleId, teamIds: [] };
    return this.invite(tx, actor, organizationId, input, role, { language: await this.languageOf(tx, actor), locked: false });
  }

  /**
   * Up to MAX_BULK invitations in one transaction, each under the same rules as one: all are made,
   * or none (the error names the first row that failed, by index). Emails are locked in a fixed order
   * (by lock key), so two bulk invitations never wait on each other in a cycle.
   */
  async createMany(actor: Principal, rows: CreateInvitationInput[]): Promise<InvitationResult[]> {
    const organizationId = organizationOf(actor);
    if (rows.length === 0 || rows.length > MAX_BULK) {
      throw new AppError(ErrorCode.BadUserInput, `Send 1 to ${MAX_BULK} invitations at once.`, { fields: { invitations: ['size'] } });
    }
    const emails = rows.map((r) => r.email);
    const duplicate = emails.findIndex((e, i) => emails.indexOf(e) !== i);
    if (duplicate >= 0) {
      throw new AppError(ErrorCode.BadUserInput, `The email ${emails[duplicate]} is listed twice.`, {
        row: duplicate,
        reason: 'DUPLICATE',
      });
    }
    // One batch at a time per organization, and a second one is refused at once rather than queued: waiting for the
    // lock would hold a pooled connection for as long as the first batch runs, and a few such waits
    // would leave nothing for everyone else's reads. Refused here without a connection when this
    // instance is already running one, and by the lock (tried, never waited for) across instances.
    if (this.bulkRunning.has(organizationId)) throw bulkBusy();
    this.bulkRunning.add(organizationId);
    try {
      return await this.createManyLocked(actor, organizationId, rows, emails);
    } finally {
      this.bulkRunning.delete(organizationId);
    }
  }

  private createManyLocked(
    actor: Principal,
    organizationId: string,
    rows: CreateInvitationInput[],
    emails: string[],
  ): Promise<InvitationResult[]> {
    return this.orgDb.transaction(organizationId, async (tx) => {
      const [lock]: { ok: boolean }[] = await tx.query(
        `SELECT pg_try_advisory_xact_lock(${LOCKS.bulkInvitations}, hashtext($1::text)) AS ok`,
        [organizationId],
      );
      if (!lock.ok) throw bulkBusy();
      // One statement, in lock-key order (what every invitation locks: hashtext(email)).
      await tx.query(`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(e) AS h FROM unnest($1::text[]) e ORDER BY 1) keys`, [
        emails,
      ]);
      const roles = new Map<string, RoleRow>();
      const language = await this.languageOf(tx, actor);
      const results: InvitationResult[] = [];
      for (const [index, row] of rows.entries()) {
        try {
          let role = roles.get(row.roleId);
          if (!role) roles.set(row.roleId, (role = await this.grantableRole(tx, actor, organizationId, row.roleId)));
          results.push(await this.invite(tx, actor, organizationId, row, role, { language, locked: true }));
        } catch (e) {
          if (e instanceof AppError)
            throw new AppError(e.code, `Row ${index + 1} (${row.email}): ${e.message}`, { ...e.extensions, row: index });
          throw e;
        }
      }
      return results;
    });
  }

  /**
   * For the bulk preview: which of these emails already belong to a member of the actor's organization,
   * and how (their membership's status). People of other organizations are not named: inviting them
   * answers like inviting anyone new.
   */
  async emailsInUse(actor: Principal, emails: string[]): Promise<{ email: string; status: string; pending: boolean }[]> {
    const organizationId = organizationOf(actor);
    const list = [...new Set(emails.map((e) => e.trim().toLowerCase()))].slice(0, MAX_BULK);
    const people = await this.accounts.identitiesByEmail(this.db.manager, list, organizationId);
    if (people.length === 0) return [];
    // Their membership's status here, and whether their invitation here is pending.
    const members = await this.accounts.findByIds(
      organizationId,
      people.map((p) => p.id),
    );
    const pending: { user_id: string }[] = await this.db.query(
      `SELECT user_id FROM invitations WHERE organization_id = $1 AND user_id = ANY($2::uuid[]) AND expires_at > now()`,
      [organizationId, members.map((m) => m.id)],
    );
    const invited = new Set(pending.map((r) => r.user_id));
    return members.map((m) => ({ email: m.email, status: m.status, pending: invited.has(m.id) }));
  }

  /** A role of the organization the actor may grant; NOT_FOUND for a role of no (or another) organization. */
  private async grantableRole(tx: EntityManager, actor: Principal, organizationId: string, roleId: string): Promise<RoleRow> {
    const role = await this.roles.byId(tx, organizationId, roleId);
    if (!canGrantRole(actor.permissions, role.permissions)) {
      throw new AppError(ErrorCode.RoleNotGrantable, `You cannot grant the ${role.name} role.`);
    }
    return role;
  }

  /** The inviter's language: invitations (and their emails) speak it until the person chooses theirs. Read once per request. */
  private async languageOf(tx: EntityManager, actor: Principal): Promise<string | undefined> {
    return (await this.accounts.identity(tx, { id: actor.userId }))?.language;
  }

  /**
   * One invitation to the organization in the caller's transaction, in the inviter's `language`
   * (`locked`: the caller holds the email's lock already). A new email makes a new person; an existing
   * person who is not a member here gets a membership, with the same answer (whether an email has an
   * account elsewhere is never told); a member here is refused as today.
   */
  private async invite(
    tx: EntityManager,
    actor: Principal,
    organizationId: string,
    input: CreateInvitationInput,
    role: RoleRow,
    { language, locked }: { language: string | undefined; locked: boolean },
  ): Promise<InvitationResult> {
    // Serialise invitations of one email across instances (and organizations: the person is shared).
    if (!locked) await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [input.email]);
    const existing = await this.accounts.identity(tx, { email: input.email });
    let userId: string;
    if (existing) {
      userId = existing.id;
      const membership = await this.accounts.membership(tx, organizationId, userId, true);
      // Active or deactivated here: a member (a deactivated one is reactivated, not invited again).
      if (membership && membership.status !== UserStatus.INVITED) {
        throw new AppError(ErrorCode.EmailTaken, 'This email already belongs to a user.');
      }
      if (membership) {
        const invitation: { expires_at: Date }[] = await tx.query(
          `SELECT expires_at FROM invitations WHERE organization_id = $1 AND user_id = $2`,
          [organizationId, userId],
        );
        if (invitation[0] && invitation[0].expires_at > new Date()) {
          throw new AppError(ErrorCode.InvitationPending, 'This email already has a pending invitation.');
        }
        // An expired invitation: re-invite with the new role and teams.
        await this.accounts.setInvitedRole(tx, organizationId, userId, role.id);
      } else {
        await this.accounts.addMembership(tx, { organizationId, userId, roleId: role.id, status: UserStatus.INVITED });
      }
    } else {
      userId = await this.accounts.create(tx, {
        organizationId,
        email: input.email,
        status: UserStatus.INVITED,
        roleId: role.id,
        language,
      });
    }
    await this.teams.setMemberships(tx, organizationId, userId, [...new Set(input.teamIds)]);
    const result = await this.issue(tx, organizationId, userId, actor.userId);
    // In the organization invited to (not the actor's: an operator inviting a new organization's first admin acts from theirs).
    await this.audit.record(
      tx,
      actor,
      'invitation.created',
      { id: userId, email: input.email },
      { role: role.name, teams: input.teamIds },
      { organizationId },
    );
    return result;
  }

  async regenerate(actor: Principal, userId: string): Promise<InvitationResult> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const user = await this.invitedOrFail(tx, actor, userId);
      const result = await this.issue(tx, organizationId, userId, actor.userId);
      await this.audit.record(tx, actor, 'invitation.regenerated', { id: userId, email: user.email });
      return result;
    });
  }

  /**
   * Cancels the invitation: the INVITED membership goes (and its invitation and team links with it),
   * and the person too when they belong nowhere else, never registered and are not an operator.
   */
  async revoke(actor: Principal, userId: string): Promise<boolean> {
    const organizationId = organizationOf(actor);
    return this.orgDb.transaction(organizationId, async (tx) => {
      const user = await this.invitedOrFail(tx, actor, userId);
      await this.accounts.deleteInvited(tx, organizationId, userId);
      await this.audit.record(tx, actor, 'invitation.revoked', { id: userId, email: user.email });
      return true;
    });
  }

  /** People invited to the actor's organization and not yet members, newest invitation first (at most 500). */
  async pending(actor: Principal): Promise<UserModel[]> {
    const organizationId = organizationOf(actor);
    const rows: { user_id: string }[] = await this.db.query(
      `SELECT user_id FROM invitations WHERE organization_id = $1 ORDER BY created_at DESC LIMIT 500`,
      [organizationId],
    );
    return (
      await this.accounts.findByIds(
        organizationId,
        rows.map((r) => r.user_id),
      )
    ).map(asInvited);
  }

  /** What the holder of a token may know of it: the email, the expiry, and whether to sign in or register. */
  async preview(token: string): Promise<InvitationPreview> {
    const inv = await this.findByToken(this.db.manager, token, false);
    return { email: inv.email, expiresAt: inv.expires_at, existingAccount: inv.registered };
  }

  /**
   * Accepts an invitation. With names and a password, registers the invited person and signs them in;
   * with the token alone, the person signed in (`principal`, a console session) as the invited email joins
   * the organization (join). The token is consumed in the same transaction. Returns the person.
   */
  async accept(input: AcceptInvitationInput, principal: Principal | null, req: CallerRequest, res: CallerResponse): Promise<string> {
    if (input.firstName == null && input.lastName == null && input.password == null && input.passwordConfirmation == null) {
      return this.join(input.token, principal, req);
    }
    return this.register(input, req, res);
  }

  /**
   * A person with an account, signed in, accepts an invitation into another organization: their INVITED
   * membership there becomes ACTIVE (with the role and teams it was invited with), that organization
   * becomes their current one, and it is audited there. Anyone else signed in gets INVITATION_INVALID,
   * exactly as for an unknown token: whose invitation it is, is never told. Of two acceptances at once,
   * one wins: the other finds the invitation gone under the locks.
   */
  private async join(token: string, principal: Principal | null, req: CallerRequest): Promise<string> {
    if (!principal || principal.via !== 'cookie') {
      throw new AppError(ErrorCode.Unauthenticated, 'Sign in as the invited email to accept this invitation.');
    }
    // A public operation skips the guard's check: a session's write carries its CSRF token.
    if (!hasValidCsrf(req)) throw new AppError(ErrorCode.CsrfInvalid, 'The request lacks a valid CSRF token. Reload the page.');
    return this.db.transaction(async (tx) => {
      const inv = await this.findByToken(tx, token, true);
      if (!inv.registered || inv.user_id !== principal.userId) throw invalid();
      await this.accounts.join(tx, inv.organization_id, inv.user_id);
      await tx.query(`DELETE FROM invitations WHERE id = $1`, [inv.id]);
      await this.audit.record(
        tx,
        { userId: inv.user_id, email: inv.email },
        'invitation.accepted',
        { id: inv.user_id, email: inv.email },
        { via: 'signed-in' },
        { organizationId: inv.organization_id },
      );
      return inv.user_id;
    });
  }

  /** Registers the invited person and signs them in; the token is consumed in the same transaction. */
  private async register(input: AcceptInvitationInput, req: CallerRequest, res: CallerResponse): Promise<string> {
    const preview = await this.findByToken(this.db.manager, input.token, false);
    assertUnregistered(preview);
    // Into an organization with single sign-on, invitations are accepted at its provider, which checks the email.
    if (await this.sso.throughSso(this.db.manager, preview.organization_id)) {
      throw new AppError(
        ErrorCode.InvitationRequiresSso,
        'This invitation is accepted through single sign-on: open the link you received.',
      );
    }
    if (!this.config.passwordSignIn) throw new AppError(ErrorCode.PasswordSignInDisabled, 'Password sign-in is disabled.');
    const { firstName, lastName, password, passwordConfirmation } = input;
    if (!firstName || !lastName || password == null || passwordConfirmation == null) {
      const missing = Object.entries({ firstName, lastName, password, passwordConfirmation }).filter(([, v]) => v == null || v === '');
      throw new AppError(ErrorCode.BadUserInput, 'Names and a password are needed to register.', {
        fields: Object.fromEntries(missing.map(([k]) => [k, ['required']])),
      });
    }
    this.passwords.assertAcceptable(password, passwordConfirmation, preview.email);
    const hash = await this.passwords.hash(password);
    return this.db.transaction(async (tx) => {
      const inv = await this.findByToken(tx, input.token, true);
      assertUnregistered(inv);
      await this.accounts.activate(tx, inv.organization_id, inv.user_id, {
        firstName,
        lastName,
        passwordHash: hash,
      });
      await tx.query(`DELETE FROM invitations WHERE id = $1`, [inv.id]);
      // In the organization invited to: the person may be invited to others too.
      await this.audit.record(
        tx,
        { userId: inv.user_id, email: inv.email },
        'invitation.accepted',
        { id: inv.user_id, email: inv.email },
        {},
        { organizationId: inv.organization_id },
      );
      await this.sessions.start(inv.user_id, req, res, tx);
      return inv.user_id;
    });
  }

  /**
   * Where an invitation token stands, and into which organization, before a person is sent to an identity
   * provider with it (an invitation of someone registered already is not accepted there).
   */
  async status(token: string): Promise<InvitationStatus> {
    try {
      const inv = await this.findByToken(this.db.manager, token, false);
      return { status: inv.registered ? 'registered' : 'valid', organizationId: inv.organization_id };
    } catch (e) {
      if (e instanceof AppError && e.code === ErrorCode.InvitationExpired) return { status: 'expired' };
      if (e instanceof AppError && e.code === ErrorCode.InvitationInvalid) return { status: 'invalid' };
      throw e;
    }
  }

  /**
   * The identity provider vouched for `email` (verified) and `subject`: consumes the invitation for
   * that email, activates the person linked to the subject and their membership of the invitation's
   * organization, and audits it, in the caller's transaction. Returns the person and that organization.
   */
  async acceptThroughSso(
    tx: EntityManager,
    token: string,
    who: { email: string; subject: string; firstName: string; lastName: string },
  ): Promise<{ userId: string; organizationId: string }> {
    const inv = await this.findByToken(tx, token, true);
    if (inv.email !== who.email) {
      throw new AppError(ErrorCode.SsoEmailMismatch, `This invitation is for ${inv.email}, but you signed in as ${who.email}.`);
    }
    assertUnregistered(inv);
    await this.accounts.linkSsoSubject(tx, inv.user_id, who.subject);
    await this.accounts.activate(tx, inv.organization_id, inv.user_id, { firstName: who.firstName, lastName: who.lastName });
    await tx.query(`DELETE FROM invitations WHERE id = $1`, [inv.id]);
    await this.audit.record(
      tx,
      { userId: inv.user_id, email: inv.email },
      'invitation.accepted',
      { id: inv.user_id, email: inv.email },
      { via: 'sso' },
      { organizationId: inv.organization_id },
    );
    return { userId: inv.user_id, organizationId: inv.organization_id };
  }

  /**
   * A Registration URL, or an SSO login URL when the organization accepts invitations through single
   * sign-on. The same for a new email and for an account of another organization: which one it is, is not told.
   */
  private invitationUrl(token: string, sso: boolean): { url: string; urlKind: 'REGISTRATION' | 'SSO' } {
    const t = encodeURIComponent(token);
    return sso
      ? { url: `${this.config.publicUrl}/auth/sso?invitation=${t}`, urlKind: 'SSO' }
      : { url: `${this.config.publicUrl}/register?token=${t}`, urlKind: 'REGISTRATION' };
  }

  /**
   * A new token for the person's invitation to the organization (replacing any earlier one), and its
   * email when email is configured.
   */
  private async issue(tx: EntityManager, organizationId: string, userId: string, invitedBy: string): Promise<InvitationResult> {
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.invitationTtlHours * 3600_000);
    await tx.query(
      `INSERT INTO invitations (organization_id, user_id, token_hash, expires_at, invited_by_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (organization_id, user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at,
         invited_by_id = EXCLUDED.invited_by_id, created_at = now()`,
      [organizationId, userId, hashToken(token), expiresAt, invitedBy],
    );
    const link = this.invitationUrl(token, await this.sso.throughSso(tx, organizationId));
    const person = await this.accounts.identity(tx, { id: userId });
    if (!person) throw new Error(`user ${userId} vanished`);
    await this.email.enqueue(tx, {
      kind: 'invitation',
      to: person.email,
      language: person.language,
      userId,
      payload: { url: link.url, expiresAt: expiresAt.toISOString() },
    });
    const user = asInvited(await this.accounts.findById(organizationId, userId, tx));
    return { user, ...link, expiresAt };
  }

  /** The person, locked, when they have an INVITED membership of the actor's organization; NOT_FOUND otherwise. */
  private invitedOrFail(tx: EntityManager, actor: Principal, userId: string): Promise<{ email: string }> {
    return this.accounts.target(tx, actor, userId, {
      status: UserStatus.INVITED,
      missing: () => new AppError(ErrorCode.NotFound, 'No pending invitation for this person.'),
      refused: () => 'You cannot manage this invitation.',
    });
  }

  /**
   * The invitation of a token, its person and its organization (the person must be an INVITED member of
   * it, and the organization active: an invitation into a suspended organization, or one being deleted,
   * is invalid). `lock`: the organization's row is share-locked (a suspension or deletion waits for the
   * acceptance under way, never crosses it), then the person's row, their membership, then the
   * invitation's row are locked for the caller's transaction (the order revoking and regenerating take
   * them in; deleting an organization locks it before its memberships too).
   */
  private async findByToken(tx: EntityManager, token: string, lock: boolean): Promise<TokenInvitation> {
    const read = async (forUpdate: boolean) =>
      (
        (await tx.query(
          `SELECT i.id, i.user_id, i.organization_id, i.expires_at, o.status = 'ACTIVE' AS organization_active
             FROM invitations i JOIN organizations o ON o.id = i.organization_id
            WHERE i.token_hash = $1 ${forUpdate ? 'FOR UPDATE OF i' : ''}`,
          [hashToken(token)],
        )) as (Omit<TokenInvitation, 'email' | 'registered'> & { organization_active: boolean })[]
      )[0];
    let inv = await read(false);
    if (inv && lock) await tx.query(`SELECT 1 FROM organizations WHERE id = $1 FOR SHARE`, [inv.organization_id]);
    const person = inv && (await this.accounts.identity(tx, { id: inv.user_id }, lock));
    const membership = inv && person && (await this.accounts.membership(tx, inv.organization_id, inv.user_id, lock));
    // Read again under the locks: the link may have been used, replaced or revoked meanwhile.
    if (inv && lock) inv = await read(true);
    if (!inv || !inv.organization_active || !person || inv.user_id !== person.id || membership?.status !== UserStatus.INVITED) {
      throw invalid();
    }
    if (inv.expires_at <= new Date()) throw new AppError(ErrorCode.InvitationExpired, 'This invitation has expired. Ask for a new one.');
    return {
      id: inv.id,
      user_id: inv.user_id,
      organization_id: inv.organization_id,
      expires_at: inv.expires_at,
      email: person.email,
      registered: person.status !== UserStatus.INVITED,
    };
  }
}

/**
 * An invited member as the inviting organization sees them: nothing of an account they may have
 * elsewhere (their names and two-factor state), exactly like someone new.
 */
function asInvited(user: UserModel): UserModel {
  return { ...user, firstName: '', lastName: '', twoFactorEnabled: false };
}

/**
 * Registering through an invitation is for people without an account: someone who has one (invited
 * to another organization) accepts it signed in, with the token alone.
 */
function assertUnregistered(inv: TokenInvitation): void {
  if (inv.registered) {
    throw new AppError(ErrorCode.InvitationInvalid, 'This email already has an account: sign in with it to accept the invitation.');
  }
}
