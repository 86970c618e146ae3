m.user_id AS id, m.email, m.first_name, m.last_name, m.status, m.role_id,
       COALESCE((SELECT tf.enabled_at IS NOT NULL FROM totp_secrets tf WHERE tf.user_id = m.user_id), false) AS two_factor_enabled,
       m.last_sign_in_at, m.joined_at AS created_at,
       (SELECT i.expires_at FROM invitations i WHERE i.organization_id = m.organization_id AND i.user_id = m.user_id) AS invitation_expires_at,
       COALESCE((SELECT json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name)
                   FROM user_teams ut JOIN teams t ON t.id = ut.team_id
                  WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id), '[]'::json) AS teams,
       CASE WHEN m.status = 'INVITED' THEN (SELECT o.status FROM email_outbox o WHERE o.user_id = m.user_id
         AND o.organization_id = m.organization_id AND o.kind = 'invitation' ORDER BY o.created_at DESC LIMIT 1) END AS invitation_email_status
