using System.Collections.Concurrent;
using System.Text;
using Cognate.Client.SigV4;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Tests.Shared;
using Npgsql;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.MultiNode;

/// <summary>
/// Two Cognate server processes on one real PostgreSQL database, given only the same provider, connection
/// string, admin credentials and (Development) master key, behave as one server.
/// </summary>
public sealed class TwoNodeTests
{
    const string Password = "Passw0rd!";

    sealed class Cluster : IAsyncDisposable
    {
        public required string Database { get; init; }
        public required CognateServer A { get; init; }
        public required CognateServer B { get; init; }

        /// <summary>Starts both nodes at the same moment on a fresh database (they race to migrate and bootstrap).</summary>
        public static async Task<Cluster> StartAsync()
        {
            var database = await PostgresTestServer.CreateDatabaseAsync();
            Dictionary<string, string> Env() => new() { ["Cognate__Storage__Provider"] = "postgres", ["ConnectionStrings__Cognate"] = database };
            var a = CognateServer.StartAsync(Env());
            var b = CognateServer.StartAsync(Env());
            try
            {
                await Task.WhenAll(a, b);
            }
            catch
            {
                if (a.IsCompletedSuccessfully) await a.Result.DisposeAsync();
                if (b.IsCompletedSuccessfully) await b.Result.DisposeAsync();
                throw;
            }
            return new Cluster { Database = database, A = a.Result, B = b.Result };
        }

        public async Task<long> CountAsync(string sql, string poolId)
        {
            await using var connection = new NpgsqlConnection(Database);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("pool", poolId);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await PostgresTestServer.DropDatabaseAsync(Database);
        }
    }

