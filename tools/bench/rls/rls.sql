-- The second wall of §4: a tenant role, policies on the org tables, and the definer search function.
-- Idempotent; run after seed.sql.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roster_tenant') THEN CREATE ROLE roster_tenant NOLOGIN; END IF;
END $$;
GRANT roster_tenant TO CURRENT_USER;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO roster_tenant;

DO $$ DECLARE t text; BEGIN
  FOREACH t IN ARRAY ARRAY['memberships','membership_counts','roles','teams','user_teams','invitations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('DROP POLICY IF EXISTS tenant ON %I', t);
    EXECUTE format($p$CREATE POLICY tenant ON %I TO roster_tenant
      USING (organization_id = current_setting('roster.organization_id')::uuid)
      WITH CHECK (organization_id = current_setting('roster.organization_id')::uuid)$p$, t);
  END LOOP;
END $$;

-- The trigram candidate step, the one non-leakproof index condition: runs as the owner (RLS does not
-- apply to it), filters the organization itself, plans per call (EXECUTE). ROWS 100: with the default
-- estimate (1000 rows) the caller's plan hash-joins the candidates with all of the big org's 500k
-- memberships (0.7 s) instead of probing the primary key once per candidate.
CREATE OR REPLACE FUNCTION roster_search_candidates(org uuid, pattern text, lim int)
RETURNS SETOF uuid LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 100 SET search_path = public AS $f$
BEGIN
  RETURN QUERY EXECUTE 'SELECT user_id FROM memberships WHERE organization_id = $1 AND email LIKE $2 LIMIT $3'
    USING org, pattern, lim;
END $f$;
REVOKE ALL ON FUNCTION roster_search_candidates(uuid, text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION roster_search_candidates(uuid, text, int) TO roster_tenant;
