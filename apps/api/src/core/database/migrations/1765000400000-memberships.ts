import { MigrationInterface, QueryRunner } from 'typeorm';

/** The users page's sorts, each led by the organization: one index range per page, for a large organization and a small one alike. */
const PAGE_INDEXES: [name: string, columns: string][] = [
  ['memberships_first_name_sort', `"organization_id", "first_name", "user_id"`],
  ['memberships_last_name_sort', `"organization_id", "last_name", "user_id"`],
  ['memberships_last_sign_in_sort', `"organization_id", (COALESCE("last_sign_in_at", '-infinity'::timestamptz)), "user_id"`],
  ['memberships_role_sort', `"organization_id", "role_id", "email"`],
  ['memberships_role_rank_sort', `"organization_id", "role_rank", "user_id"`],
  ['memberships_team_count_sort', `"organization_id", "team_count", "user_id"`],
  ['memberships_status_sort', `"organization_id", "status", "email"`],
];

/** Tables whose rows belong to one person in one organization: they go with the membership. */
const MEMBER_TABLES: { table: string; userFk: string }[] = [
  { table: 'user_teams', userFk: 'FK_ee838ec2b13ac600a162c20ce33' },
  { table: 'invitations', userFk: 'FK_fecdffec754fa4d5cea98709776' },
  { table: 'api_tokens', userFk: 'FK_b74883f5884a42fd8496d389b25' },
];

/**
 * Memberships: a person belongs to organizations, each with a role, a status and teams. What was the
 * person's role, status (deactivated) and team count becomes their membership's in the one organization
 * of a database from before; the person keeps what is theirs everywhere (email, password, two-factor,
 * language) and `status` says only whether they have registered. The users page's columns are copied
 * onto the membership by triggers so that every sort has an index led by the organization, and
 * `membership_counts` keeps each organization's exact total. Roles, team names and the two-factor policy
 * become per organization.
 */
export class Memberships1765000400000 implements MigrationInterface {
  name = 'Memberships1765000400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);

