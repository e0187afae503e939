using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Terms;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Terms;

/// <summary>Terms documents: ids, one per client and name, links validation, partial updates.</summary>
public sealed class TermsServiceTests
{
    sealed class FakeTermsStore : ITermsStore
    {
        public Dictionary<string, TermsDocument> Items { get; } = new(StringComparer.Ordinal);

        bool Taken(TermsDocument t) => Items.Values.Any(x => x.TermsId != t.TermsId && x.ClientId == t.ClientId && x.TermsName == t.TermsName);

        public ValueTask<bool> CreateAsync(TermsDocument terms, CancellationToken ct = default) =>
            ValueTask.FromResult(!Taken(terms) && Items.TryAdd(terms.TermsId, terms));
        public ValueTask<TermsDocument?> GetAsync(string userPoolId, string termsId, CancellationToken ct = default) =>
            ValueTask.FromResult(Items.GetValueOrDefault(termsId) is { } t && t.UserPoolId == userPoolId ? t : null);
        public ValueTask<TermsDocument?> GetByClientAsync(string userPoolId, string clientId, string termsName, CancellationToken ct = default) =>
            ValueTask.FromResult(Items.Values.FirstOrDefault(t => t.UserPoolId == userPoolId && t.ClientId == clientId && t.TermsName == termsName));
        public ValueTask<IReadOnlyList<TermsDocument>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default) =>
            ValueTask.FromResult<IReadOnlyList<TermsDocument>>(Items.Values.Where(t => t.UserPoolId == userPoolId && (afterId is null || string.CompareOrdinal(t.TermsId, afterId) > 0))
                .OrderBy(t => t.TermsId, StringComparer.Ordinal).Take(limit).ToList());
        public ValueTask<TermsWriteResult> UpdateAsync(TermsDocument terms, CancellationToken ct = default)
        {
            if (!Items.ContainsKey(terms.TermsId)) return ValueTask.FromResult(TermsWriteResult.NotFound);
            if (Taken(terms)) return ValueTask.FromResult(TermsWriteResult.Duplicate);
            Items[terms.TermsId] = terms;
            return ValueTask.FromResult(TermsWriteResult.Ok);
        }
        public ValueTask<bool> DeleteAsync(string userPoolId, string termsId, CancellationToken ct = default) => ValueTask.FromResult(Items.Remove(termsId));
    }

    readonly FakeUserPoolStore _poolStore = new();
    readonly FakeAppClientStore _clientStore = new();
    readonly FakeTermsStore _store = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _pools;
    readonly AppClientService _clients;
    readonly TermsService _svc;

    public TermsServiceTests()
    {
        _pools = new UserPoolService(_poolStore, _time);
        _clients = new AppClientService(_clientStore, _pools, _time);
        _svc = new TermsService(_pools, _clients, _store, _time);
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static Dictionary<string, string> Links(string url = "https://example.com/t") => new() { ["cognito:default"] = url };

    async Task<(string Pool, string Client)> SeedAsync()
    {
        var pool = await _pools.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p" }, null, ct: Ct);
        var client = await _clients.CreateAsync(pool.Id, new AppClientConfig { ClientName = "c" }, ct: Ct);
        return (pool.Id, client.ClientId);
    }

    [Theory]
    [InlineData("https://example.com/terms", true)]
    [InlineData("http://localhost:3000/terms", true)]
    [InlineData("http://127.0.0.1/terms", true)]
    [InlineData("http://example.com/terms", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("data:text/html,hi", false)]
    [InlineData("//example.com/terms", false)]
    [InlineData("https://user:pass@example.com/", false)]
    public void ValidateLinks_HttpsOrLoopbackHttp(string url, bool ok)
    {
        if (ok) TermsService.ValidateLinks(Links(url)).ContainsKey("cognito:default").ShouldBeTrue();
        else Should.Throw<CognitoException>(() => TermsService.ValidateLinks(Links(url))).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public void ValidateLinks_LanguagesAndCount()
    {
        Should.Throw<CognitoException>(() => TermsService.ValidateLinks(new Dictionary<string, string>())).Error.Type.ShouldBe("InvalidParameterException");
        Should.Throw<CognitoException>(() => TermsService.ValidateLinks(new Dictionary<string, string> { ["cognito:klingon"] = "https://e.com" })).Error.Type.ShouldBe("InvalidParameterException");
        TermsService.ValidateLinks(TermsService.Languages.ToDictionary(l => l, l => "https://example.com/" + l)).Count.ShouldBe(13);
    }

    [Fact]
    public async Task Create_IdIsUuidV4_TimesFromClock_SecondOfNameRefused_UpdateKeepsOmitted()
    {
        var (pool, client) = await SeedAsync();
        var t = await _svc.CreateAsync(pool, client, "terms-of-use", "LINK", "NONE", Links(), Ct);
        t.TermsId.ShouldMatch("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
        t.CreatedAt.ShouldBe(_time.Now);
        (await Should.ThrowAsync<CognitoException>(_svc.CreateAsync(pool, client, "terms-of-use", "LINK", "NONE", Links(), Ct).AsTask())).Error.Type.ShouldBe("TermsExistsException");
        (await Should.ThrowAsync<CognitoException>(_svc.CreateAsync(pool, client, "privacy-policy", "LINK", "NONE", null, Ct).AsTask())).Error.Type.ShouldBe("InvalidParameterException");
        (await Should.ThrowAsync<CognitoException>(_svc.CreateAsync(pool, "nosuchclient", "privacy-policy", "LINK", "NONE", Links(), Ct).AsTask())).Error.Type.ShouldBe("ResourceNotFoundException");

        _time.Now = _time.Now.AddMinutes(5);
        var u = await _svc.UpdateAsync(pool, t.TermsId.ToUpperInvariant(), null, null, null, Links("https://example.com/v2"), Ct);
        (u.TermsName, u.Links["cognito:default"], u.CreatedAt, u.ModifiedAt).ShouldBe(("terms-of-use", "https://example.com/v2", t.CreatedAt, _time.Now));
        await _svc.DeleteAsync(pool, t.TermsId, Ct);
        (await Should.ThrowAsync<CognitoException>(_svc.GetAsync(pool, t.TermsId, Ct).AsTask())).Error.Type.ShouldBe("ResourceNotFoundException");
    }
}
