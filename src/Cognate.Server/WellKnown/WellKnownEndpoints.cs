using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Server.Messaging;
using Cognate.Server.Options;
using Cognate.Server.Shared;
using Microsoft.Extensions.Options;

namespace Cognate.Server.WellKnown;

/// <summary>
/// <c>GET /{poolId}/.well-known/jwks.json</c> (RFC 7517 key set of the pool's RS256 keys),
/// <c>GET /{poolId}/.well-known/openid-configuration</c> (OpenID Connect Discovery 1.0 §3, the members
/// Cognito publishes; <c>jwks_uri</c> is <c>{issuer}/.well-known/jwks.json</c>; the authorization, token, userInfo, revocation
/// and end-session endpoints only when the pool has a domain), and the development outbox <c>GET /_outbox</c>
/// (404 unless enabled; no CORS, <see cref="LocalCallerFilter"/>).
/// </summary>
internal static class WellKnownEndpoints
{
    public static IEndpointRouteBuilder MapWellKnown(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{userPoolId}/.well-known/jwks.json", async (string userPoolId, IUserPoolStore pools, TokenService tokens, CancellationToken ct) =>
        {
            // A replica's id (while ACTIVE) publishes its pool's keys.
            if (await pools.GetAsync(userPoolId, ct) is not { } pool) return Results.NotFound();
            return Results.Bytes(await tokens.GetJwksAsync(pool.Id, ct), "application/json");
        });
        app.MapGet("/{userPoolId}/.well-known/openid-configuration", async (string userPoolId, HttpContext http, IUserPoolStore pools, IOptions<CognateOptions> options, CancellationToken ct) =>
        {
            var pool = await pools.GetAsync(userPoolId, ct);
            if (pool is null) return Results.NotFound();
            // Outside Development Cognate:IssuerBaseUrl is required, so the Host header never reaches these URLs there.
            var issuer = Callers.IssuerFor(options.Value, http, pool.ServedId, pool.ServedRegion);
            var document = new Dictionary<string, object>();
            // The domain-based endpoints only when the pool has a domain, as Cognito (reference §6.8; OAuth/HostedDomains.cs says which URL).
            var hosted = await OAuth.HostedDomains.BaseUrlAsync(http, pool, ct);
            if (hosted is not null)
            {
                document["authorization_endpoint"] = hosted + "/oauth2/authorize";
                document["end_session_endpoint"] = hosted + "/logout";
            }
            document["id_token_signing_alg_values_supported"] = new[] { "RS256" };
            document["issuer"] = issuer;
            document["jwks_uri"] = issuer + "/.well-known/jwks.json";
            document["response_types_supported"] = new[] { "code", "token" };
            if (hosted is not null) document["revocation_endpoint"] = hosted + "/oauth2/revoke";
            document["scopes_supported"] = new[] { "openid", "email", "phone", "profile" };
            document["subject_types_supported"] = new[] { "public" };
            if (hosted is not null) document["token_endpoint"] = hosted + "/oauth2/token";
            document["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" };
            if (hosted is not null) document["userinfo_endpoint"] = hosted + "/oauth2/userInfo";
            return Results.Json(document);
        });
        app.MapGet("/_outbox", async (string? to, MessageSender sender, IOutboxStore outbox, CancellationToken ct) =>
        {
            if (!sender.OutboxEnabled) return Results.NotFound();
            var messages = await outbox.ListAsync(string.IsNullOrEmpty(to) ? null : to, 200, ct);
            return Results.Json(messages.Select(m => new { id = m.Id, userPoolId = m.UserPoolId, to = m.To, subject = m.Subject, body = m.Body, code = m.Code, sentAt = m.SentAt }));
        }).WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute()).AddEndpointFilter<LocalCallerFilter>();
        return app;
    }
}
