-- unfilteredPage, EMAIL ASC, the page after a cursor (:cursor_email; 250k deep in the big org).
SELECT @COLUMNS@
  FROM memberships m WHERE m.organization_id = :org AND m.email > :cursor_email::text ORDER BY m.email ASC LIMIT 51;
