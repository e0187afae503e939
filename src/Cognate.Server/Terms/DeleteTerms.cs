using Cognate.Core.Terms;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Terms;

/// <summary>DeleteTerms: removes a terms document. Errors: ResourceNotFoundException, OperationNotEnabledException (replica id).</summary>
[CognitoAction("DeleteTerms")]
internal static class DeleteTerms
{
    internal sealed record Request(string TermsId, string UserPoolId);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "DeleteTerms");
        await ctx.Get<TermsService>().DeleteAsync(r.UserPoolId, r.TermsId, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
