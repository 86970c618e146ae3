import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { DataSource, EntityManager } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { RoleKey } from '@roster/contracts/permissions';
import { AppError } from '../core/errors/app-error';
import { UserStatus } from '../users/users.enums';
import { LOCKS } from '../core/database/locks';
import { RolesService } from '../roles/roles.service';
import { AuditService } from '../audit/audit.service';
import { LIMITS } from '../core/security/limits';
import { PasswordService } from '../core/security/password.service';
import { clientAddressKey } from '../core/security/client-address';
import { RateLimitService } from '../core/security/rate-limit.service';
import { SessionService } from '../sessions/session.service';
import { hashToken, newToken, safeEqual } from '../core/access/tokens';
import { adminExists, Queryable } from '../users/admin-exists';
import { AccountsService } from '../users/accounts.service';
import { SetupFirstAdminInput } from './invitation.inputs';

/**
 * Set-up tokens printed by instances that start within this long of each other all work (several
 * instances starting together each print one); a start later than that ends the older ones, so a
 * URL left in an old log dies with the next start.
 */
export const SETUP_TOKEN_OVERLAP_MINUTES = 10;
/** At most this many set-up tokens are valid at once (one per instance starting together). */
export const MAX_SETUP_TOKENS = 16;

/**
 * On start: while no admin exists, issues a fresh one-time set-up token (ending those older than
 * SETUP_TOKEN_OVERLAP_MINUTES) and returns its URL; null when an admin exists. `db` is a pg client
 * (the process that starts the server runs it once, before any worker serves). Any valid token
 * registers the first admin, which ends them all.
 */
export async function issueSetupUrl(db: Queryable, publicUrl: string): Promise<string | null> {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT pg_advisory_xact_lock(${LOCKS.setup})`);
    if (await adminExists(db)) {
      await db.query(`DELETE FROM setup_tokens`);
      await db.query('COMMIT');
      return null;
    }
    const token = newToken();
    await db.query(`DELETE FROM setup_tokens WHERE created_at < now() - make_interval(mins => ${SETUP_TOKEN_OVERLAP_MINUTES})`);
    // A process restarting in a loop does not pile up valid tokens: the newest few stay.
    await db.query(`DELETE FROM setup_tokens WHERE id NOT IN (SELECT id FROM setup_tokens ORDER BY id DESC LIMIT ${MAX_SETUP_TOKENS - 1})`);
    // Under the lock: the next id cannot be taken by another start at the same moment.
    await db.query(`INSERT INTO setup_tokens (id, token_hash) SELECT coalesce(max(id), 0) + 1, $1 FROM setup_tokens`, [hashToken(token)]);
    await db.query('COMMIT');
    return `${publicUrl}/setup?token=${encodeURIComponent(token)}`;
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
}

/**
 * First start: while no admin exists, a one-time set-up URL registers the first Admin: an active
 * person, an active member of the first organization with its Admin role, and a platform operator.
 */
@Injectable()
export class SetupService {
  private readonly logger = new Logger('Setup');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly limits: RateLimitService,
    private readonly accounts: AccountsService,
    private readonly roles: RolesService,
  ) {}

  /**
   * Cheap checks first: the attempt is counted per client address, and the token is compared (and an
   * existing admin detected) before any password hashing, so nobody without the printed URL can make
   * the server hash passwords. The same checks run again under the lock in the transaction.
   */
  async setupFirstAdmin(input: SetupFirstAdminInput, req: CallerRequest, res: CallerResponse): Promise<string> {
    await this.limits.consume('setup', LIMITS.setup, [clientAddressKey(req.ip)]);
    await this.assertSetupOpen(this.db.manager, input.token);
    this.passwords.assertAcceptable(input.password, input.passwordConfirmation, input.email);
    const hash = await this.passwords.hash(input.password);
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${LOCKS.setup})`);
      await this.assertSetupOpen(tx, input.token);
      if (await this.accounts.emailTaken(tx, input.email))
        throw new AppError(ErrorCode.EmailTaken, 'This email already belongs to a user.');
      // The first organization (the oldest: the one the migrations made), as its Admin, and a platform
      // operator. (The organizations feature invites this feature's service, so it is not asked here.)
      const [first]: { id: string }[] = await tx.query(`SELECT id FROM organizations ORDER BY created_at, id LIMIT 1`);
      if (!first) throw new Error('The first organization is missing');
      const admin = await this.roles.byKey(tx, first.id, RoleKey.Admin);
      if (!admin) throw new Error('The built-in Admin role is missing');
      const userId = await this.accounts.create(tx, {
        organizationId: first.id,
        email: input.email,
        status: UserStatus.ACTIVE,
        roleId: admin.id,
        firstName: input.firstName,
        lastName: input.lastName,
        passwordHash: hash,
        signedIn: true,
        operator: true,
      });
      await tx.query(`DELETE FROM setup_tokens`);
      await this.audit.record(
        tx,
        { userId, email: input.email },
        'setup.first_admin',
        { id: userId, email: input.email },
        {},
        { organizationId: first.id },
      );
      await this.sessions.start(userId, req, res, tx);
      this.logger.log(`First admin registered: ${input.email}`);
      return userId;
    });
  }

  private async assertSetupOpen(q: EntityManager, token: string): Promise<void> {
    const rows: { token_hash: Buffer }[] = await q.query(`SELECT token_hash FROM setup_tokens`);
    const given = hashToken(token).toString('hex');
    const valid = rows.filter((r) => safeEqual(r.token_hash.toString('hex'), given)).length > 0;
    if (!valid || (await adminExists(q))) {
      throw new AppError(ErrorCode.SetupUnavailable, 'This set-up link is not valid: it was used, or an admin exists already.');
    }
  }
}
