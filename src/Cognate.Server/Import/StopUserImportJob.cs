using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// StopUserImportJob: Pending or InProgress → Stopping; the worker ends the job Stopped after its current batch (users already
/// imported stay). Errors: ResourceNotFoundException, PreconditionNotMetException (any other status).
/// </summary>
[CognitoAction("StopUserImportJob")]
internal static class StopUserImportJob
{
    internal sealed record Request(string UserPoolId, string JobId);
    internal sealed record Response(UserImportJobType UserImportJob);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var job = await ctx.Get<UserImportService>().StopAsync(r.UserPoolId, r.JobId, ctx.Aborted);
        ctx.Get<UserImportWakeup>().Signal();
        return new Response(UserImportJobType.From(ctx, job));
    }
}
