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
using Cognate.Server.Risk;
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
        services.AddSingleton<LogDelivery.LogDeliveryWriter>();
        services.AddSingleton<IMessageSender>(sp => new LogDelivery.LogDeliveringMessageSender(sp.GetRequiredService<MessageSender>(), sp.GetRequiredService<LogDelivery.LogDeliveryWriter>()));
        DecorateAuthEventStore(services);
        services.AddSingleton<MessageService>();
        services.AddSingleton<CodeService>();
        services.AddSingleton<UserPoolService>();
        services.AddSingleton<Core.Pools.Replicas.ReplicaService>();
        services.AddSingleton<Core.Terms.TermsService>();
        services.AddSingleton<Core.LogDelivery.LogDeliveryService>();
        Import.UserImportRegistration.AddCognateUserImport(services);
        services.AddSingleton<AppClientService>();
        services.AddSingleton<ClientSecretService>();
        services.AddSingleton<Core.Sessions.SessionService>();
        services.AddSingleton<Core.Sessions.TokenSessionLimit>();
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
        services.AddOptions<Core.Risk.RiskOptions>().BindConfiguration(Core.Risk.RiskOptions.Section)
            .Validate(o => string.IsNullOrEmpty(o.BreachedPasswordsFile) || File.Exists(o.BreachedPasswordsFile),
                "Cognate:Risk:BreachedPasswordsFile names a file that does not exist; set it to a readable breached-password list or remove it.")
            .ValidateOnStart();
        services.AddSingleton(sp => new Core.Risk.BreachedPasswords(sp.GetRequiredService<IOptions<Core.Risk.RiskOptions>>().Value.BreachedPasswordsFile));
        services.AddSingleton<Core.Risk.RiskService>();
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

    /// <summary>
    /// Wraps the storage's <see cref="Core.Stores.IAuthEventStore"/> so every recorded sign-in event is also delivered to the pool's
    /// <c>userAuthEvents</c> log destination (<see cref="LogDelivery.LogDeliveringAuthEventStore"/>).
    /// </summary>
    static void DecorateAuthEventStore(IServiceCollection services)
    {
        var inner = services.LastOrDefault(d => d.ServiceType == typeof(Core.Stores.IAuthEventStore));
        if (inner is null) return;
        services.Remove(inner);
        services.AddSingleton<Core.Stores.IAuthEventStore>(sp => new LogDelivery.LogDeliveringAuthEventStore(
            (Core.Stores.IAuthEventStore)(inner.ImplementationInstance ?? inner.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)),
            sp.GetRequiredService<LogDelivery.LogDeliveryWriter>()));
    }

    static IEndpointRouteBuilder MapCognateEndpoints(this IEndpointRouteBuilder app) => app.MapWellKnown().MapSigningKeyAdmin().MapOAuth().MapManagedLogin().MapFederation().MapSaml().MapRiskFeedback().MapUserImportUpload();
}

/// <summary>Adapts the AES-GCM master-key protector to the storage layer's sealing hook.</summary>
internal sealed class MasterKeySealer(MasterKeyProtector protector) : Storage.ISecretSealer
{
    public byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData) => protector.Protect(plaintext, System.Text.Encoding.UTF8.GetBytes(associatedData));
    public byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string associatedData) => protector.Unprotect(sealedBytes, System.Text.Encoding.UTF8.GetBytes(associatedData));
}
