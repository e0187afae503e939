using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// ListUserImportJobs: the pool's jobs newest first, MaxResults (1..60, required) per page, PaginationToken for the next page.
/// Errors: ResourceNotFoundException, InvalidParameterException (bad token).
/// </summary>
[CognitoAction("ListUserImportJobs")]
internal static class ListUserImportJobs
{
    internal sealed record Request(string UserPoolId, int MaxResults, string? PaginationToken);
    internal sealed record Response(List<UserImportJobType> UserImportJobs, string? PaginationToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (jobs, next) = await ctx.Get<UserImportService>().ListAsync(r.UserPoolId, r.MaxResults, r.PaginationToken, ctx.Aborted);
        return new Response(jobs.Select(j => UserImportJobType.From(ctx, j)).ToList(), next);
    }
}
