import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SCIM provisioning (docs/design/scim.md §2). A membership gains what an organization's identity provider
 * says of its person there: `external_id` (the provider's id, exact case, unique in the organization),
 * `display_name`, `own_names` (the names are the membership's, not copied from the person: a person of
 * another organization provisioned here shows none of their account), `provisioned_at` (made or adopted by
 * SCIM) and `updated_at` (SCIM's `meta.lastModified` and `meta.version`). A team gains `external_id` and
 * `updated_at`.
 *
 * `updated_at` is kept by triggers, never by the API: `memberships_touch` when a column of the SCIM
 * representation changes (a person's email or names reach it through `users_copy`, a team joined or left
 * through `team_count`), `teams_touch` on a rename or a new external id, and the `user_teams` triggers
 * for a team's members. Each stamp is later than the row's previous one, so an ETag always changes with
 * the row and `lastModified gt` walks never go back.
 */
export class Scim1765003000000 implements MigrationInterface {
  name = 'Scim1765003000000';

  public async up(q: QueryRunner): Promise<void> {
    const schema = await schemaOf(q);
    await q.query(`ALTER TABLE "memberships"
      ADD "external_id" text,
      ADD "display_name" text,
      ADD "own_names" boolean NOT NULL DEFAULT false,
      ADD "provisioned_at" TIMESTAMP WITH TIME ZONE,
      ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE "teams"
      ADD "external_id" text,
      ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    // Before the touch triggers exist: setting the stamps touches nothing else.
    await q.query(`UPDATE "memberships" SET "updated_at" = "joined_at"`);
    await q.query(`UPDATE "teams" SET "updated_at" = "created_at"`);
    await q.query(
      `CREATE UNIQUE INDEX "memberships_external_id" ON "memberships" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "memberships_updated" ON "memberships" ("organization_id", "updated_at", "user_id")`);
    await q.query(`CREATE UNIQUE INDEX "teams_external_id" ON "teams" ("organization_id", "external_id") WHERE "external_id" IS NOT NULL`);

    // Like every trigger function since row-level security: run as its owner, with a fixed search path.
    const definer = `SECURITY DEFINER SET search_path = ${schema}, pg_temp`;
    await q.query(`CREATE FUNCTION "memberships_touch"() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
      BEGIN NEW."updated_at" := ${LATER('OLD."updated_at"')}; RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER "memberships_touch" BEFORE UPDATE ON "memberships" FOR EACH ROW
      WHEN (OLD."role_id" IS DISTINCT FROM NEW."role_id" OR OLD."status" IS DISTINCT FROM NEW."status"
            OR OLD."email" IS DISTINCT FROM NEW."email" OR OLD."first_name" IS DISTINCT FROM NEW."first_name"
            OR OLD."last_name" IS DISTINCT FROM NEW."last_name" OR OLD."team_count" IS DISTINCT FROM NEW."team_count"
            OR OLD."external_id" IS DISTINCT FROM NEW."external_id" OR OLD."display_name" IS DISTINCT FROM NEW."display_name")
      EXECUTE FUNCTION "memberships_touch"()`);
    await q.query(`CREATE FUNCTION "teams_touch"() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
      BEGIN NEW."updated_at" := ${LATER('OLD."updated_at"')}; RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER "teams_touch" BEFORE UPDATE ON "teams" FOR EACH ROW
      WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR OLD."external_id" IS DISTINCT FROM NEW."external_id")
      EXECUTE FUNCTION "teams_touch"()`);

    await q.query(MEMBERSHIPS_COPY(definer, true));
    await q.query(USERS_COPY(definer, true));
    await q.query(USER_TEAMS(definer, 'ins', true));
    await q.query(USER_TEAMS(definer, 'del', true));
  }

  public async down(q: QueryRunner): Promise<void> {
    const schema = await schemaOf(q);
    const definer = `SECURITY DEFINER SET search_path = ${schema}, pg_temp`;
    await q.query(USER_TEAMS(definer, 'del', false));
    await q.query(USER_TEAMS(definer, 'ins', false));
    await q.query(USERS_COPY(definer, false));
    await q.query(MEMBERSHIPS_COPY(definer, false));
    await q.query(`DROP TRIGGER "teams_touch" ON "teams"`);
    await q.query(`DROP FUNCTION "teams_touch"()`);
    await q.query(`DROP TRIGGER "memberships_touch" ON "memberships"`);
    await q.query(`DROP FUNCTION "memberships_touch"()`);
    await q.query(`DROP INDEX "teams_external_id"`);
    await q.query(`DROP INDEX "memberships_updated"`);
    await q.query(`DROP INDEX "memberships_external_id"`);
    await q.query(`ALTER TABLE "teams" DROP COLUMN "updated_at", DROP COLUMN "external_id"`);
    await q.query(`ALTER TABLE "memberships" DROP COLUMN "updated_at", DROP COLUMN "provisioned_at", DROP COLUMN "own_names",
      DROP COLUMN "display_name", DROP COLUMN "external_id"`);
  }
}

/** A stamp later than `previous`: the clock, or a microsecond after it when the clock has not moved on (or went back). */
const LATER = (previous: string) => `greatest(clock_timestamp(), ${previous} + interval '1 microsecond')`;

/**
 * The membership's copies of its person. With `scim`, a membership with its own names (`own_names`) keeps
 * them: only the email is copied. Without, the function as the memberships migration made it.
 */
const MEMBERSHIPS_COPY = (definer: string, scim: boolean) => `
  CREATE OR REPLACE FUNCTION "memberships_copy"() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  DECLARE person "users"%ROWTYPE;
  BEGIN
    IF TG_OP = 'INSERT' AND NEW."email" IS NULL THEN
      SELECT * INTO person FROM "users" u WHERE u."id" = NEW."user_id";
      NEW."email" := person."email";
      IF ${scim ? 'NOT NEW."own_names" AND ' : ''}(NEW."status" <> 'INVITED' OR person."status" = 'INVITED') THEN
        NEW."first_name" := person."first_name";
        NEW."last_name" := person."last_name";
      END IF;
    ELSIF TG_OP = 'UPDATE' AND OLD."status" = 'INVITED' AND NEW."status" <> 'INVITED'${scim ? ' AND NOT NEW."own_names"' : ''} THEN
      SELECT * INTO person FROM "users" u WHERE u."id" = NEW."user_id";
      NEW."first_name" := person."first_name";
      NEW."last_name" := person."last_name";
    END IF;
    -- (A bulk loader that already has the person's columns at hand may pass them.)
    NEW."role_rank" := (SELECT "rank" FROM "roles" WHERE "id" = NEW."role_id");
    RETURN NEW;
  END $$`;

/** A person's email and names onto their memberships; with `scim`, the names skip memberships with their own. */
const USERS_COPY = (definer: string, scim: boolean) => `
  CREATE OR REPLACE FUNCTION "users_copy"() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  BEGIN
    UPDATE "memberships" SET "email" = NEW."email" WHERE "user_id" = NEW."id" AND "email" IS DISTINCT FROM NEW."email";
    UPDATE "memberships" SET "first_name" = NEW."first_name", "last_name" = NEW."last_name"
     WHERE "user_id" = NEW."id" AND ("status" <> 'INVITED' OR NEW."status" = 'INVITED')${scim ? ' AND NOT "own_names"' : ''}
       AND ("first_name", "last_name") IS DISTINCT FROM (NEW."first_name", NEW."last_name");
    RETURN NULL;
  END $$`;

/** The team count of each member joining (`ins`) or leaving (`del`); with `scim`, the teams' `updated_at` too. */
const USER_TEAMS = (definer: string, kind: 'ins' | 'del', scim: boolean) => {
  const [rows, sign] = kind === 'ins' ? ['new_rows', '+'] : ['old_rows', '-'];
  const teams = scim
    ? `
        UPDATE "teams" t SET "updated_at" = ${LATER('t."updated_at"')}
          FROM (SELECT DISTINCT "organization_id", "team_id" FROM ${rows}) c
         WHERE t."organization_id" = c."organization_id" AND t."id" = c."team_id";`
    : '';
  return `
  CREATE OR REPLACE FUNCTION "user_teams_${kind}"() RETURNS trigger LANGUAGE plpgsql ${definer} AS $$
  BEGIN UPDATE "memberships" m SET "team_count" = m."team_count" ${sign} c.n
          FROM (SELECT "organization_id", "user_id", count(*) AS n FROM ${rows} GROUP BY 1, 2) c
         WHERE m."organization_id" = c."organization_id" AND m."user_id" = c."user_id";${teams}
        RETURN NULL; END $$`;
};

async function schemaOf(q: QueryRunner): Promise<string> {
  const [{ schema }]: { schema: string }[] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
  return schema;
}
