import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JanitorService } from '../core/database/janitor.service';

/**
 * What the janitor does for webhooks: the delivery log keeps 30 days after a delivery finished
 * (DELIVERED or FAILED), and a rotated-out secret stops existing once its 24 hours of double
 * signing are over.
 */
@Injectable()
export class WebhookHousekeeping {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    janitor: JanitorService,
  ) {
    janitor.expire('webhook_deliveries', `finished_at < now() - interval '30 days'`);
    janitor.every('webhookSecrets', () => this.clearExpiredSecrets());
  }

  /** Clears the previous secrets whose time is over; returns how many. Idempotent: instances may race. */
  async clearExpiredSecrets(): Promise<number> {
    const [, n]: [unknown, number] = await this.db.query(
      `UPDATE webhook_endpoints SET previous_secret_sealed = NULL, previous_secret_expires_at = NULL
        WHERE previous_secret_expires_at < now()`,
    );
    return n;
  }
}
