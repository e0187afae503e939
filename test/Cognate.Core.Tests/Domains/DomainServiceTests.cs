using Cognate.Core.Domains;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Domains;

/// <summary>In-memory domain store: unique names, one prefix and one custom domain per pool.</summary>
internal sealed class FakeDomainStore : IUserPoolDomainStore
{
    public Dictionary<string, UserPoolDomain> Domains { get; } = new(StringComparer.Ordinal);

    public ValueTask<bool> CreateAsync(UserPoolDomain d, CancellationToken ct = default) =>
        ValueTask.FromResult(!Domains.Values.Any(x => x.UserPoolId == d.UserPoolId && x.IsCustom == d.IsCustom) && Domains.TryAdd(d.Domain, d));
    public ValueTask<UserPoolDomain?> GetAsync(string domain, CancellationToken ct = default) => ValueTask.FromResult(Domains.GetValueOrDefault(domain));
    public ValueTask<IReadOnlyList<UserPoolDomain>> ListForPoolAsync(string userPoolId, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<UserPoolDomain>>(Domains.Values.Where(d => d.UserPoolId == userPoolId).ToList());
    public ValueTask<bool> UpdateAsync(UserPoolDomain d, CancellationToken ct = default)
    {
        if (!Domains.ContainsKey(d.Domain)) return ValueTask.FromResult(false);
        Domains[d.Domain] = d;
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string domain, CancellationToken ct = default) =>
        ValueTask.FromResult(Domains.TryGetValue(domain, out var d) && d.UserPoolId == userPoolId && Domains.Remove(domain));
}

public sealed class DomainServiceTests
{
    readonly FakeDomainStore _store = new();
    readonly DomainService _svc;
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly UserPool PoolA = Pool("us-east-1_AAAAAAAAA");
    static readonly UserPool PoolB = Pool("us-east-1_BBBBBBBBB");
    const string Cert = "arn:aws:acm:us-east-1:123456789012:certificate/abc";

    public DomainServiceTests() => _svc = new DomainService(_store, new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));

    static UserPool Pool(string id) => new() { Id = id, Region = "us-east-1", CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch, Config = new UserPoolConfig() };

    static string Message(Action a) => Should.Throw<CognitoException>(a).Error.Message;

    [Theory]
    [InlineData("my-aws-app", "aws")]
    [InlineData("amazonshop", "amazon")]
    [InlineData("newcognito", "cognito")]
    public void ValidateName_ReservedWord_Refused(string prefix, string word) =>
        Message(() => DomainService.ValidateName(prefix, custom: false)).ShouldBe($"Domain cannot contain reserved word: {word}");

    [Theory]
    [InlineData("Upper")]
    [InlineData("under_score")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("dot.ted")]
    public void ValidateName_BadPrefix_InvalidCharacterMessage(string prefix) =>
        Message(() => DomainService.ValidateName(prefix, custom: false)).ShouldStartWith("The domain name contains an invalid character.");

    [Theory]
    [InlineData("auth.example.com", true)]
    [InlineData("login.aws-heavy.example.org", true)]
    [InlineData("localhost", false)]
    [InlineData("auth..example.com", false)]
    [InlineData("https://auth.example.com", false)]
    public void ValidateName_Custom_FullyQualifiedOnly(string name, bool ok)
    {
        if (ok) DomainService.ValidateName(name, custom: true);
        else Should.Throw<CognitoException>(() => DomainService.ValidateName(name, custom: true)).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_PrefixTakenByAnotherPool_DomainAlreadyAssociated()
    {
        await _svc.CreateAsync(PoolA, "shared", null, null, Ct);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(PoolB, "shared", null, null, Ct));
        (ex.Error.Type, ex.Error.Message).ShouldBe(("InvalidParameterException", "Domain already associated with another user pool."));
    }

    [Fact]
    public async Task Create_SecondPrefixSamePool_AlreadyHasDomain_CustomStillAllowed()
    {
        await _svc.CreateAsync(PoolA, "first", null, null, Ct);
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(PoolA, "second", null, null, Ct));
        ex.Error.Message.ShouldBe("User pool already has a domain configured.");
        var custom = await _svc.CreateAsync(PoolA, "auth.example.com", Cert, 2, Ct);
        custom.IsCustom.ShouldBeTrue();
        custom.ManagedLoginVersion.ShouldBe(2);
        custom.CloudFrontDistribution.ShouldMatch(@"^d[a-z2-7]{13}\.cloudfront\.net$");
        var (prefix, c) = await _svc.ForPoolAsync(PoolA.Id, Ct);
        (prefix!.Domain, c!.Domain).ShouldBe(("first", "auth.example.com"));
    }

    [Fact]
    public async Task Create_ManagedLoginVersion3_Refused() =>
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.CreateAsync(PoolA, "v3", null, 3, Ct))).Error.Type.ShouldBe("InvalidParameterException");

    [Fact]
    public async Task UpdateDelete_OtherPoolsDomain_NoSuchDomain()
    {
        await _svc.CreateAsync(PoolA, "mine", null, null, Ct);
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.UpdateAsync(PoolB, "mine", null, 2, Ct))).Error.Message.ShouldBe("No such domain or user pool exists.");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.DeleteAsync(PoolB, "mine", Ct))).Error.Message.ShouldBe("No such domain or user pool exists.");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.UpdateAsync(PoolA, "mine", Cert, null, Ct))).Error.Type.ShouldBe("InvalidParameterException");
        (await _svc.UpdateAsync(PoolA, "mine", null, 2, Ct)).ManagedLoginVersion.ShouldBe(2);
        await _svc.DeleteAsync(PoolA, "mine", Ct);
        (await _svc.FindAsync("mine", Ct)).ShouldBeNull();
    }
}
