using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Stores;

namespace Cognate.Core.Pools.Replicas;

/// <summary>
/// User-pool replicas for a self-hosted server: CreateUserPoolReplica, ListUserPoolReplicas, UpdateUserPoolReplica and
/// DeleteUserPoolReplica. A replica in Region R of pool <c>{P}_{suffix}</c> is the same pool — the same rows, users, clients
/// and signing keys — additionally served under the id <c>R_{suffix}</c>: while the replica is ACTIVE every action accepts that
/// id (the store resolves it to the pool, <see cref="UserPool.ReplicaId"/> set), and tokens issued through it carry the issuer
/// <c>…/R_{suffix}</c> with its own JWKS and discovery document (the same keys). INACTIVE: the replica id answers
/// ResourceNotFoundException like an unknown pool; only an INACTIVE replica can be deleted (Cognito's rule).
/// </summary>
/// <remarks>
/// Deviation from Cognito: Cognito keeps one pool id in every Region and tells Regions apart by the regional endpoint; a
/// Cognate server has one endpoint, so the Region is in the id. Nothing is copied, so a new replica is ACTIVE at once (Cognito
/// reports CREATING first) and deletion is immediate (reported as DELETING, as Cognito does, and gone afterwards).
/// </remarks>
public sealed partial class ReplicaService(IUserPoolReplicaStore replicas, IUserPoolStore pools, UserPoolService poolService, TimeProvider time)
{
    /// <summary>Most secondary replicas per pool (our limit; over it CreateUserPoolReplica answers LimitExceededException).</summary>
    public const int MaxReplicasPerPool = 5;

    /// <summary>Replica statuses.</summary>
    public const string Active = "ACTIVE", Inactive = "INACTIVE", Deleting = "DELETING";

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    /// <summary>True for an AWS Region code such as <c>eu-west-1</c> or <c>us-gov-west-1</c>.</summary>
    public static bool IsRegion(string region) => region.Length <= 32 && RegionPattern().IsMatch(region);

    /// <summary>The replica id of pool <paramref name="userPoolId"/> in <paramref name="regionName"/>.</summary>
    public static string ReplicaIdOf(string userPoolId, string regionName) => regionName + "_" + userPoolId[(userPoolId.IndexOf('_', StringComparison.Ordinal) + 1)..];

    /// <summary>
    /// CreateUserPoolReplica: a new ACTIVE replica of the pool in <paramref name="regionName"/>.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool); OperationNotEnabledException when named by a replica id;
    /// InvalidParameterException for a bad Region, the pool's own Region, a Region that already has a replica, or a replica id that
    /// is another pool's id; LimitExceededException past <see cref="MaxReplicasPerPool"/>.</exception>
    public async ValueTask<UserPoolReplica> CreateAsync(string userPoolId, string regionName, CancellationToken ct = default)
    {
        var pool = await PrimaryAsync(userPoolId, "CreateUserPoolReplica", ct).ConfigureAwait(false);
        if (!IsRegion(regionName)) throw CognitoErrors.InvalidParameter($"{regionName} is not a valid Region.");
        if (regionName == pool.Region) throw CognitoErrors.InvalidParameter($"The user pool {pool.Id} already exists in Region {regionName}: a replica must be in another Region.");
        var replicaId = ReplicaIdOf(pool.Id, regionName);
        if (await pools.GetAsync(replicaId, ct).ConfigureAwait(false) is { } other && other.Id != pool.Id)
        {
            throw CognitoErrors.InvalidParameter($"A user pool with the id {replicaId} already exists, so {pool.Id} cannot have a replica in {regionName}.");
        }
        var now = time.GetUtcNow();
        var replica = new UserPoolReplica(pool.Id, regionName, replicaId, Active, now, now);
        return await replicas.CreateAsync(replica, MaxReplicasPerPool, ct).ConfigureAwait(false) switch
        {
            ReplicaWriteResult.Ok => replica,
            ReplicaWriteResult.Duplicate => throw CognitoErrors.InvalidParameter($"The user pool {pool.Id} already has a replica in Region {regionName}."),
            ReplicaWriteResult.LimitReached => throw CognitoErrors.LimitExceeded($"The user pool {pool.Id} already has the maximum of {MaxReplicasPerPool} replicas."),
            _ => throw CognitoErrors.UserPoolNotFound(userPoolId),
        };
    }

