-- Refresh-token rotation (GetTokensFromRefreshToken and the /oauth2/token refresh_token grant on a client with
-- RefreshTokenRotation.Feature = ENABLED). A rotation inserts a new row in the presented token's family and stamps the
-- presented row's replaced_at; the presented token still refreshes for RetryGracePeriodSeconds after that, then never.
-- family_id: the origin_jti of the family's first token (every token of one sign-in shares it), so RevokeToken,
-- /oauth2/revoke and a replayed authorization code revoke the whole family, rotated descendants included.
-- replaced_at: unix milliseconds, UTC, of the first rotation of this token; NULL while it has not been rotated.
ALTER TABLE refresh_tokens ADD COLUMN family_id TEXT;
ALTER TABLE refresh_tokens ADD COLUMN replaced_at INTEGER;
UPDATE refresh_tokens SET family_id = origin_jti;
CREATE INDEX ix_refresh_tokens_family ON refresh_tokens (family_id);
