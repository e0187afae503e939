using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Tokens;

/// <summary>Cognito's <c>AuthenticationResultType</c>. <see cref="ExpiresIn"/> is the access token lifetime in seconds.</summary>
public sealed record AuthenticationResult(string AccessToken, int ExpiresIn, string TokenType, string? RefreshToken, string IdToken)
{
    /// <summary>A pool with DeviceConfiguration: the new device of this sign-in (reference §3.9), or null.</summary>
    public NewDeviceMetadata? NewDeviceMetadata { get; init; }
}

/// <summary>Cognito <c>NewDeviceMetadataType</c>: the device key and group key a client confirms with ConfirmDevice.</summary>
public sealed record NewDeviceMetadata(string DeviceKey, string DeviceGroupKey);

/// <summary>The OAuth 2.0 part of hosted-flow tokens (reference §9.2): the granted scopes and the OIDC nonce (or null).</summary>
public sealed record OAuthTokenClaims(IReadOnlyList<string> Scopes, string? Nonce)
{
    /// <summary>Never prints the nonce.</summary>
    public override string ToString() => $"OAuthTokenClaims {{ Scopes = {string.Join(' ', Scopes)} }}";
}

/// <summary>A validated access token: its pool, user, client and revocation handle.</summary>
public sealed record AccessTokenContext(UserPool Pool, User User, string ClientId, string? OriginJti, DateTimeOffset AuthTime);

/// <summary>
/// Mints and checks Cognito-shaped tokens (reference §6): RS256 ID and access JWTs signed with the
/// pool's two keys (one per token use, unique <c>kid</c>s, created once and persisted with the private key
/// sealed under the master key), opaque JWE-shaped refresh tokens stored only as a SHA-256 hash, and the
/// pool's JWKS. Keys are cached per node; a cache miss on an unknown <c>kid</c> or a 5-minute age
/// reloads them from the database, so keys added by another node are picked up.
/// </summary>
public sealed class TokenService(ISigningKeyStore keyStore, IRefreshTokenStore refreshTokens, IUserStore users, IUserPoolStore pools, IGroupStore groups, MasterKeyProtector protector, TimeProvider time, Triggers.UserPoolTriggers? triggers = null, Sessions.TokenSessionLimit? sessionLimit = null) : IDisposable
{
    /// <summary>The only scope of tokens issued by the API flows.</summary>
    public const string AdminScope = "aws.cognito.signin.user.admin";
    static readonly IReadOnlyList<string> AdminScopes = [AdminScope];
    const string IdUse = "id", AccessUse = "access";
    static readonly TimeSpan KeyCacheAge = TimeSpan.FromMinutes(5);
    static readonly byte[] RefreshHeader = Encoding.UTF8.GetBytes("{\"cty\":\"JWT\",\"enc\":\"A256GCM\",\"alg\":\"RSA-OAEP\"}");

    // Multi-node correctness of this cache (several nodes share one database, each has its own cache):
    // - Signing keys are immutable rows (a kid always names the same key), so a cached key is never wrong, only
    //   possibly incomplete. A token whose kid is not cached forces a reload (GetKeysAsync's wantedKid), so a key
    //   created or rotated in by another node verifies at once here.
    // - Which key signs, and what the JWKS publishes, can lag another node's change by at most KeyCacheAge (5 min).
    //   Key rotation therefore publishes a new key at least KeyCacheAge before it signs (Cognate:Keys:ActivationDelaySeconds, default 600 s).
    // - A pool's first keys are inserted by ISigningKeyStore.AddInitialAsync, which the database serialises: of
    //   nodes racing to create them, one inserts and the others load its keys, so all nodes sign with the same key.
    // - Verified access tokens (verifiedAccess) hold only what never changes for a given token string (its signature and
    //   claims); the key's publication, expiry, revocation and the user are checked on every request.
    // Nothing else is cached: revocations, refresh tokens and users are read from the database on every request.
    /// <summary>How long a superseded key stays published: the longest ID/access token lifetime (1 day, reference §6.6) plus 5 minutes of clock skew.</summary>
    public static readonly TimeSpan RetiredKeyPublication = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(5);

    sealed record KeyEntry(SigningKey Key, string Use, DateTimeOffset ActivatesAt);

    sealed record PoolKeys(IReadOnlyList<KeyEntry> Entries, IReadOnlyDictionary<string, SigningKey> All, IReadOnlySet<string> AccessKids, DateTimeOffset LoadedAt)
    {
        /// <summary>The key that signs <paramref name="use"/> tokens now: the newest one already active (oldest first when none is).</summary>
        public SigningKey Signer(string use, DateTimeOffset now)
        {
            KeyEntry? best = null;
            foreach (var e in Entries)
            {
                if (e.Use != use) continue;
                if (best is null) best = e;
                else if (e.ActivatesAt <= now && (best.ActivatesAt > now || e.ActivatesAt >= best.ActivatesAt)) best = e;
            }
            return best!.Key;
        }

        /// <summary>False for a key superseded by a newer key of its use that has been signing for longer than <see cref="RetiredKeyPublication"/>.</summary>
        public bool IsPublished(KeyEntry entry, DateTimeOffset now) =>
            !Entries.Any(e => e.Use == entry.Use && e.ActivatesAt > entry.ActivatesAt && e.ActivatesAt + RetiredKeyPublication <= now);

