using Cognate.Core.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cognate.Storage.Stores;

/// <summary>Registration of the provider-neutral stores, shared by <c>AddCognateSqliteStorage</c> and <c>AddCognatePostgresStorage</c>.</summary>
internal static class SqlStoreRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TDatabase"/> as <see cref="ISqlDatabase"/> and <see cref="IStorageInitializer"/>, and
    /// the Sql* stores over it as singletons for the Cognate.Core store interfaces.
    /// </summary>
    public static IServiceCollection AddSqlStores<TDatabase>(this IServiceCollection services)
        where TDatabase : class, ISqlDatabase
    {
        services.TryAddSingleton<ISqlDatabase>(sp => sp.GetRequiredService<TDatabase>());
        services.TryAddSingleton<IStorageInitializer>(sp => sp.GetRequiredService<TDatabase>());
        services.TryAddSingleton<IUserPoolStore, SqlUserPoolStore>();
        services.TryAddSingleton<IAppClientStore, SqlAppClientStore>();
        services.TryAddSingleton<IUserStore, SqlUserStore>();
        services.TryAddSingleton<ICodeStore, SqlCodeStore>();
        services.TryAddSingleton<IRefreshTokenStore, SqlRefreshTokenStore>();
        services.TryAddSingleton<ISigningKeyStore, SqlSigningKeyStore>();
        services.TryAddSingleton<IAuthSessionStore, SqlAuthSessionStore>();
        services.TryAddSingleton<IAuthorizationCodeStore, SqlAuthorizationCodeStore>();
        services.TryAddSingleton<IOutboxStore, SqlOutboxStore>();
        services.TryAddSingleton<IUserSearchStore>(sp => (SqlUserStore)sp.GetRequiredService<IUserStore>());
        services.TryAddSingleton<IGroupStore, SqlGroupStore>();
        services.TryAddSingleton<ILockoutStore, SqlLockoutStore>();
        services.TryAddSingleton<IAuthEventStore, SqlAuthEventStore>();
        services.TryAddSingleton<Cognate.Core.Mfa.IUserMfaStore, SqlUserMfaStore>();
        services.TryAddSingleton<Cognate.Core.Passkeys.IWebAuthnCredentialStore, SqlWebAuthnCredentialStore>();
        services.TryAddSingleton<Cognate.Core.Domains.IUserPoolDomainStore, SqlUserPoolDomainStore>();
        services.TryAddSingleton<Cognate.Core.ResourceServers.IResourceServerStore, SqlResourceServerStore>();
        services.TryAddSingleton<Cognate.Core.IdentityProviders.IIdentityProviderStore, SqlIdentityProviderStore>();
        services.TryAddSingleton<Cognate.Core.Branding.IUICustomizationStore, SqlUICustomizationStore>();
        services.TryAddSingleton<Cognate.Core.Branding.IManagedLoginBrandingStore, SqlManagedLoginBrandingStore>();
        services.TryAddSingleton<Cognate.Core.Federation.Saml.ISamlSpKeyStore, SqlSamlSpKeyStore>();
        services.TryAddSingleton<Cognate.Core.Devices.IDeviceStore, SqlDeviceStore>();
        services.TryAddSingleton<Cognate.Core.Pools.Replicas.IUserPoolReplicaStore, SqlUserPoolReplicaStore>();
        services.TryAddSingleton<Cognate.Core.Limits.IProvisionedLimitStore, SqlProvisionedLimitStore>();
        services.TryAddSingleton<Cognate.Core.Sessions.ISessionStore, SqlSessionStore>();
        services.TryAddSingleton<Cognate.Core.Risk.IRiskConfigurationStore, SqlRiskConfigurationStore>();
        services.TryAddSingleton<Cognate.Core.Terms.ITermsStore, SqlTermsStore>();
        services.TryAddSingleton<Cognate.Core.LogDelivery.ILogDeliveryStore, SqlLogDeliveryStore>();
        services.TryAddSingleton<Cognate.Core.Import.IUserImportJobStore, SqlUserImportJobStore>();
        services.TryAddSingleton<Cognate.Core.Federation.Saml.ISamlReplayStore>(sp => new SqlSamlReplayStore(sp.GetRequiredService<ISqlDatabase>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
