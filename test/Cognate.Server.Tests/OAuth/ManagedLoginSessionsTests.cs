using Cognate.Core.Crypto;
using Cognate.Core.Pools;
using Cognate.Server.ManagedLogin;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.OAuth;

/// <summary>The managed-login session cookie without a server: sealing, binding to its pool, expiry, and its attributes.</summary>
public sealed class ManagedLoginSessionsTests : IDisposable
{
    static readonly DateTimeOffset Now = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    readonly ServiceProvider services;
    readonly ManagedLoginSessions sessions;

    sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public ManagedLoginSessionsTests()
    {
        services = new ServiceCollection()
            .AddSingleton(MasterKeyProtector.FromBase64(MasterKeyProtector.GenerateMasterKeyBase64()))
            .AddSingleton<TimeProvider>(new Clock(Now))
            .BuildServiceProvider();
        sessions = new ManagedLoginSessions(services);
    }

    public void Dispose() => services.Dispose();

    static UserPool Pool(string id) => new() { Id = id, Region = "us-east-1", CreatedAt = Now, ModifiedAt = Now, Config = new UserPoolConfig { PoolName = "p" } };

    static DefaultHttpContext WithCookie(string header)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = header;
        return http;
    }

    string Written(ManagedLoginSession session, bool https = false)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = https ? "https" : "http";
        sessions.Write(http, session);
        return http.Response.Headers.SetCookie.ToString();
    }

    [Fact]
    public void WriteThenRead_SamePool_SameSession()
    {
        var session = new ManagedLoginSession("us-east-1_A", "sub-1", Now.AddMinutes(-10), Now.AddMinutes(50));
        var setCookie = Written(session);
        var value = setCookie.Split(';')[0];

        sessions.Read(WithCookie(value), Pool("us-east-1_A")).ShouldBe(session with { AuthTime = DateTimeOffset.FromUnixTimeMilliseconds(session.AuthTime.ToUnixTimeMilliseconds()) });
        value.ShouldNotContain("sub-1");
    }

    [Fact]
    public void Write_Attributes_HttpOnlyLaxPathExpiresAndSecureOnlyOnHttps()
    {
        var session = new ManagedLoginSession("us-east-1_A", "sub-1", Now, Now + ManagedLoginSessions.Lifetime);
        var plain = Written(session).ToLowerInvariant();
        plain.ShouldStartWith(ManagedLoginSessions.CookieName("us-east-1_A").ToLowerInvariant() + "=");
        plain.ShouldContain("httponly");
        plain.ShouldContain("samesite=lax");
        plain.ShouldContain("path=/");
        plain.ShouldContain("expires=sat, 05 dec 2026 09:00:00 gmt");
        plain.ShouldNotContain("secure");
        Written(session, https: true).ToLowerInvariant().ShouldContain("secure");
    }

    [Fact]
    public void Read_OtherPoolTamperedExpiredOrGarbage_Null()
    {
        var session = new ManagedLoginSession("us-east-1_A", "sub-1", Now.AddMinutes(-10), Now.AddMinutes(50));
        var value = Written(session).Split(';')[0].Split('=', 2)[1];

        // The same sealed value under pool B's cookie name does not open (associated data names the pool).
        sessions.Read(WithCookie(ManagedLoginSessions.CookieName("us-east-1_B") + "=" + value), Pool("us-east-1_B")).ShouldBeNull();
        var tampered = (value[5] == 'A' ? 'B' : 'A') is var c ? value[..5] + c + value[6..] : value;
        sessions.Read(WithCookie(ManagedLoginSessions.CookieName("us-east-1_A") + "=" + tampered), Pool("us-east-1_A")).ShouldBeNull();
        sessions.Read(WithCookie(ManagedLoginSessions.CookieName("us-east-1_A") + "=%%%"), Pool("us-east-1_A")).ShouldBeNull();
        sessions.Read(WithCookie(ManagedLoginSessions.CookieName("us-east-1_A") + "=" + new string('A', 5000)), Pool("us-east-1_A")).ShouldBeNull();
        var expired = Written(session with { ExpiresAt = Now }).Split(';')[0];
        sessions.Read(WithCookie(expired), Pool("us-east-1_A")).ShouldBeNull();

        // A cookie sealed under another master key (e.g. before a rotation) is no session.
        using var otherKey = MasterKeyProtector.FromBase64(MasterKeyProtector.GenerateMasterKeyBase64());
        var foreign = ManagedLoginSessions.Seal(otherKey, session);
        sessions.Read(WithCookie(ManagedLoginSessions.CookieName("us-east-1_A") + "=" + foreign), Pool("us-east-1_A")).ShouldBeNull();
    }

    [Fact]
    public void Clear_DeletesThePoolsCookieOnPathRoot()
    {
        var http = new DefaultHttpContext();
        sessions.Clear(http, Pool("us-east-1_A"));
        var header = http.Response.Headers.SetCookie.ToString().ToLowerInvariant();
        header.ShouldStartWith(ManagedLoginSessions.CookieName("us-east-1_A").ToLowerInvariant() + "=;");
        header.ShouldContain("expires=thu, 01 jan 1970");
        header.ShouldContain("path=/");
    }
}
