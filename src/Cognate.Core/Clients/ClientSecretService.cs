using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Ids;
using Cognate.Core.Stores;

namespace Cognate.Core.Clients;

/// <summary>
/// Client-secret rotation: AddUserPoolClientSecret, ListUserPoolClientSecrets and DeleteUserPoolClientSecret. A confidential
/// app client has one or two secrets (<see cref="AppClient.Secrets"/>, oldest first); SECRET_HASH, the OAuth token endpoint's
/// client authentication, RevokeToken and GetTokensFromRefreshToken accept any of them. The secret made with the client is the
/// first. Secrets are sealed at rest by the store, as the client's secret always was.
/// </summary>
/// <remarks>
/// Source: Cognito API reference AddUserPoolClientSecret ("Supports up to 2 active secrets per app client"),
/// DeleteUserPoolClientSecret ("You cannot delete the last remaining secret"), ListUserPoolClientSecrets ("the response never
/// reveals the actual secret value"). The error messages for a public client, a third secret and the last secret are ours
/// (Cognito documents the exception types, not their text). A ClientSecretId is <c>{clientId}--{epoch milliseconds}</c>.
/// </remarks>
public sealed partial class ClientSecretService(IAppClientStore clients, AppClientService appClients, TimeProvider time)
{
    /// <summary>Most secrets an app client can have at once (Cognito's limit).</summary>
    public const int MaxSecretsPerClient = 2;

    [GeneratedRegex(@"^[\w+]{24,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretPattern();

    /// <summary>
    /// AddUserPoolClientSecret: adds a secret to a confidential client: <paramref name="clientSecret"/> (24..64 characters of
    /// <c>[\w+]</c>) or, when null, a generated 51-character one.
    /// </summary>
    /// <returns>The new secret and whether Cognate generated it (only a generated value is returned to the caller).</returns>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or client); InvalidParameterException (a public client
    /// without a secret, a malformed value, a value the client already has); LimitExceededException (two secrets already);
    /// ConcurrentModificationException.</exception>
    public async ValueTask<(AppClientSecret Secret, bool Generated)> AddAsync(string userPoolId, string clientId, string? clientSecret, CancellationToken ct = default)
    {
        if (clientSecret is not null && !SecretPattern().IsMatch(clientSecret))
        {
            throw CognitoErrors.InvalidParameter("1 validation error detected: Value at 'clientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+ and have length between 24 and 64");
        }
        var value = clientSecret ?? IdGenerator.NewClientSecret();
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var current = await appClients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
            var secrets = current.Secrets;
            if (secrets.Count == 0) throw CognitoErrors.InvalidParameter($"The app client {clientId} has no client secret: secrets can be added only to a confidential app client.");
            if (secrets.Count >= MaxSecretsPerClient) throw CognitoErrors.LimitExceeded($"The app client {clientId} already has the maximum of {MaxSecretsPerClient} client secrets.");
            if (clientSecret is not null && secrets.Any(s => Cognate.Core.OAuth.ClientAuthentication.SecretsEqual(s.Value, clientSecret)))
            {
                throw CognitoErrors.InvalidParameter($"The app client {clientId} already has this client secret.");
            }
            var now = time.GetUtcNow();
            // Ids are per millisecond: never the same as the first secret's.
            var newest = secrets[^1].CreatedAt;
            if (now.ToUnixTimeMilliseconds() <= newest.ToUnixTimeMilliseconds()) now = DateTimeOffset.FromUnixTimeMilliseconds(newest.ToUnixTimeMilliseconds() + 1);
            var added = new AppClientSecret(value, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()));
            var updated = current with { SecondSecret = added, SecretCreatedAt = secrets[0].CreatedAt, ModifiedAt = time.GetUtcNow() };
            if (await clients.UpdateAsync(updated, ct).ConfigureAwait(false)) return (added, clientSecret is null);
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>ListUserPoolClientSecrets: the client's secrets, oldest first (ids and creation times; the caller never gets the values).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool or client).</exception>
    public async ValueTask<IReadOnlyList<(string Id, DateTimeOffset CreatedAt)>> ListAsync(string userPoolId, string clientId, CancellationToken ct = default)
    {
        var client = await appClients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
        return client.Secrets.Select(s => (s.IdFor(clientId), s.CreatedAt)).ToList();
    }

    /// <summary>
    /// DeleteUserPoolClientSecret: removes one secret; from then on SECRET_HASH and client authentication with it fail. Deleting
    /// the first secret makes the second the first (DescribeUserPoolClient then shows it).
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException (pool, client or secret id); InvalidParameterException (the
    /// client's last secret); ConcurrentModificationException.</exception>
    public async ValueTask DeleteAsync(string userPoolId, string clientId, string clientSecretId, CancellationToken ct = default)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var current = await appClients.GetAsync(userPoolId, clientId, ct).ConfigureAwait(false);
            var secrets = current.Secrets;
            int index = -1;
            for (int i = 0; i < secrets.Count; i++)
            {
                if (string.Equals(secrets[i].IdFor(clientId), clientSecretId, StringComparison.Ordinal)) index = i;
            }
            if (index < 0) throw CognitoErrors.ResourceNotFound($"Client secret {clientSecretId} does not exist.");
            if (secrets.Count == 1) throw CognitoErrors.InvalidParameter($"You cannot delete the last remaining client secret of app client {clientId}.");
            var keep = secrets[1 - index];
            var updated = current with { ClientSecret = keep.Value, SecretCreatedAt = keep.CreatedAt, SecondSecret = null, ModifiedAt = time.GetUtcNow() };
            if (await clients.UpdateAsync(updated, ct).ConfigureAwait(false)) return;
        }
        throw CognitoErrors.ConcurrentModification();
    }
}
