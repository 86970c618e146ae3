import { MigrationInterface, QueryRunner } from 'typeorm';

/** One pending password reset per person, as a hashed single-use token with an expiry. */
export class PasswordResets1764360000000 implements MigrationInterface {
  name = 'PasswordResets1764360000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "password_resets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL,
      "token_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by_id" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "UQ_password_resets_user_id" UNIQUE ("user_id"), CONSTRAINT "UQ_password_resets_token_hash" UNIQUE ("token_hash"),
      CONSTRAINT "PK_password_resets" PRIMARY KEY ("id"))`);
    await q.query(
      `ALTER TABLE "password_resets" ADD CONSTRAINT "FK_f7a4c3bc48f24df007936d217be" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE "password_resets" ADD CONSTRAINT "FK_f870bb80af5560623b3942ab879" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "password_resets"`);
  }
}
