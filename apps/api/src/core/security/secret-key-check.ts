import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SecretBox } from './secret-box';

/** The fingerprint of the key that seals this database's secrets (one row). */
@Entity({ name: 'secret_key_check' })
@Check('secret_key_check_single', `"id" = 1`)
export class SecretKeyCheckEntity {
  @PrimaryColumn({ type: 'smallint', default: 1, primaryKeyConstraintName: 'PK_secret_key_check' })
  id: number;

  @Column({ type: 'text' })
  fingerprint: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

interface Queryable {
  query<R = unknown>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The first start records the key's fingerprint; every later start (any instance) must have the same
 * key, or secrets sealed by one instance could not be opened by another. Returns false on a mismatch.
 */
export async function secretKeyMatches(db: Queryable, box: SecretBox): Promise<boolean> {
  const fingerprint = box.mac('roster:secret-key-check');
  await db.query(`INSERT INTO secret_key_check (id, fingerprint) VALUES (1, $1) ON CONFLICT (id) DO NOTHING`, [fingerprint]);
  const { rows } = await db.query<{ fingerprint: string }>(`SELECT fingerprint FROM secret_key_check WHERE id = 1`);
  return rows[0]?.fingerprint === fingerprint;
}
