using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Cognate.AspNetCore.Tests;

public sealed class CognitoJwtBearerHandlerTests : IDisposable
{
    readonly TestKey key = new();
    readonly JwksHandler jwks = new();
    readonly ManualTime time = new(DateTimeOffset.UtcNow);
    readonly ServiceProvider services;

    public CognitoJwtBearerHandlerTests()
    {
        jwks.Keys.Add(key);
        var s = new ServiceCollection();
        s.AddLogging();
        s.AddSingleton<TimeProvider>(time);
        s.AddCognitoJwtBearer(o =>
        {
            o.UserPoolId = TestKey.PoolId;
            o.ClientIds.Add(TestKey.ClientId);
            o.BackchannelHandler = jwks;
            o.SaveToken = true;
        });
        s.AddAuthorizationBuilder()
            .AddPolicy("admins", p => p.RequireCognitoGroup("admins"))
            .AddPolicy("auditors", p => p.RequireCognitoGroup("auditors"))
            .AddPolicy("orders", p => p.RequireScope("orders/read"))
            .AddPolicy("payments", p => p.RequireScope("payments/write"));
        services = s.BuildServiceProvider();
    }

    public void Dispose()
    {
        services.Dispose();
        key.Dispose();
    }

    DefaultHttpContext Context(string? authorization)
    {
        var c = new DefaultHttpContext { RequestServices = services };
        if (authorization is not null) c.Request.Headers.Authorization = authorization;
        return c;
    }

    [Fact]
    public async Task Authenticate_GoodToken_MapsNameSubGroupsAndScope()
    {
        var token = key.Sign(TestKey.AccessClaims(time.Now));
        var context = Context("Bearer " + token);
        var result = await context.AuthenticateAsync();
        result.Succeeded.ShouldBeTrue(result.Failure?.Message);
        var user = result.Principal!;
        user.Identity!.Name.ShouldBe("alice");
        user.FindFirstValue("sub").ShouldBe("11111111-2222-3333-4444-555555555555");
        user.FindFirstValue(ClaimTypes.NameIdentifier).ShouldBe("11111111-2222-3333-4444-555555555555");
        user.IsInRole("admins").ShouldBeTrue();
        user.FindAll("cognito:groups").Select(c => c.Value).ShouldBe(["admins", "staff"]);
        user.FindFirst("exp")!.ValueType.ShouldBe(ClaimValueTypes.Integer64);
        result.Properties!.GetTokenValue("access_token").ShouldBe(token);
    }

    [Fact]
    public async Task Authenticate_SameTokenTwice_SecondFromCacheWithSameClaims()
    {
        var token = key.Sign(TestKey.AccessClaims(time.Now));
        var first = await Context("Bearer " + token).AuthenticateAsync();
        var second = await Context("Bearer " + token).AuthenticateAsync();
        second.Succeeded.ShouldBeTrue(second.Failure?.Message);
        second.Principal!.Claims.Select(c => (c.Type, c.Value)).ShouldBe(first.Principal!.Claims.Select(c => (c.Type, c.Value)));
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<CognitoJwtBearerOptions>>().Get(CognitoJwtBearerDefaults.AuthenticationScheme);
        services.GetRequiredService<CognitoValidatorRegistry>().Get(CognitoJwtBearerDefaults.AuthenticationScheme, options).CachedTokenCount.ShouldBe(1);
    }

    [Fact]
    public async Task Authenticate_NoHeader_NoResultAndPlainChallenge()
    {
        var context = Context(null);
        (await context.AuthenticateAsync()).None.ShouldBeTrue();
        await context.ChallengeAsync();
        context.Response.StatusCode.ShouldBe(401);
        context.Response.Headers.WWWAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task Authenticate_BadToken_FailsAndChallengeSaysInvalidToken()
    {
        var claims = TestKey.AccessClaims(time.Now);
        claims["exp"] = time.Now.ToUnixTimeSeconds() - 3600;
        var context = Context("Bearer " + key.Sign(claims));
        var result = await context.AuthenticateAsync();
        result.Failure!.Message.ShouldBe(CognitoTokenValidator.Expired);
        await context.ChallengeAsync();
        context.Response.StatusCode.ShouldBe(401);
        context.Response.Headers.WWWAuthenticate.ToString().ShouldBe("Bearer error=\"invalid_token\", error_description=\"The token has expired.\"");
    }

    [Fact]
    public async Task Authenticate_OtherScheme_Ignored() =>
        (await Context("Basic dXNlcjpwYXNz").AuthenticateAsync()).None.ShouldBeTrue();

    [Fact]
    public async Task IdentityFromIdToken_NameIsCognitoUsername()
    {
        var s = new ServiceCollection();
        s.AddLogging();
        s.AddCognitoJwtBearer(o => { o.UserPoolId = TestKey.PoolId; o.ClientIds.Add(TestKey.ClientId); o.BackchannelHandler = jwks; o.TokenUse = CognitoTokenUse.Id; });
        await using var sp = s.BuildServiceProvider();
        var c = new DefaultHttpContext { RequestServices = sp };
        c.Request.Headers.Authorization = "Bearer " + key.Sign(TestKey.IdClaims(DateTimeOffset.UtcNow));
        var result = await c.AuthenticateAsync();
        result.Principal!.Identity!.Name.ShouldBe("alice");
        result.Principal.FindFirst("email_verified")!.Value.ShouldBe("true");
    }

    [Fact]
    public async Task Policies_GroupsAndScopes_Enforced()
    {
        var result = await Context("Bearer " + key.Sign(TestKey.AccessClaims(time.Now))).AuthenticateAsync();
        var authz = services.GetRequiredService<IAuthorizationService>();
        (await authz.AuthorizeAsync(result.Principal!, "admins")).Succeeded.ShouldBeTrue();
        (await authz.AuthorizeAsync(result.Principal!, "auditors")).Succeeded.ShouldBeFalse();
        (await authz.AuthorizeAsync(result.Principal!, "orders")).Succeeded.ShouldBeTrue();
        (await authz.AuthorizeAsync(result.Principal!, "payments")).Succeeded.ShouldBeFalse();
        (await authz.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), "admins")).Succeeded.ShouldBeFalse();
    }
}
