using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Pools;

/// <summary>
/// TagResource, UntagResource, ListTagsForResource on a user pool's ARN: one tag set shared with CreateUserPool /
/// UpdateUserPool / DescribeUserPool <c>UserPoolTags</c>, Cognito's limits, and ResourceNotFoundException for unknown ARNs.
/// </summary>
public sealed class PoolTagTests(ServerFixture f)
{
    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    async Task<(string Pool, string Arn)> PoolAsync(JsonObject? tags = null)
    {
        var pool = await f.CreatePoolAsync(tags is null ? null : new JsonObject { ["UserPoolTags"] = tags });
        var arn = (string)(await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!["Arn"]!;
        return (pool, arn);
    }

    async Task<Dictionary<string, string>> ListAsync(string arn) =>
        (await f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn }))["Tags"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!);

    async Task<Dictionary<string, string>> DescribeTagsAsync(string pool) =>
        (await f.Admin.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = pool }))["UserPool"]!["UserPoolTags"]!.AsObject()
            .ToDictionary(kv => kv.Key, kv => (string)kv.Value!);

    [Fact]
    public async Task Tags_CreateTagUntagUpdate_OneSetSeenByListAndDescribe()
    {
        var (pool, arn) = await PoolAsync(new JsonObject { ["team"] = "identity", ["env"] = "staging" });
        (await ListAsync(arn)).ShouldBe(new Dictionary<string, string> { ["team"] = "identity", ["env"] = "staging" }, ignoreOrder: true);

        await f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["env"] = "production", ["owner"] = "" } });
        var expected = new Dictionary<string, string> { ["team"] = "identity", ["env"] = "production", ["owner"] = "" };
        (await ListAsync(arn)).ShouldBe(expected, ignoreOrder: true);
        (await DescribeTagsAsync(pool)).ShouldBe(expected, ignoreOrder: true);

        await f.Admin.InvokeAsync("UntagResource", new JsonObject { ["ResourceArn"] = arn, ["TagKeys"] = new JsonArray("owner", "not-there") });
        (await ListAsync(arn)).ShouldBe(new Dictionary<string, string> { ["team"] = "identity", ["env"] = "production" }, ignoreOrder: true);

        // UpdateUserPool without UserPoolTags keeps them; with UserPoolTags replaces the whole set.
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = pool });
        (await ListAsync(arn)).Count.ShouldBe(2);
        await f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = pool, ["UserPoolTags"] = new JsonObject { ["only"] = "one" } });
        (await ListAsync(arn)).ShouldBe(new Dictionary<string, string> { ["only"] = "one" });
    }

    [Fact]
    public async Task ListTagsForResource_PoolWithoutTags_ReturnsEmptyMap()
    {
        var (_, arn) = await PoolAsync();
        var r = await f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn });
        r["Tags"]!.AsObject().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Tags_UnknownPoolOrForeignArn_ResourceNotFound()
    {
        var (pool, arn) = await PoolAsync();
        var region = pool[..pool.IndexOf('_', StringComparison.Ordinal)];
        var unknown = arn.Replace(pool, region + "_NoSuchPool", StringComparison.Ordinal);
        await Fails(f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = unknown }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = unknown, ["Tags"] = new JsonObject { ["a"] = "b" } }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("UntagResource", new JsonObject { ["ResourceArn"] = unknown, ["TagKeys"] = new JsonArray("a") }), "ResourceNotFoundException");

        // Another account's ARN for the same pool id, another service, a region that does not match the id.
        var parts = arn.Split(':');
        var foreign = string.Join(':', parts[0], parts[1], parts[2], parts[3], "999999999999", parts[5]);
        await Fails(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = foreign, ["Tags"] = new JsonObject { ["a"] = "b" } }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn.Replace("cognito-idp", "cognito-identity", StringComparison.Ordinal) }), "ResourceNotFoundException");
        var otherRegion = region == "eu-west-1" ? "us-east-1" : "eu-west-1";
        await Fails(f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn.Replace(":" + region + ":", ":" + otherRegion + ":", StringComparison.Ordinal) }), "ResourceNotFoundException");
        (await ListAsync(arn)).Count.ShouldBe(0);
    }

    [Fact]
    public async Task TagResource_BadInput_Rejected_TagsUnchanged()
    {
        var (pool, arn) = await PoolAsync(new JsonObject { ["keep"] = "me" });
        // Not an ARN at all: the model's pattern (400, never a 500).
        var ex = await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = "not-an-arn-but-long-enough" }));
        ex.StatusCode.ShouldBe(400);
        await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { [new string('k', 129)] = "v" } }));
        await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["k"] = new string('v', 257) } }));
        await Should.ThrowAsync<CognitoServiceException>(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn }));

        // 50 tags at most, counting the ones the pool already carries.
        var many = new JsonObject();
        for (int i = 0; i < 49; i++) many["k" + i] = "v";
        await f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = many });
        (await ListAsync(arn)).Count.ShouldBe(50);
        await Fails(f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["one-more"] = "v" } }), "InvalidParameterException");
        (await ListAsync(arn)).Count.ShouldBe(50);
        // Re-tagging an existing key keeps the count.
        await f.Admin.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["keep"] = "changed" } });
        (await ListAsync(arn))["keep"].ShouldBe("changed");

        var tooMany = new JsonObject();
        for (int i = 0; i < 51; i++) tooMany["t" + i] = "v";
        await Fails(f.Admin.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = "too-many-tags", ["UserPoolTags"] = tooMany }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = pool, ["UserPoolTags"] = tooMany.DeepClone() }), "InvalidParameterException");
    }

    [Fact]
    public async Task Tags_Unsigned_MissingAuthentication()
    {
        var (_, arn) = await PoolAsync();
        await Fails(f.Public.InvokeAsync("TagResource", new JsonObject { ["ResourceArn"] = arn, ["Tags"] = new JsonObject { ["a"] = "b" } }), "MissingAuthenticationTokenException");
        await Fails(f.Public.InvokeAsync("ListTagsForResource", new JsonObject { ["ResourceArn"] = arn }), "MissingAuthenticationTokenException");
        (await ListAsync(arn)).Count.ShouldBe(0);
    }
}
