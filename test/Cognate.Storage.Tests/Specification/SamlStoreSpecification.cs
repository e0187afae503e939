using Cognate.Core.Federation.Saml;
using Cognate.Storage.Secrets;
using Cognate.Storage.Stores;
using static Cognate.Storage.Tests.Sqlite.TestDatabase;

namespace Cognate.Storage.Tests.Specification;

/// <summary>
/// The SAML stores' contract on every provider (migration 0012): one SP key per (pool, use), first writer wins; an assertion ID
/// is accepted once until it expires, also under concurrent presenters; the sealed key column is re-sealed by MasterKeyRotation.
/// </summary>
public abstract class SamlStoreSpecification
{
    private const string Pool = "us-east-1_TestPool1";

    private protected abstract Task<StoreHarness> OpenAsync();

    sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task SpKey_FirstWriterWins_AndRoundTrips()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var keys = new SqlSamlSpKeyStore(h.Database);
        (await keys.GetAsync(Pool, SamlSpKeyUses.Signing, Ct)).ShouldBeNull();
        var first = new SamlSpKeyRecord(Pool, SamlSpKeyUses.Signing, [1, 2, 3], h.Sealer.Seal([9, 9], SamlSpKeyService.Context(Pool, "signing")), T0);
        (await keys.AddAsync(first, Ct)).ShouldBeTrue();
        (await keys.AddAsync(first with { Certificate = [7] }, Ct)).ShouldBeFalse();
        var got = (await keys.GetAsync(Pool, SamlSpKeyUses.Signing, Ct))!;
        got.Certificate.ShouldBe(first.Certificate);
        got.PrivateSealed.ShouldBe(first.PrivateSealed);
        got.CreatedAt.ShouldBe(T0);
        (await keys.GetAsync(Pool, SamlSpKeyUses.Encryption, Ct)).ShouldBeNull();

        var next = new TestSecretSealer(keySeed: 91);
        await MasterKeyRotation.RekeyAsync(h.Database, h.Sealer, next, Ct);
        next.Unseal((await keys.GetAsync(Pool, SamlSpKeyUses.Signing, Ct))!.PrivateSealed, SamlSpKeyService.Context(Pool, "signing")).ShouldBe(new byte[] { 9, 9 });
    }

    [Fact]
    public async Task Replay_AcceptedOnceUntilExpiry_EvenConcurrently()
    {
        await using var h = await OpenAsync();
        (await h.Pools.CreateAsync(NewPool(Pool), Ct)).ShouldBeTrue();
        var clock = new Clock(T0);
        var replay = new SqlSamlReplayStore(h.Database, clock);
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => replay.TryRecordAsync(Pool, "https://idp", "_a1", T0.AddMinutes(5), Ct).AsTask()));
        results.Count(r => r).ShouldBe(1);
        (await replay.TryRecordAsync(Pool, "https://idp", "_a2", T0.AddMinutes(5), Ct)).ShouldBeTrue();
        (await replay.TryRecordAsync(Pool, "https://other-idp", "_a1", T0.AddMinutes(5), Ct)).ShouldBeTrue();
        clock.Now = T0.AddMinutes(6);
        (await replay.TryRecordAsync(Pool, "https://idp", "_a1", T0.AddMinutes(11), Ct)).ShouldBeTrue();
        (await replay.TryRecordAsync(Pool, "https://idp", "_a1", T0.AddMinutes(11), Ct)).ShouldBeFalse();
    }
}

/// <summary>The SAML store specification on SQLite.</summary>
public sealed class SqliteSamlStoreSpecificationTests : SamlStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.SqliteAsync(migrate: true);
}

/// <summary>The SAML store specification on PostgreSQL.</summary>
public sealed class PostgresSamlStoreSpecificationTests : SamlStoreSpecification
{
    private protected override Task<StoreHarness> OpenAsync() => StoreHarness.PostgresAsync(migrate: true);
}
