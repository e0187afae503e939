-- Terms documents (CreateTerms): per app client at most one document per name (terms-of-use, privacy-policy); rows go with
-- the pool and with the client. Log delivery (SetLogDeliveryConfiguration): one configuration per pool, its LogConfigurations
-- as JSON.
CREATE TABLE terms (
    terms_id        TEXT    NOT NULL PRIMARY KEY,
    user_pool_id    TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id       TEXT    NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
    terms_name      TEXT    NOT NULL,
    terms_source    TEXT    NOT NULL,
    enforcement     TEXT    NOT NULL,
    links_json      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    modified_at     INTEGER NOT NULL,
    UNIQUE (client_id, terms_name)
);
CREATE INDEX ix_terms_pool ON terms (user_pool_id, terms_id);

CREATE TABLE log_delivery_configurations (
    user_pool_id         TEXT    NOT NULL PRIMARY KEY REFERENCES user_pools (id) ON DELETE CASCADE,
    configurations_json  TEXT    NOT NULL,
    modified_at          INTEGER NOT NULL
);
