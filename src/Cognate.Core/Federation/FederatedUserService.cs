using Cognate.Core.Errors;
using Cognate.Core.Groups;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Federation;

/// <summary>The user a federated sign-in signs in as.</summary>
/// <param name="User">The user (enabled; a federated user or a linked native user).</param>
/// <param name="Created">True when this sign-in created the federated user.</param>
public sealed record FederatedSignInResult(User User, bool Created);

/// <summary>
/// The user side of a federated sign-in (AWS guide "Adding user pool sign-in through a third party", "Linking federated users
/// to an existing user profile", "Specifying identity provider attribute mappings"): finds the user an external identity signs in
/// as (a native user linked by AdminLinkProviderForUser, or the federated user <c>{ProviderName}_{UserId}</c>), or creates the
/// federated user (status <c>EXTERNAL_PROVIDER</c>, <c>identities</c> with one primary entry, PreSignUp_ExternalProvider first,
/// member of the automatic group <c>{UserPoolId}_{ProviderName}</c>), and applies the provider's AttributeMapping
/// (InboundFederation may change the provider's attributes first) on every sign-in of a federated user.
/// </summary>
/// <remarks>
/// (provider, subject) is a unique <see cref="FederatedIdentity.IdentifierKind"/> identifier of the user that owns it, so the
/// database decides races: of two simultaneous first sign-ins one creates the user and the other finds it.
/// A linked native user keeps its own attributes: mapping never overwrites them (an upstream account cannot rewrite the email of
/// the native profile it was linked to).
/// </remarks>
public sealed partial class FederatedUserService(IUserStore users, IGroupStore groups, TimeProvider time, UserPoolTriggers? triggers = null)
{
    /// <summary>Most identities linked to one user (AdminLinkProviderForUser: "The maximum number of federated identities linked to a user is five").</summary>
    public const int MaxLinkedIdentities = 5;

    const int MaxWriteAttempts = 5;

