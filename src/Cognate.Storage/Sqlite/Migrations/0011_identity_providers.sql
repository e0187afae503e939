-- Federation (issue 15): a pool's identity providers (CreateIdentityProvider … ListIdentityProviders). Timestamps are
-- INTEGER unix milliseconds, UTC. details_json holds ProviderDetails without the secret keys (client_secret, Apple's
-- private_key); those are sealed together as one JSON object in secrets_sealed (associated data
-- 'idp-secrets:{pool}/{provider}'). Everything goes with its pool by foreign-key cascade.
CREATE TABLE identity_providers (
    user_pool_id          TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    provider_name         TEXT    NOT NULL,
    provider_type         TEXT    NOT NULL,
    details_json          TEXT    NOT NULL,
    secrets_sealed        BLOB,
    attribute_mapping_json TEXT   NOT NULL,
    created_at            INTEGER NOT NULL,
    modified_at           INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, provider_name)
);

-- IdpIdentifiers, unique per pool: the primary key makes the database refuse a second provider claiming one. position keeps
-- the order the caller gave.
CREATE TABLE identity_provider_identifiers (
    user_pool_id  TEXT    NOT NULL,
    idp_identifier TEXT   NOT NULL,
    provider_name TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, idp_identifier),
    FOREIGN KEY (user_pool_id, provider_name) REFERENCES identity_providers (user_pool_id, provider_name) ON DELETE CASCADE
);
CREATE INDEX identity_provider_identifiers_by_provider ON identity_provider_identifiers (user_pool_id, provider_name);
