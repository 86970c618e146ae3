import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
import { RoleEntity } from '../roles/role.entity';
import type { MembershipEntity } from '../users/membership.entity';

/** An integrator's token. Only the SHA-256 of the secret is stored; it dies with its owner. */
@Entity({ name: 'api_tokens' })
@Index('api_tokens_organization', { synchronize: false })
@Index('api_tokens_user_id_idx', ['userId'])
@Index('api_tokens_created_at_id_idx', ['createdAt', 'id'])
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The membership whose person created it (gone with it): a token acts in one organization. */
  @ManyToOne('MembershipEntity', { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_api_tokens_membership' },
    { name: 'user_id', referencedColumnName: 'userId', foreignKeyConstraintName: 'FK_api_tokens_membership' },
  ])
  membership?: MembershipEntity;

  @Column({ type: 'text' })
  name: string;

  /** The first characters of the secret, to recognise a token in lists (not enough to use it). */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ name: 'token_hash', type: 'bytea', unique: true })
  tokenHash: Buffer;

  /** Optional smaller role: the token then acts with the intersection of both roles' permissions. */
  @Column({ name: 'role_id', type: 'uuid', nullable: true })
  roleId: string | null;

  @ManyToOne(() => RoleEntity, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_api_tokens_role' },
    { name: 'role_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_api_tokens_role' },
  ])
  role?: RoleEntity | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  /** The organization this row belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_api_tokens_organization' })
  organization?: OrganizationEntity;
}
