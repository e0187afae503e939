-- Federation (issue 15), the same tables as Sqlite/Migrations/0011_identity_providers.sql: a pool's identity providers and
-- their IdpIdentifiers (unique per pool by primary key). BIGINT unix milliseconds (UTC); COLLATE "C" on the columns used
-- for ordering and lookups; secrets sealed in secrets_sealed (associated data 'idp-secrets:{pool}/{provider}').
CREATE TABLE identity_providers (
    user_pool_id           TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    provider_name          TEXT COLLATE "C" NOT NULL,
    provider_type          TEXT    NOT NULL,
    details_json           TEXT    NOT NULL,
    secrets_sealed         BYTEA,
    attribute_mapping_json TEXT    NOT NULL,
    created_at             BIGINT  NOT NULL,
    modified_at            BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, provider_name)
);

CREATE TABLE identity_provider_identifiers (
    user_pool_id   TEXT COLLATE "C" NOT NULL,
    idp_identifier TEXT COLLATE "C" NOT NULL,
    provider_name  TEXT COLLATE "C" NOT NULL,
    position       INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, idp_identifier),
    FOREIGN KEY (user_pool_id, provider_name) REFERENCES identity_providers (user_pool_id, provider_name) ON DELETE CASCADE
);
CREATE INDEX identity_provider_identifiers_by_provider ON identity_provider_identifiers (user_pool_id, provider_name);
