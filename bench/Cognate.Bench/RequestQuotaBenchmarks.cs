using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cognate.Server.RateLimiting;
using Microsoft.AspNetCore.Http;

/// <summary>
/// The request quotas' cost per request (docs/security.md, "Abuse"): <see cref="RequestQuotas.CheckAsync"/> for an unsigned
/// InitiateAuth (per-IP bucket + the (category, pool) bucket) and for a signed AdminGetUser (category bucket only), with limits
/// far above the benchmark's rate so every call is admitted, as in the load harness.
/// </summary>
[MemoryDiagnoser]
public class RequestQuotaBenchmarks
{
    RequestQuotas _quotas = null!;
    DefaultHttpContext _http = null!;
    JsonDocument _body = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new RateLimitOptions { DefaultRateMultiplier = 100_000, PerIp = new QuotaOptions { RequestsPerSecond = 1_000_000, Burst = 1_000_000 } };
        _quotas = new RequestQuotas(Microsoft.Extensions.Options.Options.Create(options), null!);
        _http = new DefaultHttpContext();
        _http.Connection.RemoteIpAddress = IPAddress.Loopback;
        _body = JsonDocument.Parse("""{"UserPoolId":"us-east-1_BenchPool","Username":"u0000001","AuthFlow":"ADMIN_USER_PASSWORD_AUTH"}""");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _quotas.Dispose();
        _body.Dispose();
    }

    [Benchmark]
    public ValueTask QuotaUnsignedInitiateAuth() => _quotas.CheckAsync(_http, "InitiateAuth", signed: false, _body.RootElement);

    [Benchmark]
    public ValueTask QuotaSignedAdminGetUser() => _quotas.CheckAsync(_http, "AdminGetUser", signed: true, _body.RootElement);
}
