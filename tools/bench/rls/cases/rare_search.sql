-- filteredPage, a rare term not counted yet (:pattern = '%<8 hex>%'): candidates through the trigram GIN.
WITH cand AS MATERIALIZED (SELECT m.user_id AS id, m.email AS k FROM memberships m
                            WHERE m.organization_id = :org AND m.email LIKE :pattern LIMIT 50001),
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
