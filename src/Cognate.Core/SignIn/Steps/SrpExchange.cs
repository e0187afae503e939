using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Steps;

/// <summary>The sealed content of a SECRET_BLOCK (reference §4.6).</summary>
internal sealed record SrpSecretBlock(
    [property: JsonPropertyName("p")] string UserPoolId,
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("u")] string Username,
    [property: JsonPropertyName("A")] byte[] ClientPublic,
    [property: JsonPropertyName("B")] byte[] ServerPublic,
    [property: JsonPropertyName("b")] byte[] PrivateB,
    [property: JsonPropertyName("e")] long ExpiresAt,
    [property: JsonPropertyName("f")] bool Fake,
    [property: JsonPropertyName("x"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool CustomAuth = false);

/// <summary>
/// The server side of Cognito's SRP-6a exchange (USER_SRP_AUTH and USER_AUTH's PASSWORD_SRP, answered by PASSWORD_VERIFIER):
/// issuing the PASSWORD_VERIFIER challenge with a sealed SECRET_BLOCK, and the deterministic fake identity of an unknown user.
/// </summary>
/// <remarks>
/// The SECRET_BLOCK is AES-GCM sealed {pool, client, username, A, B, b, expiry} (standard base64); it is single use: a session
/// record keyed by the SHA-256 of the sealed block exists until PASSWORD_VERIFIER takes it. With PreventUserExistenceErrors an
/// unknown user gets a plausible fake challenge whose answer costs the same 3072-bit exponentiations and is always refused.
/// </remarks>
public sealed class SrpExchange(SignInSessions sessions, CodeHashKey codeKey, MasterKeyProtector protector, TimeProvider time)
{
    static readonly byte[] SecretBlockContext = Encoding.UTF8.GetBytes("cognate/srp-secret-block/v1");

    /// <summary>Counts the fake PASSWORD_VERIFIER answers that ran the full proof check (test hook for the timing-shape test).</summary>
    internal static long FakeProofChecks;

    /// <summary>
    /// PASSWORD_VERIFIER for <paramref name="user"/> (or a fake one for null, or for a user without a password) with SALT,
    /// SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP (both the internal username, or the fake id). An SRP_A that is not
    /// hex or is zero modulo N fails (InvalidParameterException). With PreventUserExistenceErrors LEGACY a user who may not sign
    /// in fails here; with ENABLED only after the proof.
    /// </summary>
    public ValueTask<StepResult> StartAsync(SignInRequest request, User? user, string typedName, string srpA, CancellationToken ct) =>
        StartAsync(request, user, typedName, srpA, customAuth: false, ct);

    /// <summary>As <see cref="StartAsync(SignInRequest, User?, string, string, CancellationToken)"/>; <paramref name="customAuth"/>:
    /// the SRP step of CUSTOM_AUTH (<c>CHALLENGE_NAME: SRP_A</c>), sealed into the block so that a proven PASSWORD_VERIFIER goes
    /// back to DefineAuthChallenge.</summary>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, User? user, string typedName, string srpA, bool customAuth, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (pool, client) = (request.Pool, request.Client);
        if (!Srp.TryParseClientPublic(srpA, out var clientPublic)) return StepResult.Failed(CognitoErrors.InvalidParameter("Invalid SRP_A: not hex, or zero modulo N."));
        if (user is not null && !UserLookup.HidesExistence(request) && UserLookup.CannotSignIn(user) is { } refused) return new StepResult.Fail(refused);
        string userId;
        byte[] salt, verifier;
        bool fake = user?.PasswordSalt is null || user.PasswordVerifier is null;
        if (!fake)
        {
            userId = user!.Username;
            salt = user.PasswordSalt!;
            verifier = user.PasswordVerifier!;
        }
        else
        {
            (userId, salt, verifier) = FakeUser(pool, user?.Username, typedName);
        }
        var challenge = Srp.CreateServerChallenge(verifier);
        var expires = time.GetUtcNow() + AppClientService.AuthSessionLifetime(client);
        var block = new SrpSecretBlock(pool.Id, client.ClientId, userId, clientPublic, challenge.PublicB, challenge.PrivateB, expires.ToUnixTimeSeconds(), fake, customAuth);
        var plain = JsonSerializer.SerializeToUtf8Bytes(block);
        byte[] sealedBlock;
        try { sealedBlock = protector.Protect(plain, SecretBlockContext); }
        finally { CryptographicOperations.ZeroMemory(plain); }
        // Single use: the block is valid only while this record exists; answering takes it.
        await sessions.Store.CreateAsync(new AuthSessionRecord(SHA256.HashData(sealedBlock), pool.Id, client.ClientId, userId, ChallengeNames.PasswordVerifier, "{}", expires), ct).ConfigureAwait(false);
        return new StepResult.Challenge(ChallengeNames.PasswordVerifier, new Dictionary<string, string>
        {
            [ChallengeParameters.Salt] = Srp.ToHex(salt),
            [ChallengeParameters.SrpB] = challenge.PublicBHex,
            [ChallengeParameters.SecretBlock] = Convert.ToBase64String(sealedBlock),
            [ChallengeParameters.Username] = userId,
            [ChallengeParameters.UserIdForSrp] = userId,
        }, null);
    }

    /// <summary>Unseals a base64 SECRET_BLOCK; null when it is not base64, not ours, or tampered with.</summary>
    internal (SrpSecretBlock Block, byte[] Sealed)? Open(string blockBase64)
    {
        var sealedBlock = new byte[blockBase64.Length];
        if (!Convert.TryFromBase64String(blockBase64, sealedBlock, out int length)) return null;
        sealedBlock = sealedBlock[..length];
        if (!protector.TryUnprotect(sealedBlock, SecretBlockContext, out var plain)) return null;
        try
        {
            var block = JsonSerializer.Deserialize<SrpSecretBlock>(plain);
            return block is null ? null : (block, sealedBlock);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Takes the single-use record of a sealed block; false when replayed or expired.</summary>
    internal async ValueTask<bool> TakeAsync(SrpSecretBlock block, byte[] sealedBlock, CancellationToken ct)
    {
        var record = await sessions.Store.TakeAsync(SHA256.HashData(sealedBlock), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        return record is not null && record.ExpiresAt > now && DateTimeOffset.FromUnixTimeSeconds(block.ExpiresAt) > now;
    }

    /// <summary>
    /// The deterministic fake SRP identity of a name with no user (or a user without a password): USER_ID_FOR_SRP (a UUID,
    /// or the real username), a 16-byte salt and a verifier, all derived from an HMAC of (pool, normalised name) under the
    /// server's code key, so repeated attempts see the same salt and id, and the fake PASSWORD_VERIFIER answer costs the
    /// same 3072-bit exponentiations as a real one.
    /// </summary>
    internal (string UserId, byte[] Salt, byte[] Verifier) FakeUser(UserPool pool, string? username, string typedName)
    {
        var seed = HMACSHA256.HashData(codeKey.Key, Encoding.UTF8.GetBytes($"srp-fake\n{pool.Id}\n{pool.NormalizeKey(username ?? typedName)}"));
        var userId = username ?? new Guid(seed.AsSpan(0, 16)).ToString("D");
        var salt = seed[16..];
        // Salt and password both derive from the seed, so the verifier is the same on every attempt.
        var verifier = Srp.CreateVerifier(pool.Id, userId, Convert.ToHexString(seed), salt).Verifier;
        return (userId, salt, verifier);
    }
}