        /// <summary>The access-token key named <paramref name="kid"/> if it is still published, else null.</summary>
        public SigningKey? PublishedAccessKey(string kid, DateTimeOffset now) =>
            AccessKids.Contains(kid) && Entries.FirstOrDefault(e => e.Key.KeyId == kid) is { } entry && IsPublished(entry, now) ? entry.Key : null;
    }
    readonly ConcurrentDictionary<string, PoolKeys> cache = new(StringComparer.Ordinal);

    // Unknown kids (a forged token, or a key of another pool): the first one may mean a key another node just created, so it
    // reloads the pool's keys — but at most once per UnknownKidReloadInterval per pool, and a kid still unknown after a
    // reload sits in a penalty box for UnknownKidPenalty, so a flood of tokens with random kids costs a dictionary lookup
    // each instead of a database read and the unsealing of every key. Safe because a new key is published (and so loaded
    // here by the 5-minute cache age at the latest) at least Cognate:Keys:ActivationDelaySeconds before it signs.
    /// <summary>Shortest time between two reloads of one pool's keys caused by an unknown <c>kid</c> (10 s).</summary>
    public static readonly TimeSpan UnknownKidReloadInterval = TimeSpan.FromSeconds(10);
    /// <summary>How long a kid still unknown after a reload is refused without another reload (60 s).</summary>
    public static readonly TimeSpan UnknownKidPenalty = TimeSpan.FromSeconds(60);
    const int PenaltyBoxCapacity = 10_000;
    readonly ConcurrentDictionary<string, DateTimeOffset> unknownKidPenalty = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, DateTimeOffset> lastUnknownKidReload = new(StringComparer.Ordinal);
    long unknownKidReloads;

    /// <summary>Reloads of a pool's keys caused by an unknown <c>kid</c> since start (observability, tests).</summary>
    public long UnknownKidReloads => Interlocked.Read(ref unknownKidReloads);

    /// <summary>Called with the pool id after each reload caused by an unknown <c>kid</c> (the server logs it).</summary>
    public Action<string>? UnknownKidReloaded { get; set; }

    // JWKS requests for one pool share one in-flight load (single flight): a flood of JWKS requests costs at most one
    // database read per pool at a time, and the keys themselves are not unsealed again (LoadKeysAsync reuses them).
    readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> jwksInFlight = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (byte[] Document, DateTimeOffset LoadedAt)> jwksServed = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a pool's served JWKS document is reused (1 s): a flood of JWKS requests costs one database read per pool per
    /// second, and a key rotated in on another node is published here within that second (a rotation on this node, at once).
    /// </summary>
    public static readonly TimeSpan JwksCacheAge = TimeSpan.FromSeconds(1);
    readonly SemaphoreSlim keyCreation = new(1, 1); // only spares this node needless RSA key generation; the database decides


    /// <summary>Issues ID + access (+ refresh) tokens after a successful authentication.</summary>
    /// <param name="pool">The user's pool.</param>
    /// <param name="client">The app client the tokens are for (validity, read attributes).</param>
    /// <param name="user">The authenticated user.</param>
    /// <param name="issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
    /// <param name="authTime">Original authentication time (unchanged on refresh), UTC.</param>
    /// <param name="originJti">Existing origin_jti on refresh; null for a new authentication.</param>
    /// <param name="issueRefreshToken">Whether to mint a refresh token (not on refresh).</param>
    /// <param name="generation">Why the tokens are minted (the PreTokenGeneration trigger source and ClientMetadata); null:
    /// <see cref="TokenGenerationSources.Authentication"/> without metadata.</param>
    /// <param name="deviceKey">The device the new refresh token is bound to (<see cref="RefreshTokenRecord.DeviceKey"/>), or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration function failed: UserLambdaValidationException,
    /// InvalidLambdaResponseException, UnexpectedLambdaException (nothing is stored then).</exception>
    public async ValueTask<AuthenticationResult> IssueAsync(UserPool pool, AppClient client, User user, string issuer, DateTimeOffset authTime, string? originJti, bool issueRefreshToken, TokenGeneration? generation = null, string? deviceKey = null, CancellationToken ct = default)
    {
        var t = (await IssueCoreAsync(pool, client, user, issuer, authTime, originJti, issueRefreshToken, oauth: null, generation ?? DefaultApi, rotating: null, ct, deviceKey).ConfigureAwait(false))!;
        return new AuthenticationResult(t.AccessToken, t.ExpiresIn, "Bearer", t.RefreshToken, t.IdToken!);
    }

