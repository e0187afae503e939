using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Cognate.AspNetCore;

// Token validations per second per core: Cognate.AspNetCore's CognitoTokenValidator vs aws-jwt-verify (Node) on the same tokens,
// and `openssl speed rsa2048`'s raw RS256 verify rate for reference. Two figures for Cognate.AspNetCore, same run:
//   first sight: TokenCacheSize = 0, every validation decodes, parses, checks and RSA-verifies (vs aws-jwt-verify and vs raw RSA);
//   repeat validations: the default verified-token cache, the same 1000 tokens cycled, so each is verified once and then served
//   from the cache (time claims and kid re-checked), which is what an API sees from clients re-sending their access token.
// `--bdn` runs the BenchmarkDotNet suite instead, `--hot` the server hot paths, `--raw` .NET's RSA.VerifyData alone.
if (args.Contains("--quota"))
{
    BenchmarkRunner.Run<RequestQuotaBenchmarks>(args: [.. args.Where(a => a != "--quota")]);
    return 0;
}
if (args.Contains("--hot"))
{
    BenchmarkRunner.Run<HotPathBenchmarks>(args: [.. args.Where(a => a != "--hot")]);
    return 0;
}
if (args.Contains("--bdn"))
{
    BenchmarkRunner.Run<ValidatorBenchmarks>(args: [.. args.Where(a => a != "--bdn")]);
    return 0;
}

if (args.Contains("--raw"))
{
    using var k = RSA.Create(2048);
    var data = new byte[700];
    var sig = k.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    using var pub = RSA.Create();
    pub.ImportParameters(k.ExportParameters(false));
    foreach (var (name, key) in new[] { ("private-key object", k), ("public-only object", pub) })
    {
        var sw0 = Stopwatch.StartNew();
        int count = 0;
        while (sw0.Elapsed < TimeSpan.FromSeconds(2)) { key.VerifyData(data, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); count++; }
        Console.WriteLine($"RSA.VerifyData ({name}): {count / sw0.Elapsed.TotalSeconds:N0}/s");
    }
    return 0;
}

