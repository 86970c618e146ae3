import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A signing key of the OpenID Provider: published from `created_at`, signing from `active_from`, its
 * private JWK sealed with ROSTER_SECRET_KEY (a dump without the key holds no usable key).
 */
@Entity({ name: 'oidc_signing_keys' })
export class OidcSigningKeyEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_oidc_signing_keys' })
  kid: string;

  @Column({ type: 'text' })
  alg: string;

  @Column({ name: 'private_jwk_sealed', type: 'text' })
  privateJwkSealed: string;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'active_from', type: 'timestamptz' })
  activeFrom: Date;
}
