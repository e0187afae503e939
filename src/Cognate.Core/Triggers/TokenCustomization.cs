using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Groups;

namespace Cognate.Core.Triggers;

/// <summary>
/// The PreTokenGeneration <c>triggerSource</c> values (AWS developer guide "Pre token generation Lambda trigger"; reference §10.2).
/// </summary>
public static class TokenGenerationSources
{
    /// <summary>Tokens of the managed login / hosted UI (authorization code exchange, implicit grant).</summary>
    public const string HostedAuth = "TokenGeneration_HostedAuth";
    /// <summary>Tokens at the end of an API sign-in (password, SRP, USER_AUTH, CUSTOM_AUTH, MFA challenges).</summary>
    public const string Authentication = "TokenGeneration_Authentication";
    /// <summary>Tokens right after NEW_PASSWORD_REQUIRED was answered (a user created by an admin sets a password).</summary>
    public const string NewPasswordChallenge = "TokenGeneration_NewPasswordChallenge";
    /// <summary>Tokens at the end of a device authentication (DEVICE_PASSWORD_VERIFIER; the devices issue plugs in here).</summary>
    public const string AuthenticateDevice = "TokenGeneration_AuthenticateDevice";
    /// <summary>Tokens from a refresh token (REFRESH_TOKEN_AUTH, the refresh_token grant of /oauth2/token).</summary>
    public const string RefreshTokens = "TokenGeneration_RefreshTokens";
    /// <summary>V3_0 only: the access token of a client_credentials grant or GetClientToken (machine-to-machine).</summary>
    public const string ClientCredentials = "TokenGeneration_ClientCredentials";
}

/// <summary>Why tokens are being minted, for the PreTokenGeneration trigger: its <c>triggerSource</c> and the action's ClientMetadata.</summary>
/// <param name="TriggerSource">One of <see cref="TokenGenerationSources"/>.</param>
/// <param name="ClientMetadata">The ClientMetadata of the action (InitiateAuth, RespondToAuthChallenge, GetClientToken,
/// <c>aws_client_metadata</c> of /oauth2/token), or null.</param>
public sealed record TokenGeneration(string TriggerSource, IReadOnlyDictionary<string, string>? ClientMetadata = null)
{
    /// <summary>Never prints the metadata values.</summary>
    public override string ToString() => $"TokenGeneration {{ TriggerSource = {TriggerSource}, ClientMetadata = {ClientMetadata?.Count ?? 0} }}";
}

/// <summary>The claim changes for one token (ID or access) asked for by a PreTokenGeneration function, already filtered by the rules.</summary>
/// <param name="ClaimsToAddOrOverride">Claim name → value (V1: strings; V2/V3: any JSON value). Protected claims and names also
/// suppressed are removed.</param>
/// <param name="ClaimsToSuppress">Claims left out of the token (protected names removed).</param>
public sealed record TokenClaimChanges(IReadOnlyDictionary<string, JsonNode> ClaimsToAddOrOverride, IReadOnlySet<string> ClaimsToSuppress)
{
    /// <summary>No change.</summary>
    public static TokenClaimChanges None { get; } = new(FrozenDictionary<string, JsonNode>.Empty, FrozenSet<string>.Empty);

    /// <summary>True when the token writes its own value of <paramref name="claim"/>: neither suppressed nor overridden.</summary>
    public bool Keeps(string claim) => !ClaimsToSuppress.Contains(claim) && !ClaimsToAddOrOverride.ContainsKey(claim);

    /// <summary>Writes the added / overridden claims (in the function's order).</summary>
    public void WriteAdded(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (name, value) in ClaimsToAddOrOverride)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}

