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
/// Cognito publishes), and the development outbox <c>GET /_outbox</c> (404 unless enabled).
/// </summary>
internal static class WellKnownEndpoints
{
    public static IEndpointRouteBuilder MapWellKnown(this IEndpointRouteBuilder app)
    {
        app.MapGet("/{userPoolId}/.well-known/jwks.json", async (string userPoolId, IUserPoolStore pools, TokenService tokens, CancellationToken ct) =>
        {
            if (await pools.GetAsync(userPoolId, ct) is null) return Results.NotFound();
            return Results.Bytes(await tokens.GetJwksAsync(userPoolId, ct), "application/json");
        });
        app.MapGet("/{userPoolId}/.well-known/openid-configuration", async (string userPoolId, HttpContext http, IUserPoolStore pools, IOptions<CognateOptions> options, CancellationToken ct) =>
        {
            var pool = await pools.GetAsync(userPoolId, ct);
            if (pool is null) return Results.NotFound();
            var self = $"{http.Request.Scheme}://{http.Request.Host}";
            var issuer = Callers.IssuerFor(options.Value, self, pool.Id, pool.Region);
            return Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = issuer,
                ["jwks_uri"] = $"{self}/{pool.Id}/.well-known/jwks.json",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["response_types_supported"] = new[] { "code", "token" },
                ["scopes_supported"] = new[] { "openid", "email", "phone", "profile" },
                ["subject_types_supported"] = new[] { "public" },
                ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            });
        });
        app.MapGet("/_outbox", async (string? to, MessageSender sender, IOutboxStore outbox, CancellationToken ct) =>
        {
            if (!sender.OutboxEnabled) return Results.NotFound();
            var messages = await outbox.ListAsync(string.IsNullOrEmpty(to) ? null : to, 200, ct);
            return Results.Json(messages.Select(m => new { id = m.Id, userPoolId = m.UserPoolId, to = m.To, subject = m.Subject, body = m.Body, code = m.Code, sentAt = m.SentAt }));
        });
        return app;
    }
}