    /// <summary>
    /// The username of the federated user of (<paramref name="providerName"/>, <paramref name="userId"/>): <c>{ProviderName}_{UserId}</c>,
    /// all lowercase in a case-insensitive pool (as Cognito stores it there: the PreSignUp event's <c>userName</c> of a first federated
    /// sign-in is lowercase, aws-amplify/amplify-js#13844), as given in a case-sensitive one. The <c>identities</c> entry keeps the
    /// subject's own case.
    /// </summary>
    public static string FederatedUsername(UserPool pool, string providerName, string userId)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = providerName + "_" + userId;
        return pool.CaseInsensitive ? name.ToLowerInvariant() : name;
    }

    /// <summary>The automatic group of a provider's federated users: <c>{UserPoolId}_{ProviderName}</c> (AWS guide "Adding groups to a user pool").</summary>
    public static string ProviderGroupName(string userPoolId, string providerName) => userPoolId + "_" + providerName;

    /// <summary>Signs <paramref name="profile"/> in through <paramref name="provider"/>.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="provider">The provider the profile came from (already verified by its protocol).</param>
    /// <param name="profile">The upstream subject and attributes.</param>
    /// <param name="clientId">The app client of the authorization request (trigger events' callerContext.clientId).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">NotAuthorizedException "User is disabled." for a disabled user; the Lambda errors
    /// of PreSignUp_ExternalProvider / InboundFederation; InvalidParameterException when mapped attributes break the schema.</exception>
    public async ValueTask<FederatedSignInResult> SignInAsync(UserPool pool, IdentityProvider provider, FederatedProfile profile, string clientId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(profile);
        if (string.IsNullOrEmpty(profile.UserId)) throw CognitoErrors.InvalidParameter("The identity provider did not identify the user.");
        TriggerCaller.WithClient(clientId);
        var username = FederatedUsername(pool, provider.ProviderName, profile.UserId);

        var source = triggers is null ? profile.Attributes
            : await triggers.InboundFederationAsync(pool, provider, username, profile, ct).ConfigureAwait(false);
        var mapped = MapAttributes(pool, provider, source);

        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var existing = await FindLinkedAsync(pool, provider, profile, ct).ConfigureAwait(false);
            if (existing is not null)
            {
                if (!existing.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
                if (existing.Status != UserStatus.ExternalProvider) return new FederatedSignInResult(existing, false);
                if (!Apply(pool, existing, mapped, creating: false)) return new FederatedSignInResult(existing, false);
                existing.ModifiedAt = time.GetUtcNow();
                var updated = await users.UpdateAsync(existing, UserIdentifiers.For(pool, existing), ct).ConfigureAwait(false);
                if (updated == UserWriteResult.Ok) return new FederatedSignInResult(existing, false);
                continue; // changed meanwhile: read again
            }

            var user = NewFederatedUser(pool, provider, profile, username, mapped);
            if (triggers is not null) await triggers.PreSignUpAsync(pool, PreSignUpSources.ExternalProvider, user, null, ct).ConfigureAwait(false);
            var created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
            if (created == UserWriteResult.Ok)
            {
                await JoinProviderGroupAsync(pool, provider, user, ct).ConfigureAwait(false);
                return new FederatedSignInResult(user, true);
            }
            // Another sign-in of the same identity created it first (or the username is held by an unrelated user): look again.
            if (await FindLinkedAsync(pool, provider, profile, ct).ConfigureAwait(false) is null)
            {
                throw CognitoErrors.AliasExists("User account already exists");
            }
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>
    /// The user (provider, subject) signs in as: the owner of the identity identifier; else — for a link made by AdminLinkProviderForUser
    /// with a provider attribute other than <c>Cognito_Subject</c> (SAML) — the owner of a pending attribute link, which is then
    /// re-keyed to the subject; else null.
    /// </summary>
    async ValueTask<User?> FindLinkedAsync(UserPool pool, IdentityProvider provider, FederatedProfile profile, CancellationToken ct)
    {
        var owner = await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind,
            FederatedIdentity.IdentifierValue(provider.ProviderName, profile.UserId), ct).ConfigureAwait(false);
        if (owner is not null) return owner;
        foreach (var (name, value) in profile.Attributes)
        {
            var pending = await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind,
                FederatedIdentity.IdentifierValue(provider.ProviderName, FederatedIdentity.AttributeLinkId(name, value)), ct).ConfigureAwait(false);
            if (pending is null) continue;
            var identities = FederatedIdentity.Parse(pending.Get(FederatedIdentity.AttributeName))
                .Select(i => i.ProviderName == provider.ProviderName && i.UserId == FederatedIdentity.AttributeLinkId(name, value)
                    ? i with { UserId = profile.UserId, Issuer = profile.Issuer ?? i.Issuer } : i)
                .ToList();
            pending.Attributes[FederatedIdentity.AttributeName] = FederatedIdentity.Serialize(identities);
            pending.ModifiedAt = time.GetUtcNow();
            if (await users.UpdateAsync(pending, UserIdentifiers.For(pool, pending), ct).ConfigureAwait(false) == UserWriteResult.Ok) return pending;
            return await users.FindByIdentifierAsync(pool.Id, FederatedIdentity.IdentifierKind,
                FederatedIdentity.IdentifierValue(provider.ProviderName, profile.UserId), ct).ConfigureAwait(false);
        }
        return null;
    }

    User NewFederatedUser(UserPool pool, IdentityProvider provider, FederatedProfile profile, string username, IReadOnlyDictionary<string, string> mapped)
    {
        var now = time.GetUtcNow();
        var sub = Ids.IdGenerator.NewUuid();
        var user = new User { UserPoolId = pool.Id, Username = username, Sub = sub, Status = UserStatus.ExternalProvider, CreatedAt = now, ModifiedAt = now };
        Apply(pool, user, mapped, creating: true);
        user.Attributes["sub"] = sub;
        user.Attributes[FederatedIdentity.AttributeName] = FederatedIdentity.Serialize(
            [new FederatedIdentity(profile.UserId, provider.ProviderName, provider.ProviderType, profile.Issuer, Primary: true, now)]);
        return user;
    }

    /// <summary>
    /// The pool attributes of <paramref name="source"/> (provider attribute names) under <paramref name="provider"/>'s AttributeMapping
    /// (pool attribute → provider attribute): every mapped attribute the provider sent, except <c>username</c> (the subject), <c>sub</c>
    /// and <c>identities</c>, which Cognate keeps itself. Values are validated against the pool's schema.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException when a value does not fit its attribute (type, length, format).</exception>
    public static IReadOnlyDictionary<string, string> MapAttributes(UserPool pool, IdentityProvider provider, IReadOnlyDictionary<string, string> source)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(source);
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (poolAttribute, providerAttribute) in provider.AttributeMapping)
        {
            if (poolAttribute is "username" or "sub" or FederatedIdentity.AttributeName) continue;
            if (!source.TryGetValue(providerAttribute, out var value) || value is null) continue;
            if (!AttributeRules.Exists(pool, poolAttribute)) continue;
            mapped[poolAttribute] = value;
        }
        AttributeRules.ValidateWrites(pool, mapped.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)), AttributeWriter.Admin, creating: true);
        return mapped;
    }

    /// <summary>Writes the mapped attributes into <paramref name="user"/>; on later sign-ins immutable ones keep their first value. True when something changed.</summary>
    static bool Apply(UserPool pool, User user, IReadOnlyDictionary<string, string> mapped, bool creating)
    {
        bool changed = false;
        foreach (var (name, value) in mapped)
        {
            if (!creating && AttributeRules.Find(pool, name) is { Mutable: false }) continue;
            if (user.Get(name) == value) continue;
            user.Attributes[name] = value;
            changed = true;
        }
        return changed;
    }

    async ValueTask JoinProviderGroupAsync(UserPool pool, IdentityProvider provider, User user, CancellationToken ct)
    {
        var name = ProviderGroupName(pool.Id, provider.ProviderName);
        if (await groups.GetAsync(pool.Id, name, ct).ConfigureAwait(false) is null)
        {
            var now = time.GetUtcNow();
            await groups.CreateAsync(new Group
            {
                UserPoolId = pool.Id,
                GroupName = name,
                Description = $"Autogenerated group for users who sign in using {provider.ProviderName}",
                CreatedAt = now,
                ModifiedAt = now,
            }, ct).ConfigureAwait(false); // false: created by a concurrent first sign-in
        }
        await groups.AddMemberAsync(pool.Id, name, user.Username, ct).ConfigureAwait(false);
    }
}
