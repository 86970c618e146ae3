-- rare_search with the candidates from roster_search_candidates (SECURITY DEFINER, rls.sql), as §4 proposes.
-- The candidates' keys are read under the policy, one primary-key probe each (a LATERAL with LIMIT 1, which
-- the planner cannot flatten: written as "user_id IN (SELECT roster_search_candidates(...))" or as a plain
-- join, the plan hash-joins the candidates with all of the big org's 500k rows, 0.3-0.7 s).
WITH cand AS MATERIALIZED (SELECT m.user_id AS id, m.email AS k
                             FROM roster_search_candidates(:org, :pattern, 50001) c(id),
                                  LATERAL (SELECT m.user_id, m.email FROM memberships m
                                            WHERE m.organization_id = :org AND m.user_id = c.id LIMIT 1) m),
     counted AS (SELECT count(*) AS n FROM cand),
     few AS (SELECT n <= 50000 AS yes, n FROM counted),
     top AS (SELECT id FROM cand WHERE (SELECT yes FROM few) ORDER BY k ASC, id ASC LIMIT 51)
SELECT * FROM (
  (SELECT @COLUMNS@, (SELECT n FROM few) AS total_count FROM memberships m
    WHERE (SELECT yes FROM few) AND m.organization_id = :org AND m.user_id IN (SELECT id FROM top))
  UNION ALL
  (SELECT @COLUMNS@, (SELECT count(*) FROM (SELECT 1 FROM memberships c WHERE c.organization_id = :org
                                              AND c.email LIKE :pattern LIMIT 50001) c) AS total_count
     FROM memberships m WHERE NOT (SELECT yes FROM few) AND m.organization_id = :org AND m.email LIKE :pattern
    ORDER BY m.email ASC LIMIT 51)
) page ORDER BY email ASC, id ASC;
