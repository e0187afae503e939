using Cognate.Server.Protocol;
using System.Text.Json.Nodes;
using Cognate.Core.Pools;

namespace Cognate.Server.Pools;

/// <summary>Cognito <c>UserPoolType</c> (CreateUserPool / DescribeUserPool output). Timestamps are epoch seconds.</summary>
internal sealed record UserPoolType
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public UserPoolPolicyType? Policies { get; init; }
    public string? DeletionProtection { get; init; }
    public JsonObject? LambdaConfig { get; init; }
    public required DateTimeOffset LastModifiedDate { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
    public List<SchemaAttributeType>? SchemaAttributes { get; init; }
    public List<string>? AutoVerifiedAttributes { get; init; }
    public List<string>? AliasAttributes { get; init; }
    public List<string>? UsernameAttributes { get; init; }
    public string? SmsVerificationMessage { get; init; }
    public string? EmailVerificationMessage { get; init; }
    public string? EmailVerificationSubject { get; init; }
    public VerificationMessageTemplateType? VerificationMessageTemplate { get; init; }
    public string? SmsAuthenticationMessage { get; init; }
    public UserAttributeUpdateSettingsType? UserAttributeUpdateSettings { get; init; }
    public string? MfaConfiguration { get; init; }
    public DeviceConfigurationType? DeviceConfiguration { get; init; }
    public long EstimatedNumberOfUsers { get; init; }
    public EmailConfigurationType? EmailConfiguration { get; init; }
    public JsonObject? SmsConfiguration { get; init; }
    public Dictionary<string, string>? UserPoolTags { get; init; }
    public AdminCreateUserConfigType? AdminCreateUserConfig { get; init; }
    public JsonObject? UserPoolAddOns { get; init; }
    public UsernameConfigurationType? UsernameConfiguration { get; init; }
    public required string Arn { get; init; }
    public AccountRecoverySettingType? AccountRecoverySetting { get; init; }
    public string? UserPoolTier { get; init; }
    /// <summary>The pool's prefix domain (the prefix alone), when it has one.</summary>
    public string? Domain { get; init; }
    /// <summary>The pool's custom domain (fully qualified), when it has one.</summary>
    public string? CustomDomain { get; init; }

    /// <summary>The pool ARN <c>arn:aws:cognito-idp:{region}:{account}:userpool/{id}</c>.</summary>
    public static string ArnOf(UserPool pool, string accountId) => $"arn:aws:cognito-idp:{pool.Region}:{accountId}:userpool/{pool.Id}";

    public static UserPoolType From(UserPool pool, long estimatedUsers, string accountId)
    {
        var c = pool.Config;
        return new UserPoolType
        {
            Id = pool.Id,
            Name = c.PoolName,
            Policies = c.Policies,
            DeletionProtection = c.DeletionProtection,
            LambdaConfig = c.LambdaConfig ?? [],
            LastModifiedDate = pool.ModifiedAt,
            CreationDate = pool.CreatedAt,
            SchemaAttributes = c.SchemaAttributes,
            AutoVerifiedAttributes = c.AutoVerifiedAttributes,
            AliasAttributes = c.AliasAttributes,
            UsernameAttributes = c.UsernameAttributes,
            SmsVerificationMessage = c.SmsVerificationMessage,
            EmailVerificationMessage = c.EmailVerificationMessage,
            EmailVerificationSubject = c.EmailVerificationSubject,
            VerificationMessageTemplate = c.VerificationMessageTemplate,
            SmsAuthenticationMessage = c.SmsAuthenticationMessage,
            UserAttributeUpdateSettings = c.UserAttributeUpdateSettings,
            MfaConfiguration = c.MfaConfiguration,
            DeviceConfiguration = c.DeviceConfiguration,
            EstimatedNumberOfUsers = estimatedUsers,
            EmailConfiguration = c.EmailConfiguration,
            SmsConfiguration = c.SmsConfiguration,
            UserPoolTags = c.UserPoolTags ?? [],
            AdminCreateUserConfig = c.AdminCreateUserConfig,
            UserPoolAddOns = c.UserPoolAddOns,
            UsernameConfiguration = c.UsernameConfiguration,
            Arn = ArnOf(pool, accountId),
            AccountRecoverySetting = c.AccountRecoverySetting,
            UserPoolTier = c.UserPoolTier,
        };
    }
}

/// <summary>Cognito <c>UserPoolDescriptionType</c> (ListUserPools item).</summary>
internal sealed record UserPoolDescriptionType(string Id, string? Name, JsonObject LambdaConfig, DateTimeOffset LastModifiedDate, DateTimeOffset CreationDate)
{
    public static UserPoolDescriptionType From(UserPool pool) => new(pool.Id, pool.Config.PoolName, pool.Config.LambdaConfig ?? [], pool.ModifiedAt, pool.CreatedAt);
}

/// <summary>Builds the UserPoolType of a pool with its user count and the configured account id.</summary>
internal static class UserPoolOutput
{
    public static async ValueTask<UserPoolType> BuildAsync(ActionContext ctx, UserPool pool)
    {
        var svc = ctx.Get<UserPoolService>();
        var account = ctx.Get<Microsoft.Extensions.Options.IOptions<Options.CognateOptions>>().Value.AccountId;
        long users = await svc.EstimatedNumberOfUsersAsync(pool.Id, ctx.Aborted).ConfigureAwait(false);
        var (prefix, custom) = await ctx.Get<Core.Domains.DomainService>().ForPoolAsync(pool.Id, ctx.Aborted).ConfigureAwait(false);
        return UserPoolType.From(pool, users, account) with { Domain = prefix?.Domain, CustomDomain = custom?.Domain };
    }
}
