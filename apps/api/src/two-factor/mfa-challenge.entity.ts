import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/** Password checked, second factor pending: lives in the database so any instance can finish it. */
@Entity({ name: 'mfa_challenges' })
export class MfaChallengeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'token_hash', type: 'bytea', unique: true })
  tokenHash: Buffer;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** The password step was a single sign-on: the session it leads to is an SSO session. */
  @Column({ type: 'boolean', default: false })
  sso: boolean;

  /** The organization whose identity provider the first step went through (the session it leads to is theirs). */
  @Column({ name: 'sso_organization_id', type: 'uuid', nullable: true })
  ssoOrganizationId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
