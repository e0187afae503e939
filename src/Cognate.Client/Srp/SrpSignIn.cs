using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cognate.Client.Srp;

/// <summary>
/// Client side of Cognito's SRP sign-in (USER_SRP_AUTH → PASSWORD_VERIFIER), written independently of the server
/// with <see cref="BigInteger"/>: 3072-bit group, g = 2, k = H(padHex(N) ‖ padHex(g)), HKDF "Caldera Derived Key",
/// the claim HMAC over pool name ‖ user id ‖ SECRET_BLOCK ‖ TIMESTAMP (reference §4.3), as
/// amazon-cognito-identity-js and Amplify compute it.
/// </summary>
public static class SrpSignIn
{
    static readonly BigInteger N = BigInteger.Parse("0" +
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
        "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
        "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF", NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    static readonly BigInteger G = 2;
    static readonly BigInteger K = Unsigned(SHA256.HashData([.. Pad(N), .. Pad(G)]));

    /// <summary>The client's ephemeral key pair: a and SRP_A (lowercase hex, unpadded, as JS clients send it).</summary>
    public sealed class Ephemeral
    {
        internal BigInteger PrivateA { get; }
        /// <summary>A = g^a mod N.</summary>
        public BigInteger PublicA { get; }
        /// <summary>SRP_A.</summary>
        public string SrpA => PublicA.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

        /// <summary>New random a (128 bytes).</summary>
        public Ephemeral()
        {
            BigInteger a, A;
            do
            {
                a = Unsigned(RandomNumberGenerator.GetBytes(128)) % N;
                A = BigInteger.ModPow(G, a, N);
            } while (A.IsZero);
            PrivateA = a;
            PublicA = A;
        }
    }

    /// <summary>Cognito's TIMESTAMP format (<c>Tue Jan 2 03:04:05 UTC 2024</c>).</summary>
    public static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("ddd MMM d HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// The ChallengeResponses answering a PASSWORD_VERIFIER challenge: USERNAME (= USER_ID_FOR_SRP),
    /// PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP (and SECRET_HASH when <paramref name="clientSecret"/> is given).
    /// </summary>
    /// <param name="userPoolId">Pool id (its part after <c>_</c> is the SRP pool name).</param>
    /// <param name="clientId">App client id (for SECRET_HASH).</param>
    /// <param name="clientSecret">App client secret, or null.</param>
    /// <param name="password">The password.</param>
    /// <param name="ephemeral">The key pair whose SRP_A started the flow.</param>
    /// <param name="challengeParameters">The challenge's parameters (SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP).</param>
    /// <param name="now">The time to put into TIMESTAMP.</param>
    /// <exception cref="CryptographicException">B ≡ 0 mod N or u = 0.</exception>
    public static JsonObject Answer(string userPoolId, string clientId, string? clientSecret, string password, Ephemeral ephemeral, JsonObject challengeParameters, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ephemeral);
        ArgumentNullException.ThrowIfNull(challengeParameters);
        string userId = (string)challengeParameters["USER_ID_FOR_SRP"]!;
        string secretBlock = (string)challengeParameters["SECRET_BLOCK"]!;
        var salt = Hex((string)challengeParameters["SALT"]!);
        var B = Hex((string)challengeParameters["SRP_B"]!);
        if ((B % N).IsZero) throw new CryptographicException("SRP_B is zero modulo N.");
        var u = Unsigned(SHA256.HashData([.. Pad(ephemeral.PublicA), .. Pad(B)]));
        if (u.IsZero) throw new CryptographicException("u is zero.");
        string poolName = userPoolId.Split('_')[1];
        var inner = SHA256.HashData(Encoding.UTF8.GetBytes(poolName + userId + ":" + password));
        var x = Unsigned(SHA256.HashData([.. Pad(salt), .. inner]));
        var baseValue = ((B - K * BigInteger.ModPow(G, x, N)) % N + N) % N;
        var S = BigInteger.ModPow(baseValue, ephemeral.PrivateA + u * x, N);
        var prk = HMACSHA256.HashData(Pad(u), Pad(S));
        byte[] info = [.. Encoding.UTF8.GetBytes("Caldera Derived Key"), 1];
        var key = HMACSHA256.HashData(prk, info)[..16];
        string timestamp = Timestamp(now);
        var message = Encoding.UTF8.GetBytes(poolName).Concat(Encoding.UTF8.GetBytes(userId)).Concat(Convert.FromBase64String(secretBlock)).Concat(Encoding.UTF8.GetBytes(timestamp)).ToArray();
        var responses = new JsonObject
        {
            ["USERNAME"] = userId,
            ["PASSWORD_CLAIM_SECRET_BLOCK"] = secretBlock,
            ["PASSWORD_CLAIM_SIGNATURE"] = Convert.ToBase64String(HMACSHA256.HashData(key, message)),
            ["TIMESTAMP"] = timestamp,
        };
        if (clientSecret is not null)
        {
            responses["SECRET_HASH"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(userId + clientId)));
        }
        return responses;
    }

    /// <summary>
    /// A whole USER_SRP_AUTH sign-in through <paramref name="client"/>: InitiateAuth, then RespondToAuthChallenge(PASSWORD_VERIFIER).
    /// Returns the final response (AuthenticationResult, or the next challenge such as SOFTWARE_TOKEN_MFA).
    /// </summary>
    /// <exception cref="CognitoServiceException">The service refused a step (e.g. NotAuthorizedException for a wrong password).</exception>
    public static async Task<JsonObject> SignInAsync(CognitoIdentityProviderClient client, string userPoolId, string clientId, string username, string password, string? clientSecret = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var e = new Ephemeral();
        var p = new JsonObject { ["USERNAME"] = username, ["SRP_A"] = e.SrpA };
        if (clientSecret is not null)
        {
            p["SECRET_HASH"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(username + clientId)));
        }
        var challenge = await client.InvokeAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "USER_SRP_AUTH", ["ClientId"] = clientId, ["AuthParameters"] = p }, ct).ConfigureAwait(false);
        var responses = Answer(userPoolId, clientId, clientSecret, password, e, challenge["ChallengeParameters"]!.AsObject(), DateTimeOffset.UtcNow);
        var request = new JsonObject { ["ClientId"] = clientId, ["ChallengeName"] = "PASSWORD_VERIFIER", ["ChallengeResponses"] = responses };
        if (challenge["Session"] is JsonNode session) request["Session"] = session.DeepClone();
        return await client.InvokeAsync("RespondToAuthChallenge", request, ct).ConfigureAwait(false);
    }

    static BigInteger Unsigned(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>padHex: minimal two's-complement big-endian (a 00 byte when the top bit is set).</summary>
    static byte[] Pad(BigInteger value) => value.ToByteArray(isUnsigned: false, isBigEndian: true);
}
