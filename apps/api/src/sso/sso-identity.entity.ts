import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';
import type { UserEntity } from '../users/user.entity';
import type { SsoConnectionEntity } from './sso-connection.entity';

/**
 * An identity-provider account linked to a person: the issuer of an organization's connection and the
 * subject (`sub`) it gives them. A returning single sign-on finds the person by these, not by the email
 * the provider gives today. One account per person and connection; gone with the person, the
 * organization or the connection.
 */
@Entity({ name: 'sso_identities' })
@Index('sso_identities_person', ['organizationId', 'userId'], { unique: true })
@Index('sso_identities_subject', ['issuer', 'subject'])
@Index('sso_identities_user', ['userId'])
export class SsoIdentityEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid', primaryKeyConstraintName: 'PK_sso_identities' })
  organizationId: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_sso_identities' })
  issuer: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_sso_identities' })
  subject: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @ManyToOne('SsoConnectionEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', referencedColumnName: 'organizationId', foreignKeyConstraintName: 'FK_sso_identities_connection' })
  connection?: SsoConnectionEntity;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_sso_identities_organization' })
  organization?: OrganizationEntity;

  @ManyToOne('UserEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'FK_sso_identities_user' })
  user?: UserEntity;
}
