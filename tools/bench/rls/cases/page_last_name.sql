-- unfilteredPage, LAST_NAME ASC, first page of 50 with the total (prepared in the API).
SELECT @COLUMNS@, m.last_name AS sort_key,
       (SELECT total FROM membership_counts WHERE organization_id = :org) AS total_count
  FROM memberships m WHERE m.organization_id = :org ORDER BY m.last_name ASC, m.user_id ASC LIMIT 51;
