using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Pools;

/// <summary>TagResource / UntagResource / ListTagsForResource semantics on the pool's UserPoolTags.</summary>
public sealed class UserPoolTagTests
{
    readonly FakeUserPoolStore _store = new();
    readonly UserPoolService _svc;

    public UserPoolTagTests() => _svc = new UserPoolService(_store, new FixedTime(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero)));

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123", true, "us-east-1_AbC123")]
    [InlineData("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbC123", false, "")]
    [InlineData("arn:aws:cognito-identity:us-east-1:123456789012:identitypool/us-east-1:abc", false, "")]
    [InlineData("arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC123/client/x", false, "")]
    [InlineData("arn:aws:cognito-idp:us-east-1:123456789012:userpool/../us-east-1_AbC123", false, "")]
    public void TryParseArn_OnlyUserPoolArnsWithMatchingRegion(string arn, bool ok, string poolId)
    {
        UserPoolService.TryParseArn(arn, out _, out _, out var id).ShouldBe(ok);
        if (ok) id.ShouldBe(poolId);
    }

    [Fact]
    public void ValidateTags_Limits()
    {
        UserPoolService.ValidateTags(new Dictionary<string, string> { ["k"] = "" });
        UserPoolService.ValidateTags(Enumerable.Range(0, 50).ToDictionary(i => "k" + i, _ => "v"));
        Should.Throw<CognitoException>(() => UserPoolService.ValidateTags(Enumerable.Range(0, 51).ToDictionary(i => "k" + i, _ => "v"))).Error.Type.ShouldBe("InvalidParameterException");
        Should.Throw<CognitoException>(() => UserPoolService.ValidateTags(new Dictionary<string, string> { [""] = "v" })).Error.Type.ShouldBe("InvalidParameterException");
        Should.Throw<CognitoException>(() => UserPoolService.ValidateTags(new Dictionary<string, string> { [new string('k', 129)] = "v" })).Error.Type.ShouldBe("InvalidParameterException");
        Should.Throw<CognitoException>(() => UserPoolService.ValidateTags(new Dictionary<string, string> { ["k"] = new string('v', 257) })).Error.Type.ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task TagUntag_MergeRemove_CountsExistingTags()
    {
        var pool = await _svc.CreateAsync("us-east-1", new UserPoolConfig { PoolName = "p", UserPoolTags = new() { ["a"] = "1" } }, null, ct: Ct);
        await _svc.TagAsync(pool.Id, new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" }, Ct);
        (await _svc.ListTagsAsync(pool.Id, Ct)).ShouldBe(new Dictionary<string, string> { ["a"] = "2", ["b"] = "3" }, ignoreOrder: true);
        await _svc.UntagAsync(pool.Id, ["a", "zzz"], Ct);
        (await _svc.ListTagsAsync(pool.Id, Ct)).Keys.ShouldBe(["b"]);
        await _svc.TagAsync(pool.Id, Enumerable.Range(0, 49).ToDictionary(i => "k" + i, _ => "v"), Ct);
        (await Should.ThrowAsync<CognitoException>(_svc.TagAsync(pool.Id, new Dictionary<string, string> { ["one-more"] = "v" }, Ct).AsTask())).Error.Type.ShouldBe("InvalidParameterException");
        (await _svc.ListTagsAsync(pool.Id, Ct)).Count.ShouldBe(50);
        (await Should.ThrowAsync<CognitoException>(_svc.ListTagsAsync("us-east-1_Missing", Ct).AsTask())).Error.Type.ShouldBe("ResourceNotFoundException");
    }
}
