using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>GetUser: the signed-in user's username and the attributes its client may read.</summary>
[CognitoAction("GetUser")]
internal static class GetUser
{
    internal sealed record Request(string AccessToken);
    internal sealed record Response(string Username, List<AttributeType> UserAttributes, List<MFAOptionType>? MFAOptions, string? PreferredMfaSetting, List<string>? UserMFASettingList);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var token = await Callers.TokenAsync(ctx, r.AccessToken);
        var client = await Callers.TokenClientAsync(ctx, token);
        var (settings, preferred) = await ctx.Get<Core.Mfa.MfaService>().DescribeAsync(token.Pool, token.User, ctx.Aborted);
        return new Response(token.User.Username, Wire.Attributes(token.User, client?.Config.ReadAttributes), Mfa.MfaWire.Options(settings), preferred, settings);
    }
}
