import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

export enum SsoTwoFactorMode {
  /** A single sign-on counts as the second factor: the identity provider runs its own MFA. */
  TRUST_PROVIDER = 'TRUST_PROVIDER',
  /** After single sign-on, people with Roster's two-factor authentication also enter a code. */
  REQUIRE_TOTP = 'REQUIRE_TOTP',
}

/** An organization's two-factor policy (one row each). Which roles require it is a column of roles. */
@Entity({ name: 'two_factor_policy' })
@Check('two_factor_policy_sso_mode', `"sso_mode" IN ('TRUST_PROVIDER', 'REQUIRE_TOTP')`)
export class TwoFactorPolicyEntity {
  @Column({ name: 'sso_mode', type: 'varchar', length: 16, default: SsoTwoFactorMode.TRUST_PROVIDER })
  ssoMode: SsoTwoFactorMode;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  /** The organization this row belongs to (gone with it). */
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'PK_two_factor_policy' })
  organizationId: string;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_two_factor_policy_organization' })
  organization?: OrganizationEntity;
}
