-- denseWalkPage: a common term (:pattern = '%@acme7.%', 5 % of people), EMAIL ASC: a bounded index-only
-- walk of the org's emails keeps the matches, then the page's rows are loaded.
SELECT @COLUMNS@
  FROM memberships m
 WHERE m.organization_id = :org
   AND m.email IN (SELECT w2.email FROM (SELECT w.email FROM memberships w WHERE w.organization_id = :org
                                          ORDER BY w.email ASC LIMIT 200000) w2
                    WHERE w2.email LIKE :pattern ORDER BY w2.email ASC LIMIT 51)
 ORDER BY m.email ASC;
