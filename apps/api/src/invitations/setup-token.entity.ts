import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The one-time token printed on first start, which registers the first Admin. Hash only. */
@Entity({ name: 'setup_tokens' })
export class SetupTokenEntity {
  @PrimaryColumn({ type: 'int' })
  id: number;

  @Column({ name: 'token_hash', type: 'bytea' })
  tokenHash: Buffer;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
