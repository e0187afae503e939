using Cognate.Core.Pools;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Pools;

/// <summary>AddCustomAttributes: appends custom (or developer-only) attributes to a pool's schema; refused while an import job runs (UserImportInProgressException).</summary>
[CognitoAction("AddCustomAttributes")]
internal static class AddCustomAttributes
{
    internal sealed record Request(string UserPoolId, List<SchemaAttributeType> CustomAttributes);

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request r)
    {
        await Callers.PoolAsync(ctx, r.UserPoolId);
        await ctx.Get<Core.Import.UserImportService>().RequireNoRunningJobAsync(r.UserPoolId, ctx.Aborted);
        await ctx.Get<UserPoolService>().AddCustomAttributesAsync(r.UserPoolId, r.CustomAttributes, ctx.Aborted);
        return EmptyResponse.Instance;
    }
}
