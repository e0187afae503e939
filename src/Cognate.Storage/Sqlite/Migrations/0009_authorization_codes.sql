-- OAuth 2.0 authorization codes of /oauth2/authorize (issue 13; RFC 6749 §4.1.2, reference §9.2). Only the SHA-256 of the
-- code is stored. A code is single use: redeeming is one UPDATE … SET used = 1 … WHERE used = 0 RETURNING (SqlAuthorizationCodeStore).
-- origin_jti is chosen when the code is issued and becomes the origin_jti of the tokens the code is exchanged for, so a
-- replayed code revokes them (replayed / issued close the race between a replay and the first exchange). Timestamps are
-- INTEGER unix milliseconds, UTC. Gone with the pool, the client or the user (foreign keys); expired rows are swept.
CREATE TABLE authorization_codes (
    code_hash      BLOB    NOT NULL PRIMARY KEY,
    user_pool_id   TEXT    NOT NULL,
    client_id      TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    username       TEXT    NOT NULL,
    sub            TEXT    NOT NULL,
    redirect_uri   TEXT    NOT NULL,
    scopes         TEXT    NOT NULL,
    nonce          TEXT,
    code_challenge TEXT,
    origin_jti     TEXT    NOT NULL,
    auth_time      INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    used           INTEGER NOT NULL DEFAULT 0,
    issued         INTEGER NOT NULL DEFAULT 0,
    replayed       INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_authorization_codes_user ON authorization_codes (user_pool_id, username);
CREATE INDEX ix_authorization_codes_client ON authorization_codes (client_id);
CREATE INDEX ix_authorization_codes_expires ON authorization_codes (expires_at);

-- A refresh token of the hosted flow keeps the OAuth scopes it was granted (space separated), so a refresh grant mints
-- access tokens with the same scope (and an ID token only with openid). NULL for the user pools API's refresh tokens.
ALTER TABLE refresh_tokens ADD COLUMN oauth_scopes TEXT;
