using Cognate.Core.Clients;

namespace Cognate.Core.OAuth;

/// <summary>
/// The ordered checks of the client_credentials grant (RFC 6749 §4.4; reference §9.4, §9.7), as small pure functions so
/// each has its own unit test. Order: client is confidential → client may use the grant (or GetClientToken) → scopes.
/// </summary>
public static class GrantRules
{
    /// <summary>The grant type names of RFC 6749 that /oauth2/token knows.</summary>
    public const string ClientCredentials = "client_credentials", RefreshToken = "refresh_token", AuthorizationCode = "authorization_code";

    /// <summary>Scopes that name OIDC or Cognito features rather than a resource server; client_credentials never grants them.</summary>
    public static readonly IReadOnlySet<string> ReservedScopes = new HashSet<string>(StringComparer.Ordinal)
    {
        "openid", "email", "phone", "profile", "aws.cognito.signin.user.admin",
    };

    /// <summary>True for a resource-server scope <c>{identifier}/{name}</c> (reference §9.7).</summary>
    public static bool IsCustomScope(string scope) => !ReservedScopes.Contains(scope) && scope.Contains('/', StringComparison.Ordinal);

    /// <summary>
    /// May <paramref name="client"/> use client_credentials? It needs a secret, <c>AllowedOAuthFlowsUserPoolClient</c> = true
    /// and <c>client_credentials</c> in <c>AllowedOAuthFlows</c>; else <c>unauthorized_client</c>.
    /// </summary>
    public static OAuthError? CheckClientCredentialsAllowed(AppClient client)
    {
        if (client.ClientSecret is null) return new OAuthError(OAuthErrors.UnauthorizedClient);
        if (client.Config.AllowedOAuthFlowsUserPoolClient != true) return new OAuthError(OAuthErrors.UnauthorizedClient);
        if (client.Config.AllowedOAuthFlows?.Contains(ClientCredentials, StringComparer.Ordinal) != true) return new OAuthError(OAuthErrors.UnauthorizedClient);
        return null;
    }

    /// <summary>The ExplicitAuthFlows value that enables GetClientToken (Cognito developer guide, "Scopes, M2M, and resource servers").</summary>
    public const string AllowClientTokenAuth = "ALLOW_CLIENT_TOKEN_AUTH";

    /// <summary>
    /// May <paramref name="client"/> use the GetClientToken action (the API twin of client_credentials)? It needs a secret and
    /// <see cref="AllowClientTokenAuth"/> in <c>ExplicitAuthFlows</c>; the OAuth flow settings do not matter. Else <c>unauthorized_client</c>.
    /// </summary>
    public static OAuthError? CheckClientTokenAllowed(AppClient client)
    {
        if (client.ClientSecret is null) return new OAuthError(OAuthErrors.UnauthorizedClient);
        if (client.Config.ExplicitAuthFlows?.Contains(AllowClientTokenAuth, StringComparer.Ordinal) != true) return new OAuthError(OAuthErrors.UnauthorizedClient);
        return null;
    }

    /// <summary>
    /// The scopes a client_credentials token gets. <paramref name="requested"/> is the <c>scope</c> parameter (space-separated,
    /// RFC 6749 §3.3); null or blank means every custom scope the client is allowed. Each requested scope must be a custom
    /// scope in the client's <c>AllowedOAuthScopes</c>. Duplicates are dropped, order kept.
    /// </summary>
    /// <returns>The granted scopes (at least one), or <c>invalid_scope</c>.</returns>
    public static OAuthOutcome<IReadOnlyList<string>> ClientCredentialsScopes(AppClient client, string? requested)
    {
        var allowed = client.Config.AllowedOAuthScopes ?? [];
        List<string> granted = [];
        if (string.IsNullOrWhiteSpace(requested))
        {
            foreach (var s in allowed) if (IsCustomScope(s) && !granted.Contains(s, StringComparer.Ordinal)) granted.Add(s);
        }
        else
        {
            foreach (var s in requested.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsCustomScope(s) || !allowed.Contains(s, StringComparer.Ordinal)) return OAuthOutcome<IReadOnlyList<string>>.Fail(OAuthErrors.InvalidScope);
                if (!granted.Contains(s, StringComparer.Ordinal)) granted.Add(s);
            }
        }
        return granted.Count == 0 ? OAuthOutcome<IReadOnlyList<string>>.Fail(OAuthErrors.InvalidScope) : OAuthOutcome<IReadOnlyList<string>>.Ok(granted);
    }
}
