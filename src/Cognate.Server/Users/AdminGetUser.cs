using Cognate.Server.Protocol;
using Cognate.Server.Shared;

namespace Cognate.Server.Users;

/// <summary>AdminGetUser: a user's attributes, status and dates, by username or alias.</summary>
[CognitoAction("AdminGetUser")]
internal static class AdminGetUser
{
    internal sealed record Request(string UserPoolId, string Username);
    internal sealed record Response(string Username, List<AttributeType> UserAttributes, DateTimeOffset UserCreateDate, DateTimeOffset UserLastModifiedDate,
        bool Enabled, string UserStatus, List<MFAOptionType>? MFAOptions, string? PreferredMfaSetting, List<string>? UserMFASettingList);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request r)
    {
        var (pool, user) = await Callers.AdminUserAsync(ctx, r.UserPoolId, r.Username);
        var (settings, preferred) = await ctx.Get<Core.Mfa.MfaService>().DescribeAsync(pool, user, ctx.Aborted);
        return new Response(user.Username, Wire.Attributes(user, null, includeDeveloperOnly: true), user.CreatedAt, user.ModifiedAt, user.Enabled, user.Status,
            Mfa.MfaWire.Options(settings), preferred, settings);
    }
}
