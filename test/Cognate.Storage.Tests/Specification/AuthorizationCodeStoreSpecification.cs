using System.Security.Cryptography;
using Cognate.Core.Stores;
using Cognate.Storage.Maintenance;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The authorization-code store's contract on every provider (migration 0009): codes round-trip, redemption is single use
/// even under 50 concurrent redeemers, expired codes are not redeemed, a replay is reported with its record, and the
/// replayed/issued flags close the race between a replay and the first exchange.
/// </summary>
public abstract class AuthorizationCodeStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";
    private const string Client = "client0000000000000000000a";

    private protected abstract Task<StoreHarness> OpenAsync();

    private static async Task<(StoreHarness H, SqlAuthorizationCodeStore Codes, string Sub)> SeededAsync(OpenFunc open)
    {
        var h = await open();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        await h.Clients.CreateAsync(NewClient(Pool), Ct);
        var user = NewUser(Pool, "alice");
        (await h.Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        return (h, new SqlAuthorizationCodeStore(h.Database), user.Sub);
    }

    private delegate Task<StoreHarness> OpenFunc();

    private static AuthorizationCodeRecord NewCode(string sub, byte[]? hash = null, DateTimeOffset? expires = null, string? nonce = "n-1", string? challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM") =>
        new(hash ?? RandomNumberGenerator.GetBytes(32), Pool, Client, "alice", sub, "https://app.example.com/cb",
            ["openid", "email", "https://api.example.com/read"], nonce, challenge, Guid.NewGuid().ToString(), T0.AddMinutes(-1), T0, expires ?? T0.AddMinutes(5));

    [Fact]
    public async Task Redeem_FreshCode_ReturnsEveryBoundValue()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub);
        await codes.CreateAsync(code, Ct);

        var r = await codes.RedeemAsync(code.CodeHash, T0.AddMinutes(1), Ct);

        r.Status.ShouldBe(CodeRedemptionStatus.Redeemed);
        var got = r.Record!;
        got.CodeHash.ShouldBe(code.CodeHash);
        (got.UserPoolId, got.ClientId, got.Username, got.Sub, got.RedirectUri).ShouldBe((Pool, Client, "alice", sub, "https://app.example.com/cb"));
        got.Scopes.ShouldBe(code.Scopes);
        (got.Nonce, got.CodeChallenge, got.OriginJti).ShouldBe((code.Nonce, code.CodeChallenge, code.OriginJti));
        (got.AuthTime, got.CreatedAt, got.ExpiresAt).ShouldBe((code.AuthTime, code.CreatedAt, code.ExpiresAt));
    }

    [Fact]
    public async Task Redeem_NoNonceNoChallenge_NullsRoundTrip()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub, nonce: null, challenge: null);
        await codes.CreateAsync(code, Ct);

        var got = (await codes.RedeemAsync(code.CodeHash, T0, Ct)).Record!;

        (got.Nonce, got.CodeChallenge).ShouldBe((null, null));
    }

    [Fact]
    public async Task Redeem_Twice_SecondIsReplayWithRecord()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub);
        await codes.CreateAsync(code, Ct);

        (await codes.RedeemAsync(code.CodeHash, T0, Ct)).Status.ShouldBe(CodeRedemptionStatus.Redeemed);
        var second = await codes.RedeemAsync(code.CodeHash, T0, Ct);

        second.Status.ShouldBe(CodeRedemptionStatus.Replayed);
        second.Record!.OriginJti.ShouldBe(code.OriginJti);
        (await codes.RedeemAsync(code.CodeHash, T0, Ct)).Status.ShouldBe(CodeRedemptionStatus.Replayed);
    }

    [Fact]
    public async Task Redeem_FiftyConcurrentRedeemers_ExactlyOneRedeems()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub);
        await codes.CreateAsync(code, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () => await codes.RedeemAsync(code.CodeHash, T0, Ct), Ct)));

        results.Count(r => r.Status == CodeRedemptionStatus.Redeemed).ShouldBe(1);
        results.Count(r => r.Status == CodeRedemptionStatus.Replayed).ShouldBe(49);
    }

    [Fact]
    public async Task Redeem_ExpiredOrUnknown_NotFound()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub, expires: T0.AddMinutes(5));
        await codes.CreateAsync(code, Ct);

        (await codes.RedeemAsync(code.CodeHash, T0.AddMinutes(5), Ct)).Status.ShouldBe(CodeRedemptionStatus.NotFound);
        (await codes.RedeemAsync(RandomNumberGenerator.GetBytes(32), T0, Ct)).ShouldBe(new AuthorizationCodeRedemption(CodeRedemptionStatus.NotFound, null));
    }

    [Fact]
    public async Task MarkIssued_BeforeAndAfterReplay_ReportsTheReplay()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var clean = NewCode(sub);
        var raced = NewCode(sub);
        await codes.CreateAsync(clean, Ct);
        await codes.CreateAsync(raced, Ct);
        await codes.RedeemAsync(clean.CodeHash, T0, Ct);
        await codes.RedeemAsync(raced.CodeHash, T0, Ct);

        (await codes.MarkIssuedAsync(clean.CodeHash, Ct)).ShouldBeFalse();
        (await codes.RedeemAsync(raced.CodeHash, T0, Ct)).Status.ShouldBe(CodeRedemptionStatus.Replayed); // the replay wins the race
        (await codes.MarkIssuedAsync(raced.CodeHash, Ct)).ShouldBeTrue();
        (await codes.MarkIssuedAsync(RandomNumberGenerator.GetBytes(32), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task Delete_UserOrClient_TakesTheirCodes()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        var code = NewCode(sub);
        await codes.CreateAsync(code, Ct);

        (await h.Users.DeleteAsync(Pool, "alice", Ct)).ShouldBeTrue();

        (await h.CountAsync("SELECT COUNT(*) FROM authorization_codes")).ShouldBe(0);
        (await codes.RedeemAsync(code.CodeHash, T0, Ct)).Status.ShouldBe(CodeRedemptionStatus.NotFound);
    }

    [Fact]
    public async Task RefreshToken_OAuthScopes_RoundTripAndNullForApiTokens()
    {
        var (h, _, _) = await SeededAsync(OpenAsync);
        await using var _ = h;
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([1], Pool, Client, "alice", "jti-hosted", T0, T0.AddDays(1), false) { OAuthScopes = ["openid", "email"] }, Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([2], Pool, Client, "alice", "jti-api", T0, T0.AddDays(1), false), Ct);

        (await h.RefreshTokens.GetAsync([1], Ct))!.OAuthScopes.ShouldBe(["openid", "email"]);
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-api", Ct))!.OAuthScopes.ShouldBeNull();
    }

    [Fact]
    public async Task RefreshToken_DeviceKey_RoundTripsAndSurvivesRotation()
    {
        var (h, _, _) = await SeededAsync(OpenAsync);
        await using var _ = h;
        const string device = "us-east-1_0b5c8f4e-2d1a-4c3b-9e8f-7a6b5c4d3e2f";
        var bound = new RefreshTokenRecord([1], Pool, Client, "alice", "jti-device", T0, T0.AddDays(1), false) { DeviceKey = device };
        await h.RefreshTokens.CreateAsync(bound, Ct);
        await h.RefreshTokens.CreateAsync(new RefreshTokenRecord([2], Pool, Client, "alice", "jti-none", T0, T0.AddDays(1), false), Ct);

        (await h.RefreshTokens.GetAsync([1], Ct))!.DeviceKey.ShouldBe(device);
        (await h.RefreshTokens.GetByOriginJtiAsync("jti-none", Ct))!.DeviceKey.ShouldBeNull();
        var replacement = Cognate.Core.Tokens.RefreshTokenRotation.Replacement(bound, [3], "jti-rotated");
        (await h.RefreshTokens.RotateAsync([1], replacement, T0, T0, Ct)).ShouldBeTrue();
        (await h.RefreshTokens.GetAsync([3], Ct))!.DeviceKey.ShouldBe(device);
    }

    [Fact]
    public async Task Sweep_ExpiredCodes_DeletedLiveKept()
    {
        var (h, codes, sub) = await SeededAsync(OpenAsync);
        await using var _ = h;
        for (int i = 0; i < 5; i++) await codes.CreateAsync(NewCode(sub, expires: T0.AddSeconds(-1 - i)), Ct);
        var live = NewCode(sub, expires: T0.AddMinutes(5));
        await codes.CreateAsync(live, Ct);

        var result = await new SqlSweeper(h.Database, new SweeperOptions { BatchSize = 2, BatchPauseMilliseconds = 0 }).SweepAsync(T0, Ct);

        result.AuthorizationCodes.ShouldBe(5);
        result.Total.ShouldBe(5);
        (await codes.RedeemAsync(live.CodeHash, T0, Ct)).Status.ShouldBe(CodeRedemptionStatus.Redeemed);
    }
}

/// <summary>The authorization-code store specification on SQLite.</summary>
public sealed class SqliteAuthorizationCodeStoreSpecificationTests : AuthorizationCodeStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The authorization-code store specification on PostgreSQL.</summary>
public sealed class PostgresAuthorizationCodeStoreSpecificationTests : AuthorizationCodeStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