/// <summary>
/// What a PreTokenGeneration function changed, validated (AWS developer guide "Pre token generation Lambda trigger"; reference §10.4):
/// V1 (<c>claimsOverrideDetails</c>) changes the ID token's claims and the groups; V2/V3 (<c>claimsAndScopeOverrideDetails</c>)
/// also the access token's claims and its <c>scope</c>.
/// </summary>
/// <remarks>
/// <para>Rules, as the guide states them: the claims Cognito sets itself (<see cref="ProtectedClaims"/>; in access tokens also
/// <see cref="ProtectedAccessClaims"/>; any <c>dev:</c> claim) cannot be added, overridden or suppressed; group claims
/// (<c>cognito:groups</c>, <c>cognito:roles</c>, <c>cognito:preferred_role</c>) change only through <c>groupOverrideDetails</c>
/// (they may be suppressed); a claim both suppressed and overridden is suppressed; <c>scope</c> changes only through
/// <c>scopesToAdd</c> / <c>scopesToSuppress</c> and a scope with a blank in it cannot be added. Cognito drops such requests
/// silently (the function's other changes still apply), so Cognate does too: a function tested here behaves as in production.</para>
/// <para>Shape errors are <c>InvalidLambdaResponseException</c>: a member of the wrong JSON type (an object that is not an object,
/// a list that is not a list of strings), a V1 claim value that is an array or an object (V1 claims are strings; numbers and
/// booleans are taken as their text), and in the ID token an array or object for <c>email_verified</c>,
/// <c>phone_number_verified</c>, <c>updated_at</c> or <c>address</c> (the guide's exception to "any JSON type").</para>
/// <para><c>groupOverrideDetails</c> absent or null leaves the groups as they are; an object replaces all three group claims with
/// its members (a missing member removes its claim), as the guide says ("the groupOverrideDetails object is replaced with the one
/// you provide"); it applies to <c>cognito:groups</c> of both tokens.</para>
/// </remarks>
/// <param name="IdToken">Changes to the ID token.</param>
/// <param name="AccessToken">Changes to the access token (always none for V1).</param>
/// <param name="ScopesToAdd">Scopes added to the access token's <c>scope</c> (V2/V3).</param>
/// <param name="ScopesToSuppress">Scopes removed from it (wins over <paramref name="ScopesToAdd"/>).</param>
/// <param name="Groups">The replacement group claims, or null to keep the user's.</param>
public sealed record TokenCustomization(TokenClaimChanges IdToken, TokenClaimChanges AccessToken, IReadOnlyList<string> ScopesToAdd, IReadOnlySet<string> ScopesToSuppress, GroupClaims? Groups)
{
    const string Trigger = TriggerNames.PreTokenGeneration;

    /// <summary>Nothing changed (the function returned an empty <c>response</c>).</summary>
    public static TokenCustomization None { get; } = new(TokenClaimChanges.None, TokenClaimChanges.None, [], FrozenSet<string>.Empty, null);

