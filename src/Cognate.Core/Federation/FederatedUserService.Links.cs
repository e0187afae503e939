using Cognate.Core.Errors;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.Federation;

/// <summary>A <c>ProviderUserIdentifierType</c> of AdminLinkProviderForUser / AdminDisableProviderForUser.</summary>
/// <param name="ProviderName"><c>Cognito</c> for a user of the pool, else a provider name of the pool.</param>
/// <param name="ProviderAttributeName"><c>Cognito_Subject</c> (the provider's subject), or a SAML attribute name; ignored for DestinationUser.</param>
/// <param name="ProviderAttributeValue">The username (Cognito), the subject, or the attribute's value.</param>
public sealed record ProviderUser(string? ProviderName, string? ProviderAttributeName, string? ProviderAttributeValue);

public sealed partial class FederatedUserService
{
    /// <summary>The provider name that designates the pool's own users.</summary>
    public const string CognitoProvider = "Cognito";
    /// <summary>The provider attribute name that designates the provider's subject.</summary>
    public const string CognitoSubject = "Cognito_Subject";

    /// <summary>
    /// AdminLinkProviderForUser: after this, signing in through <paramref name="source"/>'s provider with that subject (or, for SAML,
    /// with that attribute value) signs in as <paramref name="destination"/> — a user of the pool (ProviderName <c>Cognito</c>,
    /// value = username or alias) or a federated user (ProviderName = its provider, value = its subject). The link is an entry of the
    /// destination's <c>identities</c> (primary false) and a unique identifier.
    /// </summary>
    /// <exception cref="CognitoException">UserNotFoundException (destination); InvalidParameterException (unknown provider, a Cognito
    /// source, a social source not by Cognito_Subject, a source that already signed up or is linked to another user:
    /// "Merging is not currently supported, …"); LimitExceededException (5 identities).</exception>
    public async ValueTask LinkAsync(UserPool pool, IIdentityProviderStore providers, ProviderUser destination, ProviderUser source, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(source);
        if (string.IsNullOrEmpty(source.ProviderName) || string.IsNullOrEmpty(source.ProviderAttributeValue) || string.IsNullOrEmpty(source.ProviderAttributeName))
        {
            throw CognitoErrors.InvalidParameter("SourceUser must have ProviderName, ProviderAttributeName and ProviderAttributeValue.");
        }
        if (string.Equals(source.ProviderName, CognitoProvider, StringComparison.Ordinal))
        {
            throw CognitoErrors.InvalidParameter("SourceUser must be a federated user of an identity provider, not a Cognito user.");
        }
        var provider = await providers.GetAsync(pool.Id, source.ProviderName, ct).ConfigureAwait(false)
            ?? throw CognitoErrors.InvalidParameter($"Identity provider {source.ProviderName} does not exist.");
        bool bySubject = source.ProviderAttributeName == CognitoSubject;
        if (!bySubject && provider.ProviderType != IdentityProviderTypes.Saml)
        {
            throw CognitoErrors.InvalidParameter($"ProviderAttributeName must be {CognitoSubject} for {provider.ProviderType} identity providers.");
        }
        var userId = bySubject ? source.ProviderAttributeValue : FederatedIdentity.AttributeLinkId(source.ProviderAttributeName, source.ProviderAttributeValue);

        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var target = await FindDestinationAsync(pool, destination, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserNotFound();
            var owner = await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind, FederatedIdentity.IdentifierValue(provider.ProviderName, userId), ct).ConfigureAwait(false);
            if (owner is not null && owner.Username == target.Username) return; // already linked to this user
            if (owner is not null)
            {
                throw CognitoErrors.InvalidParameter(owner.Status == UserStatus.ExternalProvider
                    ? "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link"
                    : "Merging is not currently supported, provide a SourceUser that has not been linked to a different user");
            }
            var identities = FederatedIdentity.Parse(target.Get(FederatedIdentity.AttributeName)).ToList();
            if (identities.Count(i => !i.Primary) >= MaxLinkedIdentities)
            {
                throw CognitoErrors.LimitExceeded($"A user can have at most {MaxLinkedIdentities} linked identities.");
            }
            identities.Add(new FederatedIdentity(userId, provider.ProviderName, provider.ProviderType, null, Primary: false, time.GetUtcNow()));
            target.Attributes[FederatedIdentity.AttributeName] = FederatedIdentity.Serialize(identities);
            target.ModifiedAt = time.GetUtcNow();
            var result = await users.UpdateAsync(target, UserIdentifiers.For(pool, target), ct).ConfigureAwait(false);
            if (result == UserWriteResult.Ok) return;
            // Conflict (the user changed) or IdentifierTaken (linked or signed up meanwhile): evaluate again.
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>
    /// AdminDisableProviderForUser: <paramref name="user"/> names an external identity (ProviderName = a provider, Cognito_Subject and
    /// the subject, or for a SAML link not yet used the attribute and value it was linked with). A link on a native user is removed
    /// (the identity signs up anew next time); a federated user signing in with it is disabled. ProviderName <c>Cognito</c> with
    /// Cognito_Subject and a username removes that native user's password, so it can no longer sign in with one.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException (missing fields, Cognito without Cognito_Subject),
    /// UserNotFoundException (no user has that identity).</exception>
    public async ValueTask DisableAsync(UserPool pool, ProviderUser user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (string.IsNullOrEmpty(user.ProviderName) || string.IsNullOrEmpty(user.ProviderAttributeName) || string.IsNullOrEmpty(user.ProviderAttributeValue))
        {
            throw CognitoErrors.InvalidParameter("User must have ProviderName, ProviderAttributeName and ProviderAttributeValue.");
        }
        bool bySubject = user.ProviderAttributeName == CognitoSubject;
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (user.ProviderName == CognitoProvider)
            {
                if (!bySubject) throw CognitoErrors.InvalidParameter($"ProviderAttributeName must be {CognitoSubject} when ProviderName is {CognitoProvider}.");
                var native = await users.FindByIdentifierAsync(pool.Id, UserIdentifiers.Username, pool.NormalizeKey(user.ProviderAttributeValue), ct).ConfigureAwait(false)
                    ?? throw CognitoErrors.UserNotFound();
                if (native.PasswordVerifier is null) return;
                native.PasswordSalt = null;
                native.PasswordVerifier = null;
                native.ModifiedAt = time.GetUtcNow();
                if (await users.UpdateAsync(native, null, ct).ConfigureAwait(false) == UserWriteResult.Ok) return;
                continue;
            }

            var userId = bySubject ? user.ProviderAttributeValue : FederatedIdentity.AttributeLinkId(user.ProviderAttributeName, user.ProviderAttributeValue);
            var owner = await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind, FederatedIdentity.IdentifierValue(user.ProviderName, userId), ct).ConfigureAwait(false)
                ?? throw CognitoErrors.UserNotFound();
            if (owner.Status == UserStatus.ExternalProvider
                && FederatedIdentity.Parse(owner.Get(FederatedIdentity.AttributeName)).Any(i => i.Primary && i.ProviderName == user.ProviderName && i.UserId == userId))
            {
                if (!owner.Enabled) return;
                owner.Enabled = false;
                owner.ModifiedAt = time.GetUtcNow();
                if (await users.UpdateAsync(owner, null, ct).ConfigureAwait(false) == UserWriteResult.Ok) return;
                continue;
            }
            var remaining = FederatedIdentity.Parse(owner.Get(FederatedIdentity.AttributeName))
                .Where(i => !(i.ProviderName == user.ProviderName && i.UserId == userId)).ToList();
            if (remaining.Count == 0) owner.Attributes.Remove(FederatedIdentity.AttributeName);
            else owner.Attributes[FederatedIdentity.AttributeName] = FederatedIdentity.Serialize(remaining);
            owner.ModifiedAt = time.GetUtcNow();
            if (await users.UpdateAsync(owner, UserIdentifiers.For(pool, owner), ct).ConfigureAwait(false) == UserWriteResult.Ok) return;
        }
        throw CognitoErrors.ConcurrentModification();
    }

    async ValueTask<User?> FindDestinationAsync(UserPool pool, ProviderUser destination, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(destination.ProviderName) || string.IsNullOrEmpty(destination.ProviderAttributeValue))
        {
            throw CognitoErrors.InvalidParameter("DestinationUser must have ProviderName and ProviderAttributeValue.");
        }
        if (destination.ProviderName == CognitoProvider)
        {
            foreach (var kind in UserIdentifiers.LookupKinds(pool))
            {
                if (await users.FindByIdentifierAsync(pool.Id, kind, pool.NormalizeKey(destination.ProviderAttributeValue), ct).ConfigureAwait(false) is { } u) return u;
            }
            return null;
        }
        return await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind,
            FederatedIdentity.IdentifierValue(destination.ProviderName, destination.ProviderAttributeValue), ct).ConfigureAwait(false);
    }
}
