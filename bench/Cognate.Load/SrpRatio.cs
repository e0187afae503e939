using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;

namespace Cognate.Load;

/// <summary>
/// <c>srp-ratio</c>: device SRP throughput against user SRP throughput on one Cognate server (issue 16's target: within
/// 10 %). Both are two round trips with the same 3072-bit group and client-side math:
/// user SRP = InitiateAuth USER_SRP_AUTH → RespondToAuthChallenge PASSWORD_VERIFIER → tokens, in a pool without devices;
/// device SRP = RespondToAuthChallenge DEVICE_SRP_AUTH → RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER → tokens, in a pool
/// with device tracking (ChallengeRequiredOnNewDevice), for remembered, confirmed devices. A device sign-in starts with the
/// user's password (USER_PASSWORD_AUTH with DEVICE_KEY answers DEVICE_SRP_AUTH); those sessions are prepared before the
/// clock starts (they live 3 minutes), so the measured window holds only the two device SRP round trips. 16 concurrent loops
/// on 16 keep-alive connections, each phase bounded by <c>--seconds</c> and <c>--max-srp</c>; rounds alternate (user, device;
/// device, user; …) so drifts of a shared machine fall on both. Prints each round's rates and ratio and the median ratio.
/// </summary>
internal static class SrpRatio
{
    const int Concurrency = 16;
    const int SignInUsers = 64;

    sealed record DeviceUser(string Username, string DeviceKey, string GroupKey, string DevicePassword);

