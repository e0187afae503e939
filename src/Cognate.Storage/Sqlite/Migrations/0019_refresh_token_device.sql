-- Device-bound refresh tokens (issue 16): the DEVICE_KEY of the sign-in that issued the token in a pool with device
-- tracking. REFRESH_TOKEN_AUTH / GetTokensFromRefreshToken then need that key, of a confirmed device (Cognito's
-- "Invalid Refresh Token" otherwise). Null for tokens issued without a device, including every row written before.
ALTER TABLE refresh_tokens ADD COLUMN device_key TEXT;
