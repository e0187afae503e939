using System.Text.Json.Nodes;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Pools;

/// <summary>
/// UpdateUserPool: full replacement of the updatable members (omitted ⇒ default); the schema,
/// UsernameAttributes, AliasAttributes and UsernameConfiguration cannot change. Empty output.
/// KeyConfiguration and IssuerConfiguration are accepted and ignored.
/// </summary>
[CognitoAction("UpdateUserPool")]
internal static class UpdateUserPool
{
    internal sealed record Request
    {
        public string UserPoolId { get; init; } = "";
        public UserPoolPolicyType? Policies { get; init; }
        public string? DeletionProtection { get; init; }
        public JsonObject? LambdaConfig { get; init; }
        public List<string>? AutoVerifiedAttributes { get; init; }
        public string? SmsVerificationMessage { get; init; }
        public string? EmailVerificationMessage { get; init; }
        public string? EmailVerificationSubject { get; init; }
        public VerificationMessageTemplateType? VerificationMessageTemplate { get; init; }
        public string? SmsAuthenticationMessage { get; init; }
        public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
        public string? MfaConfiguration { get; init; }
        public DeviceConfigurationType? DeviceConfiguration { get; init; }
        public EmailConfigurationType? EmailConfiguration { get; init; }
        public JsonObject? SmsConfiguration { get; init; }
        public Dictionary<string, string>? UserPoolTags { get; init; }
        public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
        public JsonObject? UserPoolAddOns { get; init; }
        public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
        public string? PoolName { get; init; }
        public string? UserPoolTier { get; init; }
    }

    public static async ValueTask<EmptyResponse> HandleAsync(ActionContext ctx, Request request)
    {
        Core.Triggers.LambdaConfigValidator.Validate(request.LambdaConfig);
        await ctx.Get<Core.Import.UserImportService>().RequireNoRunningJobAsync(request.UserPoolId, ctx.Aborted).ConfigureAwait(false);
        var update = new UserPoolConfig
        {
            PoolName = request.PoolName,
            Policies = request.Policies,
            DeletionProtection = request.DeletionProtection,
            LambdaConfig = request.LambdaConfig,
            AutoVerifiedAttributes = request.AutoVerifiedAttributes,
            SmsVerificationMessage = request.SmsVerificationMessage,
            EmailVerificationMessage = request.EmailVerificationMessage,
            EmailVerificationSubject = request.EmailVerificationSubject,
            VerificationMessageTemplate = request.VerificationMessageTemplate,
            SmsAuthenticationMessage = request.SmsAuthenticationMessage,
            UserAttributeUpdateSettings = request.UserAttributeUpdateSettings,
            MfaConfiguration = request.MfaConfiguration,
            DeviceConfiguration = request.DeviceConfiguration,
            EmailConfiguration = request.EmailConfiguration,
            SmsConfiguration = request.SmsConfiguration,
            UserPoolTags = request.UserPoolTags,
            AdminCreateUserConfig = request.AdminCreateUserConfig,
            UserPoolAddOns = request.UserPoolAddOns,
            AccountRecoverySetting = request.AccountRecoverySetting,
            UserPoolTier = request.UserPoolTier,
        };
        await ctx.Get<UserPoolService>().UpdateAsync(request.UserPoolId, update, ctx.Aborted).ConfigureAwait(false);
        return EmptyResponse.Instance;
    }
}
