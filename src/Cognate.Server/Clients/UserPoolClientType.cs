using System.Text.Json.Nodes;
using Cognate.Core.Clients;

namespace Cognate.Server.Clients;

/// <summary>Cognito <c>UserPoolClientType</c>. ClientSecret only where the action returns it. Timestamps are epoch seconds.</summary>
internal sealed record UserPoolClientType
{
    public required string UserPoolId { get; init; }
    public string? ClientName { get; init; }
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public required DateTimeOffset LastModifiedDate { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    public int? RefreshTokenValidity { get; init; }
    public int? AccessTokenValidity { get; init; }
    public int? IdTokenValidity { get; init; }
    public TokenValidityUnitsType? TokenValidityUnits { get; init; }
    public List<string>? ReadAttributes { get; init; }
    public List<string>? WriteAttributes { get; init; }
    public List<string>? ExplicitAuthFlows { get; init; }
    public List<string>? SupportedIdentityProviders { get; init; }
    public List<string>? CallbackURLs { get; init; }
    public List<string>? LogoutURLs { get; init; }
    public string? DefaultRedirectURI { get; init; }
    public List<string>? AllowedOAuthFlows { get; init; }
    public List<string>? AllowedOAuthScopes { get; init; }
    public bool? AllowedOAuthFlowsUserPoolClient { get; init; }
    public JsonObject? AnalyticsConfiguration { get; init; }
    public string? PreventUserExistenceErrors { get; init; }
    public bool? EnableTokenRevocation { get; init; }
    public bool? EnablePropagateAdditionalUserContextData { get; init; }
    public int? AuthSessionValidity { get; init; }
    public RefreshTokenRotationType? RefreshTokenRotation { get; init; }

    public static UserPoolClientType From(AppClient client, bool includeSecret)
    {
        var c = client.Config;
        return new UserPoolClientType
        {
            UserPoolId = client.UserPoolId,
            ClientName = c.ClientName,
            ClientId = client.ClientId,
            ClientSecret = includeSecret ? client.ClientSecret : null,
            LastModifiedDate = client.ModifiedAt,
            CreationDate = client.CreatedAt,
            RefreshTokenValidity = c.RefreshTokenValidity,
            AccessTokenValidity = c.AccessTokenValidity,
            IdTokenValidity = c.IdTokenValidity,
            TokenValidityUnits = c.TokenValidityUnits ?? new TokenValidityUnitsType(),
            ReadAttributes = c.ReadAttributes,
            WriteAttributes = c.WriteAttributes,
            ExplicitAuthFlows = c.ExplicitAuthFlows,
            SupportedIdentityProviders = c.SupportedIdentityProviders,
            CallbackURLs = c.CallbackURLs,
            LogoutURLs = c.LogoutURLs,
            DefaultRedirectURI = c.DefaultRedirectURI,
            AllowedOAuthFlows = c.AllowedOAuthFlows,
            AllowedOAuthScopes = c.AllowedOAuthScopes,
            AllowedOAuthFlowsUserPoolClient = c.AllowedOAuthFlowsUserPoolClient,
            AnalyticsConfiguration = c.AnalyticsConfiguration,
            PreventUserExistenceErrors = c.PreventUserExistenceErrors,
            EnableTokenRevocation = c.EnableTokenRevocation,
            EnablePropagateAdditionalUserContextData = c.EnablePropagateAdditionalUserContextData,
            AuthSessionValidity = c.AuthSessionValidity,
            RefreshTokenRotation = c.RefreshTokenRotation,
        };
    }
}

/// <summary>Cognito <c>UserPoolClientDescription</c> (ListUserPoolClients item).</summary>
internal sealed record UserPoolClientDescription(string ClientId, string UserPoolId, string? ClientName);

/// <summary>The settable members shared by CreateUserPoolClient and UpdateUserPoolClient requests.</summary>
internal abstract record ClientSettings
{
    public string UserPoolId { get; init; } = "";
    public string? ClientName { get; init; }
    public int? RefreshTokenValidity { get; init; }
    public int? AccessTokenValidity { get; init; }
    public int? IdTokenValidity { get; init; }
    public TokenValidityUnitsType? TokenValidityUnits { get; init; }
    public List<string>? ReadAttributes { get; init; }
    public List<string>? WriteAttributes { get; init; }
    public List<string>? ExplicitAuthFlows { get; init; }
    public List<string>? SupportedIdentityProviders { get; init; }
    public List<string>? CallbackURLs { get; init; }
    public List<string>? LogoutURLs { get; init; }
    public string? DefaultRedirectURI { get; init; }
    public List<string>? AllowedOAuthFlows { get; init; }
    public List<string>? AllowedOAuthScopes { get; init; }
    public bool? AllowedOAuthFlowsUserPoolClient { get; init; }
    public JsonObject? AnalyticsConfiguration { get; init; }
    public string? PreventUserExistenceErrors { get; init; }
    public bool? EnableTokenRevocation { get; init; }
    public bool? EnablePropagateAdditionalUserContextData { get; init; }
    public int? AuthSessionValidity { get; init; }
    public RefreshTokenRotationType? RefreshTokenRotation { get; init; }

    public AppClientConfig ToConfig() => new()
    {
        ClientName = ClientName,
        RefreshTokenValidity = RefreshTokenValidity,
        AccessTokenValidity = AccessTokenValidity,
        IdTokenValidity = IdTokenValidity,
        TokenValidityUnits = TokenValidityUnits,
        ReadAttributes = ReadAttributes,
        WriteAttributes = WriteAttributes,
        ExplicitAuthFlows = ExplicitAuthFlows,
        SupportedIdentityProviders = SupportedIdentityProviders,
        CallbackURLs = CallbackURLs,
        LogoutURLs = LogoutURLs,
        DefaultRedirectURI = DefaultRedirectURI,
        AllowedOAuthFlows = AllowedOAuthFlows,
        AllowedOAuthScopes = AllowedOAuthScopes,
        AllowedOAuthFlowsUserPoolClient = AllowedOAuthFlowsUserPoolClient,
        AnalyticsConfiguration = AnalyticsConfiguration,
        PreventUserExistenceErrors = PreventUserExistenceErrors,
        EnableTokenRevocation = EnableTokenRevocation,
        EnablePropagateAdditionalUserContextData = EnablePropagateAdditionalUserContextData,
        AuthSessionValidity = AuthSessionValidity,
        RefreshTokenRotation = RefreshTokenRotation,
    };
}
