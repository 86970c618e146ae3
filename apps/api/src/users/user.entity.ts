import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Language, Theme, UserStatus } from './users.enums';
import { RoleEntity } from '../roles/role.entity';

/**
 * A person: active, invited or deactivated. Holds secrets (password hash): never exposed as a GraphQL type;
 * see user.model.ts for what clients see.
 */
@Entity({ name: 'users' })
@Check('users_email_lower', `"email" = lower("email")`)
@Check('users_status_check', `"status" IN ('ACTIVE', 'INVITED', 'DEACTIVATED')`)
@Check('users_language_check', `"language" IN ('en', 'fr')`)
@Check('users_theme_check', `"theme" IN ('LIGHT', 'DARK', 'SYSTEM')`)
@Index('users_email_trgm', { synchronize: false })
@Index('users_first_name_sort', { synchronize: false })
@Index('users_last_name_sort', { synchronize: false })
@Index('users_last_sign_in_sort', { synchronize: false })
@Index('users_role_sort', { synchronize: false })
@Index('users_role_rank_sort', { synchronize: false })
@Index('users_team_count_sort', { synchronize: false })
@Index('users_status_sort', { synchronize: false })
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

  @Column({ name: 'role_id', type: 'uuid' })
  roleId: string;

  @ManyToOne(() => RoleEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'role_id' })
  role?: RoleEntity;

  /** Copy of the role's rank, kept by a trigger: sorts the Role column with an index. */
  @Column({ name: 'role_rank', type: 'int', default: 0 })
  roleRank: number;

  /** Number of teams, kept by triggers on user_teams: sorts the Teams column with an index. */
  @Column({ name: 'team_count', type: 'int', default: 0 })
  teamCount: number;

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

  @Column({ name: 'last_sign_in_at', type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
