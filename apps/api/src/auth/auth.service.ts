import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CallerRequest, CallerResponse } from '../core/http/http-context';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/errors/app-error';
import { APP_CONFIG, AppConfig } from '../core/config/config';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { PasswordService } from '../core/security/password.service';
import type { Principal } from '../core/access/principal';
import { CredentialHooks } from '../core/access/credential-hooks';
import { LIMITS } from '../core/security/limits';
import { clientAddressKey } from '../core/security/client-address';
import { RateLimitService } from '../core/security/rate-limit.service';
import { AuditService } from '../audit/audit.service';
import { signIns } from '../core/observability/metrics';
import { ChangePasswordInput } from '../users/dto/user.inputs';
import { ProfileService } from '../users/profile.service';
import { AccountsService } from '../users/accounts.service';
import { TrustedDevices } from './trusted-device';
import { SessionService } from '../sessions/session.service';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly limits: RateLimitService,
    private readonly twoFactor: TwoFactorService,
    private readonly devices: TrustedDevices,
    private readonly accounts: AccountsService,
    private readonly profile: ProfileService,
    private readonly audit: AuditService,
    private readonly credentials: CredentialHooks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Email + password sign-in. Same answer for an unknown email and a wrong password. A person with
   * two-factor authentication gets a challenge instead of a session (finished by verifyTwoFactor).
   */
  async signIn(
    email: string,
    password: string,
    req: CallerRequest,
    res: CallerResponse,
  ): Promise<{ userId: string; challenge: { token: string; expiresAt: Date } | null }> {
    try {
      const outcome = await this.checkPassword(email, password, req, res);
      signIns.inc({ outcome: outcome.challenge ? 'second_factor' : 'success' });
      return outcome;
    } catch (e) {
      signIns.inc({ outcome: e instanceof AppError && e.code === ErrorCode.RateLimited ? 'refused' : 'failure' });
      throw e;
    }
  }

  private async checkPassword(
    email: string,
    password: string,
    req: CallerRequest,
    res: CallerResponse,
  ): Promise<{ userId: string; challenge: { token: string; expiresAt: Date } | null }> {
    if (!this.config.passwordSignIn) {
      throw new AppError(ErrorCode.PasswordSignInDisabled, 'Password sign-in is disabled: use single sign-on.');
    }
    // Count the attempt before checking the password (atomic, so parallel guesses cannot all pass).
    // A browser that signed in to this account before has its own counter (see TrustedDevices).
    const device = this.devices.deviceFor(req, email);
    const address = clientAddressKey(req.ip);
    if (device) {
      await this.limits.consume('signin-device', LIMITS.signInDevice, [device]);
    } else {
      await this.limits.consume('signin-address', LIMITS.signInAddress, [address]);
      // Refused for the account: no password was tried, so the address keeps its attempt.
      await this.limits.consume('signin', LIMITS.signInAccount, [email]).catch(async (e: unknown) => {
        await this.limits.refund('signin-address', LIMITS.signInAddress, address);
        throw e;
      });
    }
    const user = await this.accounts.credentials(email);
    const ok = await this.passwords.verify(user?.active || user?.deactivated ? user.passwordHash : null, password);
    if (!user || !ok) throw new AppError(ErrorCode.InvalidCredentials, 'Wrong email or password.');
    // Said only to whoever knows the password: the account exists but an admin deactivated it.
    if (user.deactivated) throw new AppError(ErrorCode.AccountDeactivated, 'This account is deactivated.');
    // Only failures count: a right password clears the account's counter and gives the attempt back.
    if (device) {
      await this.limits.reset('signin-device', LIMITS.signInDevice, device);
    } else {
      await this.limits.reset('signin', LIMITS.signInAccount, email);
      await this.limits.refund('signin-address', LIMITS.signInAddress, address);
    }
    this.devices.remember(res, email);
    if (user.twoFactor) return { userId: user.id, challenge: await this.twoFactor.createChallenge(user.id) };
    await this.db.transaction(async (tx) => {
      await this.accounts.markSignedIn(tx, user.id);
      await this.sessions.start(user.id, req, res, tx);
    });
    return { userId: user.id, challenge: null };
  }

  /**
   * Checks the current password, applies the policy, then ends every other session of the person and
   * any sign-in still waiting for its second factor (begun with the old password). API tokens are
   * separate credentials and keep working: they are listed, and revoked, one by one.
   */
  async changePassword(principal: Principal, input: ChangePasswordInput): Promise<number> {
    await this.limits.consume('password-check', LIMITS.passwordCheck, [principal.userId]);
    if (!(await this.passwords.verify(await this.profile.passwordHash(principal.userId), input.currentPassword))) {
      throw new AppError(ErrorCode.WrongPassword, 'The current password is wrong.');
    }
    await this.limits.refund('password-check', LIMITS.passwordCheck, principal.userId);
    this.passwords.assertAcceptable(input.newPassword, input.newPasswordConfirmation, principal.email);
    const hash = await this.passwords.hash(input.newPassword);
    return this.db.transaction(async (tx) => {
      await this.profile.setPasswordHash(tx, principal.userId, hash);
      // Other sessions, sign-ins waiting for their code and reset links (one would undo the change) end.
      const { sessions: ended = 0 } = await this.credentials.end(tx, principal.userId, 'password', principal.sessionId);
      await this.audit.record(
        tx,
        principal,
        'user.password_changed',
        { id: principal.userId, email: principal.email },
        { sessionsEnded: ended },
      );
      return ended;
    });
  }

  async signOut(principal: Principal, res: CallerResponse): Promise<void> {
    if (principal.sessionId) await this.sessions.revoke(principal.sessionId);
    this.sessions.clearCookies(res);
  }
}
