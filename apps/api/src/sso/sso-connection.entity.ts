import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
import type { RoleEntity } from '../roles/role.entity';

/**
 * An organization's OpenID Connect connection. The client secret is sealed with ROSTER_SECRET_KEY and
 * never leaves the server; the first organization's connection from the OIDC_* variables is `fromEnv`
 * (its secret stays in the configuration, never stored).
 */
@Entity({ name: 'sso_connections' })
@Check('sso_connections_secret', `"from_env" OR "client_secret_sealed" IS NOT NULL`)
@Index('sso_connections_default_role', ['defaultRoleId'])
export class SsoConnectionEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'PK_sso_connections' })
  organizationId: string;

  @Column({ type: 'text' })
  issuer: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'client_secret_sealed', type: 'text', nullable: true })
  clientSecretSealed: string | null;

  @Column({ name: 'from_env', type: 'boolean', default: false })
  fromEnv: boolean;

  @Column({ type: 'text', default: 'SSO' })
  label: string;

  @Column({ name: 'default_role_id', type: 'uuid' })
  defaultRoleId: string;

  @Column({ name: 'require_sso', type: 'boolean', default: false })
  requireSso: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_sso_connections_organization' })
  organization?: OrganizationEntity;

  @ManyToOne('RoleEntity')
  @JoinColumn([
    { name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_sso_connections_default_role' },
    { name: 'default_role_id', referencedColumnName: 'id', foreignKeyConstraintName: 'FK_sso_connections_default_role' },
  ])
  defaultRole?: RoleEntity;
}

/** An email domain (lower case) and the organization it belongs to: its people sign in through that organization's provider. */
@Entity({ name: 'organization_domains' })
@Check('organization_domains_lower', `"domain" = lower("domain")`)
@Index('organization_domains_organization', ['organizationId'])
export class OrganizationDomainEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_organization_domains' })
  domain: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_organization_domains_organization' })
  organization?: OrganizationEntity;
}
