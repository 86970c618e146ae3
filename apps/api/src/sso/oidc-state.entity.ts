import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A sign-in with the identity provider under way: the OAuth state handle (hashed), bound to the
 * browser that started it (hash of a cookie), with the nonce and what to do on return. Single use.
 */
@Entity({ name: 'oidc_states' })
export class OidcStateEntity {
  @PrimaryColumn({ name: 'handle_hash', type: 'bytea' })
  handleHash: Buffer;

  @Column({ name: 'browser_hash', type: 'bytea' })
  browserHash: Buffer;

  @Column({ type: 'jsonb' })
  context: Record<string, unknown>;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
