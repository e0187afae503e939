-- Cognate schema v2 (PostgreSQL, issue 3), the same tables as Sqlite/Migrations/0002_user_admin.sql:
-- ListUsers search keys, groups, sign-in lockout, auth events. Conventions as in 0001: BIGINT unix milliseconds (UTC),
-- COLLATE "C" (byte order) for every text column used in ordering, paging or range queries.

-- One row per searchable (attribute, value) of a user, maintained by PostgresUserStore in the same transaction as
-- the user row. Values are normalised by Cognate.Core.Users.UserSearchKeys (lower-cased, except `status`).
-- The primary key serves the ListUsers `=` (equality) and `^=` (range value >= p AND value < p || U+10FFFF)
-- queries, already in (value, username) order, with (value, username) > cursor as the seek start.
CREATE TABLE user_search (
    user_pool_id TEXT COLLATE "C" NOT NULL,
    attribute    TEXT COLLATE "C" NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_pool_id, attribute, value, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_user_search_user ON user_search (user_pool_id, username);

-- Backfill for databases created by v1 (lower() of a COLLATE "C" value folds ASCII only; rows are rewritten with
-- UserSearchKeys on the next write of the user).
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'username', lower(username), username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'sub', lower(sub COLLATE "C"), username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'status', CASE WHEN enabled THEN 'Enabled' ELSE 'Disabled' END, username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'cognito:user_status', lower(status COLLATE "C"), username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT u.user_pool_id, j.key, lower(j.value COLLATE "C"), u.username
FROM users u, json_each_text(u.attributes_json::json) j
WHERE j.key IN ('email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username') AND j.value <> ''
ON CONFLICT DO NOTHING;

CREATE TABLE groups (
    user_pool_id TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    group_name   TEXT COLLATE "C" NOT NULL,
    description  TEXT,
    role_arn     TEXT,
    precedence   BIGINT,
    created_at   BIGINT NOT NULL,
    modified_at  BIGINT NOT NULL,
    PRIMARY KEY (user_pool_id, group_name)
);

CREATE TABLE user_groups (
    user_pool_id TEXT COLLATE "C" NOT NULL,
    group_name   TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_pool_id, group_name, username),
    FOREIGN KEY (user_pool_id, group_name) REFERENCES groups (user_pool_id, group_name) ON DELETE CASCADE,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_user_groups_user ON user_groups (user_pool_id, username, group_name);

-- Failed password attempts per user (reference §8.4), shared by every node using the database; counted by an
-- atomic INSERT … ON CONFLICT … RETURNING in PostgresLockoutStore.
CREATE TABLE user_lockouts (
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    failed_attempts BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Sign-in history for AdminListUserAuthEvents, paged newest first by (created_at, event_id).
CREATE TABLE auth_events (
    user_pool_id       TEXT COLLATE "C" NOT NULL,
    username           TEXT COLLATE "C" NOT NULL,
    event_id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    event_type         TEXT   NOT NULL,
    event_response     TEXT   NOT NULL,
    challenge_name     TEXT,
    challenge_response TEXT,
    created_at         BIGINT NOT NULL,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_auth_events_user ON auth_events (user_pool_id, username, created_at, event_id);
