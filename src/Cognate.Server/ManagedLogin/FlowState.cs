using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Crypto;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// The state a managed-login step hands to the next one (which step, the sign-in engine's opaque Session, the username,
/// the challenge parameters to show), carried in the hidden form field <c>_state</c>. It is sealed with the master key
/// (<see cref="MasterKeyProtector"/>, AES-GCM: the browser can neither read nor forge it), bound to the app client (associated
/// data) and to the browser's CSRF cookie (<see cref="CsrfHash"/>), and lives <see cref="Lifetime"/>.
/// </summary>
/// <param name="ClientId">The app client the flow runs for (also the associated data of the seal).</param>
/// <param name="Step">A ChallengeName (<c>SOFTWARE_TOKEN_MFA</c>, …) or a page step: <c>PASSWORD</c> (password chosen at
/// SELECT_CHALLENGE), <c>CONFIRM_SIGN_UP</c>, <c>CONFIRM_FORGOT_PASSWORD</c>.</param>
/// <param name="Username">The name to send as USERNAME (the engine's USER_ID_FOR_SRP when it gave one).</param>
/// <param name="Session">The engine's Session (or SignUp's / ConfirmSignUp's), or null.</param>
/// <param name="Parameters">Challenge parameters kept for rendering (CODE_DELIVERY_DESTINATION, MFAS_CAN_CHOOSE, …).</param>
/// <param name="Options">SELECT_CHALLENGE: the AvailableChallenges; otherwise null.</param>
/// <param name="TotpSecret">MFA_SETUP: the base32 secret of AssociateSoftwareToken, shown again after a wrong code.</param>
/// <param name="IssuedAt">Seconds since the Unix epoch when sealed.</param>
/// <param name="CsrfHash">Base64url SHA-256 of the CSRF cookie value of the browser the state was issued to.</param>
internal sealed record FlowState(
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("n")] string Step,
    [property: JsonPropertyName("u")] string Username,
    [property: JsonPropertyName("s")] string? Session,
    [property: JsonPropertyName("p")] Dictionary<string, string>? Parameters,
    [property: JsonPropertyName("o")] List<string>? Options,
    [property: JsonPropertyName("x")] string? TotpSecret,
    [property: JsonPropertyName("t")] long IssuedAt,
    [property: JsonPropertyName("k")] string CsrfHash)
{
    /// <summary>How long a sealed state is accepted (the engine's own sessions expire sooner, 3 minutes by default).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    const string Purpose = "cognate/managed-login/flow/";

    /// <summary>A parameter of <see cref="Parameters"/>, or null.</summary>
    public string? Parameter(string name) => Parameters is not null && Parameters.TryGetValue(name, out var v) ? v : null;

    /// <summary>Seals this state: base64url of the AES-GCM envelope, associated data = purpose + client id.</summary>
    public string Seal(MasterKeyProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var json = JsonSerializer.SerializeToUtf8Bytes(this, FlowStateJson.Default.FlowState);
        return Base64Url.EncodeToString(protector.Protect(json, Encoding.UTF8.GetBytes(Purpose + ClientId)));
    }

    /// <summary>
    /// Opens a sealed state for <paramref name="clientId"/>: null when it is malformed, forged, sealed for another client,
    /// older than <see cref="Lifetime"/> (or from the future) or issued to another browser (CSRF cookie).
    /// </summary>
    public static FlowState? Open(MasterKeyProtector protector, string? sealedState, string clientId, string csrfCookie, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(protector);
        if (string.IsNullOrEmpty(sealedState) || sealedState.Length > 16_384 || !Base64Url.IsValid(sealedState)) return null;
        byte[] bytes;
        try { bytes = Base64Url.DecodeFromChars(sealedState); }
        catch (FormatException) { return null; }
        if (!protector.TryUnprotect(bytes, Encoding.UTF8.GetBytes(Purpose + clientId), out var json)) return null;
        FlowState? state;
        try { state = JsonSerializer.Deserialize(json, FlowStateJson.Default.FlowState); }
        catch (JsonException) { return null; }
        if (state is null || !string.Equals(state.ClientId, clientId, StringComparison.Ordinal)) return null;
        var age = now.ToUnixTimeSeconds() - state.IssuedAt;
        if (age < -60 || age > (long)Lifetime.TotalSeconds) return null;
        var expected = Encoding.ASCII.GetBytes(HashCsrf(csrfCookie));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(state.CsrfHash))) return null;
        return state;
    }

    /// <summary>Base64url SHA-256 of a CSRF cookie value (what <see cref="CsrfHash"/> holds).</summary>
    public static string HashCsrf(string csrfCookie) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(csrfCookie)));
}

[JsonSerializable(typeof(FlowState))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class FlowStateJson : JsonSerializerContext;
