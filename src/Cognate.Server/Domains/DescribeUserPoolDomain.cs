using Cognate.Core.Domains;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Domains;

/// <summary>DescribeUserPoolDomain: the domain's <c>DomainDescription</c>, or <c>{"DomainDescription": {}}</c> for an unknown domain (as Cognito).</summary>
[CognitoAction("DescribeUserPoolDomain")]
internal static class DescribeUserPoolDomain
{
    internal sealed record Request(string Domain);
    internal sealed record Response(DomainDescriptionType DomainDescription);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var d = await ctx.Get<DomainService>().FindAsync(r.Domain, ctx.Aborted);
        if (d is null) return new Response(new DomainDescriptionType());
        var pool = await ctx.Get<UserPoolService>().GetAsync(d.UserPoolId, ctx.Aborted);
        return new Response(DomainDescriptionType.From(ctx, d, pool.Region));
    }
}
