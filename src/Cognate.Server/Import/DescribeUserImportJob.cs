using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>DescribeUserImportJob: the job's status, counts and dates. Errors: ResourceNotFoundException (pool or job).</summary>
[CognitoAction("DescribeUserImportJob")]
internal static class DescribeUserImportJob
{
    internal sealed record Request(string UserPoolId, string JobId);
    internal sealed record Response(UserImportJobType UserImportJob);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var job = await ctx.Get<UserImportService>().GetAsync(r.UserPoolId, r.JobId, ctx.Aborted);
        return new Response(UserImportJobType.From(ctx, job));
    }
}
