import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Language, Theme, UserStatus } from './users.enums';
import type { OrganizationEntity } from '../organizations/organization.entity';

/**
 * A person, one identity across organizations: registered (ACTIVE) or not yet (INVITED); what they are
 * in each organization is a membership. Holds secrets (password hash): never exposed as a GraphQL type;
 * see user.model.ts for what clients see.
 */
@Entity({ name: 'users' })
@Check('users_email_lower', `"email" = lower("email")`)
@Check('users_status_check', `"status" IN ('ACTIVE', 'INVITED')`)
@Check('users_language_check', `"language" IN ('en', 'fr')`)
@Check('users_theme_check', `"theme" IN ('LIGHT', 'DARK', 'SYSTEM')`)
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Always lower-cased (a CHECK constraint guards it); unique. */
  @Column({ type: 'text', unique: true })
  email: string;

  @Column({ name: 'first_name', type: 'text', default: '' })
  firstName: string;

  @Column({ name: 'last_name', type: 'text', default: '' })
  lastName: string;

  @Column({ type: 'varchar', length: 16, default: 'ACTIVE' })
  status: UserStatus;

  @Column({ type: 'varchar', length: 2, default: 'en' })
  language: Language;

  @Column({ type: 'varchar', length: 8, default: 'SYSTEM' })
  theme: Theme;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  /** "<issuer>|<sub>" of the person's identity-provider account, once they used SSO. */
  @Column({ name: 'sso_subject', type: 'text', nullable: true, unique: true })
  ssoSubject: string | null;

  /** A platform operator: may list organizations and grant or revoke operators (not a role in an organization). */
  @Column({ type: 'boolean', default: false })
  operator: boolean;

  /** The organization the person's last request named: where a request naming none acts. */
  @Column({ name: 'last_organization_id', type: 'uuid', nullable: true })
  lastOrganizationId: string | null;

  @ManyToOne('OrganizationEntity', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'last_organization_id', foreignKeyConstraintName: 'FK_users_last_organization' })
  lastOrganization?: OrganizationEntity | null;

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
