using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// GetCSVHeader: the columns of the pool's import file (<see cref="ImportCsv.Header"/>): standard attributes in Cognito's order,
/// custom attributes, <c>cognito:mfa_enabled</c>, <c>cognito:username</c>. Errors: ResourceNotFoundException.
/// </summary>
[CognitoAction("GetCSVHeader")]
internal static class GetCSVHeader
{
    internal sealed record Request(string UserPoolId);
    internal sealed record Response(string UserPoolId, IReadOnlyList<string> CSVHeader);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, header) = await ctx.Get<UserImportService>().HeaderAsync(r.UserPoolId, ctx.Aborted);
        return new Response(pool.Id, header);
    }
}
