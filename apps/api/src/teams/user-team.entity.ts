import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
// The person, by entity name: a type-only import keeps this feature free of a runtime dependency on users/.
import type { UserEntity } from '../users/user.entity';
import { TeamEntity } from './team.entity';

@Entity({ name: 'user_teams' })
@Index('user_teams_organization', { synchronize: false })
@Index('user_teams_team_id_idx', ['teamId'])
export class UserTeamEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'team_id', type: 'uuid' })
  teamId: string;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @ManyToOne(() => TeamEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team?: TeamEntity;

  /** The organization this row belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid', default: () => 'roster_first_organization()' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_user_teams_organization' })
  organization?: OrganizationEntity;
}