int seconds = args.Length > 0 && int.TryParse(args[0], out var s) ? s : 3;
var root = FindBenchDirectory();
using var fixture = new Fixture(1000);
var dir = Path.Combine(Path.GetTempPath(), "cognate-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(dir);
fixture.WriteFiles(dir);

Console.WriteLine($"{fixture.Tokens.Length} distinct Cognito access tokens (RS256, 2048-bit key), {seconds} s per measurement, one thread each; {Environment.ProcessorCount} cores.");

var firstSight = fixture.CreateValidator(tokenCacheSize: 0);
double firstSightRate = Measure(firstSight, fixture.Tokens, seconds);
if (firstSight.CachedTokenCount != 0) throw new InvalidOperationException("TokenCacheSize = 0 cached tokens");

var repeat = fixture.CreateValidator(CognitoJwtBearerOptions.DefaultTokenCacheSize);
long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
foreach (var t in fixture.Tokens) Validate(repeat, t);
long cacheBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
if (repeat.CachedTokenCount != fixture.Tokens.Length) throw new InvalidOperationException($"expected {fixture.Tokens.Length} cached tokens, got {repeat.CachedTokenCount}");
double repeatRate = Measure(repeat, fixture.Tokens, seconds);

double? nodeRate = RunNode(root, dir, seconds);
double? opensslRate = RunOpenSsl(seconds);

Console.WriteLine();
Console.WriteLine("First sight: TokenCacheSize = 0, every validation decodes, parses, checks the claims and RSA-verifies");
Console.WriteLine($"  Cognate.AspNetCore   {firstSightRate,12:N0} validations/s per core");
Console.WriteLine(nodeRate is { } n ? $"  aws-jwt-verify 5.2.1 {n,12:N0} validations/s per core (node {NodeVersion()}; verifySync, no verified-token cache)" : "  aws-jwt-verify       (not run: `npm ci --prefix bench/node` first)");
Console.WriteLine(opensslRate is { } o ? $"  openssl rsa2048      {o,12:N0} verify/s per core (raw RS256 verify, `openssl speed -seconds {seconds} rsa2048`)" : "  openssl              (not run)");
if (nodeRate is { } nr1) Console.WriteLine($"  ratio vs aws-jwt-verify:  {firstSightRate / nr1:F2}x");
if (opensslRate is { } or) Console.WriteLine($"  share of raw RSA verify:  {firstSightRate / or:P0}   (target >= 60%)");

Console.WriteLine();
Console.WriteLine($"Repeat validations: default TokenCacheSize = {CognitoJwtBearerOptions.DefaultTokenCacheSize:N0}, the same {fixture.Tokens.Length} tokens cycled (each verified once, then served from the verified-token cache with exp/nbf/iat and kid re-checked)");
Console.WriteLine($"  Cognate.AspNetCore   {repeatRate,12:N0} validations/s per core");
if (nodeRate is { } nr2) Console.WriteLine($"  ratio vs aws-jwt-verify:  {repeatRate / nr2:F2}x   (target >= 3x; aws-jwt-verify re-verifies every time)");
Console.WriteLine($"  cache memory: {cacheBytes / fixture.Tokens.Length:N0} bytes per entry (managed heap growth; the token strings, {fixture.Tokens[0].Length * 2 + 22:N0} bytes each here, are held by the fixture and not counted)");
Directory.Delete(dir, recursive: true);
return 0;

static double Measure(CognitoTokenValidator validator, string[] tokens, int seconds)
{
    Loop(validator, tokens, TimeSpan.FromSeconds(1)); // warm-up (tiered JIT)
    var sw = Stopwatch.StartNew();
    long n = Loop(validator, tokens, TimeSpan.FromSeconds(seconds));
    return n / sw.Elapsed.TotalSeconds;
}

static long Loop(CognitoTokenValidator validator, string[] tokens, TimeSpan duration)
{
    // Every result is consumed: a failure throws, and the payloads' sizes are summed and checked, so no call can be skipped.
    long n = 0, members = 0;
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed < duration)
    {
        for (int i = 0; i < 64; i++) members += Validate(validator, tokens[(n + i) % tokens.Length]).GetPropertyCount();
        n += 64;
    }
    if (members < n) throw new InvalidOperationException("empty payloads");
    return n;
}

static JsonElement Validate(CognitoTokenValidator validator, string token)
{
    var r = validator.ValidateAsync(token);
    if (!r.IsCompletedSuccessfully || !r.Result.Succeeded) throw new InvalidOperationException("validation failed: " + r.Result.Failure);
    return r.Result.Payload;
}

static double? RunNode(string root, string dir, int seconds)
{
    var nodeDir = Path.Combine(root, "node");
    if (!Directory.Exists(Path.Combine(nodeDir, "node_modules", "aws-jwt-verify"))) return null;
    var output = Run("node", [Path.Combine(nodeDir, "verify.mjs"), dir, seconds.ToString(CultureInfo.InvariantCulture)]);
    return output is null ? null : JsonNode.Parse(output)!["perSecond"]!.GetValue<double>();
}

static string NodeVersion() => Run("node", ["--version"])?.Trim() ?? "?";

static double? RunOpenSsl(int seconds)
{
    var output = Run("openssl", ["speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "rsa2048"]);
    if (output is null) return null;
    // "rsa 2048 bits 0.000612s 0.000017s   1633.0  58823.5"  (sign, verify, sign/s, verify/s)
    var m = Regex.Match(output, @"rsa\s+2048 bits\s+\S+\s+\S+\s+(\S+)\s+(\S+)");
    return m.Success ? double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
}

static string? Run(string file, string[] arguments)
{
    try
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return p.ExitCode == 0 ? stdout.Result : null;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

static string FindBenchDirectory()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "node", "verify.mjs"))) return d.FullName;
        if (File.Exists(Path.Combine(d.FullName, "bench", "node", "verify.mjs"))) return Path.Combine(d.FullName, "bench");
    }
    return Path.Combine(Directory.GetCurrentDirectory(), "bench");
}

