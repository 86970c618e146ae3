import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

@Entity({ name: 'roles' })
@Unique('roles_organization_key', ['organizationId', 'key'])
/** Names are unique per organization whatever the case: a unique index on (organization_id, lower(name)). */
@Index('roles_organization_name_lower', { synchronize: false })
@Unique('roles_organization_id', ['organizationId', 'id'])
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  key: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'text', array: true })
  permissions: string[];

  /** A sort key derived from the permissions (lower first; see roleSortRank): the users page sorts its Role column by it. */
  @Column({ type: 'int' })
  rank: number;

  /** People of this role must use two-factor authentication (they set it up before anything else). */
  @Column({ name: 'require_two_factor', type: 'boolean', default: false })
  requireTwoFactor: boolean;

  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** The organization this row belongs to (gone with it). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_roles_organization' })
  organization?: OrganizationEntity;
}
