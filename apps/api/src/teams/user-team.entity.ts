import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
// The membership, by entity name: a type-only import keeps this feature free of a runtime dependency on users/.
import type { MembershipEntity } from '../users/membership.entity';
import { TeamEntity } from './team.entity';

@Entity({ name: 'user_teams' })
@Index('user_teams_team_id_idx', ['teamId'])
export class UserTeamEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  /** The membership this link belongs to (gone with it): a team of one organization holds only its members. */
  @ManyToOne('MembershipEntity', { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_user_teams_membership' },
    { name: 'user_id', referencedColumnName: 'userId', foreignKeyConstraintName: 'FK_user_teams_membership' },
  ])
  membership?: MembershipEntity;

  @ManyToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_user_teams_team' },
    { name: 'team_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_user_teams_team' },
  ])
  team?: TeamEntity;

  /** The organization this row belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_user_teams_organization' })
  organization?: OrganizationEntity;
}
