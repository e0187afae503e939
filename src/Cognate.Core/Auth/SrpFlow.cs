using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;

namespace Cognate.Core.Auth;

/// <summary>The sealed content of a SECRET_BLOCK (reference §4.6).</summary>
internal sealed record SrpSecretBlock(
    [property: JsonPropertyName("p")] string UserPoolId,
    [property: JsonPropertyName("c")] string ClientId,
    [property: JsonPropertyName("u")] string Username,
    [property: JsonPropertyName("A")] byte[] ClientPublic,
    [property: JsonPropertyName("B")] byte[] ServerPublic,
    [property: JsonPropertyName("b")] byte[] PrivateB,
    [property: JsonPropertyName("e")] long ExpiresAt,
    [property: JsonPropertyName("f")] bool Fake);

public sealed partial class SignInFlows
{
    /// <summary>Allowed difference between the client's TIMESTAMP and the server clock.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    static readonly byte[] SecretBlockContext = Encoding.UTF8.GetBytes("cognate/srp-secret-block/v1");

    /// <summary>
    /// USER_SRP_AUTH (InitiateAuth / AdminInitiateAuth): resolves the user (aliases allowed), draws b, computes B and returns
    /// PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK (AES-GCM sealed {pool, client, username, A, B, b, expiry}, standard
    /// base64), USERNAME and USER_ID_FOR_SRP (both the internal username). With PreventUserExistenceErrors an unknown
    /// user gets a plausible fake challenge that can never be answered.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException, NotAuthorizedException, UserNotFoundException, UserNotConfirmedException, PasswordResetRequiredException.</exception>
    public async ValueTask<AuthOutcome> StartSrpAsync(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> p, CancellationToken ct = default)
    {
        var username = Required(p, "USERNAME");
        var srpA = Required(p, "SRP_A");
        p.TryGetValue("SECRET_HASH", out var secretHash);
        AuthService.CheckSecretHash(client, secretHash, username);
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        if (user is null && !AppClientService.PreventsUserExistenceErrors(client)) throw CognitoErrors.UserNotFound();
        return await StartSrpForAsync(pool, client, user, username, srpA, ct).ConfigureAwait(false);
    }