    /// <summary>
    /// Issues the tokens of the hosted (OAuth 2.0) flow: the authorization-code grant and the implicit grant (reference §9.2,
    /// §9.4). As <see cref="IssueAsync"/>, except: the access token's <c>scope</c> is the granted OAuth scopes (space
    /// separated) with <c>version</c> 2; the ID token exists only when <c>openid</c> was granted, carries <c>nonce</c> when
    /// one was sent and <c>at_hash</c> (OpenID Connect Core §3.1.3.6 / §3.2.2.9: the left half of the SHA-256 of the access
    /// token, base64url).
    /// </summary>
    /// <param name="pool">The user's pool.</param>
    /// <param name="client">The app client (validity, read attributes).</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
    /// <param name="authTime">The managed-login session's authentication time, UTC.</param>
    /// <param name="oauth">Granted scopes and nonce.</param>
    /// <param name="originJti">The origin_jti to use (an authorization code chooses it when issued), or null for a new one.</param>
    /// <param name="issueRefreshToken">True for the code grant, false for the implicit grant.</param>
    /// <param name="generation">The PreTokenGeneration trigger source and ClientMetadata; null: <see cref="TokenGenerationSources.HostedAuth"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>Access token, ID token (null without <c>openid</c>), refresh token (or null), access lifetime in seconds.</returns>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration function failed (as <see cref="IssueAsync"/>).</exception>
    public async ValueTask<OAuth.TokenResponse> IssueOAuthAsync(UserPool pool, AppClient client, User user, string issuer, DateTimeOffset authTime, OAuthTokenClaims oauth, string? originJti, bool issueRefreshToken, TokenGeneration? generation = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(oauth);
        return (await IssueCoreAsync(pool, client, user, issuer, authTime, originJti, issueRefreshToken, oauth, generation ?? DefaultHosted, rotating: null, ct).ConfigureAwait(false))!;
    }

    static readonly TokenGeneration DefaultApi = new(TokenGenerationSources.Authentication);
    static readonly TokenGeneration DefaultHosted = new(TokenGenerationSources.HostedAuth);
    static readonly TokenGeneration DefaultRefresh = new(TokenGenerationSources.RefreshTokens);

    /// <summary>
    /// Refresh-token rotation (<see cref="RefreshTokenRotation"/>): new ID and access tokens and a new refresh token that replaces
    /// <paramref name="presented"/> in its family, with the presented token's expiry and <c>auth_time</c> and a new
    /// <c>origin_jti</c> (the tokens minted here carry it). The replacement is stored and the presented token stamped in one
    /// atomic step (<see cref="IRefreshTokenStore.RotateAsync"/>), so concurrent rotations of one token are safe.
    /// </summary>
    /// <param name="pool">The user's pool.</param>
    /// <param name="client">The rotating client (validity, read attributes, RetryGracePeriodSeconds).</param>
    /// <param name="user">The token's user, already checked (exists, enabled).</param>
    /// <param name="issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
    /// <param name="presented">The presented token's record, already checked (this client's, not revoked, not expired, not reused).</param>
    /// <param name="oauth">The OAuth scopes to mint hosted-flow tokens with (the refresh_token grant of a hosted-flow token), or null for API tokens.</param>
    /// <param name="generation">The PreTokenGeneration trigger source and ClientMetadata; null: <see cref="TokenGenerationSources.RefreshTokens"/>.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The tokens, or null when the store refused the rotation: the token was revoked, or rotated past its grace
    /// period, by a concurrent request since it was read.</returns>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration function failed (as <see cref="IssueAsync"/>); nothing is rotated then.</exception>
    public ValueTask<OAuth.TokenResponse?> IssueRotatedAsync(UserPool pool, AppClient client, User user, string issuer, RefreshTokenRecord presented, OAuthTokenClaims? oauth, TokenGeneration? generation = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(presented);
        return IssueCoreAsync(pool, client, user, issuer, presented.AuthTime, originJti: null, issueRefreshToken: true, oauth, generation ?? DefaultRefresh, presented, ct);
    }

