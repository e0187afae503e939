using Cognate.Core.Terms;
using Cognate.Server.Protocol;

namespace Cognate.Server.Terms;

/// <summary>DescribeTerms: one terms document of the pool by its id. Errors: ResourceNotFoundException (pool or document).</summary>
[CognitoAction("DescribeTerms")]
internal static class DescribeTerms
{
    internal sealed record Request(string TermsId, string UserPoolId);
    internal sealed record Response(TermsType Terms);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r) =>
        new(TermsType.From(await ctx.Get<TermsService>().GetAsync(r.UserPoolId, r.TermsId, ctx.Aborted)));
}
