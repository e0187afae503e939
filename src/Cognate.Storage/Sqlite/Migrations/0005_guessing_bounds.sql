-- Cognate schema v5 (issue 12): guessing bounds. Timestamps are INTEGER unix milliseconds, UTC.

-- Per-user, per-purpose code quotas (CodeService): sends and code comparisons in the current window (1 h from
-- window_start). A new code (codes row replaced) does not touch this row, so re-issuing never restores the guess budget.
CREATE TABLE code_limits (
    user_pool_id TEXT    NOT NULL,
    username     TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    sends        INTEGER NOT NULL DEFAULT 0,
    guesses      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pool_id, username, purpose),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Failed second factors per user (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA, passwordless EMAIL_OTP / SMS_OTP), with the
-- same shape and rules as user_lockouts but a counter of its own, so a correct password never resets it.
CREATE TABLE second_factor_lockouts (
    user_pool_id    TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    failed_attempts INTEGER NOT NULL,
    last_failure_at INTEGER NOT NULL,
    locked_until    INTEGER,
    pending         INTEGER NOT NULL DEFAULT 0,
    pending_until   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Checks in flight (LockoutService reserves a slot before verifying a password, so a burst of concurrent requests cannot
-- verify more passwords than the count allows). A slot is a lease: once pending_until passes, a crashed node's slots are free.
ALTER TABLE user_lockouts ADD COLUMN pending       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE user_lockouts ADD COLUMN pending_until INTEGER NOT NULL DEFAULT 0;

-- Comparisons in flight against a code (CodeService reserves one before comparing): failed_attempts + pending stays below
-- the per-code limit, so a burst of concurrent guesses compares no more than the limit. pending_until is the lease.
ALTER TABLE codes ADD COLUMN pending       INTEGER NOT NULL DEFAULT 0;
ALTER TABLE codes ADD COLUMN pending_until INTEGER NOT NULL DEFAULT 0;
