using Cognate.Core.Terms;
using Cognate.Server.Protocol;

namespace Cognate.Server.Terms;

/// <summary>
/// DescribeTermsByClient: the app client's terms document of the given name (<c>terms-of-use</c> or <c>privacy-policy</c>).
/// Errors: ResourceNotFoundException (pool, client, or no document of that name).
/// </summary>
[CognitoAction("DescribeTermsByClient")]
internal static class DescribeTermsByClient
{
    internal sealed record Request(string ClientId, string UserPoolId, string TermsName);
    internal sealed record Response(TermsType Terms);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r) =>
        new(TermsType.From(await ctx.Get<TermsService>().GetByClientAsync(r.UserPoolId, r.ClientId, r.TermsName, ctx.Aborted)));
}