    /// <summary>PASSWORD_VERIFIER for a resolved user (or a fake one for <paramref name="user"/> null).</summary>
    internal async ValueTask<AuthOutcome> StartSrpForAsync(UserPool pool, AppClient client, User? user, string typedName, string srpA, CancellationToken ct)
    {
        if (!Srp.TryParseClientPublic(srpA, out var clientPublic)) throw CognitoErrors.InvalidParameter("Invalid SRP_A: not hex, or zero modulo N.");
        // LEGACY answers a user's state at once; PreventUserExistenceErrors only after PASSWORD_VERIFIER proves the password.
        if (user is not null && !AppClientService.PreventsUserExistenceErrors(client)) AuthService.ThrowIfCannotSignIn(user);
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
            (userId, salt, verifier) = FakeSrpUser(pool, user?.Username, typedName);
        }
        var challenge = Srp.CreateServerChallenge(verifier);
        var expires = time.GetUtcNow() + AppClientService.AuthSessionLifetime(client);
        var block = new SrpSecretBlock(pool.Id, client.ClientId, userId, clientPublic, challenge.PublicB, challenge.PrivateB, expires.ToUnixTimeSeconds(), fake);
        var plain = JsonSerializer.SerializeToUtf8Bytes(block);
        byte[] sealedBlock;
        try { sealedBlock = protector.Protect(plain, SecretBlockContext); }
        finally { CryptographicOperations.ZeroMemory(plain); }
        // Single use: the block is valid only while this record exists; answering takes it.
        await sessions.CreateAsync(new AuthSessionRecord(SHA256.HashData(sealedBlock), pool.Id, client.ClientId, userId, "PASSWORD_VERIFIER", "{}", expires), ct).ConfigureAwait(false);
        var saltHex = Srp.ToHex(salt);
        return new AuthOutcome(null, "PASSWORD_VERIFIER", null, new Dictionary<string, string>
        {
            ["SALT"] = saltHex,
            ["SRP_B"] = challenge.PublicBHex,
            ["SECRET_BLOCK"] = Convert.ToBase64String(sealedBlock),
            ["USERNAME"] = userId,
            ["USER_ID_FOR_SRP"] = userId,
        });
    }

    /// <summary>
    /// The deterministic fake SRP identity of a name with no user (or a user without a password): USER_ID_FOR_SRP (a UUID,
    /// or the real username), a 16-byte salt and a verifier, all derived from an HMAC of (pool, normalised name) under the
    /// server's code key, so repeated attempts see the same salt and id, and the fake PASSWORD_VERIFIER answer costs the
    /// same 3072-bit exponentiations as a real one.
    /// </summary>
    (string UserId, byte[] Salt, byte[] Verifier) FakeSrpUser(UserPool pool, string? username, string typedName)
    {
        var seed = HMACSHA256.HashData(codeKey.Key, Encoding.UTF8.GetBytes($"srp-fake\n{pool.Id}\n{pool.NormalizeKey(username ?? typedName)}"));
        var userId = username ?? new Guid(seed.AsSpan(0, 16)).ToString("D");
        var salt = seed[16..];
        // Salt and password both derive from the seed, so the verifier is the same on every attempt.
        var verifier = Srp.CreateVerifier(pool.Id, userId, Convert.ToHexString(seed), salt).Verifier;
        return (userId, salt, verifier);
    }

    /// <summary>Counts the fake PASSWORD_VERIFIER answers that ran the full proof check (test hook for the timing-shape test).</summary>
    internal static long FakeProofChecks;

    /// <summary>
    /// PASSWORD_VERIFIER: recovers the SRP state from PASSWORD_CLAIM_SECRET_BLOCK (Session not needed), consumes it
    /// (a replayed block is refused), checks TIMESTAMP (±5 min, Cognito's exact format) and PASSWORD_CLAIM_SIGNATURE in
    /// constant time, then continues like a password sign-in (NEW_PASSWORD_REQUIRED, MFA, tokens).
    /// </summary>
    async ValueTask<AuthOutcome> RespondPasswordVerifierAsync(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> r, string issuer, CancellationToken ct)
    {
        var username = Required(r, "USERNAME");
        var blockBase64 = Required(r, "PASSWORD_CLAIM_SECRET_BLOCK");
        var signature = Required(r, "PASSWORD_CLAIM_SIGNATURE");
        var timestamp = Required(r, "TIMESTAMP");
        r.TryGetValue("SECRET_HASH", out var secretHash);
        var sealedBlock = new byte[blockBase64.Length];
        if (!Convert.TryFromBase64String(blockBase64, sealedBlock, out int length)) throw CognitoErrors.IncorrectUsernameOrPassword();
        sealedBlock = sealedBlock[..length];
        if (!protector.TryUnprotect(sealedBlock, SecretBlockContext, out var plain)) throw CognitoErrors.IncorrectUsernameOrPassword();
        var block = JsonSerializer.Deserialize<SrpSecretBlock>(plain) ?? throw CognitoErrors.IncorrectUsernameOrPassword();
        CryptographicOperations.ZeroMemory(plain);
        if (block.UserPoolId != pool.Id || block.ClientId != client.ClientId) throw CognitoErrors.IncorrectUsernameOrPassword();
        AuthService.CheckSecretHash(client, secretHash, username, block.Username);
        var record = await sessions.TakeAsync(SHA256.HashData(sealedBlock), ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        if (record is null || record.ExpiresAt <= now || DateTimeOffset.FromUnixTimeSeconds(block.ExpiresAt) <= now) throw StaleSession();
        if (!Srp.IsTimestampFresh(timestamp, now, TimestampTolerance)) throw CognitoErrors.IncorrectUsernameOrPassword();
        if (block.Fake)
        {
            // An unknown user (or one without a password): the same work as a real answer (verifier, S, K, signature), then refused.
            var (_, _, fakeVerifier) = FakeSrpUser(pool, null, block.Username);
            try { _ = Srp.VerifyPasswordClaim(pool.Id, block.Username, block.ClientPublic, block.ServerPublic, block.PrivateB, fakeVerifier, sealedBlock, timestamp, signature); }
            catch (CryptographicException) { }
            Interlocked.Increment(ref FakeProofChecks);
            throw CognitoErrors.IncorrectUsernameOrPassword();
        }
        var user = await users.FindAsync(pool, block.Username, ct).ConfigureAwait(false);
        if (user is null || user.Username != block.Username || user.PasswordVerifier is null) throw CognitoErrors.IncorrectUsernameOrPassword();
        if (username != block.Username && (await users.FindAsync(pool, username, ct).ConfigureAwait(false))?.Username != block.Username)
        {
            throw CognitoErrors.IncorrectUsernameOrPassword();
        }
        bool Verify()
        {
            try
            {
                return Srp.VerifyPasswordClaim(pool.Id, block.Username, block.ClientPublic, block.ServerPublic, block.PrivateB, user.PasswordVerifier, sealedBlock, timestamp, signature);
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
        // The same lockout as password sign-in (reference §8.4): failures counted, locked users refused.
        var check = await lockout.CheckPasswordAsync(pool, user, Verify, ct).ConfigureAwait(false);
        if (!check.Passed) throw CognitoErrors.IncorrectUsernameOrPassword();
        return await check.ThenAsync(() =>
        {
            AuthService.ThrowIfCannotSignIn(user); // disabled / RESET_REQUIRED / UNCONFIRMED, now that the password is proven
            return AfterPasswordAsync(pool, client, user, issuer, ct);
        }).ConfigureAwait(false);
    }
}
