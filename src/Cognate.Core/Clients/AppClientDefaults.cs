using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Clients;

/// <summary>
/// Cognito's defaults and semantic checks for CreateUserPoolClient / UpdateUserPoolClient
/// (reference §2.5, §6.6). What Cognito echoes for an omitted member is what is stored:
/// RefreshTokenValidity 30 with <c>TokenValidityUnits: {}</c>, no Access/IdTokenValidity (1 hour
/// effective), AuthSessionValidity 3, EnableTokenRevocation true,
/// EnablePropagateAdditionalUserContextData false, AllowedOAuthFlowsUserPoolClient false, the default
/// ExplicitAuthFlows; PreventUserExistenceErrors stays absent (LEGACY effective).
/// </summary>
public static class AppClientDefaults
{
    /// <summary>ExplicitAuthFlows of a client created without them.</summary>
    public static IReadOnlyList<string> ExplicitAuthFlows { get; } = ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"];
    /// <summary>Default refresh-token validity, days.</summary>
    public const int RefreshTokenValidityDays = 30;
    /// <summary>Default sign-in session validity, minutes.</summary>
    public const int AuthSessionValidity = 3;
    /// <summary>The standard scopes a client may be given (besides its pool's resource-server scopes).</summary>
    public static IReadOnlyList<string> KnownScopes { get; } = ["phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"];

    static readonly string[] LegacyFlows = ["ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"];

    /// <summary>True for the pre-2019 ExplicitAuthFlows values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH).</summary>
    public static bool IsLegacyFlow(string flow) => LegacyFlows.Contains(flow, StringComparer.Ordinal);

    /// <summary><paramref name="value"/> in <paramref name="unit"/> (seconds, minutes, hours, days) as a duration.</summary>
    public static TimeSpan ToTimeSpan(long value, string unit) => unit switch
    {
        "seconds" => TimeSpan.FromSeconds(value),
        "minutes" => TimeSpan.FromMinutes(value),
        "hours" => TimeSpan.FromHours(value),
        "days" => TimeSpan.FromDays(value),
        _ => throw CognitoErrors.Validation($"Value '{unit}' at 'tokenValidityUnits' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]"),
    };

    static CognitoException InvalidRange() => CognitoErrors.InvalidParameter("Invalid range for token validity.");

