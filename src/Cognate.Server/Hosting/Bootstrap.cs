using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using Cognate.Core.Stores;

namespace Cognate.Server.Hosting;

/// <summary>
/// <c>Cognate:Bootstrap</c>: pools, app clients and users to ensure at startup (the role Terraform plays in
/// the reference apps). Existing ones are left as they are; missing ones are created with the given fixed
/// ids and secrets.
/// </summary>
public sealed class BootstrapOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Bootstrap";
    /// <summary>Pools to ensure.</summary>
    public List<BootstrapPool> Pools { get; set; } = [];
}

/// <summary>A pool to ensure.</summary>
public sealed class BootstrapPool
{
    /// <summary>Fixed id <c>{region}_{9 alphanumerics}</c>.</summary>
    public string Id { get; set; } = "";
    /// <summary>Pool name.</summary>
    public string PoolName { get; set; } = "";
    /// <summary>email / phone_number used as username.</summary>
    public List<string>? UsernameAttributes { get; set; }
    /// <summary>Alias attributes.</summary>
    public List<string>? AliasAttributes { get; set; }
    /// <summary>Auto-verified attributes.</summary>
    public List<string>? AutoVerifiedAttributes { get; set; }
    /// <summary>Case-insensitive usernames when false.</summary>
    public bool? CaseSensitive { get; set; }
    /// <summary>Clients to ensure.</summary>
    public List<BootstrapClient> Clients { get; set; } = [];
    /// <summary>Users to ensure (CONFIRMED with a permanent password).</summary>
    public List<BootstrapUser> Users { get; set; } = [];
}

/// <summary>An app client to ensure.</summary>
public sealed class BootstrapClient
{
    /// <summary>Fixed client id (26 lowercase alphanumerics).</summary>
    public string ClientId { get; set; } = "";
    /// <summary>Client name.</summary>
    public string ClientName { get; set; } = "";
    /// <summary>Fixed secret (24..64 word characters), or null for a public client.</summary>
    public string? ClientSecret { get; set; }
    /// <summary>ALLOW_* flows; default Cognito's.</summary>
    public List<string>? ExplicitAuthFlows { get; set; }
}

/// <summary>A user to ensure.</summary>
public sealed class BootstrapUser
{
    /// <summary>Username (or email/phone in username-attribute pools).</summary>
    public string Username { get; set; } = "";
    /// <summary>Permanent password.</summary>
    public string Password { get; set; } = "";
    /// <summary>Attributes by name.</summary>
    public Dictionary<string, string> Attributes { get; set; } = [];
}

/// <summary>Applies <see cref="BootstrapOptions"/>.</summary>
internal sealed partial class Bootstrapper(Microsoft.Extensions.Options.IOptions<BootstrapOptions> options, IUserPoolStore poolStore, IAppClientStore clientStore, UserPoolService pools, AppClientService clients, UserService users, Core.Tokens.TokenService tokens, ILogger<Bootstrapper> logger)
{
    public async Task<IReadOnlyList<(string PoolId, IReadOnlyList<string> ClientIds)>> RunAsync(CancellationToken ct)
    {
        var ensured = new List<(string, IReadOnlyList<string>)>();
        foreach (var p in options.Value.Pools)
        {
            if (!UserPoolService.IsWellFormedId(p.Id)) throw new InvalidOperationException($"Cognate:Bootstrap pool id '{p.Id}' must look like us-east-1_AbCdEfGhI.");
            var pool = await poolStore.GetAsync(p.Id, ct);
            if (pool is null)
            {
                var config = new UserPoolConfig
                {
                    PoolName = string.IsNullOrEmpty(p.PoolName) ? p.Id : p.PoolName,
                    UsernameAttributes = p.UsernameAttributes,
                    AliasAttributes = p.AliasAttributes,
                    AutoVerifiedAttributes = p.AutoVerifiedAttributes,
                    UsernameConfiguration = p.CaseSensitive is null ? null : new UsernameConfigurationType { CaseSensitive = p.CaseSensitive },
                };
                try
                {
                    pool = await pools.CreateAsync(p.Id[..p.Id.IndexOf('_')], config, null, p.Id, ct);
                    LogCreated(logger, "pool", p.Id);
                }
                catch (Core.Errors.CognitoException)
                {
                    // Another node sharing the database created it at the same moment; anything else is rethrown.
                    var other = await poolStore.GetAsync(p.Id, ct);
                    if (other is null) throw;
                    pool = other;
                }
            }
            await tokens.EnsureKeysAsync(pool.Id, ct);
            var ids = new List<string>();
            foreach (var c in p.Clients)
            {
                if (await clientStore.GetAsync(c.ClientId, ct) is null)
                {
                    try
                    {
                        await clients.CreateAsync(pool.Id, new AppClientConfig { ClientName = string.IsNullOrEmpty(c.ClientName) ? c.ClientId : c.ClientName, ExplicitAuthFlows = c.ExplicitAuthFlows },
                        false, string.IsNullOrEmpty(c.ClientSecret) ? null : c.ClientSecret, c.ClientId, ct);
                        LogCreated(logger, "app client", c.ClientId);
                    }
                    catch (Core.Errors.CognitoException)
                    {
                        // Created by another node at the same moment; anything else is rethrown.
                        if (await clientStore.GetAsync(c.ClientId, ct) is null) throw;
                    }
                }
                ids.Add(c.ClientId);
            }
            foreach (var u in p.Users)
            {
                if (await users.FindAsync(pool, u.Username, ct) is { } existing)
                {
                    // Repairs a user an older, interrupted bootstrap left FORCE_CHANGE_PASSWORD with the configured password.
                    if (existing.Status == UserStatus.ForceChangePassword && UserService.CheckPassword(pool, existing, u.Password))
                    {
                        await users.AdminSetPasswordAsync(pool, existing, u.Password, permanent: true, ct);
                    }
                    continue;
                }
                var attrs = u.Attributes.Select(a => new KeyValuePair<string, string?>(a.Key, a.Value)).ToList();
                // One write: the user is created CONFIRMED with its permanent password (no FORCE_CHANGE_PASSWORD step in between).
                var created = await users.CreateConfirmedAsync(pool, u.Username, attrs, u.Password, ct);
                if (created is null) continue; // created by another node at the same moment
                LogCreated(logger, "user", created.Username);
            }
            ensured.Add((pool.Id, ids));
        }
        return ensured;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bootstrap created {Kind} {Id}")]
    static partial void LogCreated(ILogger logger, string kind, string id);
}
