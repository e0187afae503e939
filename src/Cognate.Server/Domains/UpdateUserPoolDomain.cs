using Cognate.Core.Domains;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Domains;

/// <summary>
/// UpdateUserPoolDomain: a new certificate for a custom domain and/or a new ManagedLoginVersion (1 classic hosted UI, 2 managed login).
/// Errors: InvalidParameterException "No such domain or user pool exists.", ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("UpdateUserPoolDomain")]
internal static class UpdateUserPoolDomain
{
    internal sealed record Request(string Domain, string UserPoolId, int? ManagedLoginVersion, CustomDomainConfigType? CustomDomainConfig);
    internal sealed record Response(int? ManagedLoginVersion, string? CloudFrontDomain);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var d = await ctx.Get<DomainService>().UpdateAsync(pool, r.Domain, r.CustomDomainConfig?.CertificateArn, r.ManagedLoginVersion, ctx.Aborted);
        return new Response(d.ManagedLoginVersion, d.IsCustom ? d.CloudFrontDistribution : null);
    }
}
