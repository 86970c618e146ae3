import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig, SmtpConfig } from '../core/config/config';
import { SECRET_BOX, SecretBox } from '../core/security/secret-box';
import { smtpTransportOptions } from './smtp-transport';
import { EmailKind, EmailPayload, renderEmail } from './templates';

/** Attempts before an email is given up (FAILED, audited). */
export const MAX_ATTEMPTS = 5;
/** How long a claimed email is reserved for the instance sending it (then another may retry it). */
const LEASE_SECONDS = 120;

interface Claimed {
  id: string;
  kind: EmailKind;
  recipient: string;
  language: string;
  user_id: string | null;
  payload: string | null;
  attempts: number;
}

export interface NewEmail {
  kind: EmailKind;
  to: string;
  language: string;
  userId: string | null;
  payload: EmailPayload;
}

/**
 * Outgoing email through an outbox. `enqueue` writes the email in the caller's transaction (so a link
 * and its email exist together or not at all); delivery happens afterwards, outside any transaction,
 * on whichever instance claims it first (`FOR UPDATE SKIP LOCKED`, a lease), with retries and backoff.
 * An email given up is marked FAILED and audited; what it carried (the link) is encrypted at rest
 * and erased once sent or given up. Without SMTP_URL nothing is queued.
 */
@Injectable()
export class EmailService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Email');
  private readonly smtp: SmtpConfig | null;
  private transport: Transporter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly retryBaseMs: number;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    private readonly audit: AuditService,
  ) {
    this.smtp = config.smtp;
    this.retryBaseMs = config.smtp?.retryMs ?? 30_000;
  }

  get enabled(): boolean {
    return this.smtp !== null;
  }

  onApplicationBootstrap(): void {
    if (!this.smtp) return;
    this.transport = createTransport(smtpTransportOptions(this.smtp), { from: this.smtp.from });
    this.timer = setInterval(() => this.kick(), this.smtp.pollSeconds * 1000).unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** Queues an email in the caller's transaction; it is sent shortly after the transaction commits. */
  async enqueue(tx: EntityManager, email: NewEmail): Promise<void> {
    if (!this.smtp) return;
    await tx.query(`INSERT INTO email_outbox (kind, recipient, language, user_id, payload) VALUES ($1, $2, $3, $4, $5)`, [
      email.kind,
      email.to,
      email.language,
      email.userId,
      this.box.seal(JSON.stringify(email.payload)),
    ]);
    // Soon after the commit (the poll catches it otherwise).
    setTimeout(() => this.kick(), 100).unref();
  }

  /** Starts a delivery round unless one runs. */
  kick(): void {
    this.running ??= this.deliver()
      .catch((e: unknown) => this.logger.warn(`Delivery round failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.running = null));
  }

  private async deliver(): Promise<void> {
    while (!this.stopping) {
      // One statement claims the next due email for this instance (others skip it), with a lease
      // longer than one send can take (the transport's timeouts), so nobody else sends it meanwhile.
      // (TypeORM answers an UPDATE … RETURNING with [rows, affected count].)
      const [claimed]: [Claimed[], number] = await this.db.query(
        `UPDATE email_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '${LEASE_SECONDS} seconds'
          WHERE id IN (SELECT id FROM email_outbox WHERE status = 'PENDING' AND next_attempt_at <= now()
                        ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING id, kind, recipient, language, user_id, payload, attempts`,
      );
      if (!claimed.length) return;
      for (const email of claimed) await this.send(email);
    }
  }

  private async send(email: Claimed): Promise<void> {
    try {
      if (!email.payload || !this.transport) throw new Error('nothing to send');
      const payload = JSON.parse(this.box.open(email.payload)) as EmailPayload;
      const rendered = renderEmail(email.kind, email.language, payload);
      await this.transport.sendMail({ to: email.recipient, ...rendered });
      // Each outcome is written only while this instance still holds the claim (same attempt number).
      await this.db.query(
        `UPDATE email_outbox SET status = 'SENT', sent_at = now(), payload = NULL, last_error = NULL WHERE id = $1 AND attempts = $2`,
        [email.id, email.attempts],
      );
    } catch (e) {
      const error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
      if (email.attempts >= MAX_ATTEMPTS) {
        await this.db.transaction(async (tx) => {
          await tx.query(`UPDATE email_outbox SET status = 'FAILED', payload = NULL, last_error = $2 WHERE id = $1 AND attempts = $3`, [
            email.id,
            error,
            email.attempts,
          ]);
          await this.audit.record(tx, null, 'email.failed', email.user_id ? { id: email.user_id, email: email.recipient } : null, {
            kind: email.kind,
            attempts: email.attempts,
            error,
          });
        });
        this.logger.warn(`Gave up a ${email.kind} email after ${email.attempts} attempts: ${error}`);
      } else {
        const delayMs = this.retryBaseMs * 2 ** (email.attempts - 1);
        await this.db.query(
          `UPDATE email_outbox SET next_attempt_at = now() + ($2 || ' milliseconds')::interval, last_error = $3 WHERE id = $1 AND attempts = $4`,
          [email.id, String(delayMs), error, email.attempts],
        );
      }
    }
  }
}
