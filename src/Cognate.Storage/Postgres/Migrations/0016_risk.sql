-- The same as Sqlite/Migrations/0016_risk.sql: risk configurations per pool (client_id = '') and per app client, and the
-- threat-protection columns of auth_events (verdict, source IP, feedback and the SHA-256 of the event's feedback token).
CREATE TABLE risk_configurations (
    user_pool_id            TEXT COLLATE "C" NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    client_id               TEXT COLLATE "C" NOT NULL,
    compromised_credentials TEXT,
    account_takeover        TEXT,
    risk_exception          TEXT,
    modified_at             BIGINT NOT NULL,
    PRIMARY KEY (user_pool_id, client_id)
);

ALTER TABLE auth_events ADD COLUMN risk_decision TEXT;
ALTER TABLE auth_events ADD COLUMN risk_level TEXT;
ALTER TABLE auth_events ADD COLUMN compromised_credentials BIGINT;
ALTER TABLE auth_events ADD COLUMN ip_address TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_token_hash BYTEA;
ALTER TABLE auth_events ADD COLUMN feedback_value TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_provider TEXT;
ALTER TABLE auth_events ADD COLUMN feedback_at BIGINT;
