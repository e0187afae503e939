using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cognate.AspNetCore;

/// <summary>Registration of the Cognito bearer-token handler.</summary>
public static class CognitoJwtBearerExtensions
{
    /// <summary>
    /// Adds authentication with Cognito bearer tokens as the default scheme (<c>Bearer</c>), plus authorization.
    /// <code>
    /// builder.Services.AddCognitoJwtBearer(o =>
    /// {
    ///     o.UserPoolId = "eu-west-1_AbCdEf123";
    ///     o.ClientIds.Add("1example23456789");
    ///     // Cognate instead of Amazon Cognito: o.IssuerBaseUrl = "http://localhost:9229";
    /// });
    /// </code>
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the pool, clients and token use.</param>
    /// <returns>The authentication builder, for more schemes.</returns>
    public static AuthenticationBuilder AddCognitoJwtBearer(this IServiceCollection services, Action<CognitoJwtBearerOptions> configure)
    {
        services.AddAuthorization();
        return services.AddAuthentication(CognitoJwtBearerDefaults.AuthenticationScheme).AddCognitoJwtBearer(configure);
    }

    /// <summary>Adds the Cognito bearer handler under the scheme <c>Bearer</c>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Sets the pool, clients and token use.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static AuthenticationBuilder AddCognitoJwtBearer(this AuthenticationBuilder builder, Action<CognitoJwtBearerOptions> configure) =>
        builder.AddCognitoJwtBearer(CognitoJwtBearerDefaults.AuthenticationScheme, configure);

    /// <summary>Adds the Cognito bearer handler under <paramref name="scheme"/> (one scheme per pool or token use).</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="scheme">The scheme name.</param>
    /// <param name="configure">Sets the pool, clients and token use.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static AuthenticationBuilder AddCognitoJwtBearer(this AuthenticationBuilder builder, string scheme, Action<CognitoJwtBearerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<CognitoValidatorRegistry>();
        return builder.AddScheme<CognitoJwtBearerOptions, CognitoJwtBearerHandler>(scheme, configure);
    }
}

/// <summary>Authorization requirements on Cognito groups and OAuth scopes.</summary>
public static class CognitoAuthorizationExtensions
{
    /// <summary>Requires membership of at least one of <paramref name="groups"/> (the <c>cognito:groups</c> claim; groups are case-sensitive).</summary>
    /// <param name="policy">The policy builder.</param>
    /// <param name="groups">Accepted group names.</param>
    /// <returns><paramref name="policy"/>.</returns>
    public static AuthorizationPolicyBuilder RequireCognitoGroup(this AuthorizationPolicyBuilder policy, params string[] groups)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfZero(groups.Length);
        return policy.RequireAuthenticatedUser().RequireAssertion(c =>
            c.User.FindAll(CognitoClaimTypes.Groups).Any(claim => groups.Contains(claim.Value, StringComparer.Ordinal)));
    }

    /// <summary>
    /// Requires at least one of <paramref name="scopes"/> in the space-separated <c>scope</c> claim (RFC 6749 §3.3; Cognito access tokens
    /// carry e.g. <c>aws.cognito.signin.user.admin</c>, <c>openid email</c> or resource-server scopes like <c>orders/read</c>).
    /// </summary>
    /// <param name="policy">The policy builder.</param>
    /// <param name="scopes">Accepted scopes.</param>
    /// <returns><paramref name="policy"/>.</returns>
    public static AuthorizationPolicyBuilder RequireScope(this AuthorizationPolicyBuilder policy, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfZero(scopes.Length);
        return policy.RequireAuthenticatedUser().RequireAssertion(c =>
            c.User.FindAll(CognitoClaimTypes.Scope).Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => scopes.Contains(s, StringComparer.Ordinal))));
    }

    /// <summary>Adds a named policy requiring one of <paramref name="groups"/>.</summary>
    /// <param name="options">Authorization options.</param>
    /// <param name="name">Policy name.</param>
    /// <param name="groups">Accepted groups.</param>
    public static void AddCognitoGroupPolicy(this AuthorizationOptions options, string name, params string[] groups)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(name, p => p.RequireCognitoGroup(groups));
    }

    /// <summary>Adds a named policy requiring one of <paramref name="scopes"/>.</summary>
    /// <param name="options">Authorization options.</param>
    /// <param name="name">Policy name.</param>
    /// <param name="scopes">Accepted scopes.</param>
    public static void AddScopePolicy(this AuthorizationOptions options, string name, params string[] scopes)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(name, p => p.RequireScope(scopes));
    }
}
