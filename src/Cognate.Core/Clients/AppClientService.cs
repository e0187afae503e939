using Cognate.Core.Pools;
using Cognate.Core.Stores;

namespace Cognate.Core.Clients;

/// <summary>
/// App-client management (CreateUserPoolClient, DescribeUserPoolClient, ListUserPoolClients,
/// UpdateUserPoolClient, DeleteUserPoolClient) and the client checks every public action needs.
/// </summary>
public sealed class AppClientService(IAppClientStore clients, UserPoolService pools, TimeProvider time)
{
    /// <summary>
    /// The client and its pool for an unsigned public action, or <c>ResourceNotFoundException</c>
    /// "User pool client {id} does not exist.".
    /// </summary>
    /// <exception cref="Errors.CognitoException">ResourceNotFoundException.</exception>
    public async ValueTask<(AppClient Client, UserPool Pool)> GetWithPoolAsync(string clientId, CancellationToken ct = default)
    {
        var client = await clients.GetAsync(clientId, ct).ConfigureAwait(false) ?? throw Errors.CognitoErrors.ClientNotFound(clientId);
        var pool = await pools.GetAsync(client.UserPoolId, ct).ConfigureAwait(false);
        return (client, pool);
    }

    internal TimeProvider Time => time;
}
