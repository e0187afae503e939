-- SAML 2.0 federation, Cognate as the service provider (issue 15). saml_sp_keys: one RSA key per (pool, use) — 'signing'
-- (AuthnRequest / LogoutRequest signatures; GetSigningCertificate returns its certificate) and 'encryption' (EncryptedResponses:
-- the providers' ActiveEncryptionCertificate). certificate is the self-signed X.509 DER (public); private_sealed the PKCS#8
-- private key sealed with the master key (associated data 'saml-sp-key:{pool}/{use}', listed in MasterKeyRotation).
-- saml_assertions: the assertion IDs already accepted at /saml2/idpresponse, each kept until its assertion expires (replay
-- defence: the insert is atomic on the primary key; an expired row may be taken over). Unix milliseconds, UTC.
CREATE TABLE saml_sp_keys (
    user_pool_id   TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    use            TEXT    NOT NULL,
    certificate    BLOB    NOT NULL,
    private_sealed BLOB    NOT NULL,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, use)
);

CREATE TABLE saml_assertions (
    user_pool_id TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    issuer       TEXT    NOT NULL,
    assertion_id TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, issuer, assertion_id)
);
CREATE INDEX ix_saml_assertions_expires ON saml_assertions (expires_at);
