-- SAML 2.0 service-provider keys and accepted assertion IDs, the same tables as Sqlite/Migrations/0012_saml_sp_keys.sql:
-- one RSA key per (pool, use) with its self-signed certificate (DER) and the PKCS#8 key sealed with the master key; assertion
-- IDs kept until expiry for replay defence (atomic insert on the primary key). BIGINT unix milliseconds (UTC); COLLATE "C".
CREATE TABLE saml_sp_keys (
    user_pool_id   TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    use            TEXT COLLATE "C" NOT NULL,
    certificate    BYTEA   NOT NULL,
    private_sealed BYTEA   NOT NULL,
    created_at     BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, use)
);

CREATE TABLE saml_assertions (
    user_pool_id TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    issuer       TEXT COLLATE "C" NOT NULL,
    assertion_id TEXT COLLATE "C" NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (user_pool_id, issuer, assertion_id)
);
CREATE INDEX ix_saml_assertions_expires ON saml_assertions (expires_at);
