namespace Cognate.Core.Clients;

/// <summary>Cognito <c>TokenValidityUnitsType</c>: seconds, minutes, hours or days per token.</summary>
public sealed record TokenValidityUnitsType
{
    /// <summary>Unit of AccessTokenValidity (default hours).</summary>
    public string? AccessToken { get; init; }
    /// <summary>Unit of IdTokenValidity (default hours).</summary>
    public string? IdToken { get; init; }
    /// <summary>Unit of RefreshTokenValidity (default days).</summary>
    public string? RefreshToken { get; init; }
}

/// <summary>Cognito <c>RefreshTokenRotationType</c>; the rules are in <see cref="Tokens.RefreshTokenRotation"/>.</summary>
public sealed record RefreshTokenRotationType
{
    /// <summary>ENABLED or DISABLED.</summary>
    public string? Feature { get; init; }
    /// <summary>0..60 seconds a rotated refresh token keeps working, for client retries (absent: 0).</summary>
    public int? RetryGracePeriodSeconds { get; init; }
}

/// <summary>
/// The stored configuration of an app client: the members of CreateUserPoolClient /
/// UpdateUserPoolClient, named as in Cognito's <c>UserPoolClientType</c>.
/// </summary>
public sealed record AppClientConfig
{
    /// <summary>Client name (1..128).</summary>
    public string? ClientName { get; init; }
    /// <summary>Refresh token validity in <see cref="TokenValidityUnits"/>.RefreshToken units (default 30 days).</summary>
    public int? RefreshTokenValidity { get; init; }
    /// <summary>Access token validity (default 1 hour).</summary>
    public int? AccessTokenValidity { get; init; }
    /// <summary>ID token validity (default 1 hour).</summary>
    public int? IdTokenValidity { get; init; }
    /// <summary>Units of the three validities.</summary>
    public TokenValidityUnitsType? TokenValidityUnits { get; init; }
    /// <summary>Attributes this client may read (null: all).</summary>
    public List<string>? ReadAttributes { get; init; }
    /// <summary>Attributes this client may write (null: all writable).</summary>
    public List<string>? WriteAttributes { get; init; }
    /// <summary>ALLOW_* auth flows (or legacy names).</summary>
    public List<string>? ExplicitAuthFlows { get; init; }
    /// <summary>Identity providers (COGNITO, ...).</summary>
    public List<string>? SupportedIdentityProviders { get; init; }
    /// <summary>OAuth callback URLs.</summary>
    public List<string>? CallbackURLs { get; init; }
    /// <summary>OAuth logout URLs.</summary>
    public List<string>? LogoutURLs { get; init; }
    /// <summary>Default redirect URI.</summary>
    public string? DefaultRedirectURI { get; init; }
    /// <summary>code, implicit, client_credentials.</summary>
    public List<string>? AllowedOAuthFlows { get; init; }
    /// <summary>OAuth scopes.</summary>
    public List<string>? AllowedOAuthScopes { get; init; }
    /// <summary>Client may use the OAuth endpoints.</summary>
    public bool? AllowedOAuthFlowsUserPoolClient { get; init; }
    /// <summary>Stored verbatim.</summary>
    public System.Text.Json.Nodes.JsonObject? AnalyticsConfiguration { get; init; }
    /// <summary>LEGACY or ENABLED.</summary>
    public string? PreventUserExistenceErrors { get; init; }
    /// <summary>RevokeToken allowed (default true).</summary>
    public bool? EnableTokenRevocation { get; init; }
    /// <summary>Stored.</summary>
    public bool? EnablePropagateAdditionalUserContextData { get; init; }
    /// <summary>Minutes a multi-step sign-in session lives (3..15, default 3).</summary>
    public int? AuthSessionValidity { get; init; }
    /// <summary>Refresh-token rotation (GetTokensFromRefreshToken and the refresh_token grant return a new refresh token).</summary>
    public RefreshTokenRotationType? RefreshTokenRotation { get; init; }
}

/// <summary>An app client of a user pool. <see cref="ClientSecret"/> is null for public clients.</summary>
public sealed record AppClient
{
    /// <summary>26 lowercase alphanumerics.</summary>
    public required string ClientId { get; init; }
    /// <summary>Owning pool.</summary>
    public required string UserPoolId { get; init; }
    /// <summary>The secret (plaintext in memory; encrypted at rest), or null. The client's first secret (ListUserPoolClientSecrets).</summary>
    public string? ClientSecret { get; init; }
    /// <summary>When <see cref="ClientSecret"/> was created, UTC; null reads as <see cref="CreatedAt"/> (the secret made with the client).</summary>
    public DateTimeOffset? SecretCreatedAt { get; init; }
    /// <summary>A second secret added by AddUserPoolClientSecret (Cognito allows two per client, for rotation), or null.</summary>
    public AppClientSecret? SecondSecret { get; init; }
    /// <summary>Creation time, UTC.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last modification time, UTC.</summary>
    public required DateTimeOffset ModifiedAt { get; init; }
    /// <summary>Configuration with defaults filled.</summary>
    public required AppClientConfig Config { get; init; }
    /// <summary>Row version.</summary>
    public long Version { get; init; }

    /// <summary>
    /// The client's current secrets, oldest first (none for a public client): SECRET_HASH and client authentication accept any
    /// of them. Source: Cognito AddUserPoolClientSecret / ListUserPoolClientSecrets.
    /// </summary>
    public IReadOnlyList<AppClientSecret> Secrets
    {
        get
        {
            if (ClientSecret is null) return [];
            var first = new AppClientSecret(ClientSecret, SecretCreatedAt ?? CreatedAt);
            return SecondSecret is { } second ? [first, second] : [first];
        }
    }
}

/// <summary>One secret of an app client.</summary>
/// <param name="Value">The secret (plaintext in memory; sealed at rest).</param>
/// <param name="CreatedAt">Creation time, UTC; its ClientSecretId is <c>{clientId}--{epoch milliseconds of CreatedAt}</c>.</param>
public sealed record AppClientSecret(string Value, DateTimeOffset CreatedAt)
{
    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"AppClientSecret {{ CreatedAt = {CreatedAt:O} }}";

    /// <summary>The ClientSecretId of this secret of <paramref name="clientId"/>: <c>{clientId}--{epoch milliseconds}</c>.</summary>
    public string IdFor(string clientId) => clientId + "--" + CreatedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
