using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cognate.AspNetCore.Tests;

/// <summary>A clock the tests move by hand (wall clock and timestamps together).</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;
    public override DateTimeOffset GetUtcNow() => Now;
    public override long GetTimestamp() => Now.UtcTicks;
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>An RSA key of a fake pool, and Cognito-shaped tokens signed with it.</summary>
public sealed class TestKey : IDisposable
{
    public const string PoolId = "us-east-1_TestPool1";
    public const string Issuer = "https://cognito-idp.us-east-1.amazonaws.com/" + PoolId;
    public const string ClientId = "client1234567890abcdefghij";

    public RSA Rsa { get; } = RSA.Create(2048);
    public string Kid { get; init; } = "kid-" + Guid.NewGuid().ToString("N")[..8];

    public JsonObject Jwk()
    {
        var p = Rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = Kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
    }

    public static JsonObject AccessClaims(DateTimeOffset now, string? clientId = ClientId) => new()
    {
        ["sub"] = "11111111-2222-3333-4444-555555555555",
        ["iss"] = Issuer,
        ["client_id"] = clientId,
        ["origin_jti"] = "o",
        ["token_use"] = "access",
        ["scope"] = "aws.cognito.signin.user.admin orders/read",
        ["auth_time"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.ToUnixTimeSeconds() + 3600,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["jti"] = "j",
        ["username"] = "alice",
        ["cognito:groups"] = new JsonArray("admins", "staff"),
    };

    public static JsonObject IdClaims(DateTimeOffset now) => new()
    {
        ["sub"] = "11111111-2222-3333-4444-555555555555",
        ["email_verified"] = true,
        ["iss"] = Issuer,
        ["cognito:username"] = "alice",
        ["aud"] = ClientId,
        ["token_use"] = "id",
        ["auth_time"] = now.ToUnixTimeSeconds(),
        ["exp"] = now.ToUnixTimeSeconds() + 3600,
        ["iat"] = now.ToUnixTimeSeconds(),
        ["email"] = "alice@example.com",
    };

    public string Sign(JsonObject claims, string alg = "RS256", string? kid = null, JsonObject? header = null)
    {
        header ??= new JsonObject { ["kid"] = kid ?? Kid, ["alg"] = alg };
        var signingInput = B64(header.ToJsonString()) + "." + B64(claims.ToJsonString());
        var sig = Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(sig);
    }

    public static string SignRaw(string headerJson, string payloadJson, RSA rsa)
    {
        var signingInput = B64(headerJson) + "." + B64(payloadJson);
        return signingInput + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public static string B64(string s) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(s));

    public void Dispose() => Rsa.Dispose();
}

/// <summary>Serves a JWKS built from the current keys and counts requests.</summary>
public sealed class JwksHandler : HttpMessageHandler
{
    public List<TestKey> Keys { get; } = [];
    public int Requests;
    public TimeSpan Delay { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Requests);
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
        JsonArray keys;
        lock (Keys) keys = new JsonArray([.. Keys.Select(k => (JsonNode)k.Jwk())]);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(new JsonObject { ["keys"] = keys }.ToJsonString(), Encoding.UTF8, "application/json") };
    }
}
