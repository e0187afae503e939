using System.Text.Json.Nodes;
using Cognate.Core.Pools;
using Cognate.Server.Protocol;

namespace Cognate.Server.Pools;

/// <summary>
/// CreateUserPool: creates a pool in the caller's region with Cognito's defaults filled and the
/// standard schema plus the requested custom attributes; returns the full <c>UserPool</c>.
/// KeyConfiguration and IssuerConfiguration are accepted and ignored.
/// </summary>
[CognitoAction("CreateUserPool")]
internal static class CreateUserPool
{
    internal sealed record Request
    {
        public string PoolName { get; init; } = "";
        public UserPoolPolicyType? Policies { get; init; }
        public string? DeletionProtection { get; init; }
        public JsonObject? LambdaConfig { get; init; }
        public List<string>? AutoVerifiedAttributes { get; init; }
        public List<string>? AliasAttributes { get; init; }
        public List<string>? UsernameAttributes { get; init; }
        public string? SmsVerificationMessage { get; init; }
        public string? EmailVerificationMessage { get; init; }
        public string? EmailVerificationSubject { get; init; }
        public VerificationMessageTemplateType? VerificationMessageTemplate { get; init; }
        public string? SmsAuthenticationMessage { get; init; }
        public string? MfaConfiguration { get; init; }
        public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
        public DeviceConfigurationType? DeviceConfiguration { get; init; }
        public EmailConfigurationType? EmailConfiguration { get; init; }
        public JsonObject? SmsConfiguration { get; init; }
        public Dictionary<string, string>? UserPoolTags { get; init; }
        public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
        public List<SchemaAttributeType>? Schema { get; init; }
        public JsonObject? UserPoolAddOns { get; init; }
        public UsernameConfigurationType? UsernameConfiguration { get; init; }
        public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
        public string? UserPoolTier { get; init; }
    }

    internal sealed record Response(UserPoolType UserPool);

    public static async ValueTask<Response> HandleAsync(ActionContext ctx, Request request)
    {
        Core.Triggers.LambdaConfigValidator.Validate(request.LambdaConfig);
        var svc = ctx.Get<UserPoolService>();
        var config = new UserPoolConfig
        {
            PoolName = request.PoolName,
            Policies = request.Policies,
            DeletionProtection = request.DeletionProtection,
            LambdaConfig = request.LambdaConfig,
            AutoVerifiedAttributes = request.AutoVerifiedAttributes,
            AliasAttributes = request.AliasAttributes,
            UsernameAttributes = request.UsernameAttributes,
            SmsVerificationMessage = request.SmsVerificationMessage,
            EmailVerificationMessage = request.EmailVerificationMessage,
            EmailVerificationSubject = request.EmailVerificationSubject,
            VerificationMessageTemplate = request.VerificationMessageTemplate,
            SmsAuthenticationMessage = request.SmsAuthenticationMessage,
            MfaConfiguration = request.MfaConfiguration,
            UserAttributeUpdateSettings = request.UserAttributeUpdateSettings,
            DeviceConfiguration = request.DeviceConfiguration,
            EmailConfiguration = request.EmailConfiguration,
            SmsConfiguration = request.SmsConfiguration,
            UserPoolTags = request.UserPoolTags,
            AdminCreateUserConfig = request.AdminCreateUserConfig,
            UserPoolAddOns = request.UserPoolAddOns,
            UsernameConfiguration = request.UsernameConfiguration,
            AccountRecoverySetting = request.AccountRecoverySetting,
            UserPoolTier = request.UserPoolTier,
        };
        var pool = await svc.CreateAsync(ctx.Region, config, request.Schema, ct: ctx.Aborted).ConfigureAwait(false);
        return new Response(await UserPoolOutput.BuildAsync(ctx, pool).ConfigureAwait(false));
    }
}
