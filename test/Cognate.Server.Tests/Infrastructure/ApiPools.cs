using System.Text.Json.Nodes;

namespace Cognate.Server.Tests.Infrastructure;

/// <summary>The pool of the OAuth tests: a resource server <see cref="Api"/> with the custom scopes read and write.</summary>
internal static class ApiPools
{
    /// <summary>The resource server's identifier; its scopes are <c>{Api}/read</c> and <c>{Api}/write</c>.</summary>
    public const string Api = "https://api.example.com";

    /// <summary>A new pool (<see cref="ServerFixture.CreatePoolAsync"/>) with the resource server <see cref="Api"/>; returns the pool id.</summary>
    public static async Task<string> CreateApiPoolAsync(this ServerFixture f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var pool = await f.CreatePoolAsync();
        await f.Admin.InvokeAsync("CreateResourceServer", new JsonObject
        {
            ["UserPoolId"] = pool, ["Identifier"] = Api, ["Name"] = "api",
            ["Scopes"] = new JsonArray(new JsonObject { ["ScopeName"] = "read", ["ScopeDescription"] = "r" }, new JsonObject { ["ScopeName"] = "write", ["ScopeDescription"] = "w" }),
        });
        return pool;
    }
}
