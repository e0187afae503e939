using Cognate.Core.Terms;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Terms;

/// <summary>
/// CreateTerms: a terms-of-use or privacy-policy document for an app client — a map of managed-login language
/// (<c>cognito:default</c>, <c>cognito:spanish</c>, …) to an absolute https URL. The client's managed-login sign-up page links
/// both documents once both exist. Errors: ResourceNotFoundException (pool, client), InvalidParameterException (name, links),
/// TermsExistsException (the client already has a document of that name), OperationNotEnabledException (called with a replica id).
/// </summary>
[CognitoAction("CreateTerms")]
internal static class CreateTerms
{
    internal sealed record Request(string UserPoolId, string ClientId, string TermsName, string TermsSource, string Enforcement, Dictionary<string, string>? Links);
    internal sealed record Response(TermsType Terms);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        Callers.RequirePrimary(ctx, "CreateTerms");
        var terms = await ctx.Get<TermsService>().CreateAsync(r.UserPoolId, r.ClientId, r.TermsName, r.TermsSource, r.Enforcement, r.Links, ctx.Aborted);
        return new Response(TermsType.From(terms));
    }
}
