-- The background sweeper (Maintenance/SqlSweeper.cs) deletes expired rows in batches chosen by these columns
-- (auth_sessions.expires_at is indexed since 0001).
CREATE INDEX ix_codes_expires ON codes (expires_at);
CREATE INDEX ix_refresh_tokens_expires ON refresh_tokens (expires_at);
CREATE INDEX ix_auth_events_created ON auth_events (created_at);