    /// <summary>
    /// <paramref name="request"/> validated against <paramref name="pool"/> with defaults filled.
    /// </summary>
    /// <param name="request">The requested configuration (ClientName already resolved).</param>
    /// <param name="pool">The owning pool (its schema bounds Read/WriteAttributes).</param>
    /// <param name="hasSecret">Whether the client has (or gets) a secret.</param>
    /// <param name="creating">Create (true) or Update (false): only changes error wording.</param>
    /// <exception cref="CognitoException">InvalidParameterException (flows, validities, attributes,
    /// redirect URIs), InvalidOAuthFlowException, ScopeDoesNotExistException.</exception>
    /// <param name="customScopes">The pool's resource-server scopes (<c>{identifier}/{scope}</c>); null: none.</param>
    /// <param name="identityProviders">Which of the requested SupportedIdentityProviders are identity providers of the pool (besides
    /// COGNITO, always allowed); null: none.</param>
    public static AppClientConfig Apply(AppClientConfig request, UserPool pool, bool hasSecret, bool creating, IReadOnlySet<string>? customScopes = null,
        IReadOnlySet<string>? identityProviders = null)
    {
        // Auth flows.
        var flows = request.ExplicitAuthFlows is { Count: > 0 } f ? f.Distinct(StringComparer.Ordinal).ToList() : [.. ExplicitAuthFlows];
        bool anyLegacy = flows.Any(IsLegacyFlow);
        bool anyAllow = flows.Any(x => !IsLegacyFlow(x));
        if (anyLegacy && anyAllow)
        {
            throw CognitoErrors.InvalidParameter("The ExplicitAuthFlows cannot mix legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_ values.");
        }
        if (flows.Contains(OAuth.GrantRules.AllowClientTokenAuth))
        {
            // GetClientToken's flow authorizes an application, not a user: Cognito requires it to be the client's only flow.
            if (flows.Count > 1)
            {
                throw CognitoErrors.InvalidParameter("ALLOW_CLIENT_TOKEN_AUTH must be the only value of ExplicitAuthFlows: it cannot be combined with user authentication flows.");
            }
        }
        else if (anyAllow && !flows.Contains("ALLOW_REFRESH_TOKEN_AUTH") && !string.Equals(request.RefreshTokenRotation?.Feature, Tokens.RefreshTokenRotation.Enabled, StringComparison.Ordinal))
        {
            // A client with refresh-token rotation refreshes through GetTokensFromRefreshToken only, so Cognito lets it (and
            // tells it to) leave ALLOW_REFRESH_TOKEN_AUTH out.
            throw CognitoErrors.InvalidParameter("REFRESH_TOKEN_AUTH should always be allowed.");
        }

        // Token validities, checked in the units given (defaults: hours for access/id, days for refresh).
        var units = request.TokenValidityUnits ?? new TokenValidityUnitsType();
        var access = request.AccessTokenValidity;
        var id = request.IdTokenValidity;
        var refresh = request.RefreshTokenValidity is { } r and > 0 ? r : (int)(TimeSpan.FromDays(RefreshTokenValidityDays) / ToTimeSpan(1, units.RefreshToken ?? "days"));
        TimeSpan accessSpan = access is { } a ? ToTimeSpan(a, units.AccessToken ?? "hours") : TimeSpan.FromHours(1);
        TimeSpan idSpan = id is { } i ? ToTimeSpan(i, units.IdToken ?? "hours") : TimeSpan.FromHours(1);
        TimeSpan refreshSpan = ToTimeSpan(refresh, units.RefreshToken ?? "days");
        if (accessSpan < TimeSpan.FromMinutes(5) || accessSpan > TimeSpan.FromDays(1)) throw InvalidRange();
        if (idSpan < TimeSpan.FromMinutes(5) || idSpan > TimeSpan.FromDays(1)) throw InvalidRange();
        if (refreshSpan < TimeSpan.FromMinutes(60) || refreshSpan > TimeSpan.FromDays(3650)) throw InvalidRange();
        if (accessSpan > refreshSpan || idSpan > refreshSpan) throw InvalidRange();

        int session = request.AuthSessionValidity ?? AuthSessionValidity;
        if (session is < 3 or > 15)
        {
            throw CognitoErrors.Validation($"Value '{session}' at 'authSessionValidity' failed to satisfy constraint: Member must have value {(session < 3 ? "greater than or equal to 3" : "less than or equal to 15")}");
        }

        // Attribute permissions.
        string verb = creating ? "creating" : "updating";
        var schema = pool.Config.SchemaAttributes ?? [.. StandardSchema.Attributes];
        SchemaAttributeType? Find(string name) =>
            schema.FirstOrDefault(s => s.Name == name) ?? (name.StartsWith("custom:", StringComparison.Ordinal) ? schema.FirstOrDefault(s => s.Name == "dev:" + name) : null);
        var read = Distinct(request.ReadAttributes);
        if (read?.Any(n => Find(n) is null) == true)
        {
            throw CognitoErrors.InvalidParameter($"Invalid read attributes specified while {verb} a client");
        }
        var write = Distinct(request.WriteAttributes);
        if (write?.Any(n => n == "sub" || Find(n) is not { Mutable: true }) == true)
        {
            throw CognitoErrors.InvalidParameter($"Invalid write attributes specified while {verb} a client");
        }

        // OAuth (reference §9): flows need AllowedOAuthFlowsUserPoolClient, code/implicit need callbacks, client_credentials needs a
        // secret and only custom scopes; scopes must exist; redirect URIs follow the authorize endpoint's rules.
        var oauthFlows = Distinct(request.AllowedOAuthFlows);
        var scopes = Distinct(request.AllowedOAuthScopes);
        var callbacks = Distinct(request.CallbackURLs);
        var logouts = Distinct(request.LogoutURLs);
        bool oauthClient = request.AllowedOAuthFlowsUserPoolClient ?? false;
        if (oauthFlows is { Count: > 0 })
        {
            if (!oauthClient)
            {
                throw CognitoErrors.InvalidOAuthFlow("AllowedOAuthFlowsUserPoolClient must be true to use AllowedOAuthFlows.");
            }
            bool clientCredentials = oauthFlows.Contains("client_credentials");
            if (clientCredentials && oauthFlows.Count > 1)
            {
                throw CognitoErrors.InvalidOAuthFlow("client_credentials flow can not be selected along with code flow or implicit flow.");
            }
            if (clientCredentials && !hasSecret)
            {
                throw CognitoErrors.InvalidOAuthFlow("client_credentials flow can not be selected if client does not have a client secret.");
            }
            if (!clientCredentials && callbacks is not { Count: > 0 })
            {
                throw CognitoErrors.InvalidOAuthFlow("CallbackUrls can not be empty when code flow or implicit flow is selected");
            }
            if (scopes is not { Count: > 0 })
            {
                throw CognitoErrors.InvalidOAuthFlow("AllowedOAuthScopes can not be empty when AllowedOAuthFlows are selected.");
            }
            if (clientCredentials && scopes.FirstOrDefault(x => KnownScopes.Contains(x, StringComparer.Ordinal)) is { } standard)
            {
                throw CognitoErrors.InvalidOAuthFlow($"client_credentials flow can only be used with custom scopes: {standard} is not a custom scope.");
            }
        }
        else if (oauthClient)
        {
            throw CognitoErrors.InvalidOAuthFlow("AllowedOAuthFlows can not be empty when AllowedOAuthFlowsUserPoolClient is true.");
        }
        foreach (var scope in scopes ?? [])
        {
            if (!KnownScopes.Contains(scope, StringComparer.Ordinal) && customScopes?.Contains(scope) != true)
            {
                throw CognitoErrors.ScopeDoesNotExist($"Invalid scope requested: {scope}");
            }
        }
        foreach (var url in callbacks ?? []) CheckRedirectUri(url, "CallbackURLs");
        foreach (var url in logouts ?? []) CheckRedirectUri(url, "LogoutURLs");
        if (request.DefaultRedirectURI is { } redirect)
        {
            CheckRedirectUri(redirect, "DefaultRedirectURI");
            if (callbacks?.Contains(redirect) != true) throw CognitoErrors.InvalidParameter("DefaultRedirectURI must be one of the CallbackURLs.");
        }
        foreach (var provider in Distinct(request.SupportedIdentityProviders) ?? [])
        {
            if (provider != "COGNITO" && identityProviders?.Contains(provider) != true) throw CognitoErrors.InvalidParameter($"The provider {provider} does not exist for User Pool {pool.Id}");
        }
        if (request.EnablePropagateAdditionalUserContextData == true && !hasSecret)
        {
            throw CognitoErrors.InvalidParameter("EnablePropagateAdditionalUserContextData can only be enabled for an app client with a client secret.");
        }

        return request with
        {
            ExplicitAuthFlows = flows,
            TokenValidityUnits = units,
            RefreshTokenValidity = refresh,
            AccessTokenValidity = access,
            IdTokenValidity = id,
            AuthSessionValidity = session,
            ReadAttributes = read,
            WriteAttributes = write,
            AllowedOAuthFlows = oauthFlows,
            AllowedOAuthScopes = scopes,
            CallbackURLs = callbacks,
            LogoutURLs = logouts,
            SupportedIdentityProviders = Distinct(request.SupportedIdentityProviders),
            AllowedOAuthFlowsUserPoolClient = oauthClient,
            EnableTokenRevocation = request.EnableTokenRevocation ?? true,
            EnablePropagateAdditionalUserContextData = request.EnablePropagateAdditionalUserContextData ?? false,
        };
    }

