using Cognate.Core.Domains;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Domains;

/// <summary>
/// CreateUserPoolDomain: a prefix domain (<c>{Domain}.auth.{region}.{suffix}</c>) or, with CustomDomainConfig, a custom domain.
/// Answers ManagedLoginVersion and, for a custom domain, the (synthetic) CloudFrontDomain to point DNS at.
/// Errors: InvalidParameterException "Domain already associated with another user pool." / "User pool already has a domain
/// configured." / "Domain cannot contain reserved word: aws", ResourceNotFoundException (pool).
/// </summary>
[CognitoAction("CreateUserPoolDomain")]
internal static class CreateUserPoolDomain
{
    internal sealed record Request(string Domain, string UserPoolId, int? ManagedLoginVersion, CustomDomainConfigType? CustomDomainConfig);
    internal sealed record Response(int? ManagedLoginVersion, string? CloudFrontDomain);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var pool = await Callers.PoolAsync(ctx, r.UserPoolId);
        var d = await ctx.Get<DomainService>().CreateAsync(pool, r.Domain, r.CustomDomainConfig?.CertificateArn, r.ManagedLoginVersion, ctx.Aborted);
        return new Response(d.ManagedLoginVersion, d.IsCustom ? d.CloudFrontDistribution : null);
    }
}
