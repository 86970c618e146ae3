import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity';

/**
 * One audit event to send to one endpoint (its `webhook-id` is derived from `id` and never changes),
 * written by the `webhooks_fan_out` trigger in the transaction that recorded the event. No payload: the
 * event is immutable and rendered at each attempt. PENDING (no attempt yet, or redelivery asked),
 * RETRYING (an attempt failed, another is due), DELIVERED (a 2xx), FAILED (given up). While claimed,
 * `nextAttemptAt` is the end of the lease.
 */
@Entity({ name: 'webhook_deliveries' })
@Check('webhook_deliveries_status', `"status" IN ('PENDING', 'RETRYING', 'DELIVERED', 'FAILED')`)
@Index('webhook_deliveries_due', { synchronize: false })
@Index('webhook_deliveries_log', { synchronize: false })
@Index('webhook_deliveries_finished', { synchronize: false })
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_deliveries' })
  id: string;

  /** The organization this row belongs to (gone with its endpoint, and with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  /** The endpoint, by the composite key: a delivery can only name its own organization's endpoint. */
  @ManyToOne(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' },
    { name: 'endpoint_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_webhook_deliveries_endpoint' },
  ])
  endpoint?: WebhookEndpointEntity;

  /** The audit event delivered (no foreign key: events are never deleted). */
  @Column({ name: 'audit_event_id', type: 'bigint' })
  auditEventId: string;

  /** The event's action, copied: the log lists without reading events. */
  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ type: 'text', default: 'PENDING' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** Given up after (24 h). The default as TypeORM reads it back, casts stripped: the migration's `now() + interval '24 hours'`. */
  @Column({ name: 'retry_until', type: 'timestamptz', default: () => "(now() + '24:00:00')" })
  retryUntil: Date;

  /** The last attempt's HTTP status; null: no HTTP answer. */
  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The last answer's first 4 KiB. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  /** Why there was no answer ('timeout', 'refused: private address'). */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** DELIVERED or FAILED since (the janitor purges 30 days later). */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
