import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganizationEntity } from '../organizations/organization.entity';

/**
 * A host application allowed to sign people in through Roster: an organization's (usable by its members
 * only) or platform-wide (no organization). Confidential clients have a secret, sealed with
 * ROSTER_SECRET_KEY and opened only to hand it to the provider; public ones have none.
 */
@Entity({ name: 'oidc_clients' })
@Check('oidc_clients_secret', `"public" = ("secret_sealed" IS NULL)`)
@Index('oidc_clients_client_id', ['clientId'], { unique: true })
@Index('oidc_clients_organization', ['organizationId'])
export class OidcClientEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_oidc_clients' })
  id: string;

  @Column({ name: 'client_id', type: 'text' })
  clientId: string;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'redirect_uris', type: 'text', array: true })
  redirectUris: string[];

  @Column({ name: 'post_logout_redirect_uris', type: 'text', array: true, default: '{}' })
  postLogoutRedirectUris: string[];

  @Column({ name: 'backchannel_logout_uri', type: 'text', nullable: true })
  backchannelLogoutUri: string | null;

  @Column({ type: 'boolean' })
  public: boolean;

  @Column({ name: 'first_party', type: 'boolean' })
  firstParty: boolean;

  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @ManyToOne('OrganizationEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organization_id', foreignKeyConstraintName: 'FK_oidc_clients_organization' })
  organization?: OrganizationEntity;
}
