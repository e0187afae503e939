-- The same tables as Sqlite/Migrations/0017_terms_log_delivery.sql: terms documents (one per app client and name, going with
-- the pool and the client) and the log delivery configuration of a pool (its LogConfigurations as JSON).
CREATE TABLE terms (
    terms_id        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_pool_id    TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id       TEXT COLLATE "C" NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    terms_name      TEXT COLLATE "C" NOT NULL,
    terms_source    TEXT COLLATE "C" NOT NULL,
    enforcement     TEXT COLLATE "C" NOT NULL,
    links_json      TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    modified_at     BIGINT  NOT NULL,
    UNIQUE (client_id, terms_name)
);
CREATE INDEX ix_terms_pool ON terms (user_pool_id, terms_id);

CREATE TABLE log_delivery_configurations (
    user_pool_id         TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES user_pools (id) ON DELETE CASCADE,
    configurations_json  TEXT    NOT NULL,
    modified_at          BIGINT  NOT NULL
);
