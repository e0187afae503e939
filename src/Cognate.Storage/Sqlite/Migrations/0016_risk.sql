-- Threat protection (SetRiskConfiguration): one row per pool (client_id = '') and per app client that overrides it; the three
-- configuration parts are Cognito's JSON shapes (NULL when not set). Rows go with the pool.
CREATE TABLE risk_configurations (
    user_pool_id            TEXT    NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id               TEXT    NOT NULL,
    compromised_credentials TEXT,
    account_takeover        TEXT,
    risk_exception          TEXT,
    modified_at             INTEGER NOT NULL,
    PRIMARY KEY (user_pool_id, client_id)
);

-- Auth events (AdminListUserAuthEvents) gain the threat-protection verdict, the source IP and the user's or an
-- administrator's feedback (UpdateAuthEventFeedback); feedback_token_hash is SHA-256 of the event's feedback token.
ALTER TABLE auth_events ADD COLUMN risk_decision TEXT;
ALTER TABLE auth_events ADD COLUMN risk_level TEXT;
ALTER TABLE auth_events ADD COLUMN compromised_credentials INTEGER;
ALTER TABLE auth_events ADD COLUMN ip_address TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_token_hash BLOB;
ALTER TABLE auth_events ADD COLUMN feedback_value TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_provider TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_at INTEGER;
