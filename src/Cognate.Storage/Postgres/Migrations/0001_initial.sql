-- Cognate schema v1 (PostgreSQL), the same tables as Sqlite/Migrations/0001_initial.sql.
-- Timestamps are BIGINT unix milliseconds, UTC (as on SQLite, so both providers share the row mapping).
-- Booleans are BOOLEAN. Secret columns (*_sealed) hold ISecretSealer output, never plaintext.
-- Identifiers that are ordered for pagination use COLLATE "C" (byte order, like SQLite's BINARY), so
-- NextToken/PaginationToken order does not depend on the database's locale.
-- `seq` columns (identity) replace SQLite's implicit rowid where insertion order is a tie-breaker.

CREATE TABLE user_pools (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    region       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    modified_at  BIGINT  NOT NULL,
    version      BIGINT  NOT NULL,
    config_json  TEXT    NOT NULL
);

CREATE TABLE app_clients (
    client_id     TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id  TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    secret_sealed BYTEA,
    created_at    BIGINT  NOT NULL,
    modified_at   BIGINT  NOT NULL,
    version       BIGINT  NOT NULL,
    config_json   TEXT    NOT NULL
);
CREATE INDEX ix_app_clients_pool ON app_clients (user_pool_id, client_id);

CREATE TABLE users (
    user_pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    username        TEXT COLLATE "C" NOT NULL,
    sub             TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    enabled         BOOLEAN NOT NULL,
    created_at      BIGINT  NOT NULL,
    modified_at     BIGINT  NOT NULL,
    attributes_json TEXT    NOT NULL,
    password_sealed BYTEA,
    password_set_at BIGINT,
    version         BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, username)
);
CREATE UNIQUE INDEX ux_users_pool_sub ON users (user_pool_id, sub);

CREATE TABLE user_identifiers (
    user_pool_id TEXT COLLATE "C" NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_pool_id, kind, value),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_user_identifiers_user ON user_identifiers (user_pool_id, username);

CREATE TABLE codes (
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    purpose         TEXT    NOT NULL,
    code_hash       BYTEA   NOT NULL,
    expires_at      BIGINT  NOT NULL,
    failed_attempts BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pool_id, username, purpose),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

CREATE TABLE refresh_tokens (
    token_hash   BYTEA   NOT NULL PRIMARY KEY,
    user_pool_id TEXT COLLATE "C" NOT NULL,
    client_id    TEXT COLLATE "C" NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    username     TEXT COLLATE "C" NOT NULL,
    origin_jti   TEXT    NOT NULL UNIQUE,
    auth_time    BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_pool_id, username);
CREATE INDEX ix_refresh_tokens_client ON refresh_tokens (client_id);

CREATE TABLE signing_keys (
    kid            TEXT    NOT NULL PRIMARY KEY,
    user_pool_id   TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    use            TEXT    NOT NULL,
    private_sealed BYTEA   NOT NULL,
    created_at     BIGINT  NOT NULL,
    active         BOOLEAN NOT NULL,
    seq            BIGINT  GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ix_signing_keys_pool ON signing_keys (user_pool_id, created_at);

-- No foreign key to users: a session may outlive or precede its user row; user deletes remove them explicitly.
CREATE TABLE auth_sessions (
    session_hash   BYTEA   NOT NULL PRIMARY KEY,
    user_pool_id   TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id      TEXT COLLATE "C" NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    username       TEXT COLLATE "C" NOT NULL,
    challenge_name TEXT    NOT NULL,
    data           TEXT    NOT NULL,
    expires_at     BIGINT  NOT NULL
);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_pool_id, username);
CREATE INDEX ix_auth_sessions_client ON auth_sessions (client_id);
CREATE INDEX ix_auth_sessions_expires ON auth_sessions (expires_at);

-- No foreign key: the outbox is a log; pool deletes remove its messages explicitly.
CREATE TABLE outbox (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_pool_id TEXT COLLATE "C" NOT NULL,
    to_address   TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    code         TEXT,
    sent_at      BIGINT  NOT NULL,
    seq          BIGINT  GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ix_outbox_sent_at ON outbox (sent_at);
CREATE INDEX ix_outbox_to ON outbox (to_address, sent_at);
CREATE INDEX ix_outbox_pool ON outbox (user_pool_id);
