-- Passkeys (issue 16): registered WebAuthn credentials (credential id unique per pool, COSE public key, signature
-- counter, relying party, AAGUID, friendly name, attachment, transports as a JSON array) and the pending registration of
-- StartWebAuthnRegistration (the options sent, one per user, taken once by CompleteWebAuthnRegistration). Both go with the user.
CREATE TABLE webauthn_credentials (
    user_pool_id    TEXT    NOT NULL,
    credential_id   TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    public_key      BLOB    NOT NULL,
    sign_count      INTEGER NOT NULL,
    relying_party   TEXT    NOT NULL,
    aaguid          TEXT    NOT NULL,
    friendly_name   TEXT,
    attachment      TEXT,
    transports      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, credential_id),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_pool_id, username, created_at);

CREATE TABLE webauthn_registrations (
    user_pool_id    TEXT    NOT NULL,
    username        TEXT    NOT NULL,
    options_json    TEXT    NOT NULL,
    expires_at      INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, username),
    FOREIGN KEY (user_pool_id, username) REFERENCES users (user_pool_id, username) ON DELETE CASCADE
);
