import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A person's TOTP state (two-factor/ owns it): a row once they start the set-up, gone when 2FA is turned
 * off or reset (or with the person).
 */
@Entity({ name: 'totp_secrets' })
export class TotpSecretEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_totp_secrets' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_totp_secrets_user' })
  user?: UserEntity;

  /** TOTP seed, AES-256-GCM sealed (core/secret-box.ts); set once 2FA is enabled. */
  @Column({ type: 'text', nullable: true })
  secret: string | null;

  /** A seed being set up, not yet confirmed by a code. */
  @Column({ name: 'pending_secret', type: 'text', nullable: true })
  pendingSecret: string | null;

  /** When 2FA was turned on (null while the set-up is pending). */
  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt: Date | null;

  /** The last accepted TOTP time step: a code is accepted once. */
  @Column({ name: 'last_step', type: 'bigint', nullable: true })
  lastStep: string | null;
}
