-- Signing-key rotation (TokenService.RotateKeysAsync): a new key is published in the JWKS at once but signs only from
-- activates_at (epoch ms); keys created before this migration have been signing since their creation.
ALTER TABLE signing_keys ADD COLUMN activates_at INTEGER NOT NULL DEFAULT 0;
UPDATE signing_keys SET activates_at = created_at;
