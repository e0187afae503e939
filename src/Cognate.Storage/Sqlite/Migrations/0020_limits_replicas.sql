-- Provisioned limits (UpdateProvisionedLimit): the request rate of one Cognito quota category, for every pool of the server,
-- read by every node's rate limiter. Replicas (CreateUserPoolReplica): a pool additionally served under the id
-- {region}_{suffix} while ACTIVE; rows go with the pool.
CREATE TABLE provisioned_limits (
    category            TEXT    NOT NULL PRIMARY KEY,
    requests_per_second INTEGER NOT NULL,
    modified_at         INTEGER NOT NULL
);

CREATE TABLE user_pool_replicas (
    replica_id      TEXT    NOT NULL PRIMARY KEY,
    user_pool_id    TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    region          TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    modified_at     INTEGER NOT NULL,
    UNIQUE (user_pool_id, region)
);
