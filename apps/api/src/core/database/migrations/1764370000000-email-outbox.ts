import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Emails to send (invitations, password resets): written in the transaction that makes the link,
 * delivered afterwards by any instance, with retries. The link inside is encrypted at rest and
 * dropped once the email is sent or given up.
 */
export class EmailOutbox1764370000000 implements MigrationInterface {
  name = 'EmailOutbox1764370000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "email_outbox" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" character varying(32) NOT NULL,
      "recipient" text NOT NULL, "language" character varying(2) NOT NULL, "user_id" uuid, "payload" text,
      "status" character varying(16) NOT NULL DEFAULT 'PENDING', "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "email_outbox_status_check" CHECK ("status" IN ('PENDING', 'SENT', 'FAILED')),
      CONSTRAINT "PK_email_outbox" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "email_outbox_due" ON "email_outbox" ("next_attempt_at") WHERE "status" = 'PENDING'`);
    await q.query(`CREATE INDEX "email_outbox_user" ON "email_outbox" ("user_id", "created_at")`);
    await q.query(
      `ALTER TABLE "email_outbox" ADD CONSTRAINT "FK_ae04df408be63460ebad1284b9e" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "email_outbox"`);
  }
}
