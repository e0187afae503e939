-- Cognate schema v5 (issue 12): guessing bounds, as Sqlite/Migrations/0005_guessing_bounds.sql. Timestamps are BIGINT
-- unix milliseconds, UTC.

-- Per-user, per-purpose code quotas (CodeService): sends and code comparisons in the current window (1 h from
-- window_start). A new code (codes row replaced) does not touch this row, so re-issuing never restores the guess budget.
CREATE TABLE code_limits (
    user_pool_id TEXT COLLATE "C" NOT NULL,
    username     TEXT COLLATE "C" NOT NULL,
    purpose      TEXT COLLATE "C" NOT NULL,
    window_start BIGINT NOT NULL,
    sends        BIGINT NOT NULL DEFAULT 0,
    guesses      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pool_id, username, purpose),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Failed second factors per user, same shape and rules as user_lockouts but a counter of its own.
CREATE TABLE second_factor_lockouts (
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    failed_attempts BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until    BIGINT,
    pending         BIGINT NOT NULL DEFAULT 0,
    pending_until   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);

-- Checks in flight (LockoutService reserves a slot before verifying a password, so a burst of concurrent requests cannot
-- verify more passwords than the count allows). A slot is a lease: once pending_until passes, a crashed node's slots are free.
ALTER TABLE user_lockouts ADD COLUMN pending       BIGINT NOT NULL DEFAULT 0;
ALTER TABLE user_lockouts ADD COLUMN pending_until BIGINT NOT NULL DEFAULT 0;

-- Comparisons in flight against a code (CodeService reserves one before comparing): failed_attempts + pending stays below
-- the per-code limit, so a burst of concurrent guesses compares no more than the limit. pending_until is the lease.
ALTER TABLE codes ADD COLUMN pending       BIGINT NOT NULL DEFAULT 0;
ALTER TABLE codes ADD COLUMN pending_until BIGINT NOT NULL DEFAULT 0;
