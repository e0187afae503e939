-- Per-user MFA state (issue 4), the same table as Sqlite/Migrations/0003_user_mfa.sql: enabled/preferred factors,
-- the verified TOTP secret, a pending TOTP secret and the last accepted TOTP time step, as one sealed JSON document
-- (ISecretSealer, associated data "mfa:" + poolId + "/" + username). The row goes with its user.
CREATE TABLE user_mfa (
    user_pool_id TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    data_sealed  BYTEA   NOT NULL,
    version      BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
