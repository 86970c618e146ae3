-- unfilteredPage, EMAIL ASC, first page of 50, total from the counts table (prepared in the API).
SELECT @COLUMNS@,
       (SELECT total FROM membership_counts WHERE organization_id = :org) AS total_count
  FROM memberships m WHERE m.organization_id = :org ORDER BY m.email ASC LIMIT 51;
