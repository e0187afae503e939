using Cognate.Server.Federation;
using Cognate.Server.OAuth;
using Cognate.Core.Auth;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Tokens;
using Cognate.Core.Users;
using Cognate.Server.Admin;
using Cognate.Server.ManagedLogin;
using Cognate.Server.Messaging;
using Cognate.Server.Options;
using Cognate.Server.WellKnown;
using Cognate.Server.Federation.Saml;
using Cognate.Server.Import;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Hosting;

internal static partial class CognateHost
{
    /// <summary>Default store when ConnectionStrings:Cognate is not set: a SQLite file under ./.cognate/.</summary>
    public const string DefaultConnectionString = "Data Source=./.cognate/cognate.db";

    static IServiceCollection AddCognateServices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(sp =>
        {
            var key = sp.GetRequiredService<IOptions<CognateOptions>>().Value.MasterKey;
            return MasterKeyProtector.FromBase64(string.IsNullOrEmpty(key) ? MasterKeyProtector.DevelopmentMasterKeyBase64 : key);
        });
        services.AddSingleton<Storage.ISecretSealer, MasterKeySealer>();
        services.AddCognateStorage(configuration);
        services.AddSingleton(sp => new CodeHashKey(sp.GetRequiredService<MasterKeyProtector>().DeriveKey("cognate/code-hash")));
        services.AddSingleton<SmsWebhook>();
        services.AddSingleton<MessageSender>();
        services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<MessageSender>());
        services.AddSingleton<MessageService>();
        services.AddSingleton<CodeService>();
        services.AddSingleton<UserPoolService>();
        services.AddSingleton<Core.Pools.Replicas.ReplicaService>();
        Import.UserImportRegistration.AddCognateUserImport(services);
        services.AddSingleton<AppClientService>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<UserService>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<Core.OAuth.OAuthTokenService>();
        services.AddSingleton<Core.OAuth.AuthorizationCodeService>();
        services.AddSingleton<Core.Groups.GroupService>();
        services.AddSingleton<Core.Domains.DomainService>();
        services.AddSingleton<Core.ResourceServers.ResourceServerService>();
        IdentityProviders.IdentityProviderRegistration.AddCognateIdentityProviders(services, environment);
        services.AddSingleton<Core.Federation.FederatedUserService>();
        services.AddSingleton<Core.Branding.BrandingService>();
        services.AddSingleton<LockoutService>();
        Lambda.LambdaRegistration.AddCognateLambda(services);
        services.AddSingleton<Core.Triggers.UserPoolTriggers>();
        Lambda.CustomSenderRegistration.AddCognateCustomSenders(services);
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<Core.Mfa.MfaService>();
        services.AddSingleton<Core.Devices.DeviceService>();
        services.AddSingleton<Core.Mfa.AuthCodeMessenger>();
        services.AddCognateSignIn();
        services.AddSingleton<OAuth.Authorize.AuthorizeRequestValidator>();
        services.AddSingleton<OAuth.Authorize.AuthorizeCompletion>();
        services.AddSingleton<ManagedLogin.ManagedLoginSessions>();
        services.AddSingleton<Federation.FederationStateLedger>();
        services.AddSingleton<Federation.IUpstreamSignIn, Federation.OAuthUpstreamSignIn>();
        services.AddSingleton(sp => new Federation.UpstreamOAuthClient(sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<Federation.UpstreamOAuthClient>>()));
        Federation.Saml.SamlRegistration.AddCognateSaml(services);
        services.AddHttpContextAccessor();
        services.AddOAuthCors();
        services.AddOptions<OAuth.HostedOptions>().BindConfiguration(OAuth.HostedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);
        services.AddSingleton<Bootstrapper>();
        services.AddCognateMessageBudgets();
        Storage.Maintenance.SweeperServiceCollectionExtensions.AddCognateSweeper(services);
        RateLimiting.RateLimitingRegistration.AddCognateRateLimits(services);
        services.AddOptions<Admin.SigningKeyOptions>().BindConfiguration(Admin.SigningKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    static IEndpointRouteBuilder MapCognateEndpoints(this IEndpointRouteBuilder app) => app.MapWellKnown().MapSigningKeyAdmin().MapOAuth().MapManagedLogin().MapFederation().MapSaml().MapUserImportUpload();
}

/// <summary>Adapts the AES-GCM master-key protector to the storage layer's sealing hook.</summary>
internal sealed class MasterKeySealer(MasterKeyProtector protector) : Storage.ISecretSealer
{
    public byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData) => protector.Protect(plaintext, System.Text.Encoding.UTF8.GetBytes(associatedData));
    public byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string associatedData) => protector.Unprotect(sealedBytes, System.Text.Encoding.UTF8.GetBytes(associatedData));
}
