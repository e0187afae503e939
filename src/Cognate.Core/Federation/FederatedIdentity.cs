using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cognate.Core.Federation;

/// <summary>
/// One entry of a user's <c>identities</c> attribute (Cognito's federated-identity record): the external identity
/// (<see cref="ProviderName"/>, <see cref="UserId"/>) that signs in as this user. A federated user
/// (<c>EXTERNAL_PROVIDER</c>, username <c>{ProviderName}_{UserId}</c>) has one primary entry; AdminLinkProviderForUser adds
/// entries to a native user. The attribute is stored as Cognito shows it in AdminGetUser (a JSON array with a boolean
/// <c>primary</c> and a numeric <c>dateCreated</c>); the ID token's <c>identities</c> claim carries the same entries with
/// those two as strings (<see cref="ToClaim"/>).
/// </summary>
/// <param name="UserId">The provider's subject: OIDC <c>sub</c> (or the attribute mapped to <c>username</c>), SAML NameID.</param>
/// <param name="ProviderName">The pool's provider name (case as configured).</param>
/// <param name="ProviderType">One of <see cref="IdentityProviders.IdentityProviderTypes"/>.</param>
/// <param name="Issuer">SAML: the IdP's entity id; otherwise null.</param>
/// <param name="Primary">True for the identity a federated user was created from.</param>
/// <param name="DateCreated">When the identity was first seen or linked, UTC.</param>
public sealed record FederatedIdentity(string UserId, string ProviderName, string ProviderType, string? Issuer, bool Primary, DateTimeOffset DateCreated)
{
    /// <summary>The user attribute that holds the entries.</summary>
    public const string AttributeName = "identities";

    /// <summary>The <c>UserIdentifier</c> kind that makes (provider, subject) unique in a pool and finds its user.</summary>
    public const string IdentifierKind = "identity";

    /// <summary>
    /// The identifier value of (provider, subject): <c>{ProviderName}\u001f{UserId}</c>. Provider names compare exactly;
    /// subjects exactly too (upstream subjects are case-sensitive), whatever the pool's username case rule.
    /// </summary>
    public static string IdentifierValue(string providerName, string userId) => providerName + "\u001f" + userId;

    /// <summary>The subject marker of a link that AdminLinkProviderForUser made on a provider attribute other than <c>Cognito_Subject</c>
    /// (SAML): <c>{attributeName}={value}</c> after a NUL, replaced by the real subject at the first sign-in that matches it.</summary>
    public static string AttributeLinkId(string attributeName, string value) => "\0" + attributeName + "=" + value;

    /// <summary>The entries of <paramref name="attributeValue"/> (a user's <c>identities</c>); empty for null or malformed.</summary>
    public static IReadOnlyList<FederatedIdentity> Parse(string? attributeValue)
    {
        if (string.IsNullOrEmpty(attributeValue)) return [];
        try
        {
            if (JsonNode.Parse(attributeValue) is not JsonArray array) return [];
            var list = new List<FederatedIdentity>(array.Count);
            foreach (var node in array)
            {
                if (node is not JsonObject o) continue;
                string? userId = Text(o["userId"]), name = Text(o["providerName"]), type = Text(o["providerType"]);
                if (userId is null || name is null || type is null) continue;
                bool primary = o["primary"] is JsonValue p && (p.TryGetValue(out bool b) ? b : Text(p) == "true");
                long created = o["dateCreated"] is JsonValue d && (d.TryGetValue(out long n) || long.TryParse(Text(d), out n)) ? n : 0;
                list.Add(new FederatedIdentity(userId, name, type, Text(o["issuer"]), primary, DateTimeOffset.FromUnixTimeMilliseconds(created)));
            }
            return list;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>The attribute value for <paramref name="identities"/>: <c>[{"userId":…,"providerName":…,"providerType":…,"issuer":…,"primary":true,"dateCreated":1642699117273}]</c>.</summary>
    public static string Serialize(IEnumerable<FederatedIdentity> identities)
    {
        var array = new JsonArray();
        foreach (var i in identities)
        {
            array.Add(new JsonObject
            {
                ["userId"] = i.UserId,
                ["providerName"] = i.ProviderName,
                ["providerType"] = i.ProviderType,
                ["issuer"] = i.Issuer,
                ["primary"] = i.Primary,
                ["dateCreated"] = i.DateCreated.ToUnixTimeMilliseconds(),
            });
        }
        return array.ToJsonString();
    }

    /// <summary>The ID token's <c>identities</c> claim: the same entries with <c>primary</c> and <c>dateCreated</c> as strings.</summary>
    public static JsonArray ToClaim(IEnumerable<FederatedIdentity> identities)
    {
        var array = new JsonArray();
        foreach (var i in identities)
        {
            array.Add(new JsonObject
            {
                ["dateCreated"] = i.DateCreated.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["userId"] = i.UserId,
                ["providerName"] = i.ProviderName,
                ["providerType"] = i.ProviderType,
                ["issuer"] = i.Issuer,
                ["primary"] = i.Primary ? "true" : "false",
            });
        }
        return array;
    }

    static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
        : node is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.ToJsonString() : null;
}
