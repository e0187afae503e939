using System.Text.Json;
using Cognate.Core.Errors;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Admin;

/// <summary><c>Cognate:Keys:*</c>: signing-key rotation.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Keys";

    /// <summary>
    /// Seconds between publishing a rotated key in the JWKS and signing with it (default 600): long enough for every node to reload
    /// its keys (they do every 5 minutes) and for verifiers to see the key before the first token needs it. 0 in tests.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 7 * 24 * 3600)]
    public int ActivationDelaySeconds { get; set; } = 600;
}

/// <summary>
/// Operator endpoint <c>POST /_admin/user-pools/{poolId}/signing-keys/rotate</c>, signed with SigV4 (service <c>cognito-idp</c>) by the
/// admin credentials like every management call. Optional JSON body <c>{"ActivationDelaySeconds": n}</c> overrides
/// <see cref="SigningKeyOptions.ActivationDelaySeconds"/>. Answers <c>{"UserPoolId","IdTokenKeyId","AccessTokenKeyId","ActivatesAt"}</c>
/// (ActivatesAt in epoch seconds); errors in the AWS JSON shape (<c>ResourceNotFoundException</c> 400 for an unknown pool, SigV4 errors).
/// Not a Cognito API: Amazon Cognito rotates keys on its own.
/// </summary>
internal static partial class SigningKeyEndpoints
{
    const int MaxBody = 4096;

    public static IEndpointRouteBuilder MapSigningKeyAdmin(this IEndpointRouteBuilder app)
    {
        app.MapPost("/_admin/user-pools/{userPoolId}/signing-keys/rotate", RotateAsync).WithMetadata(new Microsoft.AspNetCore.Cors.DisableCorsAttribute()).AddEndpointFilter<WellKnown.LocalCallerFilter>();
        return app;
    }

    static async Task RotateAsync(string userPoolId, HttpContext http, ISigV4Authenticator authenticator, IUserPoolStore pools, TokenService tokens,
        IOptions<SigningKeyOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        try
        {
            if (http.Request.ContentLength > MaxBody) throw new CognitoException(new CognitoError("RequestEntityTooLargeException", "Request body too large.", 413));
            using var ms = new MemoryStream();
            await http.Request.Body.CopyToAsync(ms, ct);
            if (ms.Length > MaxBody) throw new CognitoException(new CognitoError("RequestEntityTooLargeException", "Request body too large.", 413));
            var body = ms.ToArray();
            var auth = authenticator.Authenticate(http.Request, body);
            if (auth.Error is not null) throw new CognitoException(auth.Error);

            var delay = TimeSpan.FromSeconds(options.Value.ActivationDelaySeconds);
            if (body.Length > 0)
            {
                try
                {
                    using var doc = JsonDocument.Parse(body);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object) throw CognitoErrors.InvalidParameter("The request body must be a JSON object.");
                    if (doc.RootElement.TryGetProperty("ActivationDelaySeconds", out var d))
                    {
                        if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var seconds) || seconds < 0 || seconds > 7 * 24 * 3600)
                            throw CognitoErrors.InvalidParameter("ActivationDelaySeconds must be an integer from 0 to 604800.");
                        delay = TimeSpan.FromSeconds(seconds);
                    }
                }
                catch (JsonException)
                {
                    throw new CognitoException(new CognitoError("SerializationException", "The request body is not valid JSON."));
                }
            }

            if (await pools.GetAsync(userPoolId, ct) is null) throw CognitoErrors.ResourceNotFound($"User pool {userPoolId} does not exist.");
            var rotation = await tokens.RotateKeysAsync(userPoolId, delay, ct);
            LogRotated(loggers.CreateLogger("Cognate.Admin"), userPoolId, rotation.IdKeyId, rotation.AccessKeyId, rotation.ActivatesAt);
            http.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, object>
            {
                ["UserPoolId"] = userPoolId,
                ["IdTokenKeyId"] = rotation.IdKeyId,
                ["AccessTokenKeyId"] = rotation.AccessKeyId,
                ["ActivatesAt"] = rotation.ActivatesAt.ToUnixTimeSeconds(),
            }, cancellationToken: ct);
        }
        catch (CognitoException ex)
        {
            await Dispatcher.WriteErrorAsync(http, ex.Error);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys of {UserPoolId} rotated: id {IdKid}, access {AccessKid}, signing from {ActivatesAt:o}")]
    static partial void LogRotated(ILogger logger, string userPoolId, string idKid, string accessKid, DateTimeOffset activatesAt);
}
