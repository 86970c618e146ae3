import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export enum OrganizationStatus {
  ACTIVE = 'ACTIVE',
  /** Every request naming it is refused; its data and tokens wait for reactivation. */
  SUSPENDED = 'SUSPENDED',
  /** Being deleted (its slug already free). */
  DELETING = 'DELETING',
}

/**
 * A customer organization of the platform: its people (memberships), teams, roles, invitations, API
 * tokens, audit events and two-factor policy are its own. `slug` names it in URLs and in the
 * X-Roster-Organization header (the rule: @roster/contracts/organizations).
 */
@Entity({ name: 'organizations' })
@Check('organizations_status', `"status" IN ('ACTIVE', 'SUSPENDED', 'DELETING')`)
@Check('organizations_slug_shape', `"slug" ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'`)
@Index('organizations_slug', { synchronize: false })
@Index('organizations_name_sort', { synchronize: false })
@Index('organizations_slug_trgm', { synchronize: false })
@Index('organizations_name_trgm', { synchronize: false })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_organizations' })
  id: string;

  /** Null while the organization is being deleted: the slug is free at once. */
  @Column({ type: 'text', nullable: true })
  slug: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 16, default: OrganizationStatus.ACTIVE })
  status: OrganizationStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
