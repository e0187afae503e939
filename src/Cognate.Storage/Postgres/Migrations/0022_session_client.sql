-- User sessions (ListUserSessions, AdminListUserSessions): each refresh-token row keeps the client of the request that wrote
-- it — the sign-in or rotation that issued it, then its latest refresh: last_ip_address (the client IP as text, at most 128
-- characters: ContextData.IpAddress on the admin sign-in actions, else the connection's remote address) and device_type
-- (derived from the User-Agent, Cognate.Core.Sessions.UserAgentDevice). A session's LastIPAddress and DeviceType are those of
-- its most recently active row. NULL on rows written before, and on tokens issued outside an HTTP request.
ALTER TABLE refresh_tokens ADD COLUMN last_ip_address TEXT;
ALTER TABLE refresh_tokens ADD COLUMN device_type TEXT;
