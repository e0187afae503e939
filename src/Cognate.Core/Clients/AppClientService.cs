using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Ids;
using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Clients;

/// <summary>
/// App-client management (CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
/// UpdateUserPoolClient, DeleteUserPoolClient) and the client checks every public action needs
/// (enabled auth flows, token and session lifetimes).
/// </summary>
/// <remarks><paramref name="resourceServers"/> supplies the custom scopes clients may name; without it only standard scopes exist.
/// <paramref name="identityProviders"/> supplies the pool's identity providers SupportedIdentityProviders may name; without it only
/// COGNITO exists.</remarks>
public sealed partial class AppClientService(IAppClientStore clients, UserPoolService pools, TimeProvider time, ResourceServers.ResourceServerService? resourceServers = null,
    IdentityProviders.IdentityProviderService? identityProviders = null)
{
    /// <summary>Largest (and default) ListUserPoolClients page.</summary>
    public const int MaxPageSize = 60;

    [GeneratedRegex(@"^[\w+]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ClientIdPattern();

    /// <summary>
    /// The client and its pool for an unsigned public action, or <c>ResourceNotFoundException</c>
    /// "User pool client {id} does not exist.".
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<(AppClient Client, UserPool Pool)> GetWithPoolAsync(string clientId, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(clientId, ct).ConfigureAwait(false) ?? throw CognitoErrors.ClientNotFound(clientId);
        var pool = await pools.GetAsync(client.UserPoolId, ct).ConfigureAwait(false);
        return (client, pool);
    }

    /// <summary>
    /// DescribeUserPoolClient: the client of <paramref name="userPoolId"/> (a client of another pool is
    /// reported as missing).
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException for the pool or the client.</exception>
    public async ValueTask<AppClient> GetAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        var client = await clients.GetAsync(clientId, ct).ConfigureAwait(false);
        if (client is null || client.UserPoolId != userPoolId) throw CognitoErrors.ClientNotFound(clientId);
        return client;
    }

    /// <summary>
    /// CreateUserPoolClient: a new client (26-character id) with <paramref name="request"/> validated
    /// against the pool and Cognito's defaults filled (see <see cref="AppClientDefaults.Apply"/>).
    /// <paramref name="generateSecret"/> makes a 51-character secret; <paramref name="clientSecret"/>
    /// (24..64 of <c>[\w+]</c>) sets one; both together are refused.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool), InvalidParameterException,
    /// InvalidOAuthFlowException, ScopeDoesNotExistException.</exception>
    public async ValueTask<AppClient> CreateAsync(string userPoolId, AppClientConfig request, bool generateSecret = false, string? clientSecret = null, string? fixedClientId = null, CancellationToken ct = default)
    {
        var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(request.ClientName)) throw CognitoErrors.RequiredMember("clientName");
        if (generateSecret && clientSecret is not null)
        {
            throw CognitoErrors.InvalidParameter("You cannot specify both GenerateSecret as true and provide a ClientSecret value.");
        }
        if (clientSecret is not null && (clientSecret.Length is < 24 or > 64 || !ClientIdPattern().IsMatch(clientSecret)))
        {
            throw CognitoErrors.Validation("Value at 'clientSecret' failed to satisfy constraint: Member must have length between 24 and 64 and satisfy regular expression pattern: [\\w+]+");
        }
        var secret = generateSecret ? IdGenerator.NewClientSecret() : clientSecret;
        var config = AppClientDefaults.Apply(request, pool, secret is not null, creating: true, await CustomScopesAsync(request, userPoolId, ct).ConfigureAwait(false),
            await ProvidersAsync(request, userPoolId, ct).ConfigureAwait(false));
        var now = time.GetUtcNow();
        for (int attempt = 0; ; attempt++)
        {
            var client = new AppClient { ClientId = fixedClientId ?? IdGenerator.NewClientId(), UserPoolId = userPoolId, ClientSecret = secret, CreatedAt = now, ModifiedAt = now, Config = config, Version = 0 };
            if (await clients.CreateAsync(client, ct).ConfigureAwait(false)) return client;
            if (attempt >= 3) throw CognitoErrors.InternalError();
        }
    }

    /// <summary>
    /// ListUserPoolClients: clients of the pool ordered by id, at most <paramref name="maxResults"/>
    /// (1..60, default 60), continuing after the opaque <paramref name="nextToken"/>.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool); InvalidParameterException for a bad MaxResults or NextToken.</exception>
    public async ValueTask<ResultPage<AppClient>> ListAsync(string userPoolId, int? maxResults, string? nextToken, CancellationToken ct = default)
    {
        int limit = maxResults ?? MaxPageSize;
        if (limit is < 1 or > MaxPageSize)
        {
            throw CognitoErrors.Validation($"Value '{limit}' at 'maxResults' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 60")}");
        }
        await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
        var after = PageToken.Decode(nextToken, id => id.Length is > 0 and <= 128 && ClientIdPattern().IsMatch(id));
        var items = await clients.ListAsync(userPoolId, after, limit + 1, ct).ConfigureAwait(false);
        if (items.Count <= limit) return new ResultPage<AppClient>(items, null);
        var page = items.Take(limit).ToList();
        return new ResultPage<AppClient>(page, PageToken.Encode(page[^1].ClientId));
    }

    /// <summary>
    /// UpdateUserPoolClient: full replacement — every member omitted from <paramref name="request"/>
    /// returns to its default (an omitted ClientName keeps the name); the secret is unchanged.
    /// Optimistic concurrency: one retry on a version conflict.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, InvalidParameterException,
    /// InvalidOAuthFlowException, ScopeDoesNotExistException, ConcurrentModificationException.</exception>
    public async ValueTask<AppClient> UpdateAsync(string userPoolId, string clientId, AppClientConfig request, CancellationToken ct = default)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var pool = await pools.GetAsync(userPoolId, ct).ConfigureAwait(false);
            var current = await GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
            var config = AppClientDefaults.Apply(request with { ClientName = request.ClientName ?? current.Config.ClientName }, pool, current.ClientSecret is not null, creating: false,
                await CustomScopesAsync(request, userPoolId, ct).ConfigureAwait(false), await ProvidersAsync(request, userPoolId, ct).ConfigureAwait(false));
            var updated = current with { Config = config, ModifiedAt = time.GetUtcNow() };
            if (await clients.UpdateAsync(updated, ct).ConfigureAwait(false))
            {
                return updated with { Version = current.Version + 1 };
            }
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>DeleteUserPoolClient: deletes the client with its refresh tokens and sessions.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException for the pool or the client.</exception>
    public async ValueTask DeleteAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        await GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        if (!await clients.DeleteAsync(userPoolId, clientId, ct).ConfigureAwait(false)) throw CognitoErrors.ClientNotFound(clientId);
    }

    /// <summary>
    /// Whether <paramref name="client"/> allows the InitiateAuth / AdminInitiateAuth flow
    /// <paramref name="authFlow"/>: USER_PASSWORD_AUTH (ALLOW_USER_PASSWORD_AUTH or legacy USER_PASSWORD_AUTH),
    /// ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH (ALLOW_ADMIN_USER_PASSWORD_AUTH or legacy ADMIN_NO_SRP_AUTH),
    /// REFRESH_TOKEN_AUTH / REFRESH_TOKEN (ALLOW_REFRESH_TOKEN_AUTH; always with legacy values; never with refresh-token rotation),
    /// USER_SRP_AUTH (ALLOW_USER_SRP_AUTH; with legacy values unless CUSTOM_AUTH_FLOW_ONLY),
    /// CUSTOM_AUTH (ALLOW_CUSTOM_AUTH or CUSTOM_AUTH_FLOW_ONLY), USER_AUTH (ALLOW_USER_AUTH).
    /// A client stored without ExplicitAuthFlows has Cognito's default set.
    /// </summary>
    public static bool IsAuthFlowEnabled(AppClient client, string authFlow)
    {
        ArgumentNullException.ThrowIfNull(client);
        var flows = client.Config.ExplicitAuthFlows is { Count: > 0 } f ? f : AppClientDefaults.ExplicitAuthFlows;
        bool legacy = flows.Any(AppClientDefaults.IsLegacyFlow);
        bool Has(string v) => flows.Contains(v, StringComparer.Ordinal);
        return authFlow switch
        {
            "USER_PASSWORD_AUTH" => Has("ALLOW_USER_PASSWORD_AUTH") || Has("USER_PASSWORD_AUTH"),
            "ADMIN_USER_PASSWORD_AUTH" or "ADMIN_NO_SRP_AUTH" => Has("ALLOW_ADMIN_USER_PASSWORD_AUTH") || Has("ADMIN_NO_SRP_AUTH"),
            // Cognito: "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled."
            "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN" => !Tokens.RefreshTokenRotation.IsEnabled(client) && (legacy || Has("ALLOW_REFRESH_TOKEN_AUTH")),
            "USER_SRP_AUTH" => Has("ALLOW_USER_SRP_AUTH") || (legacy && !Has("CUSTOM_AUTH_FLOW_ONLY")),
            "CUSTOM_AUTH" => Has("ALLOW_CUSTOM_AUTH") || Has("CUSTOM_AUTH_FLOW_ONLY"),
            "USER_AUTH" => Has("ALLOW_USER_AUTH"),
            _ => false,
        };
    }

    /// <summary>
    /// Whether the client's refresh tokens may be redeemed by GetTokensFromRefreshToken and the <c>/oauth2/token</c> refresh_token
    /// grant: always on a client with refresh-token rotation (which has no REFRESH_TOKEN_AUTH, reference §3.5), otherwise when
    /// REFRESH_TOKEN_AUTH is enabled.
    /// </summary>
    public static bool CanRefresh(AppClient client) =>
        Tokens.RefreshTokenRotation.IsEnabled(client) || IsAuthFlowEnabled(client, "REFRESH_TOKEN_AUTH");

    /// <summary>Access-token lifetime: AccessTokenValidity in TokenValidityUnits.AccessToken (default 1 hour; unit default hours).</summary>
    public static TimeSpan AccessTokenLifetime(AppClient client) =>
        client.Config.AccessTokenValidity is { } v ? AppClientDefaults.ToTimeSpan(v, client.Config.TokenValidityUnits?.AccessToken ?? "hours") : TimeSpan.FromHours(1);

    /// <summary>ID-token lifetime: IdTokenValidity in TokenValidityUnits.IdToken (default 1 hour; unit default hours).</summary>
    public static TimeSpan IdTokenLifetime(AppClient client) =>
        client.Config.IdTokenValidity is { } v ? AppClientDefaults.ToTimeSpan(v, client.Config.TokenValidityUnits?.IdToken ?? "hours") : TimeSpan.FromHours(1);

    /// <summary>Refresh-token lifetime: RefreshTokenValidity in TokenValidityUnits.RefreshToken (default 30 days; 0 means 30 days; unit default days).</summary>
    public static TimeSpan RefreshTokenLifetime(AppClient client) =>
        client.Config.RefreshTokenValidity is { } v and > 0 ? AppClientDefaults.ToTimeSpan(v, client.Config.TokenValidityUnits?.RefreshToken ?? "days") : TimeSpan.FromDays(30);

    /// <summary>Lifetime of a multi-step sign-in session: AuthSessionValidity minutes (3..15, default 3).</summary>
    public static TimeSpan AuthSessionLifetime(AppClient client) => TimeSpan.FromMinutes(client.Config.AuthSessionValidity ?? AppClientDefaults.AuthSessionValidity);

    /// <summary>True when PreventUserExistenceErrors is ENABLED (default LEGACY: false).</summary>
    public static bool PreventsUserExistenceErrors(AppClient client) => client.Config.PreventUserExistenceErrors == "ENABLED";

    /// <summary>True when RevokeToken is allowed for this client (EnableTokenRevocation, default true).</summary>
    public static bool IsTokenRevocationEnabled(AppClient client) => client.Config.EnableTokenRevocation ?? true;

    internal TimeProvider Time => time;

    /// <summary>The pool's custom scopes, read only when the request names a scope that is not a standard one.</summary>
    async ValueTask<IReadOnlySet<string>?> CustomScopesAsync(AppClientConfig request, string userPoolId, CancellationToken ct)
    {
        if (resourceServers is null || request.AllowedOAuthScopes?.All(s => AppClientDefaults.KnownScopes.Contains(s, StringComparer.Ordinal)) != false) return null;
        return await resourceServers.CustomScopesAsync(userPoolId, ct).ConfigureAwait(false);
    }

    async ValueTask<IReadOnlySet<string>?> ProvidersAsync(AppClientConfig request, string userPoolId, CancellationToken ct)
    {
        if (identityProviders is null || request.SupportedIdentityProviders is not { Count: > 0 } names) return null;
        return await identityProviders.ExistingNamesAsync(userPoolId, names, ct).ConfigureAwait(false);
    }
}
