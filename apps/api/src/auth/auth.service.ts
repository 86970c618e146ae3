import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/app-error';
import { APP_CONFIG, AppConfig } from '../core/config';
import { TwoFactorService } from '../two-factor/two-factor.service';
import { PasswordService } from './password.service';
import type { Principal } from './principal';
import { LIMITS } from './limits';
import { clientAddressKey } from './client-address';
import { RateLimitService } from './rate-limit.service';
import { TrustedDevices } from './trusted-device';
import { SessionService } from './session.service';

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly passwords: PasswordService,
    private readonly sessions: SessionService,
    private readonly limits: RateLimitService,
    private readonly twoFactor: TwoFactorService,
    private readonly devices: TrustedDevices,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Email + password sign-in. Same answer for an unknown email and a wrong password. A person with
   * two-factor authentication gets a challenge instead of a session (finished by verifyTwoFactor).
   */
  async signIn(
    email: string,
    password: string,
    req: Request,
    res: Response,
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
    const rows: { id: string; password_hash: string | null; status: string; totp: boolean }[] = await this.db.query(
      `SELECT id, password_hash, status, totp_enabled_at IS NOT NULL AS totp FROM users WHERE email = $1`,
      [email],
    );
    const user = rows[0];
    const ok = await this.passwords.verify(user?.status === 'ACTIVE' ? user.password_hash : null, password);
    if (!user || !ok) throw new AppError(ErrorCode.InvalidCredentials, 'Wrong email or password.');
    // Only failures count: a right password clears the account's counter and gives the attempt back.
    if (device) {
      await this.limits.reset('signin-device', LIMITS.signInDevice, device);
    } else {
      await this.limits.reset('signin', LIMITS.signInAccount, email);
      await this.limits.refund('signin-address', LIMITS.signInAddress, address);
    }
    this.devices.remember(res, email);
    if (user.totp) return { userId: user.id, challenge: await this.twoFactor.createChallenge(user.id) };
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE users SET last_sign_in_at = now() WHERE id = $1`, [user.id]);
      await this.sessions.start(user.id, req, res, tx);
    });
    return { userId: user.id, challenge: null };
  }

  async signOut(principal: Principal, res: Response): Promise<void> {
    if (principal.sessionId) await this.sessions.revoke(principal.sessionId);
    this.sessions.clearCookies(res);
  }
}
