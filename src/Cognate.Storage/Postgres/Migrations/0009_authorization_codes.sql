-- OAuth 2.0 authorization codes, the same table as Sqlite/Migrations/0009_authorization_codes.sql: only the SHA-256 of the
-- code, single use by one UPDATE … WHERE used = FALSE RETURNING, origin_jti of the tokens it is exchanged for (a replay
-- revokes them). BIGINT unix milliseconds (UTC); COLLATE "C" as the other key columns.
CREATE TABLE authorization_codes (
    code_hash      BYTEA   NOT NULL PRIMARY KEY,
    user_pool_id   TEXT COLLATE "C" NOT NULL,
    client_id      TEXT COLLATE "C" NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    username       TEXT COLLATE "C" NOT NULL,
    sub            TEXT    NOT NULL,
    redirect_uri   TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    origin_jti     TEXT    NOT NULL,
    auth_time      BIGINT  NOT NULL,
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    used           BOOLEAN NOT NULL DEFAULT FALSE,
    issued         BOOLEAN NOT NULL DEFAULT FALSE,
    replayed       BOOLEAN NOT NULL DEFAULT FALSE,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_authorization_codes_user ON authorization_codes (user_pool_id, username);
CREATE INDEX ix_authorization_codes_client ON authorization_codes (client_id);
CREATE INDEX ix_authorization_codes_expires ON authorization_codes (expires_at);

-- A refresh token of the hosted flow keeps the OAuth scopes it was granted (space separated), so a refresh grant mints
-- access tokens with the same scope (and an ID token only with openid). NULL for the user pools API's refresh tokens.
ALTER TABLE refresh_tokens ADD COLUMN oauth_scopes TEXT;
