import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One admin action. Actor and target are copied, not referenced, so history outlives deletions. */
@Entity({ name: 'audit_events' })
@Index('audit_events_created_at_idx', ['createdAt'])
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
}
