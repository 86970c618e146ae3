import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

@Entity({ name: 'teams' })
@Unique('teams_organization_id', ['organizationId', 'id'])
@Index('teams_name_lower_key', { synchronize: false })
@Index('teams_external_id', { synchronize: false })
export class TeamEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The organization's identity provider's id for the team (SCIM `externalId`): exact case, unique in the organization. */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId: string | null;

  /** The last rename, new external id, or member joining or leaving (kept by triggers): SCIM's `meta.lastModified`. */
  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  /** The organization this row belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_teams_organization' })
  organization?: OrganizationEntity;
}
