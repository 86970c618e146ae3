import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { ErrorCode } from '@roster/contracts/errors';
import { AppError } from '../core/app-error';

interface Limit {
  points: number;
  duration: number;
}

/** Failed-attempt counters shared by every instance (rate-limiter-flexible on PostgreSQL). */
@Injectable()
export class RateLimitService implements OnModuleDestroy {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  private limiter(name: string, limit: Limit): RateLimiterPostgres {
    let l = this.limiters.get(name);
    if (!l) {
      const pool = (this.db.driver as unknown as { master: unknown }).master;
      l = new RateLimiterPostgres({
        storeClient: pool,
        storeType: 'pool',
        tableName: 'rate_limits',
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: name,
        points: limit.points,
        duration: limit.duration,
      });
      this.limiters.set(name, l);
    }
    return l;
  }

  /** Throws RATE_LIMITED when any of the keys has used up its failures. */
  async assertAllowed(name: string, limit: Limit, keys: string[]): Promise<void> {
    const l = this.limiter(name, limit);
    for (const key of keys) {
      const res = await l.get(key);
      if (res && res.consumedPoints >= limit.points) this.refuse(res);
    }
  }

  async fail(name: string, limit: Limit, keys: string[]): Promise<void> {
    const l = this.limiter(name, limit);
    for (const key of keys) await l.penalty(key, 1);
  }

  async reset(name: string, limit: Limit, key: string): Promise<void> {
    await this.limiter(name, limit).delete(key);
  }

  private refuse(res: RateLimiterRes): never {
    const retryAfterSeconds = Math.ceil(res.msBeforeNext / 1000);
    throw new AppError(ErrorCode.RateLimited, `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }

  onModuleDestroy(): void {
    this.limiters.clear();
  }
}
