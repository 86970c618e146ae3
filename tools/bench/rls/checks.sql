-- The claims of §4 the bench relies on (run after rls.sql; each line says what it shows).
\set big '''d448b959-3670-3db7-d092-3122172fb13c'''
\set small '''042aec8b-8d22-ba46-cd42-8a16b50f640b'''
-- 1. A superuser bypasses RLS, even with FORCE (scratch table, so memberships is not altered).
CREATE TEMP TABLE forced (organization_id uuid);
INSERT INTO forced VALUES (:big), (:small);
ALTER TABLE forced ENABLE ROW LEVEL SECURITY; ALTER TABLE forced FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON forced USING (organization_id = current_setting('roster.organization_id')::uuid);
BEGIN; SET LOCAL roster.organization_id = :small;
SELECT current_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       count(*) AS forced_rows_seen_expect_2 FROM forced;
COMMIT;
-- 2. roster_tenant sees its organization only; the owner (no FORCE) sees everything.
BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = :small;
SELECT current_user, count(*) AS memberships_seen, count(*) = (SELECT total FROM membership_counts) AS its_own_only FROM memberships;
SELECT count(*) AS big_org_rows_named_explicitly_expect_0 FROM memberships WHERE organization_id = :big;
COMMIT;
SELECT count(*) AS owner_sees_all_expect_1000000 FROM memberships;
-- 3. Forgetting the context is loud: no setting in the transaction → an error, not every row
--    ("invalid input syntax for type uuid" on a reused connection, "unrecognized configuration parameter" on a new one).
BEGIN; SET LOCAL ROLE roster_tenant;
\set ON_ERROR_STOP 0
SELECT count(*) FROM memberships;
\set ON_ERROR_STOP 1
ROLLBACK;
-- 4. The SECURITY DEFINER search works under roster_tenant, and the rows it names are still filtered by
--    the policy: the big org's candidate is found, but loading it in the small org's context yields nothing.
BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = :big;
SELECT current_user, m.email FROM roster_search_candidates(:big, '%f1887d3f%', 50001) c(id)
  JOIN memberships m ON m.user_id = c.id;
COMMIT;
BEGIN; SET LOCAL ROLE roster_tenant; SET LOCAL roster.organization_id = :small;
SELECT count(*) AS other_orgs_candidates_loaded_expect_0 FROM roster_search_candidates(:big, '%f1887d3f%', 50001) c(id)
  JOIN memberships m ON m.user_id = c.id;
COMMIT;
