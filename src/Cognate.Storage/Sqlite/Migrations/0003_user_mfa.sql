-- Per-user MFA state (issue 4): enabled/preferred factors, the verified TOTP secret, a pending
-- (associated, not yet verified) TOTP secret and the last accepted TOTP time step. All of it is one
-- sealed JSON document (ISecretSealer, associated data "mfa:" + poolId + "/" + username).
CREATE TABLE user_mfa (
    user_pool_id TEXT    NOT NULL,
    username     TEXT    NOT NULL,
    data_sealed  BLOB    NOT NULL,
    version      INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
