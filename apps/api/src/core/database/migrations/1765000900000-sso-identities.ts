import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity-provider accounts linked to people: a connection's issuer and the subject (`sub`) it gives
 * a person. A returning single sign-on finds the person by them, whatever email the provider now gives.
 * A person has at most one account of each connection; the rows go with the person, the organization or
 * the connection, and it sits behind the connections' row-level security when they do. The links kept until now in `users.sso_subject` (`issuer|sub`) are copied for the
 * connection of that issuer; those of a connection not stored yet (the OIDC_* one, written at start)
 * are copied at the person's next sign-in.
 */
export class SsoIdentities1765000900000 implements MigrationInterface {
  name = 'SsoIdentities1765000900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sso_identities" (
      "organization_id" uuid NOT NULL,
      "issuer" text NOT NULL,
      "subject" text NOT NULL,
      "user_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sso_identities" PRIMARY KEY ("organization_id", "issuer", "subject"),
      CONSTRAINT "FK_sso_identities_connection" FOREIGN KEY ("organization_id") REFERENCES "sso_connections"("organization_id") ON DELETE CASCADE,
      CONSTRAINT "FK_sso_identities_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_sso_identities_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE UNIQUE INDEX "sso_identities_person" ON "sso_identities" ("organization_id", "user_id")`);
    await q.query(`CREATE INDEX "sso_identities_subject" ON "sso_identities" ("issuer", "subject")`);
    await q.query(`CREATE INDEX "sso_identities_user" ON "sso_identities" ("user_id")`);
    // Behind the same wall as the connections: where they are under row-level security, so is this table.
    const [table]: { walled: boolean }[] = await q.query(
      `SELECT relrowsecurity AS walled FROM pg_class WHERE oid = '"sso_connections"'::regclass`,
    );
    if (table?.walled) {
      await q.query(`ALTER TABLE "sso_identities" ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY "organization" ON "sso_identities" TO roster_tenant
        USING ("organization_id" = current_setting('roster.organization_id')::uuid)
        WITH CHECK ("organization_id" = current_setting('roster.organization_id')::uuid)`);
    }
    await q.query(`INSERT INTO "sso_identities" ("organization_id", "issuer", "subject", "user_id")
      SELECT c."organization_id", c."issuer", substr(u."sso_subject", length(c."issuer") + 2), u."id"
        FROM "users" u JOIN "sso_connections" c ON starts_with(u."sso_subject", c."issuer" || '|')
       WHERE length(u."sso_subject") > length(c."issuer") + 1
      ON CONFLICT DO NOTHING`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "sso_identities"`);
  }
}
