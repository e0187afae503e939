using Cognate.Core.Terms;
using Cognate.Server.Protocol;

namespace Cognate.Server.Terms;

/// <summary>
/// ListTerms: the pool's terms documents (all app clients) ordered by id, <c>MaxResults</c> 1-60 (default 60), continued with the
/// opaque <c>NextToken</c>. Errors: ResourceNotFoundException, InvalidParameterException (NextToken).
/// </summary>
[CognitoAction("ListTerms")]
internal static class ListTerms
{
    internal sealed record Request(string UserPoolId, int? MaxResults, string? NextToken);
    internal sealed record Response(List<TermsDescriptionType> Terms, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var page = await ctx.Get<TermsService>().ListAsync(r.UserPoolId, r.MaxResults, r.NextToken, ctx.Aborted);
        return new Response(page.Items.Select(TermsDescriptionType.From).ToList(), page.NextToken);
    }
}
