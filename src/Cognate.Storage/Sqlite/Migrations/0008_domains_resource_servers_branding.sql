-- Managed login / OAuth management API (issue 13): user pool domains, resource servers, hosted UI (classic)
-- customizations and managed login brandings. Timestamps are INTEGER unix milliseconds, UTC. Everything goes with its
-- pool by foreign-key cascade.

-- Domain names are unique across pools (primary key); a pool has at most one prefix and one custom domain.
CREATE TABLE user_pool_domains (
    domain                TEXT    NOT NULL PRIMARY KEY,
    user_pool_id          TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    is_custom             INTEGER NOT NULL,
    certificate_arn       TEXT,
    managed_login_version INTEGER NOT NULL,
    cloudfront            TEXT    NOT NULL,
    created_at            INTEGER NOT NULL,
    modified_at           INTEGER NOT NULL,
    UNIQUE (user_pool_id, is_custom)
);

CREATE TABLE resource_servers (
    user_pool_id TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    identifier   TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    scopes_json  TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, identifier)
);

-- client_id is 'ALL' for the pool-wide customization.
CREATE TABLE ui_customizations (
    user_pool_id TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT    NOT NULL,
    css          TEXT,
    image        BLOB,
    image_type   TEXT,
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, client_id)
);

-- One branding per app client.
CREATE TABLE managed_login_brandings (
    id                          TEXT    NOT NULL PRIMARY KEY,
    user_pool_id                TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id                   TEXT    NOT NULL,
    use_cognito_provided_values INTEGER NOT NULL,
    settings_json               TEXT,
    assets_json                 TEXT,
    created_at                  INTEGER NOT NULL,
    modified_at                 INTEGER NOT NULL,
    UNIQUE (user_pool_id, client_id)
);
