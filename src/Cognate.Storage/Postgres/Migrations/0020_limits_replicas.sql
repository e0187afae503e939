-- The same tables as Sqlite/Migrations/0020_limits_replicas.sql: provisioned limits (one request rate per Cognito quota
-- category, read by every node's rate limiter) and pool replicas (a pool additionally served under {region}_{suffix}).
CREATE TABLE provisioned_limits (
    category            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    requests_per_second BIGINT  NOT NULL,
    modified_at         BIGINT  NOT NULL
);

CREATE TABLE user_pool_replicas (
    replica_id      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    region          TEXT COLLATE "C" NOT NULL,
    status          TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT  NOT NULL,
    modified_at     BIGINT  NOT NULL,
    UNIQUE (user_pool_id, region)
);