    /// <summary>ListUserPoolReplicas: the pool's replicas ordered by Region (the PRIMARY entry is added by the caller).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<(UserPool Pool, IReadOnlyList<UserPoolReplica> Replicas)> ListAsync(string userPoolId, CancellationToken ct = default)
    {
        var pool = await poolService.GetAsync(userPoolId, ct).ConfigureAwait(false);
        return (pool, await replicas.ListAsync(pool.Id, ct).ConfigureAwait(false));
    }

    /// <summary>
    /// UpdateUserPoolReplica: sets a replica's status to ACTIVE or INACTIVE. Callable with the pool id or an active replica's id
    /// (Cognito allows it from either Region). Naming the pool's own (primary) Region is InvalidParameterException.
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool, or no replica in that Region), InvalidParameterException.</exception>
    public async ValueTask<UserPoolReplica> SetStatusAsync(string userPoolId, string regionName, string status, CancellationToken ct = default)
    {
        var pool = await poolService.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (status is not (Active or Inactive)) throw CognitoErrors.InvalidParameter("Status must be ACTIVE or INACTIVE.");
        if (regionName == pool.Region) throw CognitoErrors.InvalidParameter($"{regionName} is the primary Region of {pool.Id}: its status cannot be changed.");
        if (!await replicas.SetStatusAsync(pool.Id, regionName, status, time.GetUtcNow(), ct).ConfigureAwait(false)) throw NoReplica(pool.Id, regionName);
        return (await replicas.ListAsync(pool.Id, ct).ConfigureAwait(false)).FirstOrDefault(r => r.RegionName == regionName) ?? throw NoReplica(pool.Id, regionName);
    }

    /// <summary>DeleteUserPoolReplica: deletes an INACTIVE replica; must name the pool by its own (primary) id.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException; OperationNotEnabledException through a replica id;
    /// InvalidParameterException for the primary Region or a replica that is still ACTIVE.</exception>
    public async ValueTask<UserPoolReplica> DeleteAsync(string userPoolId, string regionName, CancellationToken ct = default)
    {
        var pool = await PrimaryAsync(userPoolId, "DeleteUserPoolReplica", ct).ConfigureAwait(false);
        if (regionName == pool.Region) throw CognitoErrors.InvalidParameter($"{regionName} is the primary Region of {pool.Id}: delete the user pool instead.");
        var current = (await replicas.ListAsync(pool.Id, ct).ConfigureAwait(false)).FirstOrDefault(r => r.RegionName == regionName) ?? throw NoReplica(pool.Id, regionName);
        if (current.Status != Inactive || !await replicas.DeleteAsync(pool.Id, regionName, Inactive, ct).ConfigureAwait(false))
        {
            throw CognitoErrors.InvalidParameter($"The replica of {pool.Id} in {regionName} must be INACTIVE before it can be deleted.");
        }
        return current with { Status = Deleting, ModifiedAt = time.GetUtcNow() };
    }

    async ValueTask<UserPool> PrimaryAsync(string userPoolId, string action, CancellationToken ct)
    {
        var pool = await poolService.GetAsync(userPoolId, ct).ConfigureAwait(false);
        if (pool.ReplicaId is not null) throw CognitoErrors.OperationNotEnabled($"{action} must be called with the primary user pool id {pool.Id}, not a replica's.");
        return pool;
    }

    static CognitoException NoReplica(string userPoolId, string regionName) =>
        CognitoErrors.ResourceNotFound($"User pool {userPoolId} has no replica in Region {regionName}.");
}
