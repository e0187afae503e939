using System.ComponentModel.DataAnnotations;
using System.Text;
using Cognate.Server.Protocol;
using Cognate.Server.RateLimiting;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.RateLimiting;

public sealed class RequestQuotasTests
{
    [Fact]
    public void Of_EveryOperationOfTheServiceModel_HasAKnownCategory()
    {
        foreach (var op in ServiceModel.Load().Operations.Keys)
        {
            QuotaCategories.CognitoDefaultRps.ShouldContainKey(QuotaCategories.Of(op), op);
        }
        QuotaCategories.Of("InitiateAuth").ShouldBe(QuotaCategories.UserAuthentication);
        QuotaCategories.Of("SignUp").ShouldBe(QuotaCategories.UserCreation);
        QuotaCategories.Of("GetUser").ShouldBe(QuotaCategories.UserRead);
        QuotaCategories.Of("DescribeSomethingNew").ShouldBe(QuotaCategories.UserPoolRead);
        QuotaCategories.Of("MutateSomethingNew").ShouldBe(QuotaCategories.UserPoolUpdate);
    }

    [Fact]
    public void QuotaFor_PoolOverrideThenCategoryOverrideThenDefault()
    {
        var options = new RateLimitOptions
        {
            Categories = { [QuotaCategories.UserRead] = new QuotaOptions { RequestsPerSecond = 7, Burst = 8 } },
            Pools = { ["us-east-1_Pool"] = new() { [QuotaCategories.UserRead] = new QuotaOptions { RequestsPerSecond = 1, Burst = 2 } } },
        };
        using var quotas = new RequestQuotas(Microsoft.Extensions.Options.Options.Create(options), null!);

        quotas.QuotaFor("UserRead|us-east-1_Pool").RequestsPerSecond.ShouldBe(1);
        quotas.QuotaFor("UserRead|us-east-1_Other").RequestsPerSecond.ShouldBe(7);
        var fallback = quotas.QuotaFor("UserCreation|us-east-1_Pool");
        fallback.RequestsPerSecond.ShouldBe(500);
        fallback.Burst.ShouldBe(2000);
    }

    [Fact]
    public void Validate_UnknownCategoryOrZeroRate_Fails()
    {
        var options = new RateLimitOptions
        {
            Categories = { ["UserReed"] = new QuotaOptions { RequestsPerSecond = 1, Burst = 1 } },
            PerIp = new QuotaOptions { RequestsPerSecond = 0, Burst = 1 },
        };
        var errors = options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage).ToList();
        errors.ShouldContain(e => e!.Contains("UserReed", StringComparison.Ordinal));
        errors.ShouldContain(e => e!.Contains("PerIp:RequestsPerSecond", StringComparison.Ordinal));
    }

    [Fact]
    public void ClientIdOfToken_ReadsThePayloadClaimAndRejectsGarbage()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        RequestQuotas.ClientIdOfToken($"{B64("{}")}.{B64("{\"a\":[1,{\"b\":2}],\"client_id\":\"abc123\"}")}.sig").ShouldBe("abc123");
        RequestQuotas.ClientIdOfToken($"{B64("{}")}.{B64("{\"client_id\":5}")}.sig").ShouldBeNull();
        RequestQuotas.ClientIdOfToken("not-a-token").ShouldBeNull();
        RequestQuotas.ClientIdOfToken("a.!!!.c").ShouldBeNull();
        RequestQuotas.ClientIdOfToken($"a.{B64("[1,2]")}.c").ShouldBeNull();
    }

    [Theory]
    [InlineData("us-east-1_CognateDv", true)]
    [InlineData("eu-west-1_AbC123", true)]
    [InlineData("us-east-1_", false)]
    [InlineData("_abc", false)]
    [InlineData("us-east-1_a\u0000b", false)]
    [InlineData("us east-1_abc", false)]
    public void LooksLikePoolId_ModelShapeOnly(string id, bool ok) =>
        RequestQuotas.LooksLikePoolId(System.Text.RegularExpressions.Regex.Unescape(id)).ShouldBe(ok);

    [Theory]
    [InlineData("cognatedevelopmentclient01", true)]
    [InlineData("a+b_c", true)]
    [InlineData("a\u0000b", false)]
    [InlineData("a-b", false)]
    [InlineData("", false)]
    public void LooksLikeClientId_ModelShapeOnly(string id, bool ok) =>
        RequestQuotas.LooksLikeClientId(System.Text.RegularExpressions.Regex.Unescape(id)).ShouldBe(ok);
}
