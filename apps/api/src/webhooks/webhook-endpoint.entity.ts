import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

/**
 * An organization's webhook endpoint: a URL, the event types it subscribes to, and its signing secret
 * (sealed with ROSTER_SECRET_KEY: Roster signs with it, so it is kept, not hashed). After a rotation the
 * previous secret keeps signing until `previousSecretExpiresAt` (the janitor then clears it). Disabled
 * endpoints say why: MANUAL, GONE (a 410) or FAILING (three days of failures).
 */
@Entity({ name: 'webhook_endpoints' })
@Unique('webhook_endpoints_org_id', ['organizationId', 'id'])
@Check('webhook_endpoints_disabled', `"enabled" = ("disabled_reason" IS NULL)`)
@Check('webhook_endpoints_reason', `"disabled_reason" IN ('MANUAL', 'GONE', 'FAILING')`)
@Check('webhook_endpoints_previous', `("previous_secret_sealed" IS NULL) = ("previous_secret_expires_at" IS NULL)`)
@Check('webhook_endpoints_types', `cardinality("event_types") BETWEEN 1 AND 200`)
@Index('webhook_endpoints_fan_out', { synchronize: false })
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_webhook_endpoints' })
  id: string;

  /** The organization this endpoint belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_webhook_endpoints_organization' })
  organization?: OrganizationEntity;

  /** Where deliveries are POSTed; never written to audit details or logs. */
  @Column({ type: 'text' })
  url: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The audit actions delivered: distinct, sorted. */
  @Column({ name: 'event_types', type: 'text', array: true })
  eventTypes: string[];

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** MANUAL | GONE | FAILING; null while enabled. */
  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'secret_sealed', type: 'text' })
  secretSealed: string;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz', nullable: true })
  secretRotatedAt: Date | null;

  /** The first failed attempt since the last success; null while healthy. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'last_success_at', type: 'timestamptz', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_failure_at', type: 'timestamptz', nullable: true })
  lastFailureAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
