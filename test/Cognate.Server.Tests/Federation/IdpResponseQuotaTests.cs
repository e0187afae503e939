using System.Net;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Federation;

/// <summary><c>/oauth2/idpresponse</c> is bounded like the other hosted endpoints (a server of its own with tiny quotas).</summary>
public sealed class IdpResponseQuotaTests
{
    [Fact]
    public async Task IdpResponse_OverUserAuthenticationQuota_429()
    {
        await using var server = await CognateServer.StartAsync(new Dictionary<string, string>
        {
            ["Cognate__RateLimits__Categories__UserAuthentication__RequestsPerSecond"] = "0.2",
            ["Cognate__RateLimits__Categories__UserAuthentication__Burst"] = "2",
        });
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using var r = await server.Http.GetAsync(new Uri(server.Endpoint, "/oauth2/idpresponse?code=c&state=forged"));
            statuses.Add(r.StatusCode);
        }
        statuses.Take(2).ShouldAllBe(s => s == HttpStatusCode.BadRequest); // within the quota: the forged state's error page
        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
    }
}