    /// <summary>Claims no PreTokenGeneration function may add, override or suppress, in either token (the guide's list, plus
    /// <c>event_id</c>, which Cognito sets per authentication event).</summary>
    public static FrozenSet<string> ProtectedClaims { get; } = new[]
    {
        "acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat", "identities", "iss", "jti",
        "nbf", "nonce", "origin_jti", "sub", "token_use", "event_id",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Further claims protected in access tokens: <c>client_id</c>, <c>scope</c> (use scopesToAdd / scopesToSuppress),
    /// <c>username</c>, <c>version</c>, <c>device_key</c>.</summary>
    public static FrozenSet<string> ProtectedAccessClaims { get; } = new[] { "client_id", "scope", "username", "version", "device_key" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The group claims: changed only through <c>groupOverrideDetails</c>, but they may be suppressed.</summary>
    public static FrozenSet<string> GroupClaimNames { get; } = new[] { "cognito:groups", "cognito:roles", "cognito:preferred_role" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>ID-token claims whose value may not be an array or an object (V2/V3).</summary>
    public static FrozenSet<string> ScalarIdClaims { get; } = new[] { "email_verified", "phone_number_verified", "updated_at", "address" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Reads the <c>response</c> a PreTokenGeneration function returned.
    /// </summary>
    /// <param name="response">The event's <c>response</c> object as answered.</param>
    /// <param name="version">1 (V1_0), 2 (V2_0) or 3 (V3_0).</param>
    /// <returns>The validated changes (<see cref="None"/> when the function changed nothing).</returns>
    /// <exception cref="CognitoException">InvalidLambdaResponseException for a malformed response (see the remarks).</exception>
    public static TokenCustomization Parse(JsonObject response, int version)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (version <= 1)
        {
            if (OptionalObject(response, "claimsOverrideDetails") is not { } v1) return None;
            var idV1 = Changes(v1, accessToken: false, stringValuesOnly: true);
            return new TokenCustomization(idV1, TokenClaimChanges.None, [], FrozenSet<string>.Empty, GroupOverride(v1));
        }
        if (OptionalObject(response, "claimsAndScopeOverrideDetails") is not { } details) return None;
        var id = OptionalObject(details, "idTokenGeneration") is { } idGen ? Changes(idGen, accessToken: false, stringValuesOnly: false) : TokenClaimChanges.None;
        var access = TokenClaimChanges.None;
        IReadOnlyList<string> add = [];
        IReadOnlySet<string> suppress = FrozenSet<string>.Empty;
        if (OptionalObject(details, "accessTokenGeneration") is { } accessGen)
        {
            access = Changes(accessGen, accessToken: true, stringValuesOnly: false);
            // A scope is a space-delimited token of the scope claim (RFC 6749 §3.3): one with a blank cannot be added.
            add = Strings(accessGen, "scopesToAdd").Where(s => s.Length > 0 && !s.Any(char.IsWhiteSpace)).Distinct(StringComparer.Ordinal).ToList();
            suppress = Strings(accessGen, "scopesToSuppress").ToFrozenSet(StringComparer.Ordinal);
        }
        return new TokenCustomization(id, access, add, suppress, GroupOverride(details));
    }

    /// <summary>The access token's scopes: <paramref name="granted"/> then the added ones (no duplicates), minus the suppressed ones.</summary>
    public IReadOnlyList<string> Scopes(IReadOnlyList<string> granted)
    {
        ArgumentNullException.ThrowIfNull(granted);
        if (ScopesToAdd.Count == 0 && ScopesToSuppress.Count == 0) return granted;
        var result = new List<string>(granted.Count + ScopesToAdd.Count);
        foreach (var s in granted.Concat(ScopesToAdd))
        {
            if (!ScopesToSuppress.Contains(s) && !result.Contains(s, StringComparer.Ordinal)) result.Add(s);
        }
        return result;
    }

    /// <summary>True when a token of this kind may carry the function's value for <paramref name="claim"/> (add / override).</summary>
    public static bool MayAddOrOverride(string claim, bool accessToken) =>
        !IsProtected(claim, accessToken) && !claim.StartsWith("cognito:", StringComparison.Ordinal);

    /// <summary>True when the function may remove <paramref name="claim"/> from a token of this kind.</summary>
    public static bool MaySuppress(string claim, bool accessToken) =>
        !IsProtected(claim, accessToken) && (!claim.StartsWith("cognito:", StringComparison.Ordinal) || GroupClaimNames.Contains(claim));

    static bool IsProtected(string claim, bool accessToken) =>
        ProtectedClaims.Contains(claim) || (accessToken && ProtectedAccessClaims.Contains(claim)) || claim.StartsWith("dev:", StringComparison.Ordinal);

    static TokenClaimChanges Changes(JsonObject o, bool accessToken, bool stringValuesOnly)
    {
        var suppress = Strings(o, "claimsToSuppress").Where(c => MaySuppress(c, accessToken)).ToHashSet(StringComparer.Ordinal);
        var add = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        if (OptionalObject(o, "claimsToAddOrOverride") is { } claims)
        {
            foreach (var (name, value) in claims)
            {
                if (value is null) continue; // JSON null: nothing to write
                if (value is JsonArray or JsonObject && (stringValuesOnly || (!accessToken && ScalarIdClaims.Contains(name)))) throw Invalid();
                if (!MayAddOrOverride(name, accessToken) || suppress.Contains(name)) continue;
                add[name] = stringValuesOnly && value is JsonValue scalar && scalar.GetValueKind() != JsonValueKind.String
                    ? JsonValue.Create(scalar.ToJsonString())
                    : value.DeepClone();
            }
        }
        return add.Count == 0 && suppress.Count == 0 ? TokenClaimChanges.None : new TokenClaimChanges(add, suppress);
    }

    static GroupClaims? GroupOverride(JsonObject details)
    {
        if (OptionalObject(details, "groupOverrideDetails") is not { } g) return null;
        var preferred = g["preferredRole"] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw Invalid(),
        };
        return new GroupClaims(Strings(g, "groupsToOverride"), Strings(g, "iamRolesToOverride"), string.IsNullOrEmpty(preferred) ? null : preferred);
    }

    static JsonObject? OptionalObject(JsonObject parent, string name) => parent[name] switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Invalid(),
    };

    static List<string> Strings(JsonObject parent, string name)
    {
        switch (parent[name])
        {
            case null: return [];
            case JsonArray a:
                var list = new List<string>(a.Count);
                foreach (var item in a)
                {
                    if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String) list.Add(v.GetValue<string>());
                    else throw Invalid();
                }
                return list;
            default: throw Invalid();
        }
    }

    static CognitoException Invalid() => CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {Trigger}.");
}
