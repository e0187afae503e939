using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Pools;

/// <summary>DeleteUserPool: deletes the pool and everything in it; refused while DeletionProtection is ACTIVE, while an import job runs (UserImportInProgressException), and through a replica id (OperationNotEnabledException).</summary>
[CognitoAction("DeleteUserPool")]
internal static class DeleteUserPool
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
    }

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request request)
    {
        Shared.Callers.RequirePrimary(ctx, "DeleteUserPool");
        await ctx.Get<Core.Import.UserImportService>().RequireNoRunningJobAsync(request.UserPoolId, ctx.Aborted).ConfigureAwait(false);
        await ctx.Get<UserPoolService>().DeleteAsync(request.UserPoolId, ctx.Aborted).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
