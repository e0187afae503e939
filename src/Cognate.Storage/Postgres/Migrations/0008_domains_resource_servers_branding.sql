-- Managed login / OAuth management API (issue 13), the same tables as Sqlite/Migrations/0008_domains_resource_servers_branding.sql:
-- user pool domains, resource servers, hosted UI (classic) customizations and managed login brandings. BIGINT unix
-- milliseconds (UTC); COLLATE "C" on the columns used for ordering; flags are INTEGER 0/1 as in SQLite.

CREATE TABLE user_pool_domains (
    domain                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id          TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    is_custom             INTEGER NOT NULL,
    certificate_arn       TEXT,
    managed_login_version INTEGER NOT NULL,
    cloudfront            TEXT    NOT NULL,
    created_at            BIGINT  NOT NULL,
    modified_at           BIGINT  NOT NULL,
    UNIQUE (user_pool_id, is_custom)
);

CREATE TABLE resource_servers (
    user_pool_id TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    identifier   TEXT COLLATE "C" NOT NULL,
    name         TEXT    NOT NULL,
    scopes_json  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    modified_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, identifier)
);

CREATE TABLE ui_customizations (
    user_pool_id TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id    TEXT COLLATE "C" NOT NULL,
    css          TEXT,
    image        BYTEA,
    image_type   TEXT,
    created_at   BIGINT  NOT NULL,
    modified_at  BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, client_id)
);

CREATE TABLE managed_login_brandings (
    id                          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id                TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id                   TEXT COLLATE "C" NOT NULL,
    use_cognito_provided_values INTEGER NOT NULL,
    settings_json               TEXT,
    assets_json                 TEXT,
    created_at                  BIGINT  NOT NULL,
    modified_at                 BIGINT  NOT NULL,
    UNIQUE (user_pool_id, client_id)
);
