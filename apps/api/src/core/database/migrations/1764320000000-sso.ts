import { MigrationInterface, QueryRunner } from 'typeorm';

/** Single sign-on: the provider subject of each person, and sign-ins under way. */
export class Sso1764320000000 implements MigrationInterface {
  name = 'Sso1764320000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "oidc_states" ("handle_hash" bytea NOT NULL, "browser_hash" bytea NOT NULL, "context" jsonb NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_d8b46260dc77361f7cf74ded969" PRIMARY KEY ("handle_hash"))`);
    await q.query(`ALTER TABLE "users" ADD "sso_subject" text`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "UQ_e4a4ff3811b092e43281eaea439" UNIQUE ("sso_subject")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "UQ_e4a4ff3811b092e43281eaea439"`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "sso_subject"`);
    await q.query(`DROP TABLE "oidc_states"`);
  }
}
