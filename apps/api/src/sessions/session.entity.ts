import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
// The person, by entity name: a type-only import keeps this feature free of a runtime dependency on users/.
import type { UserEntity } from '../users/user.entity';

/** A server-side session. The browser holds the token in an httpOnly cookie; only its SHA-256 is stored. */
@Entity({ name: 'sessions' })
@Index('sessions_user_id_idx', ['userId'])
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'token_hash', type: 'bytea', unique: true })
  tokenHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'text', nullable: true })
  ip: string | null;

  /** Begun through single sign-on (the two-factor policy may trust the provider for those). */
  @Column({ type: 'boolean', default: false })
  sso: boolean;

  /** The organization whose identity provider began this session (null for a password sign-in). */
  @Column({ name: 'sso_organization_id', type: 'uuid', nullable: true })
  ssoOrganizationId: string | null;

  @Column({ name: 'user_agent', type: 'text', nullable: true })
  userAgent: string | null;
}
