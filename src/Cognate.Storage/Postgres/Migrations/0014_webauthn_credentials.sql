-- Passkeys (issue 16), the same tables as Sqlite/Migrations/0014_webauthn_credentials.sql: registered WebAuthn credentials (credential id unique per pool, COSE public key, signature
-- counter, relying party, AAGUID, friendly name, attachment, transports as a JSON array) and the pending registration of
-- StartWebAuthnRegistration (the options sent, one per user, taken once by CompleteWebAuthnRegistration). Both go with the user.
CREATE TABLE webauthn_credentials (
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    credential_id   TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    public_key      BYTEA   NOT NULL,
    sign_count      BIGINT  NOT NULL,
    relying_party   TEXT COLLATE "C" NOT NULL,
    aaguid          TEXT COLLATE "C" NOT NULL,
    friendly_name   TEXT,
    attachment      TEXT,
    transports      TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, credential_id),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_pool_id, username, created_at);

CREATE TABLE webauthn_registrations (
    user_pool_id    TEXT COLLATE "C" NOT NULL,
    username        TEXT COLLATE "C" NOT NULL,
    options_json    TEXT COLLATE "C" NOT NULL,
    expires_at      BIGINT  NOT NULL,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
