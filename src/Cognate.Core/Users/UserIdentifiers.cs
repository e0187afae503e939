using Cognate.Core.Pools;

namespace Cognate.Core.Users;

/// <summary>
/// The unique sign-in keys of a user (reference §7.3): the internal username; for pools with
/// UsernameAttributes, the email / phone_number values (verified or not); for pools with
/// AliasAttributes, verified email / phone_number and any preferred_username. Values are normalised by
/// the pool's case rule. Plus one <c>identity</c> key per entry of the <c>identities</c> attribute (exact, not normalised).
/// </summary>
public static class UserIdentifiers
{
    /// <summary>Identifier kind of the internal username.</summary>
    public const string Username = "username";

    /// <summary>All identifiers <paramref name="user"/> must own in <paramref name="pool"/>.</summary>
    public static IReadOnlyCollection<UserIdentifier> For(UserPool pool, User user)
    {
        var list = new List<UserIdentifier> { new(Username, pool.NormalizeKey(user.Username)) };
        // A federated user (EXTERNAL_PROVIDER) never signs in by email or phone here, so its copies of them claim no alias:
        // they may equal a native user's (AWS guide "Linking federated users").
        bool federated = user.Status == UserStatus.ExternalProvider;
        foreach (var attr in federated ? [] : pool.Config.UsernameAttributes ?? [])
        {
            if (user.Get(attr) is { Length: > 0 } v) list.Add(new(attr, pool.NormalizeKey(v)));
        }
        foreach (var attr in federated ? [] : pool.Config.AliasAttributes ?? [])
        {
            if (user.Get(attr) is not { Length: > 0 } v) continue;
            if (attr == "preferred_username" || user.IsVerified(attr)) list.Add(new(attr, pool.NormalizeKey(v)));
        }
        // Federated identities (primary or linked): (provider, subject) is unique in the pool and finds its user.
        foreach (var identity in Federation.FederatedIdentity.Parse(user.Get(Federation.FederatedIdentity.AttributeName)))
        {
            list.Add(new(Federation.FederatedIdentity.IdentifierKind, Federation.FederatedIdentity.IdentifierValue(identity.ProviderName, identity.UserId)));
        }
        return list;
    }

    /// <summary>The kinds a sign-in name may be looked up by in <paramref name="pool"/>, username first.</summary>
    public static IEnumerable<string> LookupKinds(UserPool pool)
    {
        yield return Username;
        foreach (var a in pool.Config.UsernameAttributes ?? []) yield return a;
        foreach (var a in pool.Config.AliasAttributes ?? []) yield return a;
    }
}
