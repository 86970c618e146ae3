import { MigrationInterface, QueryRunner } from 'typeorm';

/** Two-factor authentication: sealed TOTP seeds, replay guard, recovery codes, sign-in challenges. */
export class TwoFactor1764310000000 implements MigrationInterface {
  name = 'TwoFactor1764310000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "mfa_challenges" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" bytea NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_cf5f2cdf8d418c02661b06a9312" UNIQUE ("token_hash"), CONSTRAINT "PK_25d85a6da62620267e003fb4da4" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "recovery_codes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "code_hash" bytea NOT NULL,
      "used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0723b9e53961e799027d7f7ba32" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "recovery_codes_user_id_idx" ON "recovery_codes" ("user_id")`);
    await q.query(`ALTER TABLE "users" ADD "totp_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_pending_secret" text`);
    await q.query(`ALTER TABLE "users" ADD "totp_enabled_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`ALTER TABLE "users" ADD "totp_last_step" bigint`);
    await q.query(
      `ALTER TABLE "mfa_challenges" ADD CONSTRAINT "FK_1715663f6483821e6af6132b35b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "recovery_codes" ADD CONSTRAINT "FK_fb82b2ac740ca095b617afad031" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "recovery_codes"`);
    await q.query(`DROP TABLE "mfa_challenges"`);
    for (const c of ['totp_last_step', 'totp_enabled_at', 'totp_pending_secret', 'totp_secret'])
      await q.query(`ALTER TABLE "users" DROP COLUMN "${c}"`);
  }
}
