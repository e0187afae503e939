using Cognate.Core.Terms;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Terms;

/// <summary>
/// UpdateTerms: changes the members given (TermsName, TermsSource, Enforcement, Links — the links map is replaced whole); omitted
/// members keep their values. Errors: ResourceNotFoundException, InvalidParameterException, TermsExistsException (the new name is
/// taken on the client), OperationNotEnabledException (called with a replica id).
/// </summary>
[CognitoAction("UpdateTerms")]
internal static class UpdateTerms
{
    internal sealed record Request(string TermsId, string UserPoolId, string? TermsName, string? TermsSource, string? Enforcement, Dictionary<string, string>? Links);
    internal sealed record Response(TermsType Terms);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "UpdateTerms");
        var terms = await ctx.Get<TermsService>().UpdateAsync(r.UserPoolId, r.TermsId, r.TermsName, r.TermsSource, r.Enforcement, r.Links, ctx.Aborted);
        return new Response(TermsType.From(terms));
    }
}
