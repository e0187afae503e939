using Cognate.Core.Import;
using Cognate.Server.Protocol;

namespace Cognate.Server.Import;

/// <summary>
/// CreateUserImportJob: a job in status Created with its PreSignedUrl (served by Cognate, valid 15 minutes; see
/// <see cref="ImportUploadSigner"/>). CloudWatchLogsRoleArn is required, kept and returned, and not used (refused rows are kept in
/// the database instead). Errors: ResourceNotFoundException.
/// </summary>
[CognitoAction("CreateUserImportJob")]
internal static class CreateUserImportJob
{
    internal sealed record Request(string JobName, string UserPoolId, string CloudWatchLogsRoleArn);
    internal sealed record Response(UserImportJobType UserImportJob);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var job = await ctx.Get<UserImportService>().CreateAsync(r.UserPoolId, r.JobName, r.CloudWatchLogsRoleArn, ctx.Aborted);
        return new Response(UserImportJobType.From(ctx, job));
    }
}