    async ValueTask<OAuth.TokenResponse?> IssueCoreAsync(UserPool pool, AppClient client, User user, string issuer, DateTimeOffset authTime, string? originJti, bool issueRefreshToken, OAuthTokenClaims? oauth, TokenGeneration generation, RefreshTokenRecord? rotating, CancellationToken ct, string? deviceKey = null)
    {
        var keys = await GetKeysAsync(pool.Id, null, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var idKey = keys.Signer(IdUse, now);
        var accessKey = keys.Signer(AccessUse, now);
        long iat = now.ToUnixTimeSeconds();
        long auth = authTime.ToUnixTimeSeconds();
        var accessLifetime = AppClientService.AccessTokenLifetime(client);
        var idLifetime = AppClientService.IdTokenLifetime(client);
        var origin = originJti ?? Ids.IdGenerator.NewUuid();
        var eventId = Ids.IdGenerator.NewUuid();
        var readAttributes = client.Config.ReadAttributes;
        var groupClaims = Groups.GroupClaims.From(await groups.ListForUserAsync(pool.Id, user.Username, null, Groups.GroupService.MaxGroupsPerUser, ct).ConfigureAwait(false));
        IReadOnlyList<string> scopes = oauth is null ? AdminScopes : oauth.Scopes;

        // PreTokenGeneration (reference §10.4) runs before anything is signed or stored: a failing function leaves no refresh token.
        var custom = triggers is null ? null
            : await triggers.PreTokenGenerationAsync(pool, new PreTokenGenerationInput(generation, client.ClientId, user, groupClaims, scopes), ct).ConfigureAwait(false);
        var idChanges = custom?.IdToken ?? TokenClaimChanges.None;
        var accessChanges = custom?.AccessToken ?? TokenClaimChanges.None;
        if (custom?.Groups is { } overridden) groupClaims = overridden;
        var accessScopes = custom?.Scopes(scopes) ?? scopes;

        var accessToken = JwtWriter.Sign(accessKey, w =>
        {
            w.WriteString("sub", user.Sub);
            WriteGroupClaims(w, groupClaims, withRoles: false, accessChanges);
            w.WriteString("iss", issuer);
            w.WriteString("client_id", client.ClientId);
            w.WriteString("origin_jti", origin);
            w.WriteString("event_id", eventId);
            w.WriteString("token_use", AccessUse);
            w.WriteString("scope", string.Join(' ', accessScopes));
            w.WriteNumber("auth_time", auth);
            w.WriteNumber("exp", iat + (long)accessLifetime.TotalSeconds);
            w.WriteNumber("iat", iat);
            w.WriteString("jti", Ids.IdGenerator.NewUuid());
            w.WriteString("username", user.Username);
            if (oauth is not null) w.WriteNumber("version", 2);
            accessChanges.WriteAdded(w);
        });

        string? idToken = oauth is not null && !oauth.Scopes.Contains("openid", StringComparer.Ordinal) ? null : JwtWriter.Sign(idKey, w =>
        {
            w.WriteString("sub", user.Sub);
            WriteGroupClaims(w, groupClaims, withRoles: true, idChanges);
            foreach (var (name, value) in user.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (name == Federation.FederatedIdentity.AttributeName)
                {
                    // identities (federated and linked users): always in the ID token, as an array of objects with string values.
                    if (idChanges.Keeps(name)) WriteIdentities(w, value);
                    continue;
                }
                if (name == "sub" || !AttributeRules.IsReadable(name, readAttributes) || !idChanges.Keeps(name)) continue;
                if (name is "email_verified" or "phone_number_verified") w.WriteBoolean(name, value == "true");
                else w.WriteString(name, value);
            }
            w.WriteString("iss", issuer);
            w.WriteString("cognito:username", user.Username);
            w.WriteString("origin_jti", origin);
            w.WriteString("aud", client.ClientId);
            w.WriteString("event_id", eventId);
            w.WriteString("token_use", IdUse);
            w.WriteNumber("auth_time", auth);
            w.WriteNumber("exp", iat + (long)idLifetime.TotalSeconds);
            w.WriteNumber("iat", iat);
            w.WriteString("jti", Ids.IdGenerator.NewUuid());
            if (oauth is not null)
            {
                w.WriteString("at_hash", AtHash(accessToken));
                if (oauth.Nonce is not null) w.WriteString("nonce", oauth.Nonce);
            }
            idChanges.WriteAdded(w);
        });
        string? refreshToken = null;
        if (issueRefreshToken)
        {
            refreshToken = NewRefreshToken();
            if (rotating is not null)
            {
                var replacement = RefreshTokenRotation.Replacement(rotating, HashToken(refreshToken), origin) with
                {
                    LastIpAddress = Sessions.SessionClient.Current?.RecordedIp,
                    DeviceType = Sessions.SessionClient.Current?.DeviceType,
                };
                if (!await refreshTokens.RotateAsync(rotating.TokenHash, replacement, now, RefreshTokenRotation.ReplacedAfter(client, now), ct).ConfigureAwait(false)) return null;
            }
            else
            {
                var record = new RefreshTokenRecord(HashToken(refreshToken), pool.Id, client.ClientId, user.Username, origin, authTime,
                    now + AppClientService.RefreshTokenLifetime(client), Revoked: false) {
                    OAuthScopes = oauth?.Scopes,
                    DeviceKey = deviceKey,
                    LastIpAddress = Sessions.SessionClient.Current?.RecordedIp,
                    DeviceType = Sessions.SessionClient.Current?.DeviceType,
                    OriginSessionId = Sessions.SessionClient.Current?.OriginSessionId,
                };
                await refreshTokens.CreateAsync(record, ct).ConfigureAwait(false);
                if (sessionLimit is not null) await sessionLimit.EnforceAsync(pool.Id, user.Username, record.Family, ct).ConfigureAwait(false);
            }
        }
        return new OAuth.TokenResponse(accessToken, idToken, refreshToken, (int)accessLifetime.TotalSeconds);
    }

    /// <summary>OpenID Connect Core §3.1.3.6 <c>at_hash</c> for RS256: base64url of the left 128 bits of SHA-256(ASCII(token)).</summary>
    public static string AtHash(string accessToken)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(accessToken), hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Signs the access token of the OAuth 2.0 client_credentials grant (RFC 6749 §4.4; reference §6.4 "M2M"): no user, so
    /// <c>sub</c> = <c>client_id</c> = the app client id, <c>scope</c> = the granted custom scopes (space-separated),
    /// <c>token_use</c> access, <c>version</c> 2, <c>auth_time</c> = <c>iat</c>, no <c>origin_jti</c> (nothing to revoke it by).
    /// </summary>
    /// <param name="pool">The client's pool (its access-token key signs).</param>
    /// <param name="client">The authenticated confidential client; its AccessTokenValidity sets <c>exp</c>.</param>
    /// <param name="scopes">Granted scopes, already validated by the caller.</param>
    /// <param name="issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
    /// <param name="clientMetadata">ClientMetadata for the PreTokenGeneration V3_0 function (GetClientToken's ClientMetadata,
    /// /oauth2/token's <c>aws_client_metadata</c>), or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The compact JWS and its lifetime in seconds.</returns>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration V3_0 function failed (<c>TokenGeneration_ClientCredentials</c>):
    /// UserLambdaValidationException, InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask<(string AccessToken, int ExpiresIn)> IssueClientAccessTokenAsync(UserPool pool, AppClient client, IReadOnlyList<string> scopes, string issuer, IReadOnlyDictionary<string, string>? clientMetadata = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        // V3_0 only (earlier versions apply to user authentication): the access token's claims and scopes; no user, no groups.
        var custom = triggers is null ? null
            : await triggers.PreTokenGenerationAsync(pool, new PreTokenGenerationInput(new TokenGeneration(TokenGenerationSources.ClientCredentials, clientMetadata),
                client.ClientId, User: null, Groups.GroupClaims.None, scopes), ct).ConfigureAwait(false);
        var changes = custom?.AccessToken ?? TokenClaimChanges.None;
        var granted = custom?.Scopes(scopes) ?? scopes;
        var keys = await GetKeysAsync(pool.Id, null, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        long iat = now.ToUnixTimeSeconds();
        var lifetime = AppClientService.AccessTokenLifetime(client);
        var token = JwtWriter.Sign(keys.Signer(AccessUse, now), w =>
        {
            w.WriteString("sub", client.ClientId);
            w.WriteString("token_use", AccessUse);
            w.WriteString("scope", string.Join(' ', granted));
            w.WriteNumber("auth_time", iat);
            w.WriteString("iss", issuer);
            w.WriteNumber("exp", iat + (long)lifetime.TotalSeconds);
            w.WriteNumber("iat", iat);
            w.WriteNumber("version", 2);
            w.WriteString("jti", Ids.IdGenerator.NewUuid());
            w.WriteString("client_id", client.ClientId);
            changes.WriteAdded(w);
        });
        return (token, (int)lifetime.TotalSeconds);
    }

    /// <summary>
    /// The ID token's <c>identities</c> claim from the user's <c>identities</c> attribute (<see cref="Federation.FederatedIdentity.ToClaim"/>:
    /// <c>[{"dateCreated":"1642699117273","userId":…,"providerName":…,"providerType":…,"issuer":null,"primary":"true"}]</c>);
    /// nothing when the attribute holds no entry.
    /// </summary>
    internal static void WriteIdentities(Utf8JsonWriter w, string attributeValue)
    {
        var entries = Federation.FederatedIdentity.Parse(attributeValue);
        if (entries.Count == 0) return;
        w.WritePropertyName(Federation.FederatedIdentity.AttributeName);
        Federation.FederatedIdentity.ToClaim(entries).WriteTo(w);
    }

    /// <summary><c>cognito:groups</c> (both tokens) and, in the ID token, <c>cognito:roles</c> / <c>cognito:preferred_role</c> (reference §7.5),
    /// less those a PreTokenGeneration function suppressed.</summary>
    static void WriteGroupClaims(Utf8JsonWriter w, Groups.GroupClaims claims, bool withRoles, TokenClaimChanges changes)
    {
        if (claims.Groups.Count > 0 && changes.Keeps("cognito:groups"))
        {
            w.WriteStartArray("cognito:groups");
            foreach (var g in claims.Groups) w.WriteStringValue(g);
            w.WriteEndArray();
        }
        if (!withRoles) return;
        if (claims.PreferredRole is not null && changes.Keeps("cognito:preferred_role")) w.WriteString("cognito:preferred_role", claims.PreferredRole);
        if (claims.Roles.Count == 0 || !changes.Keeps("cognito:roles")) return;
        w.WriteStartArray("cognito:roles");
        foreach (var r in claims.Roles) w.WriteStringValue(r);
        w.WriteEndArray();
    }

    /// <summary>SHA-256 of a token string: the only form in which refresh tokens are stored.</summary>
    public static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>True when <paramref name="token"/> has the three segments of a JWS (an ID or access token).</summary>
    public static bool LooksLikeJws(string token) => token.Count(c => c == '.') == 2;

    static string NewRefreshToken() =>
        // JWE compact serialisation shape (5 segments) like Cognito's; the content is random, the server keeps the state.
        string.Join('.',
            Ids.IdGenerator.Base64Url(RefreshHeader),
            Ids.IdGenerator.NewOpaque(256),
            Ids.IdGenerator.NewOpaque(12),
            Ids.IdGenerator.NewOpaque(384),
            Ids.IdGenerator.NewOpaque(16));

    /// <summary>
    /// Checks an access token presented to a Cognito API (GetUser, ChangePassword, ...): RS256 signature by one of
    /// the pool's access keys, <c>token_use</c> access, not expired, scope <c>aws.cognito.signin.user.admin</c>,
    /// not revoked (its refresh token's origin_jti), user present and enabled.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException ("Invalid Access Token", "Access Token has expired",
    /// "Access Token has been revoked", "Access Token does not have required scopes", "User is disabled."), UserNotFoundException.</exception>
    public async ValueTask<AccessTokenContext> ValidateAccessTokenAsync(string token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow();
        if (verifiedAccess.TryGetValue(token, out var v))
        {
            // Signature, token_use and scope were verified when the token was first seen; its key must still be one
            // this node publishes (a retired key stops verifying its tokens here exactly as on the first sight).
            var keys = await GetKeysAsync(v.PoolId, v.KeyId, ct).ConfigureAwait(false);
            if (keys.PublishedAccessKey(v.KeyId, now) is null)
            {
                verifiedAccess.TryRemove(token, out _);
                throw CognitoErrors.NotAuthorized("Invalid Access Token");
            }
        }
        else
        {
            v = await VerifyAccessTokenAsync(token, now, ct).ConfigureAwait(false);
            if (verifiedAccess.Count >= VerifiedAccessCapacity) verifiedAccess.Clear();
            verifiedAccess.TryAdd(token, v);
        }
        if (v.ExpiresAt <= now.ToUnixTimeSeconds())
        {
            verifiedAccess.TryRemove(token, out _);
            throw CognitoErrors.NotAuthorized("Access Token has expired");
        }
        // The issuer's pool id: a replica's id stops working (Invalid Access Token) as soon as the replica is INACTIVE or deleted.
        var pool = await pools.GetAsync(v.IssuerPoolId, ct).ConfigureAwait(false) ?? throw CognitoErrors.NotAuthorized("Invalid Access Token");
        var (user, revoked) = await users.GetForAccessTokenAsync(v.PoolId, v.Username, v.OriginJti, ct).ConfigureAwait(false);
        if (revoked) throw CognitoErrors.NotAuthorized("Access Token has been revoked");
        // A token outlives a deleted user: a new user with the same username (different sub) must not inherit it.
        if (user is null || !string.Equals(user.Sub, v.Sub, StringComparison.Ordinal)) throw CognitoErrors.UserNotFound();
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        return new AccessTokenContext(pool, user, v.ClientId, v.OriginJti, DateTimeOffset.FromUnixTimeSeconds(v.AuthTime));
    }

    /// <summary>
    /// The claims of an access token whose signature (by a published access key of its pool), <c>token_use</c> and scope
    /// have been verified. Immutable facts about the token: only time (<see cref="ExpiresAt"/>, Unix seconds), the key's
    /// publication, revocation and the user are re-checked on every use.
    /// </summary>
    sealed record VerifiedAccessToken(string PoolId, string KeyId, string Username, string ClientId, string? OriginJti, string? Sub, long ExpiresAt, long AuthTime)
    {
        /// <summary>The pool id in the token's <c>iss</c>: <see cref="PoolId"/>, or the id of the replica the token was issued through.</summary>
        public required string IssuerPoolId { get; init; }

        /// <summary>The token's <c>scope</c> claim, split.</summary>
        public IReadOnlyList<string> Scopes { get; init; } = [];
    }

    /// <summary>
    /// Access tokens already verified by this node, keyed by the exact token string (ordinal), at most
    /// <see cref="VerifiedAccessCapacity"/> entries (cleared when full). A client presents the same access token on
    /// every call for up to its lifetime, so GetUser and the other token actions skip the RS256 verification and the
    /// JSON parsing after the first call. Only tokens that passed every check are stored.
    /// </summary>
    readonly ConcurrentDictionary<string, VerifiedAccessToken> verifiedAccess = new(StringComparer.Ordinal);

    /// <summary>Most access tokens remembered as verified (about 1.5 KB each).</summary>
    const int VerifiedAccessCapacity = 10_000;

    /// <summary>
    /// Checks an access token presented to <c>/oauth2/userInfo</c> (OpenID Connect Core §5.3; reference §9.5): as
    /// <see cref="ValidateAccessTokenAsync"/> (signature by a published access key, <c>token_use</c>, expiry, revocation through
    /// <c>origin_jti</c>, user present with the same sub and enabled), but the scope must contain <c>openid</c> instead of
    /// <c>aws.cognito.signin.user.admin</c>. Not cached: userInfo is called once per sign-in, not per API call.
    /// </summary>
    /// <returns>The token's context and its scopes.</returns>
    /// <exception cref="CognitoException">NotAuthorizedException or UserNotFoundException, as <see cref="ValidateAccessTokenAsync"/>.</exception>
    public async ValueTask<(AccessTokenContext Context, IReadOnlyList<string> Scopes)> ValidateOpenIdAccessTokenAsync(string token, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        var now = time.GetUtcNow();
        var v = await VerifyAccessTokenAsync(token, now, ct, requiredScope: "openid").ConfigureAwait(false);
        var pool = await pools.GetAsync(v.IssuerPoolId, ct).ConfigureAwait(false) ?? throw CognitoErrors.NotAuthorized("Invalid Access Token");
        var (user, revoked) = await users.GetForAccessTokenAsync(v.PoolId, v.Username, v.OriginJti, ct).ConfigureAwait(false);
        if (revoked) throw CognitoErrors.NotAuthorized("Access Token has been revoked");
        if (user is null || !string.Equals(user.Sub, v.Sub, StringComparison.Ordinal)) throw CognitoErrors.UserNotFound();
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        return (new AccessTokenContext(pool, user, v.ClientId, v.OriginJti, DateTimeOffset.FromUnixTimeSeconds(v.AuthTime)), v.Scopes);
    }

    async ValueTask<VerifiedAccessToken> VerifyAccessTokenAsync(string token, DateTimeOffset now, CancellationToken ct, string requiredScope = AdminScope)
    {
        var issuerPoolId = PeekPoolId(token) ?? throw CognitoErrors.NotAuthorized("Invalid Access Token");
        // A replica's id resolves to its pool: the keys, users and revocations are the pool's own.
        var poolId = (await pools.GetAsync(issuerPoolId, ct).ConfigureAwait(false) ?? throw CognitoErrors.NotAuthorized("Invalid Access Token")).Id;
        var keys = await GetKeysAsync(poolId, PeekKid(token), ct).ConfigureAwait(false);
        var result = JwtReader.Read(token, kid => keys.PublishedAccessKey(kid, now));
        if (!result.IsValid) throw CognitoErrors.NotAuthorized("Invalid Access Token");
        if (!result.TryGetString("token_use", out var use) || use != AccessUse) throw CognitoErrors.NotAuthorized("Invalid Access Token");
        if (!result.TryGetInt64("exp", out var exp) || exp <= now.ToUnixTimeSeconds()) throw CognitoErrors.NotAuthorized("Access Token has expired");
        if (!result.TryGetString("scope", out var scope) || scope is null || !scope.Split(' ').Contains(requiredScope, StringComparer.Ordinal))
            throw CognitoErrors.NotAuthorized("Access Token does not have required scopes");
        result.TryGetString("username", out var username);
        result.TryGetString("client_id", out var clientId);
        result.TryGetString("origin_jti", out var originJti);
        result.TryGetInt64("auth_time", out var authTime);
        result.TryGetString("sub", out var sub);
        if (username is null || clientId is null || result.KeyId is null) throw CognitoErrors.NotAuthorized("Invalid Access Token");
        return new VerifiedAccessToken(poolId, result.KeyId, username, clientId, originJti, sub, exp, authTime) { IssuerPoolId = issuerPoolId, Scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) };
    }

