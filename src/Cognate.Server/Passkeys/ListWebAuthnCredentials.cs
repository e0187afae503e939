using Cognate.Core.Errors;
using Cognate.Core.Passkeys;
using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Passkeys;

/// <summary>
/// ListWebAuthnCredentials: the passkeys of the user of the access token, oldest first, as <c>WebAuthnCredentialDescription</c>
/// (CredentialId, FriendlyCredentialName, RelyingPartyId, AuthenticatorAttachment, AuthenticatorTransports, CreatedAt).
/// <c>MaxResults</c> 1..20 (default 20); <c>NextToken</c> continues the listing (an unknown token: InvalidParameterException).
/// </summary>
[CognitoAction("ListWebAuthnCredentials")]
internal static class ListWebAuthnCredentials
{
    internal sealed record Request(string AccessToken, string? NextToken, int? MaxResults);
    internal sealed record Description(string CredentialId, string? FriendlyCredentialName, string RelyingPartyId, string? AuthenticatorAttachment,
        List<string> AuthenticatorTransports, DateTimeOffset CreatedAt);
    internal sealed record Response(List<Description> Credentials, string? NextToken);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        int max = r.MaxResults ?? 20;
        if (max is < 1 or > 20) throw CognitoErrors.InvalidParameter("1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 20");
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var all = await ctx.Get<PasskeyService>().ListAsync(token.User, ctx.Aborted);
        int start = 0;
        if (!string.IsNullOrEmpty(r.NextToken))
        {
            start = all.Select((c, i) => (c, i)).FirstOrDefault(p => p.c.CredentialId == r.NextToken, (null!, -1)).Item2;
            if (start < 0) throw CognitoErrors.InvalidParameter("Invalid NextToken.");
        }
        var page = all.Skip(start).Take(max).Select(c => new Description(c.CredentialId, c.FriendlyName, c.RelyingPartyId, c.AuthenticatorAttachment,
            [.. c.Transports], c.CreatedAt)).ToList();
        string? next = start + max < all.Count ? all[start + max].CredentialId : null;
        return new Response(page, next);
    }
}