    static async Task<(string PoolId, string ClientId)> CreatePoolAndClientAsync(CognitoIdentityProviderClient admin)
    {
        var pool = (string)(await admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "two-nodes", ["AutoVerifiedAttributes"] = new JsonArray("email") }))["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = pool,
            ["ClientName"] = "c",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }))["UserPoolClient"]!["ClientId"]!;
        return (pool, client);
    }

    static JsonObject SignUpRequest(string clientId, string username, string email) => new()
    {
        ["ClientId"] = clientId,
        ["Username"] = username,
        ["Password"] = Password,
        ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
    };

    static async Task<JsonObject> SignInAsync(CognitoIdentityProviderClient anon, string clientId, string username) =>
        (await anon.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["ClientId"] = clientId,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = Password },
        }))["AuthenticationResult"]!.AsObject();

    static Task<JsonObject> RefreshAsync(CognitoIdentityProviderClient anon, string clientId, string refreshToken) =>
        anon.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "REFRESH_TOKEN_AUTH",
            ["ClientId"] = clientId,
            ["AuthParameters"] = new JsonObject { ["REFRESH_TOKEN"] = refreshToken },
        });

    [Fact]
    public async Task TwoNodes_SignUpConfirmSignInRefreshSignOut_AcrossNodes_BehaveAsOneServer()
    {
        await using var cluster = await Cluster.StartAsync();
        using var adminA = cluster.A.Client();
        using var anonA = cluster.A.AnonymousClient();
        using var anonB = cluster.B.AnonymousClient();
        var (pool, client) = await CreatePoolAndClientAsync(adminA);
        var email = ServerFixture.NewEmail();

        await anonA.InvokeAsync("SignUp", SignUpRequest(client, "nora", email));
        var code = (string)(await cluster.B.LatestMessageAsync(email))["code"]!; // the outbox is in the shared database
        await anonB.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "nora", ["ConfirmationCode"] = code });
        var tokens = await SignInAsync(anonA, client, "nora");
        var accessToken = (string)tokens["AccessToken"]!;

        var user = await anonB.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = accessToken });
        ((string)user["Username"]!).ShouldBe("nora");
        var refreshed = await RefreshAsync(anonB, client, (string)tokens["RefreshToken"]!);
        await anonA.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = (string)refreshed["AuthenticationResult"]!["AccessToken"]! });
        var jwksA = await cluster.A.Http.GetStringAsync(new Uri(cluster.A.Endpoint, $"{pool}/.well-known/jwks.json"));
        var jwksB = await cluster.B.Http.GetStringAsync(new Uri(cluster.B.Endpoint, $"{pool}/.well-known/jwks.json"));
        jwksB.ShouldBe(jwksA);

        await anonA.InvokeAsync("GlobalSignOut", new JsonObject { ["AccessToken"] = accessToken });

        var getUser = await Should.ThrowAsync<CognitoServiceException>(() => anonB.InvokeAsync("GetUser", new JsonObject { ["AccessToken"] = accessToken }));
        getUser.ErrorType.ShouldBe("NotAuthorizedException");
        var refresh = await Should.ThrowAsync<CognitoServiceException>(() => RefreshAsync(anonB, client, (string)tokens["RefreshToken"]!));
        refresh.ErrorType.ShouldBe("NotAuthorizedException");
        await SignInAsync(anonB, client, "nora"); // signing in again works on either node
    }

    [Fact]
    public async Task TwoNodes_KeyRotatedOnA_IsServedByBsJwks()
    {
        await using var cluster = await Cluster.StartAsync();
        using var adminA = cluster.A.Client();
        var (pool, _) = await CreatePoolAndClientAsync(adminA);
        var before = await cluster.B.Http.GetStringAsync(new Uri(cluster.B.Endpoint, $"{pool}/.well-known/jwks.json"));
        var body = Encoding.UTF8.GetBytes("{\"ActivationDelaySeconds\":3600}");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.A.Endpoint, $"_admin/user-pools/{pool}/signing-keys/rotate")) { Content = new ByteArrayContent(body) };
        new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", SigV4Verifier.CognitoIdpService).Sign(request, body);
        using (var rotated = await cluster.A.Http.SendAsync(request)) rotated.IsSuccessStatusCode.ShouldBeTrue();

        // B serves its JWKS from a one-second cache (TokenService.JwksCacheAge): the new keys appear within it.
        var old = JsonNode.Parse(before)!["keys"]!.AsArray();
        JsonArray after = old;
        for (int i = 0; i < 30 && after.Count == old.Count; i++)
        {
            after = JsonNode.Parse(await cluster.B.Http.GetStringAsync(new Uri(cluster.B.Endpoint, $"{pool}/.well-known/jwks.json")))!["keys"]!.AsArray();
            if (after.Count == old.Count) await Task.Delay(100);
        }
        after.Count.ShouldBe(old.Count + 2);
        after.Select(k => (string?)k!["kid"]).ShouldBe(old.Select(k => (string?)k!["kid"]).Concat(after.Select(k => (string?)k!["kid"]).Except(old.Select(k => (string?)k!["kid"]))), ignoreOrder: true);
    }

    [Fact]
    public async Task TwoNodes_FailedSignInLockout_CountsAcrossNodes()
    {
        await using var cluster = await Cluster.StartAsync();
        using var adminA = cluster.A.Client();
        using var anonA = cluster.A.AnonymousClient();
        using var anonB = cluster.B.AnonymousClient();
        var (pool, client) = await CreatePoolAndClientAsync(adminA);
        await adminA.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lock", ["MessageAction"] = "SUPPRESS" });
        await adminA.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "lock", ["Password"] = Password, ["Permanent"] = true });
        JsonObject Wrong() => new() { ["AuthFlow"] = "USER_PASSWORD_AUTH", ["ClientId"] = client, ["AuthParameters"] = new JsonObject { ["USERNAME"] = "lock", ["PASSWORD"] = "Wrong-Passw0rd" } };
        for (int i = 0; i < 5; i++)
        {
            var node = i % 2 == 0 ? anonA : anonB; // failures alternate between the nodes
            (await Should.ThrowAsync<CognitoServiceException>(() => node.InvokeAsync("InitiateAuth", Wrong()))).Message.ShouldBe("Incorrect username or password.");
        }
        // The fifth failure locks the user (2^0 s): the next attempt on either node, even with the right password, is refused.
        var locked = await Should.ThrowAsync<CognitoServiceException>(() => SignInAsync(anonB, client, "lock"));
        locked.Message.ShouldBe("Password attempts exceeded");
    }

    [Fact]
    public async Task TwoNodes_200ConcurrentSignUpsOfOneUsername_GiveExactlyOneUser()
    {
        await using var cluster = await Cluster.StartAsync();
        using var adminA = cluster.A.Client();
        using var anonA = cluster.A.AnonymousClient();
        using var anonB = cluster.B.AnonymousClient();
        var (pool, client) = await CreatePoolAndClientAsync(adminA);
        var outcomes = new ConcurrentBag<string>();

        await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = TestContext.Current.CancellationToken }, async (i, ct) =>
        {
            try
            {
                await (i % 2 == 0 ? anonA : anonB).InvokeAsync("SignUp", SignUpRequest(client, "racer", $"racer{i}@example.com"), ct);
                outcomes.Add("ok");
            }
            catch (CognitoServiceException e)
            {
                outcomes.Add(e.ErrorType);
            }
        });

        outcomes.Count(o => o == "ok").ShouldBe(1);
        outcomes.Where(o => o != "ok").Distinct().ShouldBe(["UsernameExistsException"]);
        (await cluster.CountAsync("SELECT COUNT(*) FROM users WHERE user_pool_id = @pool", pool)).ShouldBe(1);
        (await cluster.CountAsync("SELECT COUNT(*) FROM user_identifiers WHERE user_pool_id = @pool AND kind = 'username'", pool)).ShouldBe(1);
    }

    [Fact]
    public async Task TwoNodes_KillMinus9OneNodeMidLoad_OtherKeepsServingNothingLostKilledRestarts()
    {
        await using var cluster = await Cluster.StartAsync();
        using var adminA = cluster.A.Client();
        using var adminB = cluster.B.Client();
        using var anonA = cluster.A.AnonymousClient();
        using var anonB = cluster.B.AnonymousClient();
        var (pool, client) = await CreatePoolAndClientAsync(adminB);
        var acknowledged = new ConcurrentBag<(string Username, string RefreshToken)>();
        var failuresOnB = new ConcurrentBag<string>();
        var killed = 0;
        var succeededOnA = 0;

        // Bounded load: 4 workers x 12 users, alternating nodes; a user counts only when every call for it was answered.
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 12; i++)
            {
                var onA = (w + i) % 2 == 0;
                var (admin, anon) = onA ? (adminA, anonA) : (adminB, anonB);
                var username = $"load-{w}-{i}";
                try
                {
                    await admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["MessageAction"] = "SUPPRESS" });
                    await admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username, ["Password"] = Password, ["Permanent"] = true });
                    var tokens = await SignInAsync(anon, client, username);
                    acknowledged.Add((username, (string)tokens["RefreshToken"]!));
                    if (onA) Interlocked.Increment(ref succeededOnA);
                }
                catch (Exception e) when (onA && Volatile.Read(ref killed) == 1 && e is HttpRequestException or IOException or TaskCanceledException)
                {
                    // node A is gone: its callers fail, which is what a load balancer's retry is for
                }
                catch (Exception e) when (!onA)
                {
                    failuresOnB.Add(e.GetType().Name + ": " + e.Message);
                }
            }
        }, TestContext.Current.CancellationToken)).ToList();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref succeededOnA) < 4 && DateTime.UtcNow < deadline) await Task.Delay(10, TestContext.Current.CancellationToken);
        Volatile.Write(ref killed, 1);
        cluster.A.Kill();
        await Task.WhenAll(workers);

        failuresOnB.ShouldBeEmpty();
        acknowledged.Count.ShouldBeGreaterThanOrEqualTo(4 * 12 / 2);
        foreach (var (username, refreshToken) in acknowledged)
        {
            var user = await adminB.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = username });
            ((string)user["UserStatus"]!).ShouldBe("CONFIRMED");
            await RefreshAsync(anonB, client, refreshToken);
        }

        await cluster.A.StartAgainAsync();
        using var ready = await cluster.A.Http.GetAsync(new Uri(cluster.A.Endpoint, "health/ready"), TestContext.Current.CancellationToken);
        ready.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var (firstUser, firstRefresh) = acknowledged.First();
        await RefreshAsync(anonA, client, firstRefresh);
        await SignInAsync(anonA, client, firstUser);
    }
}
