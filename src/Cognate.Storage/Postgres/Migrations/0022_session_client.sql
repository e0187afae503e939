-- User sessions (ListUserSessions, AdminListUserSessions): each refresh-token row keeps the client of the request that wrote
-- it — the sign-in or rotation that issued it, then its latest refresh: last_ip_address (the client IP as text, at most 128
-- characters: ContextData.IpAddress on the admin sign-in actions, else the connection's remote address) and device_type
-- (derived from the User-Agent, Cognate.Core.Sessions.UserAgentDevice). A session's LastIPAddress and DeviceType are those of
-- its most recently active row. NULL on rows written before, and on tokens issued outside an HTTP request.
ALTER TABLE refresh_tokens ADD COLUMN last_ip_address TEXT;
ALTER TABLE refresh_tokens ADD COLUMN device_type TEXT;

-- SSO sessions: the managed-login session of one signed-in browser in a pool with session tracking ENABLED (listed with
-- SessionType SSO, revoked by RevokeUserSession / AdminRevokeUserSession and by /logout). session_id is the SessionId
-- ("sso" + 25 of [a-z2-7]), also sealed in the browser's session cookie: a cookie whose row is revoked or expired no longer
-- signs the browser in. client_id is the app client the user signed in through; times are unix ms, UTC; created_at is the
-- fresh authentication that each client's SSOSession.MaxValidityMinutes is measured from.
CREATE TABLE sso_sessions (
    session_id      TEXT    NOT NULL PRIMARY KEY,
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    client_id       TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    created_at      BIGINT NOT NULL,
    last_active_at  BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    revoked         BOOLEAN NOT NULL DEFAULT FALSE,
    last_ip_address TEXT,
    device_type     TEXT,
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX ix_sso_sessions_user ON sso_sessions (user_pool_id, username);
CREATE INDEX ix_sso_sessions_expires ON sso_sessions (expires_at); -- the sweeper deletes expired rows

-- A token session's OriginSessionId: the SSO session whose authorization code (or implicit grant) issued the family.
ALTER TABLE refresh_tokens ADD COLUMN origin_session_id TEXT;
ALTER TABLE authorization_codes ADD COLUMN origin_session_id TEXT;
