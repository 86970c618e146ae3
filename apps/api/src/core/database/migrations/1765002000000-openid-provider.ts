import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roster as an OpenID Provider. `oidc_clients` are the host applications allowed to sign people in
 * through Roster (an organization's, or platform-wide with no organization; the secret sealed with
 * ROSTER_SECRET_KEY). `oidc_payloads` holds every piece of the provider's state (sessions, grants,
 * codes, tokens, interactions), one row per model and id, so that any instance completes a flow another
 * began; `organization_id` is the organization a grant acts in. `oidc_signing_keys` are the provider's
 * RS256 keys, private halves sealed. Both tables with `organization_id` sit behind the organization
 * policy where row-level security is on.
 */
export class OpenidProvider1765002000000 implements MigrationInterface {
  name = 'OpenidProvider1765002000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "oidc_clients" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "client_id" text NOT NULL,
      "organization_id" uuid,
      "name" text NOT NULL,
      "redirect_uris" text array NOT NULL,
      "post_logout_redirect_uris" text array NOT NULL DEFAULT '{}',
      "backchannel_logout_uri" text,
      "public" boolean NOT NULL,
      "first_party" boolean NOT NULL,
      "secret_sealed" text,
      "created_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_oidc_clients" PRIMARY KEY ("id"),
      CONSTRAINT "FK_oidc_clients_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "oidc_clients_secret" CHECK ("public" = ("secret_sealed" IS NULL)))`);
    await q.query(`CREATE UNIQUE INDEX "oidc_clients_client_id" ON "oidc_clients" ("client_id")`);
    await q.query(`CREATE INDEX "oidc_clients_organization" ON "oidc_clients" ("organization_id")`);
    // No foreign keys: provider state is short-lived, ended by its owner's hooks, and its writes
    // (every token) must not wait on a person's or an organization's row.
    await q.query(`CREATE TABLE "oidc_payloads" (
      "model" text NOT NULL,
      "id" text NOT NULL,
      "payload" jsonb NOT NULL,
      "grant_id" text,
      "user_code" text,
      "uid" text,
      "user_id" uuid,
      "organization_id" uuid,
      "expires_at" TIMESTAMP WITH TIME ZONE,
      "consumed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_oidc_payloads" PRIMARY KEY ("model", "id"))`);
    await q.query(`CREATE INDEX "oidc_payloads_grant" ON "oidc_payloads" ("grant_id") WHERE "grant_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "oidc_payloads_uid" ON "oidc_payloads" ("uid") WHERE "uid" IS NOT NULL`);
    await q.query(`CREATE INDEX "oidc_payloads_user_code" ON "oidc_payloads" ("user_code") WHERE "user_code" IS NOT NULL`);
    await q.query(`CREATE INDEX "oidc_payloads_user" ON "oidc_payloads" ("user_id") WHERE "user_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "oidc_payloads_organization" ON "oidc_payloads" ("organization_id") WHERE "organization_id" IS NOT NULL`);
    await q.query(`CREATE INDEX "oidc_payloads_expires" ON "oidc_payloads" ("expires_at")`);
    await q.query(`CREATE TABLE "oidc_signing_keys" (
      "kid" text NOT NULL,
      "alg" text NOT NULL,
      "private_jwk_sealed" text NOT NULL,
      "public_jwk" jsonb NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "active_from" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "PK_oidc_signing_keys" PRIMARY KEY ("kid"))`);
    // Behind the same wall as every organization table, where row-level security is on.
    const [table]: { walled: boolean }[] = await q.query(`SELECT relrowsecurity AS walled FROM pg_class WHERE oid = '"roles"'::regclass`);
    if (table?.walled) {
      for (const name of ['oidc_clients', 'oidc_payloads']) {
        await q.query(`ALTER TABLE "${name}" ENABLE ROW LEVEL SECURITY`);
        await q.query(`CREATE POLICY "organization" ON "${name}" TO roster_tenant
          USING ("organization_id" = current_setting('roster.organization_id')::uuid)
          WITH CHECK ("organization_id" = current_setting('roster.organization_id')::uuid)`);
      }
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "oidc_signing_keys"`);
    await q.query(`DROP TABLE "oidc_payloads"`);
    await q.query(`DROP TABLE "oidc_clients"`);
  }
}
