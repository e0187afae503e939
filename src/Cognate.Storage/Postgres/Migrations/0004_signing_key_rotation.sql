-- Signing-key rotation (TokenService.RotateKeysAsync), as Sqlite/Migrations/0004_signing_key_rotation.sql: a new key
-- is published in the JWKS at once but signs only from activates_at (BIGINT unix ms, UTC); keys created before this
-- migration have been signing since their creation. (Version 3 is left to the MFA migration.)
ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT NOT NULL DEFAULT 0;
UPDATE signing_keys SET activates_at = created_at;
