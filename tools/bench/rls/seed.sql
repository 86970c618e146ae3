-- Row-level security bench: the organizations shape of docs/design/organizations.md §1, at scale.
-- 10,000 organizations; 1M people; 1M memberships: organization 1 has 500k members (people 1..500000),
-- the other 9,999 share people 500001..1000000 (~50 each). Ids are md5-derived (deterministic), so the
-- cases can name the big org (md5('org1')::uuid) and a small one (md5('org2')::uuid).
-- Only what the users page reads. Run: psql -v ON_ERROR_STOP=1 -d rls_bench -f seed.sql (run.sh does).
\timing on
SET maintenance_work_mem = '256MB';
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE TABLE organizations (
  id uuid PRIMARY KEY, slug text UNIQUE, name text NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'ACTIVE', created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO organizations (id, slug, name)
  SELECT md5('org' || o)::uuid, 'org-' || o, 'Organization ' || o FROM generate_series(1, 10000) o;

-- People (person table: no RLS).
CREATE TABLE users (
  id uuid PRIMARY KEY, email text NOT NULL UNIQUE, first_name text NOT NULL, last_name text NOT NULL,
  status varchar(16) NOT NULL, password_hash text, language text NOT NULL DEFAULT 'en',
  operator boolean NOT NULL DEFAULT false, last_organization_id uuid, created_at timestamptz NOT NULL DEFAULT now());
-- Email: <first>.<8 hex of md5(n)>.<n>@acme<n % 20>.example; a rare term is one person's 8 hex,
-- a common one '@acme7.' (5 % of everyone).
INSERT INTO users (id, email, first_name, last_name, status, password_hash)
  SELECT md5('user' || n)::uuid,
         lower(f) || '.' || substr(md5(n::text), 1, 8) || '.' || n || '@acme' || (n % 20) || '.example',
         f, initcap(substr(md5('ln' || (n % 20011)), 1, 7)),
         CASE WHEN n % 50 = 0 THEN 'INVITED' ELSE 'ACTIVE' END, 'x'
    FROM generate_series(1, 1000000) n,
         LATERAL (SELECT (ARRAY['Ada','Bob','Cleo','Dan','Eve','Finn','Gus','Hana','Ivo','Jo','Kim','Lea',
                               'Max','Nia','Oto','Pia','Quin','Rob','Sue','Tom'])[n % 20 + 1] AS f) names;

CREATE TABLE roles (
  id uuid PRIMARY KEY, organization_id uuid NOT NULL REFERENCES organizations ON DELETE CASCADE,
  key text NOT NULL, name text NOT NULL, permissions text[] NOT NULL, rank integer NOT NULL,
  require_two_factor boolean NOT NULL DEFAULT false,
  UNIQUE (organization_id, key), UNIQUE (organization_id, name), UNIQUE (organization_id, id));
INSERT INTO roles (id, organization_id, key, name, permissions, rank)
  SELECT md5('role' || o || '-' || k)::uuid, md5('org' || o)::uuid,
         (ARRAY['ADMIN','MANAGER','MEMBER','VIEWER'])[k], (ARRAY['Admin','Manager','Member','Viewer'])[k],
         ARRAY['users:read'], 10 * k
    FROM generate_series(1, 10000) o, generate_series(1, 4) k;

-- Memberships with the copies of the person (email, names, rank, team count), as §1.
CREATE TABLE memberships (
  organization_id uuid NOT NULL REFERENCES organizations ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
  role_id uuid NOT NULL,
  status varchar(16) NOT NULL CHECK (status IN ('INVITED','ACTIVE','DEACTIVATED')),
  joined_at timestamptz NOT NULL DEFAULT now(), last_sign_in_at timestamptz,
  email text NOT NULL, first_name text NOT NULL DEFAULT '', last_name text NOT NULL DEFAULT '',
  role_rank integer NOT NULL DEFAULT 0, team_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (organization_id, user_id),
  FOREIGN KEY (organization_id, role_id) REFERENCES roles (organization_id, id));
INSERT INTO memberships (organization_id, user_id, role_id, status, joined_at, last_sign_in_at,
                         email, first_name, last_name, role_rank)
  SELECT md5('org' || o)::uuid, u.id, md5('role' || o || '-' || k)::uuid,
         CASE WHEN n % 50 = 0 THEN 'INVITED' WHEN n % 37 = 0 THEN 'DEACTIVATED' ELSE 'ACTIVE' END,
         now() - n * interval '1 minute',
         CASE WHEN n % 50 = 0 THEN NULL ELSE now() - (n % 100000) * interval '1 minute' END,
         u.email, u.first_name, u.last_name, 10 * k
    FROM generate_series(1, 1000000) n
    JOIN users u ON u.id = md5('user' || n)::uuid,
         LATERAL (SELECT CASE WHEN n <= 500000 THEN 1 ELSE 2 + (n - 500001) % 9999 END AS o, n % 4 + 1 AS k) x;

CREATE TABLE membership_counts (organization_id uuid PRIMARY KEY REFERENCES organizations ON DELETE CASCADE,
  total bigint NOT NULL DEFAULT 0, invited bigint NOT NULL DEFAULT 0);
INSERT INTO membership_counts
  SELECT organization_id, count(*), count(*) FILTER (WHERE status = 'INVITED') FROM memberships GROUP BY 1;

-- Teams: 200 in the big org, 2 in each small one; a fifth of the big org and a third of the rest in one.
CREATE TABLE teams (
  id uuid PRIMARY KEY, organization_id uuid NOT NULL REFERENCES organizations ON DELETE CASCADE,
  name text NOT NULL, UNIQUE (organization_id, id));
CREATE UNIQUE INDEX teams_name ON teams (organization_id, lower(name));
INSERT INTO teams SELECT md5('team1-' || t)::uuid, md5('org1')::uuid, 'Team ' || t FROM generate_series(1, 200) t;
INSERT INTO teams SELECT md5('team' || o || '-' || t)::uuid, md5('org' || o)::uuid, 'Team ' || t
  FROM generate_series(2, 10000) o, generate_series(1, 2) t;
CREATE TABLE user_teams (
  organization_id uuid NOT NULL, user_id uuid NOT NULL, team_id uuid NOT NULL,
  PRIMARY KEY (organization_id, user_id, team_id),
  FOREIGN KEY (organization_id, user_id) REFERENCES memberships ON DELETE CASCADE,
  FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE CASCADE);
INSERT INTO user_teams
  SELECT md5('org1')::uuid, md5('user' || n)::uuid, md5('team1-' || (n % 200 + 1))::uuid
    FROM generate_series(5, 500000, 5) n;
INSERT INTO user_teams
  SELECT md5('org' || o)::uuid, md5('user' || n)::uuid, md5('team' || o || '-1')::uuid
    FROM generate_series(500001, 1000000) n, LATERAL (SELECT 2 + (n - 500001) % 9999 AS o) x WHERE n % 3 = 0;
CREATE INDEX user_teams_team ON user_teams (team_id);
UPDATE memberships m SET team_count = 1 FROM user_teams ut
 WHERE ut.organization_id = m.organization_id AND ut.user_id = m.user_id;

-- Invitations (org table) and their emails (person table tagged with the org), for invited members.
CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), organization_id uuid NOT NULL, user_id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE, expires_at timestamptz NOT NULL,
  UNIQUE (organization_id, user_id), FOREIGN KEY (organization_id, user_id) REFERENCES memberships ON DELETE CASCADE);
