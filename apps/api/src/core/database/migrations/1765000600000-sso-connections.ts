import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Single sign-on per organization. Each organization may have one OpenID Connect connection (its client
 * secret sealed with ROSTER_SECRET_KEY; the OIDC_* variables' connection of the first organization keeps
 * its secret in the configuration, `from_env`), and operators give organizations email domains: the
 * sign-in page sends an email of such a domain to that organization's provider. A session remembers whose
 * provider signed it in (and so does a second-factor challenge after one), so an organization that
 * requires single sign-on admits only those. A change to a connection is announced as `s:<organization>`
 * (cached strategies and principals are dropped).
 * Admins manage their organization's connection: the Admin roles gain `sso:manage`.
 */
export class SsoConnections1765000600000 implements MigrationInterface {
  name = 'SsoConnections1765000600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sso_connections" (
      "organization_id" uuid NOT NULL,
      "issuer" text NOT NULL,
      "client_id" text NOT NULL,
      "client_secret_sealed" text,
      "from_env" boolean NOT NULL DEFAULT false,
      "label" text NOT NULL DEFAULT 'SSO',
      "default_role_id" uuid NOT NULL,
      "require_sso" boolean NOT NULL DEFAULT false,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_sso_connections" PRIMARY KEY ("organization_id"),
      CONSTRAINT "FK_sso_connections_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_sso_connections_default_role" FOREIGN KEY ("organization_id", "default_role_id")
        REFERENCES "roles"("organization_id", "id"),
      CONSTRAINT "sso_connections_secret" CHECK ("from_env" OR "client_secret_sealed" IS NOT NULL))`);
    await q.query(`CREATE INDEX "sso_connections_default_role" ON "sso_connections" ("default_role_id")`);
    await q.query(`CREATE TABLE "organization_domains" (
      "domain" text NOT NULL,
      "organization_id" uuid NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_organization_domains" PRIMARY KEY ("domain"),
      CONSTRAINT "organization_domains_lower" CHECK ("domain" = lower("domain")),
      CONSTRAINT "FK_organization_domains_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE)`);
    await q.query(`CREATE INDEX "organization_domains_organization" ON "organization_domains" ("organization_id")`);
    // No foreign key: an organization's id is never reused, and its deletion must not wait on sessions.
    await q.query(`ALTER TABLE "sessions" ADD "sso_organization_id" uuid`);
    await q.query(`ALTER TABLE "mfa_challenges" ADD "sso_organization_id" uuid`);
    await q.query(`CREATE FUNCTION "roster_notify_sso"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('roster_changes', 's:' || COALESCE(NEW."organization_id", OLD."organization_id")); RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "sso_connections_changed" AFTER INSERT OR UPDATE OR DELETE ON "sso_connections" FOR EACH ROW
      EXECUTE FUNCTION "roster_notify_sso"()`);
    await q.query(
      `CREATE TRIGGER "sso_connections_truncated" AFTER TRUNCATE ON "sso_connections" FOR EACH STATEMENT EXECUTE FUNCTION "roster_notify_all"()`,
    );
    await q.query(
      `UPDATE "roles" SET "permissions" = array_append("permissions", 'sso:manage')
        WHERE "key" = 'ADMIN' AND NOT ('sso:manage' = ANY("permissions"))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE "roles" SET "permissions" = array_remove("permissions", 'sso:manage')`);
    await q.query(`DROP TRIGGER "sso_connections_truncated" ON "sso_connections"`);
    await q.query(`DROP TRIGGER "sso_connections_changed" ON "sso_connections"`);
    await q.query(`DROP FUNCTION "roster_notify_sso"()`);
    await q.query(`ALTER TABLE "mfa_challenges" DROP COLUMN "sso_organization_id"`);
    await q.query(`ALTER TABLE "sessions" DROP COLUMN "sso_organization_id"`);
    await q.query(`DROP TABLE "organization_domains"`);
    await q.query(`DROP TABLE "sso_connections"`);
  }
}
