import { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables whose rows belong to one organization (each has `organization_id`). */
export const ORGANIZATION_TABLES = [
  'memberships',
  'membership_counts',
  'roles',
  'teams',
  'user_teams',
  'invitations',
  'api_tokens',
  'audit_events',
  'two_factor_policy',
  'sso_connections',
  'organization_domains',
] as const;

/** The role an organization's writes run as (cluster-wide, shared by every database of the server). */
export const TENANT_ROLE = 'roster_tenant';

/**
 * The second wall between organizations: row-level security. A transaction that writes one
 * organization's data runs as `roster_tenant` with `roster.organization_id` set for it alone; on every
 * organization table a policy lets that role see and write only rows of that organization, so a
 * statement that forgets `organization_id` touches nothing of another one, and an insert naming another
 * is refused. The connecting role owns the tables and is not restricted (no FORCE): platform work
 * (sign-in, principals, operators, the janitor, migrations) stays as it is.
 *
 * Trigger functions run as their owner (SECURITY DEFINER, with a fixed search path), so the copies and
 * counts they keep across organizations (a person's names on each of their memberships) stay whole
 * whichever role wrote.
 *
 * Where the connecting role may not create roles (some managed databases), the role and policies are
 * left out and the server says at start that the wall is off; the filters in every statement and the
 * composite foreign keys still hold.
 */
export class RowLevelSecurity1765000700000 implements MigrationInterface {
  name = 'RowLevelSecurity1765000700000';

  public async up(q: QueryRunner): Promise<void> {
    const schema = await schemaOf(q);
    await q.query(ROLE_READY_FUNCTION);
    const [{ usable }]: { usable: boolean }[] = await q.query(`SELECT roster_tenant_role_ready() AS usable`);
    await q.query(`DROP FUNCTION roster_tenant_role_ready()`);
    for (const fn of TRIGGER_FUNCTIONS) {
      await q.query(`ALTER FUNCTION ${fn}() SECURITY DEFINER SET search_path = ${schema}, pg_temp`);
    }
    if (!usable) return;
    await q.query(`GRANT USAGE ON SCHEMA ${schema} TO ${TENANT_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${TENANT_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${TENANT_ROLE}`);
    // Tables of later migrations (created by the same role) get the same grants.
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${TENANT_ROLE}`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${TENANT_ROLE}`);
    for (const table of ORGANIZATION_TABLES) {
      await q.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY "organization" ON "${table}" TO ${TENANT_ROLE}
        USING ("organization_id" = current_setting('roster.organization_id')::uuid)
        WITH CHECK ("organization_id" = current_setting('roster.organization_id')::uuid)`);
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of ORGANIZATION_TABLES) {
      await q.query(`DROP POLICY IF EXISTS "organization" ON "${table}"`);
      await q.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    const [{ exists }]: { exists: boolean }[] = await q.query(`SELECT to_regrole('${TENANT_ROLE}') IS NOT NULL AS exists`);
    if (exists) {
      const schema = await schemaOf(q);
      await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON SEQUENCES FROM ${TENANT_ROLE}`);
      await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} REVOKE ALL ON TABLES FROM ${TENANT_ROLE}`);
      await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${TENANT_ROLE}`);
      await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${TENANT_ROLE}`);
      await q.query(`REVOKE ALL ON SCHEMA ${schema} FROM ${TENANT_ROLE}`);
      // The role itself stays: it belongs to the server, and other databases on it may use it.
    }
    for (const fn of TRIGGER_FUNCTIONS) {
      await q.query(`ALTER FUNCTION ${fn}() SECURITY INVOKER RESET search_path`);
    }
  }
}

/** Every trigger function (plpgsql, no arguments) at this migration. */
const TRIGGER_FUNCTIONS = [
  'roster_notify_user',
  'roster_notify_all',
  'roster_notify_people_added',
  'roster_notify_organization',
  'roster_notify_sso',
  'memberships_copy',
  'users_copy',
  'roles_rank_changed',
  'user_teams_ins',
  'user_teams_del',
  'membership_counts_changed',
];

async function schemaOf(q: QueryRunner): Promise<string> {
  const [{ schema }]: { schema: string }[] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
  return schema;
}

/**
 * Creates `roster_tenant` if the server has none and makes the connecting role able to switch to it;
 * true when it can. A role without CREATEROLE (and no role made for it) gets false: the wall stays off.
 */
const ROLE_READY_FUNCTION = `
CREATE OR REPLACE FUNCTION roster_tenant_role_ready() RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
  IF to_regrole('${TENANT_ROLE}') IS NULL THEN
    BEGIN
      CREATE ROLE ${TENANT_ROLE} NOLOGIN;
    EXCEPTION WHEN insufficient_privilege THEN
      RETURN false;
    WHEN duplicate_object OR unique_violation THEN
      NULL; -- another database of the server made it at the same moment
    END;
  END IF;
  IF NOT pg_has_role(current_user, '${TENANT_ROLE}', 'MEMBER') THEN
    BEGIN
      EXECUTE format('GRANT ${TENANT_ROLE} TO %I', current_user);
    EXCEPTION WHEN insufficient_privilege THEN
      RETURN false;
    END;
  END IF;
  RETURN true;
END
$fn$`;
