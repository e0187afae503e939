-- The same changes as Sqlite/Migrations/0018_client_secrets_sessions.sql.
-- Client secrets for rotation (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret): Cognito
-- allows two secrets per app client. secret_sealed stays the first secret; secret_created_at is its creation time (unix
-- milliseconds, UTC; NULL = the client's created_at, the secret made with the client). secret2_sealed is the second secret,
-- sealed with the associated data "client-secret-2:" + client_id, created at secret2_created_at. Its ClientSecretId is
-- "{client_id}--{created_at in ms}".
ALTER TABLE app_clients ADD COLUMN secret_created_at BIGINT;
ALTER TABLE app_clients ADD COLUMN secret2_sealed BYTEA;
ALTER TABLE app_clients ADD COLUMN secret2_created_at BIGINT;

-- Session configuration (SetUserPoolSessionConfiguration, SetUserPoolClientSessionConfiguration). A pool or client
-- without a row has Cognito's defaults (tracking DISABLED, MaxPerUser 20; SSO MaxValidityMinutes 60).
CREATE TABLE user_pool_session_configs (
    user_pool_id          TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES user_pools (id) ON DELETE CASCADE,
    user_session_tracking TEXT COLLATE "C" NOT NULL,
    max_per_user          BIGINT NOT NULL,
    modified_at           BIGINT NOT NULL
);

CREATE TABLE app_client_session_configs (
    client_id                TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES app_clients (client_id) ON DELETE CASCADE,
    user_pool_id             TEXT COLLATE "C" NOT NULL,
    sso_max_validity_minutes BIGINT NOT NULL,
    modified_at              BIGINT NOT NULL
);

-- A token session is a refresh-token family (every token of one sign-in); last_used_at (unix ms) is the last refresh of
-- the row, NULL until its first refresh. The session's LastActiveDate is the newest of its rows' auth_time/last_used_at.
ALTER TABLE refresh_tokens ADD COLUMN last_used_at BIGINT;
