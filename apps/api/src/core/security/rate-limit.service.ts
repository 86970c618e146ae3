import { Injectable } from '@nestjs/common';
import { rateLimitRefusals } from '../observability/metrics';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../errors/app-error';
import { JanitorService } from '../database/janitor.service';
import { PreparedStatements } from '../fast-path/prepared';
import { hashToken } from '../access/tokens';

export interface Limit {
  /** Attempts allowed per window. */
  points: number;
  /** Window, in seconds. */
  duration: number;
}

/**
 * Attempt counters shared by every instance (rate-limiter-flexible on PostgreSQL, table rate_limits).
 * Each attempt is counted atomically *before* the costly or secret check it guards (an UPSERT that
 * increments and returns the count in one statement), so parallel attempts cannot all slip under the
 * limit. A success that must not count is refunded. Keys are hashed: any input fits the key column
 * and no email or address is stored in clear. Never call this while holding a pooled connection in a
 * transaction: the limiter takes its own connection from the same pool.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(
    private readonly prepared: PreparedStatements,
    janitor: JanitorService,
  ) {
    // rate-limiter-flexible keeps the end of each window in milliseconds since the epoch.
    janitor.expire('rate_limits', 'expire < (extract(epoch FROM now()) * 1000)::bigint');
  }

  private limiter(name: string, limit: Limit): RateLimiterPostgres {
    const id = `${name}/${limit.points}/${limit.duration}`;
    let l = this.limiters.get(id);
    if (!l) {
      l = new RateLimiterPostgres({
        // The pool, its statement names following DATABASE_PREPARED_STATEMENTS.
        storeClient: this.prepared.store,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points: limit.points,
        duration: limit.duration,
      });
      this.limiters.set(id, l);
    }
    return l;
  }

  /** Counts one attempt on every key; throws RATE_LIMITED when any of them is over its limit. */
  async consume(name: string, limit: Limit, keys: string[]): Promise<void> {
    const l = this.limiter(name, limit);
    for (const key of keys) {
      try {
        await l.consume(limiterKey(key), 1);
      } catch (e) {
        if (e instanceof RateLimiterRes) {
          rateLimitRefusals.inc({ limit: name });
          this.refuse(e);
        }
        throw e;
      }
    }
  }

  /** Gives back the attempt just counted (a success that should not count against the key). */
  async refund(name: string, limit: Limit, key: string): Promise<void> {
    await this.limiter(name, limit).reward(limiterKey(key), 1);
  }

  /** Forgets every attempt on the key (e.g. after a correct password). */
  async reset(name: string, limit: Limit, key: string): Promise<void> {
    await this.limiter(name, limit).delete(limiterKey(key));
  }

  private refuse(res: RateLimiterRes): never {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new AppError(ErrorCode.RateLimited, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

function limiterKey(key: string): string {
  return hashToken(key).toString('base64url');
}
