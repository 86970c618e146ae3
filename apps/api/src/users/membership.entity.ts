import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
import type { RoleEntity } from '../roles/role.entity';
import { UserStatus } from './users.enums';
import type { UserEntity } from './user.entity';

/**
 * A person in an organization: their role, status (invited, active, deactivated), when they joined and
 * last connected there. The person's email and names, their role's rank and their team count are copied
 * here by triggers (never written by the API), so that each column of the users page sorts through an
 * index led by the organization.
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
