import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { ErrorCode } from '@roster/contracts/errors';
import { passwordProblem } from '@roster/contracts/password-policy';
import { AppError } from '../errors/app-error';
import { RETRY_AFTER_SECONDS } from '../errors/infra-error';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Hashes running at once (each takes 19 MiB and a thread-pool thread) and hashes allowed to wait. */
const MAX_RUNNING = 4;
const MAX_WAITING = 64;

/**
 * argon2id hashing and checking, bounded: at most MAX_RUNNING at once, MAX_WAITING queued; beyond
 * that a request gets SERVICE_BUSY at once instead of piling up memory and latency for everyone.
 */
@Injectable()
export class PasswordService {
  private dummyHash: Promise<string> | null = null;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  hash(password: string): Promise<string> {
    return this.bounded(() => hash(password, OPTIONS));
  }

  private async bounded<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_RUNNING) {
      if (this.waiting.length >= MAX_WAITING) {
        throw new AppError(ErrorCode.ServiceBusy, 'The server is busy. Try again in a moment.', { retryAfterSeconds: RETRY_AFTER_SECONDS });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (!passwordHash) {
      // Same work for unknown accounts, so timing does not tell which emails exist.
      this.dummyHash ??= hash('not-a-real-password', OPTIONS);
      const dummy = await this.dummyHash;
      await this.bounded(() => verify(dummy, password).catch(() => false));
      return false;
    }
    return this.bounded(() => verify(passwordHash, password).catch(() => false));
  }

  /** Throws WEAK_PASSWORD / PASSWORD_MISMATCH with a message the console can show. */
  assertAcceptable(password: string, confirmation: string, email?: string | null): void {
    if (password !== confirmation) throw new AppError(ErrorCode.PasswordMismatch, 'The passwords do not match.');
    const problem = passwordProblem(password, email);
    if (problem) throw new AppError(ErrorCode.WeakPassword, `The password is too weak (${problem}).`, { reason: problem });
  }
}
