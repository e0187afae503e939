using Cognate.Core.OAuth;
using Cognate.Core.Pools;
using Cognate.Server.OAuth.Results;
using Cognate.Server.Options;
using Cognate.Server.Shared;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Cognate.Server.OAuth;

/// <summary>
/// Cognito's OAuth 2.0 endpoints on Cognate's own URL (reference §9.1): <c>POST /oauth2/token</c>, <c>POST /oauth2/revoke</c>,
/// <c>GET|POST /oauth2/userInfo</c>, <c>GET /oauth2/authorize</c>, <c>GET /logout</c>. The client id names the pool; a request that
/// arrives by a pool's domain (Host header, <see cref="HostedDomains"/>) serves only that pool's clients.
/// Each endpoint validates, generates and returns an <see cref="OAuthResult"/>; <see cref="OAuthResultWriter"/> writes it.
/// </summary>
internal static class OAuthEndpoints
{
    /// <summary>
    /// CORS policy of the endpoints single-page apps (oidc-client-ts, Amplify) call with <c>fetch</c>: token, revoke, userInfo.
    /// As Cognito: any origin, echoed in <c>Access-Control-Allow-Origin</c> (with <c>Vary: Origin</c>), preflight answered, and
    /// never <c>Access-Control-Allow-Credentials</c> (these endpoints take no cookies).
    /// </summary>
    public const string BrowserCorsPolicy = "cognate-oauth-browser";

    /// <summary>Registers <see cref="BrowserCorsPolicy"/>.</summary>
    public static IServiceCollection AddOAuthCors(this IServiceCollection services) =>
        services.AddCors(o => o.AddPolicy(BrowserCorsPolicy, p => p.SetIsOriginAllowed(static _ => true).AllowAnyHeader()
            .WithMethods("GET", "POST", "OPTIONS").SetPreflightMaxAge(TimeSpan.FromHours(1))));

    public static IEndpointRouteBuilder MapOAuth(this IEndpointRouteBuilder app)
    {
        // Cognito's ClientAuthentication quota (reference §11.1) and the per-IP budget guard token and revoke: over them, 429.
        app.MapPost("/oauth2/token", async (HttpContext http, RateLimiting.RequestQuotas quotas) =>
            await OAuthResultWriter.WriteAsync(http, quotas.TryAcquireOAuth(http) ? await TokenEndpoint.ProcessAsync(http) : Error("temporarily_unavailable", 429)))
            .RequireCors(BrowserCorsPolicy);
        app.MapPost("/oauth2/revoke", async (HttpContext http, RateLimiting.RequestQuotas quotas) =>
            await OAuthResultWriter.WriteAsync(http, quotas.TryAcquireOAuth(http) ? await RevokeEndpoint.ProcessAsync(http) : Error("temporarily_unavailable", 429)))
            .RequireCors(BrowserCorsPolicy);
        // Browser navigations, not fetches: no CORS, so no other origin can read what they answer.
        app.MapGet("/oauth2/authorize", static async (HttpContext http) => await (await AuthorizeEndpoint.HandleAsync(http)).ExecuteAsync(http))
            .WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        app.MapGet("/logout", static async (HttpContext http) => await (await LogoutEndpoint.HandleAsync(http)).ExecuteAsync(http))
            .WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute());
        app.MapMethods("/oauth2/userInfo", ["GET", "POST"], async (HttpContext http) => await OAuthResultWriter.WriteAsync(http, await UserInfoEndpoint.ProcessAsync(http)))
            .RequireCors(BrowserCorsPolicy);
        return app;
    }

    /// <summary>The form of a token or revocation request, or null when the content type is not <c>application/x-www-form-urlencoded</c>.</summary>
    internal static async ValueTask<IFormCollection?> ReadFormAsync(HttpRequest request)
    {
        if (!request.HasFormContentType || request.ContentType is null
            || !request.ContentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try { return await request.ReadFormAsync(request.HttpContext.RequestAborted); }
        catch (InvalidDataException) { return null; }
        catch (IOException) { return null; }
    }

    /// <summary>A single-valued parameter: null when absent, <paramref name="repeated"/> set when sent more than once (RFC 6749 §3.2).</summary>
    internal static string? One(IFormCollection form, string name, ref bool repeated)
    {
        if (!form.TryGetValue(name, out StringValues v) || v.Count == 0) return null;
        if (v.Count > 1) repeated = true;
        return v[0];
    }

    /// <summary>The issuer of tokens minted at this request for <paramref name="pool"/> (same rule as the JSON API).</summary>
    internal static string Issuer(HttpContext http, UserPool pool) =>
        Callers.IssuerFor(http.RequestServices.GetRequiredService<IOptions<CognateOptions>>().Value, http, pool.Id, pool.Region);

    internal static TokenErrorResult Error(string error, int status = 400) => new(new OAuthError(error, status));
}
