using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Client.SigV4;

namespace Cognate.Load;

/// <summary>A pool, an app client and users prepared identically on every server.</summary>
sealed class Fixture
{
    public required string PoolId { get; init; }
    public required string ClientId { get; init; }
    public required int Users { get; init; }
    /// <summary>Users whose password signs in (all of them when created through the API).</summary>
    public required IReadOnlyList<string> SignInUsers { get; init; }
    public List<string> AccessTokens { get; } = [];
    public List<string> RefreshTokens { get; } = [];
}

static class Setup
{
    public const string Password = "Bench-Passw0rd!1";
    public static string UserName(int i) => "u" + i.ToString("D7", CultureInfo.InvariantCulture);
    public static string Email(int i) => UserName(i) + "@bench.example";

    public static CognitoIdentityProviderClient Client(Uri endpoint) =>
        new(endpoint, "us-east-1", new AwsCredentials(Harness.AccessKey, Harness.SecretKey), new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    /// <summary>True once the server answers ListUserPools (a real, signed API call).</summary>
    public static async Task<bool> AnsweredAsync(Uri endpoint)
    {
        using var c = new CognitoIdentityProviderClient(endpoint, "us-east-1", new AwsCredentials(Harness.AccessKey, Harness.SecretKey), new HttpClient { Timeout = TimeSpan.FromSeconds(2) });
        await c.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 1 });
        return true;
    }

    public static async Task<(string PoolId, string ClientId)> CreatePoolAsync(Uri endpoint)
    {
        using var c = Client(endpoint);
        var pool = await c.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "bench",
            ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "email", ["AttributeDataType"] = "String", ["Mutable"] = true, ["Required"] = false }),
        });
        string poolId = (string)pool["UserPool"]!["Id"]!;
        var client = await c.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["ClientName"] = "bench",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"),
        });
        return (poolId, (string)client["UserPoolClient"]!["ClientId"]!);
    }

    /// <summary>Creates users 0..count-1 (AdminCreateUser, SUPPRESS, then AdminSetUserPassword permanent), 8 at a time.</summary>
    public static async Task CreateUsersAsync(Uri endpoint, string poolId, int from, int count)
    {
        using var c = Client(endpoint);
        int next = from - 1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < from + count)
            {
                await c.InvokeAsync("AdminCreateUser", new JsonObject
                {
                    ["UserPoolId"] = poolId,
                    ["Username"] = UserName(i),
                    ["MessageAction"] = "SUPPRESS",
                    ["TemporaryPassword"] = Password,
                    ["UserAttributes"] = new JsonArray(
                        new JsonObject { ["Name"] = "email", ["Value"] = Email(i) },
                        new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
                });
                await c.InvokeAsync("AdminSetUserPassword", new JsonObject
                {
                    ["UserPoolId"] = poolId, ["Username"] = UserName(i), ["Password"] = Password, ["Permanent"] = true,
                });
            }
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Worker()));
    }

    /// <summary>Signs in <paramref name="count"/> users once each to collect access and refresh tokens.</summary>
    public static async Task CollectTokensAsync(Uri endpoint, Fixture f, int count)
    {
        using var c = Client(endpoint);
        for (int k = 0; k < count && k < f.SignInUsers.Count; k++)
        {
            var r = await c.InvokeAsync("InitiateAuth", PasswordAuth(f.ClientId, f.SignInUsers[k]));
            f.AccessTokens.Add((string)r["AuthenticationResult"]!["AccessToken"]!);
            f.RefreshTokens.Add((string)r["AuthenticationResult"]!["RefreshToken"]!);
        }
    }

    public static JsonObject PasswordAuth(string clientId, string user) => new()
    {
        ["AuthFlow"] = "USER_PASSWORD_AUTH",
        ["ClientId"] = clientId,
        ["AuthParameters"] = new JsonObject { ["USERNAME"] = user, ["PASSWORD"] = Password },
    };

    /// <summary>A request as wrk will replay it: body and headers (SigV4-signed now when <paramref name="signed"/>; valid 15 minutes).</summary>
    public static WireRequest Wire(Uri endpoint, string action, JsonObject body, bool signed)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Target", "AWSCognitoIdentityProviderService." + action),
        };
        if (signed)
        {
            using var msg = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(bytes) };
            msg.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
            msg.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
            Signer.Sign(msg, bytes);
            foreach (var (name, values) in msg.Headers)
            {
                if (name is "X-Amz-Date" or "Authorization") headers.Add(new(name, string.Join(',', values)));
            }
        }
        return new WireRequest(Encoding.UTF8.GetString(bytes), headers);
    }

    static readonly SigV4Signer Signer = new(new AwsCredentials(Harness.AccessKey, Harness.SecretKey), "us-east-1", "cognito-idp");
}

sealed record WireRequest(string Body, IReadOnlyList<KeyValuePair<string, string>> Headers);
