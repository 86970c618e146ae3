import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fingerprint of the key that seals secrets at rest (a MAC, never the key): an instance started
 * with another key than the one this database's secrets were sealed with refuses to start.
 */
export class SecretKeyCheck1764400000000 implements MigrationInterface {
  name = 'SecretKeyCheck1764400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "secret_key_check" (
      "id" smallint NOT NULL DEFAULT 1,
      "fingerprint" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "secret_key_check_single" CHECK ("id" = 1),
      CONSTRAINT "PK_secret_key_check" PRIMARY KEY ("id"))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "secret_key_check"`);
  }
}
