-- unfilteredPage, LAST_NAME ASC, after a (last name, id) cursor (250k deep in the big org).
SELECT @COLUMNS@, m.last_name AS sort_key
  FROM memberships m WHERE m.organization_id = :org AND (m.last_name, m.user_id) > (:cursor_name::text, :cursor_id::uuid)
 ORDER BY m.last_name ASC, m.user_id ASC LIMIT 51;
