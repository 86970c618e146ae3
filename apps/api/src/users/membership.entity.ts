import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
import type { RoleEntity } from '../roles/role.entity';
import { UserStatus } from './users.enums';
import type { UserEntity } from './user.entity';

/**
 * A person in an organization: their role, status (invited, active, deactivated), when they joined and
 * last connected there. The person's email and names, their role's rank and their team count are copied
 * here by triggers (never written by the API), so that each column of the users page sorts through an
 * index led by the organization; names a membership holds itself (`ownNames`) are not copied.
 */
@Entity({ name: 'memberships' })
@Check('memberships_status_check', `"status" IN ('INVITED', 'ACTIVE', 'DEACTIVATED')`)
@Index('memberships_user', ['userId'])
@Index('memberships_role', ['roleId'])
@Index('memberships_email', { synchronize: false })
@Index('memberships_first_name_sort', { synchronize: false })
@Index('memberships_last_name_sort', { synchronize: false })
@Index('memberships_last_sign_in_sort', { synchronize: false })
@Index('memberships_role_sort', { synchronize: false })
@Index('memberships_role_rank_sort', { synchronize: false })
@Index('memberships_team_count_sort', { synchronize: false })
@Index('memberships_status_sort', { synchronize: false })
@Index('memberships_email_trgm', { synchronize: false })
@Index('memberships_external_id', { synchronize: false })
@Index('memberships_updated', { synchronize: false })
export class MembershipEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'PK_memberships' })
  organizationId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid', primaryKeyConstraintName: 'PK_memberships' })
  userId: string;

  @Column({ name: 'role_id', type: 'uuid' })
  roleId: string;

  @Column({ type: 'varchar', length: 16, default: 'ACTIVE' })
  status: UserStatus;

  @Column({ name: 'joined_at', type: 'timestamptz', default: () => 'now()' })
  joinedAt: Date;

  /** The last connection in this organization. */
  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'first_name', type: 'text', default: '' })
  firstName: string;

  @Column({ name: 'last_name', type: 'text', default: '' })
  lastName: string;

  @Column({ name: 'role_rank', type: 'int', default: 0 })
  roleRank: number;

  @Column({ name: 'team_count', type: 'int', default: 0 })
  teamCount: number;

  /** The organization's identity provider's id for the person (SCIM `externalId`): exact case, unique in the organization. */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  /** SCIM `displayName` when one was sent (null: "first last"). */
  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName: string | null;

  /**
   * The names are this membership's, not copied from the person: a person of other organizations provisioned
   * here by SCIM, whose account shows nothing here (names, two-factor state).
   */
  @Column({ name: 'own_names', type: 'boolean', default: false })
  ownNames: boolean;

  /** When SCIM made or adopted this membership (null: the console's). */
  @Column({ name: 'provisioned_at', type: 'timestamptz', nullable: true })
  provisionedAt: Date | null;

  /** The last change of what SCIM shows of the member (kept by triggers): `meta.lastModified` and `meta.version`. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_memberships_organization' })
  organization?: OrganizationEntity;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_memberships_user' })
  user?: UserEntity;

  @ManyToOne('RoleEntity', { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_memberships_role' },
    { name: 'role_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_memberships_role' },
  ])
  role?: RoleEntity;
}
