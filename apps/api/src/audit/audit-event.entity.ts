import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin action, of one organization or of the platform. Actor and target are copied, not
 * referenced, so history outlives deletions. Indexes (migration AuditByOrganization1765000500000):
 * (organization_id, created_at, id), and (organization_id, filter, created_at, id) for action,
 * actor_id, target_id, lower(actor_email), lower(target_email); the platform's events (no
 * organization) by (created_at, id).
 */
@Entity({ name: 'audit_events' })
@Index('audit_events_time', { synchronize: false })
@Index('audit_events_action', { synchronize: false })
@Index('audit_events_actor_id', { synchronize: false })
@Index('audit_events_target_id', { synchronize: false })
@Index('audit_events_actor_email', { synchronize: false })
@Index('audit_events_target_email', { synchronize: false })
@Index('audit_events_platform', { synchronize: false })
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_email', type: 'text', nullable: true })
  actorEmail: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId: string | null;

  @Column({ name: 'target_email', type: 'text', nullable: true })
  targetEmail: string | null;

  @Column({ type: 'jsonb', default: {} })
  details: Record<string, unknown>;

  /** The organization the event happened in; null for the platform's own events (organizations, operators). */
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;
}