/// <summary>A pool key, its JWKS and Cognito-shaped access tokens, plus a validator with the key set already cached.</summary>
public sealed class Fixture : IDisposable
{
    public const string PoolId = "us-east-1_BenchPool1";
    public const string ClientId = "benchclient0123456789abcde";
    readonly RSA rsa = RSA.Create(2048);
    readonly HttpClient http;
    readonly string jwks;
    readonly string kid;

    public Fixture(int count)
    {
        kid = Convert.ToBase64String(SHA256.HashData(rsa.ExportParameters(false).Modulus!));
        var p = rsa.ExportParameters(false);
        jwks = new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject { ["alg"] = "RS256", ["e"] = Base64Url.EncodeToString(p.Exponent), ["kid"] = kid, ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["use"] = "sig" }),
        }.ToJsonString();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Tokens = [.. Enumerable.Range(0, count).Select(i => Sign(kid, new JsonObject
        {
            ["sub"] = Guid.NewGuid().ToString(),
            ["iss"] = "https://cognito-idp.us-east-1.amazonaws.com/" + PoolId,
            ["client_id"] = ClientId,
            ["origin_jti"] = Guid.NewGuid().ToString(),
            ["event_id"] = Guid.NewGuid().ToString(),
            ["token_use"] = "access",
            ["scope"] = "aws.cognito.signin.user.admin",
            ["auth_time"] = now,
            ["exp"] = now + 3600,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString(),
            ["username"] = "user" + i.ToString(CultureInfo.InvariantCulture),
        }))];
        http = new HttpClient(new StaticHandler(jwks));
    }

    public string[] Tokens { get; }

    /// <summary>A validator with the key set already fetched; <paramref name="tokenCacheSize"/> 0 re-verifies every token.</summary>
    public CognitoTokenValidator CreateValidator(int tokenCacheSize)
    {
        var options = new CognitoJwtBearerOptions { UserPoolId = PoolId, TokenCacheSize = tokenCacheSize };
        options.ClientIds.Add(ClientId);
        var validator = new CognitoTokenValidator(options, new JwksCache(options.EffectiveJwksUri, http));
        if (validator.Keys.GetKeyAsync(kid).AsTask().GetAwaiter().GetResult() is null) throw new InvalidOperationException("fixture key set not fetched");
        return validator;
    }

    string Sign(string kid, JsonObject claims)
    {
        static string B64(string s) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(s));
        var input = B64(new JsonObject { ["kid"] = kid, ["alg"] = "RS256" }.ToJsonString()) + "." + B64(claims.ToJsonString());
        return input + "." + Base64Url.EncodeToString(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    public void WriteFiles(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "jwks.json"), jwks);
        File.WriteAllText(Path.Combine(dir, "tokens.json"), JsonSerializer.Serialize(new { userPoolId = PoolId, clientId = ClientId, tokens = Tokens }));
    }

    public void Dispose()
    {
        http.Dispose();
        rsa.Dispose();
    }

    sealed class StaticHandler(string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}

/// <summary>BenchmarkDotNet view of the same work: one validation of an access token, first sight (no cache) and repeated (cached).</summary>
[MemoryDiagnoser]
public class ValidatorBenchmarks
{
    Fixture fixture = null!;
    CognitoTokenValidator firstSight = null!;
    CognitoTokenValidator repeat = null!;
    int i;

    [GlobalSetup]
    public void Setup()
    {
        fixture = new Fixture(1000);
        firstSight = fixture.CreateValidator(tokenCacheSize: 0);
        repeat = fixture.CreateValidator(CognitoJwtBearerOptions.DefaultTokenCacheSize);
    }

    [GlobalCleanup]
    public void Cleanup() => fixture.Dispose();

    [Benchmark]
    public bool ValidateFirstSight() => firstSight.ValidateAsync(fixture.Tokens[i++ % fixture.Tokens.Length]).AsTask().GetAwaiter().GetResult().Succeeded;

    [Benchmark]
    public bool ValidateRepeat() => repeat.ValidateAsync(fixture.Tokens[i++ % fixture.Tokens.Length]).AsTask().GetAwaiter().GetResult().Succeeded;
}