    public static async Task<int> RunAsync(Options o, Paths paths)
    {
        string machine = Harness.Machine();
        Console.WriteLine($"# {machine}; srp-ratio: {o.Rounds} rounds, {o.Seconds} s per phase after {o.WarmupSeconds} s warm-up, {Concurrency} loops, {SignInUsers} users per pool");
        using var server = await Servers.StartAsync("cognate", paths, Setup.AnsweredAsync);
        try
        {
            Console.WriteLine($"## cognate: pid {server.Process.Id}, port {server.Port}");
            var (userPool, userClient) = await Setup.CreatePoolAsync(server.Endpoint);
            await Setup.CreateUsersAsync(server.Endpoint, userPool, 0, SignInUsers);
            var userFixture = new Fixture { PoolId = userPool, ClientId = userClient, Users = SignInUsers, SignInUsers = [.. Enumerable.Range(0, SignInUsers).Select(Setup.UserName)] };

            var (devicePool, deviceClient) = await DevicePoolAsync(server.Endpoint);
            await Setup.CreateUsersAsync(server.Endpoint, devicePool, 0, SignInUsers);
            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            using var http = new HttpClient(handler) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(10) };
            var devices = new List<DeviceUser>();
            foreach (var name in Enumerable.Range(0, SignInUsers).Select(Setup.UserName)) devices.Add(await RememberAsync(http, deviceClient, name));
            Console.WriteLine($"   {SignInUsers} users with a password in a plain pool, {SignInUsers} with a remembered device in a device-tracking pool");

            // Probes, then warm-up of both paths.
            if (await Scenarios.SrpOnceAsync(http, userFixture, userFixture.SignInUsers[0], SrpClient.Create(Scenarios.DriverPrivateALength)) is { } e1) throw new InvalidOperationException("user SRP: " + e1);
            var probe = await PrepareAsync(http, deviceClient, devices, 1);
            if (await DeviceOnceAsync(http, deviceClient, probe.First()) is { } e2) throw new InvalidOperationException("device SRP: " + e2);
            if (o.WarmupSeconds > 0)
            {
                await UserPhaseAsync(http, userFixture, o.WarmupSeconds, 2000);
                await DevicePhaseAsync(http, deviceClient, await PrepareAsync(http, deviceClient, devices, 200), o.WarmupSeconds);
            }

            var ratios = new List<double>();
            for (int round = 1; round <= o.Rounds; round++)
            {
                double userRate = 0, deviceRate = 0;
                string userLine = "", deviceLine = "";
                foreach (bool userFirst in round % 2 == 1 ? new[] { true, false } : new[] { false, true })
                {
                    if (userFirst)
                    {
                        var r = await UserPhaseAsync(http, userFixture, o.Seconds, o.MaxSrpSignIns);
                        userRate = r.Rate;
                        userLine = r.Line;
                    }
                    else
                    {
                        // Enough prepared sessions for the window: the user rate seen so far (or 200/s) × seconds × 1.5, capped by --max-srp.
                        double expected = Math.Max(userRate, 200);
                        int count = (int)Math.Min(o.MaxSrpSignIns, Math.Ceiling(expected * o.Seconds * 1.5));
                        var sw = Stopwatch.StartNew();
                        var sessions = await PrepareAsync(http, deviceClient, devices, count);
                        var r = await DevicePhaseAsync(http, deviceClient, sessions, o.Seconds);
                        deviceRate = r.Rate;
                        deviceLine = r.Line + $" ({sessions.Count:N0} sessions prepared in {sw.Elapsed.TotalSeconds - r.Seconds:F1} s{(r.RanOut ? ", ran out before the window ended" : "")})";
                    }
                }
                double ratio = deviceRate / userRate;
                ratios.Add(ratio);
                Console.WriteLine($"   round {round}: user SRP   {userLine}");
                Console.WriteLine($"   round {round}: device SRP {deviceLine}");
                Console.WriteLine($"   round {round}: device / user = {ratio:F3}");
            }
            ratios.Sort();
            double median = ratios[ratios.Count / 2];
            Console.WriteLine();
            Console.WriteLine($"device SRP / user SRP throughput, median of {ratios.Count} rounds: {median:F3} ({(median - 1) * 100:+0.0;-0.0} %); rounds: {string.Join(", ", ratios.Select(r => r.ToString("F3", CultureInfo.InvariantCulture)))}");
            return 0;
        }
        finally
        {
            server.Dispose();
            Harness.Cleanup(server.WorkDir);
        }
    }

    static async Task<(string PoolId, string ClientId)> DevicePoolAsync(Uri endpoint)
    {
        using var c = Setup.Client(endpoint);
        var pool = await c.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "bench-devices",
            ["DeviceConfiguration"] = new JsonObject { ["ChallengeRequiredOnNewDevice"] = true, ["DeviceOnlyRememberedOnUserPrompt"] = false },
        });
        string poolId = (string)pool["UserPool"]!["Id"]!;
        var client = await c.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["ClientName"] = "bench-devices",
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        });
        return (poolId, (string)client["UserPoolClient"]!["ClientId"]!);
    }

    /// <summary>Signs <paramref name="user"/> in once (a new device) and confirms the device with a device verifier (remembered).</summary>
    static async Task<DeviceUser> RememberAsync(HttpClient http, string clientId, string user)
    {
        var (ok, r) = await Scenarios.PostAsync(http, "InitiateAuth", Setup.PasswordAuth(clientId, user));
        if (!ok) throw new InvalidOperationException("sign-in for a device: " + Scenarios.Trim(r.ToJsonString()));
        var result = r["AuthenticationResult"]!;
        string key = (string)result["NewDeviceMetadata"]!["DeviceKey"]!;
        string group = (string)result["NewDeviceMetadata"]!["DeviceGroupKey"]!;
        string password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(40));
        var v = Srp.CreateDeviceVerifier(group, key, password);
        var (ok2, r2) = await Scenarios.PostAsync(http, "ConfirmDevice", new JsonObject
        {
            ["AccessToken"] = (string)result["AccessToken"]!, ["DeviceKey"] = key, ["DeviceName"] = "bench",
            ["DeviceSecretVerifierConfig"] = new JsonObject { ["PasswordVerifier"] = Convert.ToBase64String(Srp.PadHex(v.Verifier)), ["Salt"] = Convert.ToBase64String(Srp.PadHex(v.Salt)) },
        });
        if (!ok2) throw new InvalidOperationException("ConfirmDevice: " + Scenarios.Trim(r2.ToJsonString()));
        return new DeviceUser(user, key, group, password);
    }

    sealed record Prepared(DeviceUser User, string Session, SrpClient Ephemeral);

    /// <summary><paramref name="count"/> DEVICE_SRP_AUTH sessions (USER_PASSWORD_AUTH with DEVICE_KEY), with the client's A drawn.</summary>
    static async Task<List<Prepared>> PrepareAsync(HttpClient http, string clientId, List<DeviceUser> users, int count)
    {
        var bag = new ConcurrentBag<Prepared>();
        int next = -1;
        async Task Loop()
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                var u = users[k % users.Count];
                var body = Setup.PasswordAuth(clientId, u.Username);
                body["AuthParameters"]!["DEVICE_KEY"] = u.DeviceKey;
                var (ok, r) = await Scenarios.PostAsync(http, "InitiateAuth", body);
                if (!ok || (string?)r["ChallengeName"] != "DEVICE_SRP_AUTH") throw new InvalidOperationException("no DEVICE_SRP_AUTH: " + Scenarios.Trim(r.ToJsonString()));
                bag.Add(new Prepared(u, (string)r["Session"]!, SrpClient.Create(Scenarios.DriverPrivateALength)));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Loop)));
        return [.. bag];
    }

    /// <summary>DEVICE_SRP_AUTH then DEVICE_PASSWORD_VERIFIER for one prepared session; null when tokens came back.</summary>
    static async Task<string?> DeviceOnceAsync(HttpClient http, string clientId, Prepared p)
    {
        var (ok, r1) = await Scenarios.PostAsync(http, "RespondToAuthChallenge", new JsonObject
        {
            ["ClientId"] = clientId, ["ChallengeName"] = "DEVICE_SRP_AUTH", ["Session"] = p.Session,
            ["ChallengeResponses"] = new JsonObject { ["USERNAME"] = p.User.Username, ["DEVICE_KEY"] = p.User.DeviceKey, ["SRP_A"] = p.Ephemeral.PublicAHex },
        });
        if (!ok) return r1.ToJsonString();
        if ((string?)r1["ChallengeName"] != "DEVICE_PASSWORD_VERIFIER") return "no DEVICE_PASSWORD_VERIFIER: " + Scenarios.Trim(r1.ToJsonString());
        var c = r1["ChallengeParameters"]!;
        string timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        string secretBlock = (string)c["SECRET_BLOCK"]!;
        string signature = p.Ephemeral.ComputeDeviceClaimSignature(p.User.GroupKey, p.User.DeviceKey, p.User.DevicePassword, (string)c["SALT"]!, (string)c["SRP_B"]!, secretBlock, timestamp);
        var answer = new JsonObject
        {
            ["ClientId"] = clientId, ["ChallengeName"] = "DEVICE_PASSWORD_VERIFIER", ["Session"] = r1["Session"]?.DeepClone(),
            ["ChallengeResponses"] = new JsonObject
            {
                ["USERNAME"] = p.User.Username, ["DEVICE_KEY"] = p.User.DeviceKey, ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock,
                ["PASSWORD_CLAIM_SIGNATURE"] = signature, ["TIMESTAMP"] = timestamp,
            },
        };
        if (answer["Session"] is null) answer.Remove("Session");
        var (ok2, r2) = await Scenarios.PostAsync(http, "RespondToAuthChallenge", answer);
        if (!ok2) return r2.ToJsonString();
        return r2["AuthenticationResult"]?["AccessToken"] is null ? "no tokens: " + Scenarios.Trim(r2.ToJsonString()) : null;
    }

    sealed record Phase(double Rate, double Seconds, string Line, bool RanOut);

    static async Task<Phase> UserPhaseAsync(HttpClient http, Fixture f, int seconds, int max)
    {
        // The client's A = g^a for each sign-in, drawn before the clock (at most 500 a second of the window).
        var ephemerals = new ConcurrentQueue<SrpClient>(Enumerable.Range(0, Math.Min(max, seconds * 500)).Select(_ => SrpClient.Create(Scenarios.DriverPrivateALength)));
        int n = 0;
        return await MeasureAsync(seconds, () => ephemerals.TryDequeue(out var eph)
            ? Scenarios.SrpOnceAsync(http, f, f.SignInUsers[Interlocked.Increment(ref n) % f.SignInUsers.Count], eph)
            : null);
    }

    static Task<Phase> DevicePhaseAsync(HttpClient http, string clientId, List<Prepared> sessions, int seconds)
    {
        var queue = new ConcurrentQueue<Prepared>(sessions);
        return MeasureAsync(seconds, () => queue.TryDequeue(out var p) ? DeviceOnceAsync(http, clientId, p) : null);
    }

    /// <summary>Runs <see cref="Concurrency"/> loops of <paramref name="next"/> (null: nothing left) for at most <paramref name="seconds"/>.</summary>
    static async Task<Phase> MeasureAsync(int seconds, Func<Task<string?>?> next)
    {
        var lat = new List<double>();
        long errors = 0;
        bool ranOut = false;
        string? firstError = null;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        async Task Loop()
        {
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < until)
            {
                long t0 = Stopwatch.GetTimestamp();
                var task = next();
                if (task is null) { ranOut = true; break; }
                if (await task is { } err) { Interlocked.Increment(ref errors); Interlocked.CompareExchange(ref firstError, err, null); }
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            lock (lat) lat.AddRange(mine);
        }
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Loop)));
        sw.Stop();
        lat.Sort();
        double rate = (lat.Count - errors) / sw.Elapsed.TotalSeconds;
        string line = $"{rate,8:N1} sign-ins/s  p50 {Scenarios.Percentile(lat, 50),7:F1} ms  p99 {Scenarios.Percentile(lat, 99),7:F1} ms  errors {errors}{(firstError is null ? "" : " (first: " + Scenarios.Trim(firstError) + ")")}  ({lat.Count:N0} in {sw.Elapsed.TotalSeconds:F1} s)";
        return new Phase(rate, sw.Elapsed.TotalSeconds, line, ranOut);
    }
}
