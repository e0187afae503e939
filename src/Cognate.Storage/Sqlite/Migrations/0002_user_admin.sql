-- Cognate schema v2 (issue 3): ListUsers search keys, groups, sign-in lockout, auth events.
-- Timestamps are INTEGER unix milliseconds, UTC.

-- One row per searchable (attribute, value) of a user, maintained by SqliteUserStore in the same
-- transaction as the user row. Values are normalised by Cognate.Core.Users.UserSearchKeys
-- (lower-cased, except `status`). The primary key serves `=` and prefix range queries, sorted by value.
CREATE TABLE user_search (
    user_pool_id TEXT NOT NULL,
    attribute    TEXT NOT NULL,
    value        TEXT NOT NULL,
    username     TEXT NOT NULL,
    PRIMARY KEY (user_pool_id, attribute, value, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX ix_user_search_user ON user_search (user_pool_id, username);

-- Backfill for databases created by v1 (SQLite's lower() folds ASCII only; rows are rewritten on the next user write).
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'username', lower(username), username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'sub', lower(sub), username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'status', CASE enabled WHEN 0 THEN 'Disabled' ELSE 'Enabled' END, username FROM users;
INSERT INTO user_search (user_pool_id, attribute, value, username)
SELECT user_pool_id, 'cognito:user_status', lower(status), username FROM users;
INSERT OR IGNORE INTO user_search (user_pool_id, attribute, value, username)
SELECT u.user_pool_id, j.key, lower(j.value), u.username
FROM users u, json_each(u.attributes_json) j
WHERE j.key IN ('email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username') AND j.value <> '';

CREATE TABLE groups (
    user_pool_id TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    group_name   TEXT    NOT NULL,
    description  TEXT,
    role_arn     TEXT,
    precedence   INTEGER,
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, group_name)
);

CREATE TABLE user_groups (
    user_pool_id TEXT NOT NULL,
    group_name   TEXT NOT NULL,
    username     TEXT NOT NULL,
    PRIMARY KEY (user_pool_id, group_name, username),
    FOREIGN KEY (user_pool_id, group_name) REFERENCES groups (user_pool_id, group_name) ON DELETE CASCADE,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX ix_user_groups_user ON user_groups (user_pool_id, username, group_name);

-- Failed password attempts per user (reference §8.4), shared by every node using the database.
CREATE TABLE user_lockouts (
    user_pool_id    TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    failed_attempts INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Sign-in history for AdminListUserAuthEvents.
CREATE TABLE auth_events (
    user_pool_id       TEXT    NOT NULL,
    username           TEXT    NOT NULL,
    event_id           TEXT    NOT NULL PRIMARY KEY,
    event_type         TEXT    NOT NULL,
    event_response     TEXT    NOT NULL,
    challenge_name     TEXT,
    challenge_response TEXT,
    created_at         INTEGER NOT NULL,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_auth_events_user ON auth_events (user_pool_id, username, created_at, event_id);
