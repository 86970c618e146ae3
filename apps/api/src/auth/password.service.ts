import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { ErrorCode } from '@roster/contracts/errors';
import { passwordProblem } from '@roster/contracts/password-policy';
import { AppError } from '../core/app-error';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordService {
  private dummyHash: Promise<string> | null = null;

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (!passwordHash) {
      // Same work for unknown accounts, so timing does not tell which emails exist.
      this.dummyHash ??= hash('not-a-real-password', OPTIONS);
      await verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return verify(passwordHash, password).catch(() => false);
  }

  /** Throws WEAK_PASSWORD / PASSWORD_MISMATCH with a message the console can show. */
  assertAcceptable(password: string, confirmation: string, email?: string | null): void {
    if (password !== confirmation) throw new AppError(ErrorCode.PasswordMismatch, 'The passwords do not match.');
    const problem = passwordProblem(password, email);
    if (problem) throw new AppError(ErrorCode.WeakPassword, `The password is too weak (${problem}).`, { reason: problem });
  }
}