    // Roles: names and keys per organization; (organization, id) is what memberships point at.
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "UQ_648e3f5447f725579d7d4ffdfb7"`);
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "UQ_a87cf0659c3ac379b339acf36a2"`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "roles_organization_key" UNIQUE ("organization_id", "key")`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "roles_organization_name" UNIQUE ("organization_id", "name")`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "roles_organization_id" UNIQUE ("organization_id", "id")`);
    await q.query(`DROP INDEX "roles_organization"`);
    // Teams: a name is unique within its organization.
    await q.query(`DROP INDEX "teams_name_lower_key"`);
    await q.query(`CREATE UNIQUE INDEX "teams_name_lower_key" ON "teams" ("organization_id", lower("name"))`);
    await q.query(`ALTER TABLE "teams" ADD CONSTRAINT "teams_organization_id" UNIQUE ("organization_id", "id")`);
    await q.query(`DROP INDEX "teams_organization"`);
    // The two-factor policy: one row per organization.
    await q.query(`ALTER TABLE "two_factor_policy" DROP CONSTRAINT "two_factor_policy_single"`);
    await q.query(`ALTER TABLE "two_factor_policy" DROP CONSTRAINT "PK_two_factor_policy"`);
    await q.query(`ALTER TABLE "two_factor_policy" DROP COLUMN "id"`);
    await q.query(`DROP INDEX "two_factor_policy_organization"`);
    await q.query(`ALTER TABLE "two_factor_policy" ADD CONSTRAINT "PK_two_factor_policy" PRIMARY KEY ("organization_id")`);

    await q.query(`CREATE TABLE "memberships" (
      "organization_id" uuid NOT NULL,
      "user_id" uuid NOT NULL,
      "role_id" uuid NOT NULL,
      "status" character varying(16) NOT NULL DEFAULT 'ACTIVE',
      "joined_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_sign_in_at" TIMESTAMP WITH TIME ZONE,
      "email" text NOT NULL,
      "first_name" text NOT NULL DEFAULT '',
      "last_name" text NOT NULL DEFAULT '',
      "role_rank" integer NOT NULL DEFAULT 0,
      "team_count" integer NOT NULL DEFAULT 0,
      CONSTRAINT "memberships_status_check" CHECK ("status" IN ('INVITED', 'ACTIVE', 'DEACTIVATED')),
      CONSTRAINT "PK_memberships" PRIMARY KEY ("organization_id", "user_id"),
      CONSTRAINT "FK_memberships_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_memberships_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE,
      CONSTRAINT "FK_memberships_role" FOREIGN KEY ("organization_id", "role_id") REFERENCES "roles"("organization_id", "id") ON DELETE RESTRICT)`);
    await q.query(`INSERT INTO "memberships" ("organization_id", "user_id", "role_id", "status", "joined_at", "last_sign_in_at",
                                              "email", "first_name", "last_name", "role_rank", "team_count")
      SELECT r."organization_id", u."id", u."role_id", u."status", u."created_at", u."last_sign_in_at",
             u."email", u."first_name", u."last_name", u."role_rank", u."team_count"
        FROM "users" u JOIN "roles" r ON r."id" = u."role_id"`);
    await q.query(`CREATE INDEX "memberships_user" ON "memberships" ("user_id")`);
    await q.query(`CREATE INDEX "memberships_role" ON "memberships" ("role_id")`);
    await q.query(`CREATE UNIQUE INDEX "memberships_email" ON "memberships" ("organization_id", "email")`);
    for (const [name, columns] of PAGE_INDEXES) await q.query(`CREATE INDEX "${name}" ON "memberships" (${columns})`);
    await q.query(`CREATE INDEX "memberships_email_trgm" ON "memberships" USING gin ("organization_id", "email" gin_trgm_ops)`);

    // The copies: filled on insert, kept when the person, their role's rank or their teams change.
    // A registered person invited into another organization shows nothing of their account there (no
    // names) until they accept: an invitation must not tell whether the email has an account elsewhere.
    await q.query(`CREATE FUNCTION "memberships_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE person "users"%ROWTYPE;
      BEGIN
        IF TG_OP = 'INSERT' AND NEW."email" IS NULL THEN
          SELECT * INTO person FROM "users" u WHERE u."id" = NEW."user_id";
          NEW."email" := person."email";
          IF NEW."status" <> 'INVITED' OR person."status" = 'INVITED' THEN
            NEW."first_name" := person."first_name";
            NEW."last_name" := person."last_name";
          END IF;
        ELSIF TG_OP = 'UPDATE' AND OLD."status" = 'INVITED' AND NEW."status" <> 'INVITED' THEN
          SELECT * INTO person FROM "users" u WHERE u."id" = NEW."user_id";
          NEW."first_name" := person."first_name";
          NEW."last_name" := person."last_name";
        END IF;
        -- (A bulk loader that already has the person's columns at hand may pass them.)
        NEW."role_rank" := (SELECT "rank" FROM "roles" WHERE "id" = NEW."role_id");
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER "memberships_copy" BEFORE INSERT OR UPDATE OF "role_id", "status" ON "memberships"
      FOR EACH ROW EXECUTE FUNCTION "memberships_copy"()`);
    await q.query(`CREATE FUNCTION "users_copy"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE "memberships" SET "email" = NEW."email" WHERE "user_id" = NEW."id" AND "email" IS DISTINCT FROM NEW."email";
        UPDATE "memberships" SET "first_name" = NEW."first_name", "last_name" = NEW."last_name"
         WHERE "user_id" = NEW."id" AND ("status" <> 'INVITED' OR NEW."status" = 'INVITED')
           AND ("first_name", "last_name") IS DISTINCT FROM (NEW."first_name", NEW."last_name");
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "users_copy" AFTER UPDATE OF "email", "first_name", "last_name", "status" ON "users" FOR EACH ROW
      WHEN (OLD."email" IS DISTINCT FROM NEW."email" OR OLD."first_name" IS DISTINCT FROM NEW."first_name"
            OR OLD."last_name" IS DISTINCT FROM NEW."last_name")
      EXECUTE FUNCTION "users_copy"()`);
    await q.query(`CREATE OR REPLACE FUNCTION "roles_rank_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "memberships" SET "role_rank" = NEW."rank" WHERE "role_id" = NEW."id"; RETURN NULL; END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "user_teams_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "memberships" m SET "team_count" = m."team_count" + c.n
              FROM (SELECT "organization_id", "user_id", count(*) AS n FROM new_rows GROUP BY 1, 2) c
             WHERE m."organization_id" = c."organization_id" AND m."user_id" = c."user_id";
            RETURN NULL; END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "user_teams_del"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "memberships" m SET "team_count" = m."team_count" - c.n
              FROM (SELECT "organization_id", "user_id", count(*) AS n FROM old_rows GROUP BY 1, 2) c
             WHERE m."organization_id" = c."organization_id" AND m."user_id" = c."user_id";
            RETURN NULL; END $$`);

    // Each organization's exact total and invited count, without scanning its members.
    await q.query(`CREATE TABLE "membership_counts" (
      "organization_id" uuid NOT NULL,
      "total" bigint NOT NULL DEFAULT 0,
      "invited" bigint NOT NULL DEFAULT 0,
      CONSTRAINT "PK_membership_counts" PRIMARY KEY ("organization_id"),
      CONSTRAINT "FK_membership_counts_organization" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE)`);
    await q.query(`INSERT INTO "membership_counts" ("organization_id", "total", "invited")
      SELECT o."id", count(m."user_id"), count(*) FILTER (WHERE m."status" = 'INVITED')
        FROM "organizations" o LEFT JOIN "memberships" m ON m."organization_id" = o."id" GROUP BY o."id"`);
    await q.query(`CREATE FUNCTION "membership_counts_add"(deltas jsonb) RETURNS void LANGUAGE sql AS $$
      INSERT INTO "membership_counts" ("organization_id", "total", "invited")
      SELECT (d->>'o')::uuid, (d->>'t')::bigint, (d->>'i')::bigint FROM jsonb_array_elements(deltas) d
      ON CONFLICT ("organization_id") DO UPDATE
        SET "total" = "membership_counts"."total" + EXCLUDED."total", "invited" = "membership_counts"."invited" + EXCLUDED."invited" $$`);
    await q.query(`CREATE FUNCTION "membership_counts_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE deltas jsonb;
      BEGIN
        -- (A bulk loader that already has the person's columns at hand may pass them.)
        IF TG_OP = 'INSERT' AND NEW."email" IS NULL THEN
          SELECT jsonb_agg(jsonb_build_object('o', o, 't', t, 'i', i)) INTO deltas FROM (
            SELECT "organization_id" AS o, count(*) AS t, count(*) FILTER (WHERE "status" = 'INVITED') AS i FROM new_rows GROUP BY 1) c;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT jsonb_agg(jsonb_build_object('o', o, 't', -t, 'i', -i)) INTO deltas FROM (
            SELECT "organization_id" AS o, count(*) AS t, count(*) FILTER (WHERE "status" = 'INVITED') AS i FROM old_rows GROUP BY 1) c;
        ELSE
          SELECT jsonb_agg(jsonb_build_object('o', o, 't', 0, 'i', i)) INTO deltas FROM (
            SELECT o, sum(i) AS i FROM (
              SELECT "organization_id" AS o, count(*) FILTER (WHERE "status" = 'INVITED') AS i FROM new_rows GROUP BY 1
              UNION ALL
              SELECT "organization_id", -count(*) FILTER (WHERE "status" = 'INVITED') FROM old_rows GROUP BY 1) x
            GROUP BY o HAVING sum(i) <> 0) c;
        END IF;
        IF deltas IS NOT NULL THEN PERFORM "membership_counts_add"(deltas); END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "memberships_count_ins" AFTER INSERT ON "memberships" REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "membership_counts_changed"()`);
    await q.query(`CREATE TRIGGER "memberships_count_del" AFTER DELETE ON "memberships" REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "membership_counts_changed"()`);
    await q.query(`CREATE TRIGGER "memberships_count_upd" AFTER UPDATE ON "memberships" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "membership_counts_changed"()`);

    // Change notices: a membership's status or role, or its end, changes what its person may do.
    await q.query(`CREATE TRIGGER "memberships_changed" AFTER UPDATE OF "status", "role_id" ON "memberships" FOR EACH ROW
      WHEN (OLD."status" IS DISTINCT FROM NEW."status" OR OLD."role_id" IS DISTINCT FROM NEW."role_id")
      EXECUTE FUNCTION "roster_notify_user"('user_id')`);
    await q.query(
      `CREATE TRIGGER "memberships_deleted" AFTER DELETE ON "memberships" FOR EACH ROW EXECUTE FUNCTION "roster_notify_user"('user_id')`,
    );
    await q.query(`CREATE TRIGGER "memberships_added" AFTER INSERT ON "memberships" FOR EACH STATEMENT
      EXECUTE FUNCTION "roster_notify_people_added"()`);

    // What belongs to a person in one organization goes with the membership.
    for (const { table, userFk } of MEMBER_TABLES) {
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${userFk}"`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "FK_${table}_membership" FOREIGN KEY ("organization_id", "user_id")
        REFERENCES "memberships"("organization_id", "user_id") ON DELETE CASCADE`);
    }
    await q.query(`ALTER TABLE "user_teams" DROP CONSTRAINT "FK_006715ef1e1b40852f379efe567"`);
    await q.query(`ALTER TABLE "user_teams" ADD CONSTRAINT "FK_user_teams_team" FOREIGN KEY ("organization_id", "team_id")
      REFERENCES "teams"("organization_id", "id") ON DELETE CASCADE`);
    await q.query(`DROP INDEX "user_teams_organization"`);
    await q.query(`ALTER TABLE "invitations" DROP CONSTRAINT "REL_fecdffec754fa4d5cea9870977"`);
    await q.query(`ALTER TABLE "invitations" ADD CONSTRAINT "invitations_membership" UNIQUE ("organization_id", "user_id")`);
    await q.query(`DROP INDEX "invitations_organization"`);
    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_26b8a17fcb03c4811bc2a607aa2"`);
    await q.query(`ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_api_tokens_role" FOREIGN KEY ("organization_id", "role_id")
      REFERENCES "roles"("organization_id", "id") ON DELETE CASCADE`);

    // The person: registered or not, their last organization; role, rank, team count and counts move away.
    await q.query(`ALTER TABLE "users" ADD "last_organization_id" uuid`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "FK_users_last_organization" FOREIGN KEY ("last_organization_id")
      REFERENCES "organizations"("id") ON DELETE SET NULL`);
    await q.query(`UPDATE "users" u SET "last_organization_id" = m."organization_id" FROM "memberships" m WHERE m."user_id" = u."id"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_status_check"`);
    await q.query(`UPDATE "users" SET "status" = CASE WHEN "password_hash" IS NULL AND "sso_subject" IS NULL THEN 'INVITED' ELSE 'ACTIVE' END
                    WHERE "status" = 'DEACTIVATED'`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("status" IN ('ACTIVE', 'INVITED'))`);
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    // The last organization decides where a request naming none acts: a change re-resolves the person everywhere.
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "email", "operator", "last_organization_id" ON "users" FOR EACH ROW
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`DROP TRIGGER "users_role_rank" ON "users"`);
    await q.query(`DROP FUNCTION "users_role_rank"()`);
    await q.query(`DROP TRIGGER "users_count_ins" ON "users"`);
    await q.query(`DROP TRIGGER "users_count_del" ON "users"`);
    await q.query(`DROP FUNCTION "user_counts_ins"()`);
    await q.query(`DROP FUNCTION "user_counts_del"()`);
    await q.query(`DROP TABLE "user_counts"`);
    for (const index of [
      'users_email_trgm',
      'users_first_name_sort',
      'users_last_name_sort',
      'users_last_sign_in_sort',
      'users_role_sort',
      'users_role_rank_sort',
      'users_team_count_sort',
      'users_status_sort',
    ]) {
      await q.query(`DROP INDEX "${index}"`);
    }
    await q.query(`ALTER TABLE "users" DROP COLUMN "role_id", DROP COLUMN "role_rank", DROP COLUMN "team_count"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    const [{ n }]: { n: string }[] = await q.query(
      `SELECT (SELECT count(*) FROM "organizations") + (SELECT count(*) FROM (SELECT 1 FROM "memberships" GROUP BY "user_id" HAVING count(*) > 1) x) - 1 AS n`,
    );
    if (Number(n) > 0) throw new Error('Cannot revert Memberships: several organizations exist, and the schema before holds one');

    await q.query(
      `ALTER TABLE "users" ADD "role_id" uuid, ADD "role_rank" integer NOT NULL DEFAULT 0, ADD "team_count" integer NOT NULL DEFAULT 0`,
    );
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "users_status_check"`);
    await q.query(`UPDATE "users" u SET "role_id" = m."role_id", "role_rank" = m."role_rank", "team_count" = m."team_count",
                          "status" = CASE WHEN m."status" = 'DEACTIVATED' THEN 'DEACTIVATED' ELSE u."status" END
                     FROM "memberships" m WHERE m."user_id" = u."id"`);
    // A person who belonged nowhere (an operator) gets the least role.
    await q.query(`UPDATE "users" SET "role_id" = (SELECT "id" FROM "roles" ORDER BY "rank" DESC LIMIT 1) WHERE "role_id" IS NULL`);
    await q.query(`ALTER TABLE "users" ALTER "role_id" SET NOT NULL`);
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "users_status_check" CHECK ("status" IN ('ACTIVE', 'INVITED', 'DEACTIVATED'))`);
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_a2cecd1a3531c0b041e29ba46e1" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE RESTRICT`,
    );
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`CREATE TRIGGER "users_changed" AFTER UPDATE OF "status", "role_id", "email", "operator" ON "users" FOR EACH ROW
      EXECUTE FUNCTION "roster_notify_user"('id')`);
    await q.query(`ALTER TABLE "users" DROP COLUMN "last_organization_id"`);
    await q.query(`CREATE INDEX "users_email_trgm" ON "users" USING gin ("email" gin_trgm_ops)`);
    await q.query(`CREATE INDEX "users_first_name_sort" ON "users" ("first_name", "id")`);
    await q.query(`CREATE INDEX "users_last_name_sort" ON "users" ("last_name", "id")`);
    await q.query(`CREATE INDEX "users_last_sign_in_sort" ON "users" ((COALESCE("last_sign_in_at", '-infinity'::timestamptz)), "id")`);
    await q.query(`CREATE INDEX "users_role_sort" ON "users" ("role_id", "email")`);
    await q.query(`CREATE INDEX "users_role_rank_sort" ON "users" ("role_rank", "id")`);
    await q.query(`CREATE INDEX "users_team_count_sort" ON "users" ("team_count", "id")`);
    await q.query(`CREATE INDEX "users_status_sort" ON "users" ("status", "email")`);
    await q.query(`CREATE TABLE "user_counts" ("id" integer PRIMARY KEY CHECK ("id" = 1), "n" bigint NOT NULL)`);
    await q.query(`INSERT INTO "user_counts" ("id", "n") SELECT 1, count(*) FROM "users"`);
    await q.query(`CREATE FUNCTION "user_counts_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "user_counts" SET "n" = "n" + (SELECT count(*) FROM new_rows) WHERE "id" = 1; RETURN NULL; END $$`);
    await q.query(`CREATE FUNCTION "user_counts_del"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "user_counts" SET "n" = "n" - (SELECT count(*) FROM old_rows) WHERE "id" = 1; RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER "users_count_ins" AFTER INSERT ON "users" REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_ins"()`);
    await q.query(`CREATE TRIGGER "users_count_del" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION "user_counts_del"()`);
    await q.query(`CREATE FUNCTION "users_role_rank"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW."role_rank" := (SELECT "rank" FROM "roles" WHERE "id" = NEW."role_id"); RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER "users_role_rank" BEFORE INSERT OR UPDATE OF "role_id" ON "users"
      FOR EACH ROW EXECUTE FUNCTION "users_role_rank"()`);

    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_api_tokens_role"`);
    await q.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_26b8a17fcb03c4811bc2a607aa2" FOREIGN KEY ("role_id") REFERENCES "roles"("id") ON DELETE CASCADE`,
    );
    await q.query(`CREATE INDEX "invitations_organization" ON "invitations" ("organization_id")`);
    await q.query(`ALTER TABLE "invitations" DROP CONSTRAINT "invitations_membership"`);
    await q.query(`ALTER TABLE "invitations" ADD CONSTRAINT "REL_fecdffec754fa4d5cea9870977" UNIQUE ("user_id")`);
    await q.query(`CREATE INDEX "user_teams_organization" ON "user_teams" ("organization_id")`);
    await q.query(`ALTER TABLE "user_teams" DROP CONSTRAINT "FK_user_teams_team"`);
    await q.query(
      `ALTER TABLE "user_teams" ADD CONSTRAINT "FK_006715ef1e1b40852f379efe567" FOREIGN KEY ("team_id") REFERENCES "teams"("id") ON DELETE CASCADE`,
    );
    for (const { table, userFk } of [...MEMBER_TABLES].reverse()) {
      await q.query(`ALTER TABLE "${table}" DROP CONSTRAINT "FK_${table}_membership"`);
      await q.query(`ALTER TABLE "${table}" ADD CONSTRAINT "${userFk}" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE`);
    }

    await q.query(`CREATE OR REPLACE FUNCTION "user_teams_ins"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" u SET "team_count" = u."team_count" + c.n
              FROM (SELECT "user_id", count(*) AS n FROM new_rows GROUP BY "user_id") c WHERE u."id" = c."user_id";
            RETURN NULL; END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "user_teams_del"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" u SET "team_count" = u."team_count" - c.n
              FROM (SELECT "user_id", count(*) AS n FROM old_rows GROUP BY "user_id") c WHERE u."id" = c."user_id";
            RETURN NULL; END $$`);
    await q.query(`CREATE OR REPLACE FUNCTION "roles_rank_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "users" SET "role_rank" = NEW."rank" WHERE "role_id" = NEW."id"; RETURN NULL; END $$`);
    await q.query(`DROP TRIGGER "users_copy" ON "users"`);
    await q.query(`DROP FUNCTION "users_copy"()`);
    await q.query(`DROP TABLE "memberships"`);
    await q.query(`DROP FUNCTION "memberships_copy"()`);
    await q.query(`DROP TABLE "membership_counts"`);
    await q.query(`DROP FUNCTION "membership_counts_changed"()`);
    await q.query(`DROP FUNCTION "membership_counts_add"(jsonb)`);

    await q.query(`ALTER TABLE "two_factor_policy" DROP CONSTRAINT "PK_two_factor_policy"`);
    await q.query(`CREATE INDEX "two_factor_policy_organization" ON "two_factor_policy" ("organization_id")`);
    await q.query(`ALTER TABLE "two_factor_policy" ADD "id" smallint NOT NULL DEFAULT 1`);
    await q.query(`ALTER TABLE "two_factor_policy" ADD CONSTRAINT "PK_two_factor_policy" PRIMARY KEY ("id")`);
    await q.query(`ALTER TABLE "two_factor_policy" ADD CONSTRAINT "two_factor_policy_single" CHECK ("id" = 1)`);
    await q.query(`CREATE INDEX "teams_organization" ON "teams" ("organization_id")`);
    await q.query(`ALTER TABLE "teams" DROP CONSTRAINT "teams_organization_id"`);
    await q.query(`DROP INDEX "teams_name_lower_key"`);
    await q.query(`CREATE UNIQUE INDEX "teams_name_lower_key" ON "teams" (lower("name"))`);
    await q.query(`CREATE INDEX "roles_organization" ON "roles" ("organization_id")`);
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "roles_organization_id"`);
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "roles_organization_name"`);
    await q.query(`ALTER TABLE "roles" DROP CONSTRAINT "roles_organization_key"`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "UQ_a87cf0659c3ac379b339acf36a2" UNIQUE ("key")`);
    await q.query(`ALTER TABLE "roles" ADD CONSTRAINT "UQ_648e3f5447f725579d7d4ffdfb7" UNIQUE ("name")`);
  }
}