    /// <summary>The pool's JWKS document (<c>{"keys":[...]}</c>, UTF-8 JSON), creating the keys on first use.</summary>
    public async ValueTask<byte[]> GetJwksAsync(string userPoolId, CancellationToken ct = default)
    {
        // Served from a one-second cache; past it, from the database, so a key rotated in on another node is published here
        // within a second (verifiers cache the JWKS themselves); signing keeps using the node's short-lived key cache.
        // Concurrent reloads share one load, and keys already unsealed on this node are reused, so a flood stays cheap.
        if (jwksServed.TryGetValue(userPoolId, out var served) && time.GetUtcNow() - served.LoadedAt < JwksCacheAge) return served.Document;
        var lazy = jwksInFlight.GetOrAdd(userPoolId, id => new Lazy<Task<byte[]>>(() => LoadJwksAsync(id)));
        try
        {
            var document = await lazy.Value.WaitAsync(ct).ConfigureAwait(false);
            return document;
        }
        finally
        {
            jwksInFlight.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(userPoolId, lazy));
        }
    }

    async Task<byte[]> LoadJwksAsync(string userPoolId)
    {
        await Task.Yield();
        cache.TryRemove(userPoolId, out var previous);
        if (previous is not null) reusable[userPoolId] = previous;
        var keys = await GetKeysAsync(userPoolId, null, CancellationToken.None).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var document = Jwks.ToUtf8Json(keys.Entries.Where(e => keys.IsPublished(e, now)).Select(e => e.Key.PublicJwk));
        jwksServed[userPoolId] = (document, now);
        return document;
    }

    /// <summary>Keys of a pool evicted from <see cref="cache"/> for a reload, offered to the next <see cref="LoadKeysAsync"/> so it does not unseal them again.</summary>
    readonly ConcurrentDictionary<string, PoolKeys> reusable = new(StringComparer.Ordinal);

    /// <summary>The outcome of <see cref="RotateKeysAsync"/>: the new ID- and access-token kids and when they start signing (UTC).</summary>
    public sealed record KeyRotation(string IdKeyId, string AccessKeyId, DateTimeOffset ActivatesAt);

    /// <summary>
    /// Rotates the pool's signing keys: adds a new ID-token key and a new access-token key, published in the JWKS at once but
    /// signing only from now + <paramref name="activationDelay"/>, so verifiers that cache the JWKS (aws-jwt-verify, JwtBearer,
    /// Cognate.AspNetCore) have seen the new keys before the first token needs them. The old keys keep being published until
    /// every token they signed has expired (<see cref="RetiredKeyPublication"/> after the new keys activate), then drop out.
    /// Amazon Cognito rotates its keys itself and has no such operation; this is Cognate's operator endpoint
    /// <c>POST /_admin/user-pools/{poolId}/signing-keys/rotate</c>.
    /// </summary>
    /// <param name="userPoolId">The pool (must exist).</param>
    /// <param name="activationDelay">Publication lead time, at least zero.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The new kids and their activation time.</returns>
    public async ValueTask<KeyRotation> RotateKeysAsync(string userPoolId, TimeSpan activationDelay, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(activationDelay, TimeSpan.Zero);
        await GetKeysAsync(userPoolId, null, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var activatesAt = now + activationDelay;
        var kids = new Dictionary<string, string>(StringComparer.Ordinal);
        await keyCreation.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            foreach (var use in new[] { IdUse, AccessUse })
            {
                using var key = SigningKey.Create();
                var sealedKey = protector.Protect(key.ExportPkcs8(), KeyAad(userPoolId, key.KeyId));
                await keyStore.AddAsync(new SigningKeyRecord(userPoolId, key.KeyId, use, sealedKey, now, Active: true) { ActivatesAt = activatesAt }, ct).ConfigureAwait(false);
                kids[use] = key.KeyId;
            }
        }
        finally
        {
            keyCreation.Release();
        }
        cache.TryRemove(userPoolId, out _);
        jwksServed.TryRemove(userPoolId, out _);
        return new KeyRotation(kids[IdUse], kids[AccessUse], activatesAt);
    }

    /// <summary>Makes sure the pool has its two signing keys (called when a pool is created).</summary>
    public async ValueTask EnsureKeysAsync(string userPoolId, CancellationToken ct = default) => await GetKeysAsync(userPoolId, null, ct).ConfigureAwait(false);

    async ValueTask<PoolKeys> GetKeysAsync(string userPoolId, string? wantedKid, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        bool unknownKid = false;
        if (cache.TryGetValue(userPoolId, out var cached) && now - cached.LoadedAt < KeyCacheAge)
        {
            if (wantedKid is null || cached.All.ContainsKey(wantedKid)) return cached;
            var boxKey = userPoolId + "/" + wantedKid;
            if (unknownKidPenalty.TryGetValue(boxKey, out var until) && until > now) return cached;
            // Claim the reload atomically: of many concurrent requests with unknown kids, one reloads, the rest are penalised.
            bool claimed = false;
            lastUnknownKidReload.AddOrUpdate(userPoolId,
                _ => { claimed = true; return now; },
                (_, last) => { claimed = now - last >= UnknownKidReloadInterval; return claimed ? now : last; });
            if (!claimed)
            {
                Penalize(boxKey, now);
                return cached;
            }
            unknownKid = true;
            reusable[userPoolId] = cached;
        }
        var loaded = await LoadKeysAsync(userPoolId, ct).ConfigureAwait(false);
        if (unknownKid)
        {
            Interlocked.Increment(ref unknownKidReloads);
            UnknownKidReloaded?.Invoke(userPoolId);
            if (loaded is not null && !loaded.All.ContainsKey(wantedKid!)) Penalize(userPoolId + "/" + wantedKid, now);
        }
        if (loaded is null)
        {
            await keyCreation.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                loaded = await LoadKeysAsync(userPoolId, ct).ConfigureAwait(false);
                if (loaded is null)
                {
                    var records = new List<SigningKeyRecord>(2);
                    foreach (var use in new[] { IdUse, AccessUse })
                    {
                        using var key = SigningKey.Create();
                        var pkcs8 = key.ExportPkcs8();
                        records.Add(new SigningKeyRecord(userPoolId, key.KeyId, use, protector.Protect(pkcs8, KeyAad(userPoolId, key.KeyId)), now, Active: true));
                        CryptographicOperations.ZeroMemory(pkcs8);
                    }
                    // False when another node won the race: its keys are loaded below.
                    await keyStore.AddInitialAsync(records, ct).ConfigureAwait(false);
                    loaded = await LoadKeysAsync(userPoolId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("Signing keys could not be created.");
                }
            }
            finally
            {
                keyCreation.Release();
            }
        }
        cache[userPoolId] = loaded;
        return loaded;
    }

    void Penalize(string boxKey, DateTimeOffset now)
    {
        if (unknownKidPenalty.Count >= PenaltyBoxCapacity) unknownKidPenalty.Clear();
        unknownKidPenalty[boxKey] = now + UnknownKidPenalty;
    }

    /// <summary>Releases the cached keys.</summary>
    public void Dispose()
    {
        keyCreation.Dispose();
        foreach (var keys in cache.Values) foreach (var k in keys.All.Values) k.Dispose();
        cache.Clear();
    }

    static byte[] KeyAad(string userPoolId, string kid) => Encoding.UTF8.GetBytes("signing-key:" + userPoolId + "/" + kid);

    async ValueTask<PoolKeys?> LoadKeysAsync(string userPoolId, CancellationToken ct)
    {
        var records = await keyStore.ListAsync(userPoolId, ct).ConfigureAwait(false);
        // Signing keys are immutable rows: a kid already unsealed on this node is reused instead of unsealed again.
        var known = (cache.TryGetValue(userPoolId, out var current) ? current : null)?.All;
        if (reusable.TryRemove(userPoolId, out var evicted)) known ??= evicted.All;
        var all = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        var accessKids = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<KeyEntry>(records.Count);
        bool id = false, access = false;
        foreach (var r in records)
        {
            if (known is null || !known.TryGetValue(r.Kid, out var key))
            {
                var pkcs8 = protector.Unprotect(r.EncryptedPrivateKey, KeyAad(userPoolId, r.Kid));
                key = SigningKey.ImportPkcs8(pkcs8, r.Kid);
                CryptographicOperations.ZeroMemory(pkcs8);
            }
            all[r.Kid] = key;
            if (r.Use == AccessUse) accessKids.Add(r.Kid);
            entries.Add(new KeyEntry(key, r.Use, r.ActivatesAt ?? r.CreatedAt));
            id |= r.Active && r.Use == IdUse;
            access |= r.Active && r.Use == AccessUse;
        }
        return !id || !access ? null : new PoolKeys(entries, all, accessKids, time.GetUtcNow());
    }

    static string? PeekKid(string token) => PeekClaim(token, 0, "kid");

    static string? PeekPoolId(string token)
    {
        var iss = PeekClaim(token, 1, "iss");
        if (iss is null) return null;
        int slash = iss.LastIndexOf('/');
        return slash >= 0 && slash < iss.Length - 1 ? iss[(slash + 1)..] : null;
    }

    static string? PeekClaim(string token, int segment, string claim)
    {
        if (token.Length > JwtReader.MaxTokenLength) return null;
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var s = parts[segment].Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            using var doc = JsonDocument.Parse(Convert.FromBase64String(s));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(claim, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (FormatException) { return null; }
        catch (JsonException) { return null; }
    }
}