    /// <summary>
    /// A callback, logout or default redirect URI as Cognito accepts it: absolute, no fragment, <c>https</c> — or <c>http</c> for
    /// <c>localhost</c> only — or another (custom, app) scheme such as <c>myapp://cb</c>; never javascript:, data:, vbscript: or file:
    /// (Cognate's addition: they are not app schemes and a redirect to them only serves script injection).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException naming <paramref name="member"/>.</exception>
    public static void CheckRedirectUri(string url, string member)
    {
        int colon = url.IndexOf(':', StringComparison.Ordinal);
        if (colon < 1 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || url.Any(char.IsWhiteSpace)
            || !string.Equals(uri.Scheme, url[..colon], StringComparison.OrdinalIgnoreCase))
        {
            throw CognitoErrors.InvalidParameter($"{member} must be absolute URIs: {url} is not.");
        }
        if (url.Contains('#', StringComparison.Ordinal))
        {
            throw CognitoErrors.InvalidParameter($"{member} must not contain a fragment: {url}");
        }
        if (uri.Scheme is "javascript" or "data" or "vbscript" or "file")
        {
            throw CognitoErrors.InvalidParameter($"{member} must not use the {uri.Scheme} scheme.");
        }
        if (uri.Scheme == Uri.UriSchemeHttp && uri.Host != "localhost")
        {
            throw CognitoErrors.InvalidParameter($"{member} must use HTTPS, except http://localhost: {url}");
        }
    }

    static List<string>? Distinct(List<string>? values) => values is { Count: > 0 } ? [.. values.Distinct(StringComparer.Ordinal)] : null;
}
