using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// StartUserImportJob: Created → Pending; a worker (<see cref="UserImportWorker"/>, on any node) takes it InProgress and imports the
/// uploaded CSV. Errors: ResourceNotFoundException, PreconditionNotMetException (not Created).
/// </summary>
[CognitoAction("StartUserImportJob")]
internal static class StartUserImportJob
{
    internal sealed record Request(string UserPoolId, string JobId);
    internal sealed record Response(UserImportJobType UserImportJob);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var job = await ctx.Get<UserImportService>().StartAsync(r.UserPoolId, r.JobId, ctx.Aborted);
        ctx.Get<UserImportWakeup>().Signal();
        return new Response(UserImportJobType.From(ctx, job));
    }
}
