import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One piece of the OpenID Provider's state (a session, grant, code, token or interaction), by model and
 * id. `consumed_at` marks a used code or rotated refresh token (a second use revokes the grant);
 * `organization_id` is the organization a grant acts in.
 */
@Entity({ name: 'oidc_payloads' })
@Index('oidc_payloads_grant', ['grantId'], { where: '"grant_id" IS NOT NULL' })
@Index('oidc_payloads_uid', ['uid'], { where: '"uid" IS NOT NULL' })
@Index('oidc_payloads_user_code', ['userCode'], { where: '"user_code" IS NOT NULL' })
@Index('oidc_payloads_user', ['userId'], { where: '"user_id" IS NOT NULL' })
@Index('oidc_payloads_organization', ['organizationId'], { where: '"organization_id" IS NOT NULL' })
@Index('oidc_payloads_expires', ['expiresAt'])
export class OidcPayloadEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_oidc_payloads' })
  model: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_oidc_payloads' })
  id: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'grant_id', type: 'text', nullable: true })
  grantId: string | null;

  @Column({ name: 'user_code', type: 'text', nullable: true })
  userCode: string | null;

  @Column({ type: 'text', nullable: true })
  uid: string | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;
}
