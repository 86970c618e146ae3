import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

@Entity({ name: 'roles' })
@Index('roles_organization', { synchronize: false })
export class RoleEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32, unique: true })
  key: string;

  @Column({ type: 'text', unique: true })
  name: string;

  @Column({ type: 'text', array: true })
  permissions: string[];

  /** Lower rank = more powerful; used to sort the Role column. */
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
  @Column({ name: 'organization_id', type: 'uuid', default: () => 'roster_first_organization()' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_roles_organization' })
  organization?: OrganizationEntity;
}