INSERT INTO invitations (organization_id, user_id, token_hash, expires_at)
  SELECT organization_id, user_id, md5(user_id::text), now() + interval '7 days' FROM memberships WHERE status = 'INVITED';
CREATE TABLE email_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(), user_id uuid NOT NULL, organization_id uuid,
  kind text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO email_outbox (user_id, organization_id, kind, status)
  SELECT user_id, organization_id, 'invitation', 'SENT' FROM memberships WHERE status = 'INVITED';
CREATE INDEX email_outbox_user ON email_outbox (user_id, organization_id, created_at);

-- Two-factor (person table): 3 % of people.
CREATE TABLE totp_secrets (user_id uuid PRIMARY KEY REFERENCES users ON DELETE CASCADE,
  secret_sealed text NOT NULL, enabled_at timestamptz);
INSERT INTO totp_secrets SELECT md5('user' || n)::uuid, 'sealed', now() FROM generate_series(33, 1000000, 33) n;

-- The users page indexes of §1.
CREATE INDEX memberships_user ON memberships (user_id);
CREATE INDEX memberships_role ON memberships (role_id);
CREATE UNIQUE INDEX memberships_email ON memberships (organization_id, email);
CREATE INDEX memberships_first_name_sort ON memberships (organization_id, first_name, user_id);
CREATE INDEX memberships_last_name_sort  ON memberships (organization_id, last_name, user_id);
CREATE INDEX memberships_last_sign_in_sort ON memberships (organization_id, (COALESCE(last_sign_in_at, '-infinity'::timestamptz)), user_id);
CREATE INDEX memberships_role_rank_sort ON memberships (organization_id, role_rank, user_id);
CREATE INDEX memberships_team_count_sort ON memberships (organization_id, team_count, user_id);
CREATE INDEX memberships_status_sort ON memberships (organization_id, status, email);
CREATE INDEX memberships_email_trgm ON memberships USING gin (organization_id, email gin_trgm_ops);

VACUUM ANALYZE;
