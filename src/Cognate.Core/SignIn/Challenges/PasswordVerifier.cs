using System.Security.Cryptography;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>
/// PASSWORD_VERIFIER: the SRP proof after USER_SRP_AUTH (or USER_AUTH's PASSWORD_SRP). Response: USERNAME,
/// PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP (Cognito's exact format, ±5 min), SECRET_HASH when the
/// client has a secret. No Session: the state is the SECRET_BLOCK, single use, taken before the proof is checked, so every
/// failure after that needs a new USER_SRP_AUTH. Errors: NotAuthorizedException "Incorrect username or password." (bad block,
/// another client's block, stale timestamp, wrong proof, fake user), "Invalid session for the user, session is expired."
/// (replayed or expired block), the lockout's "Password attempts exceeded"; then as after a correct password
/// (<see cref="AfterFirstFactor"/>), or — for the SRP step of CUSTOM_AUTH (<c>CHALLENGE_NAME: SRP_A</c>, marked in the
/// SECRET_BLOCK) — back to DefineAuthChallenge (<see cref="CustomChallengeLoop.AfterPasswordVerifierAsync"/>).
/// </summary>
/// <remarks>A DEVICE_KEY that is not one of the user's devices (pool with DeviceConfiguration) fails with ResourceNotFoundException
/// "Device does not exist." BEFORE the SECRET_BLOCK is taken: amazon-cognito-identity-js then retries the same answer with
/// <c>DEVICE_KEY: null</c> and the same SECRET_BLOCK.</remarks>
public sealed class PasswordVerifier(SrpExchange srp, UserService users, PasswordProof proof, AfterFirstFactor afterFirstFactor, TimeProvider time,
    CustomChallengeLoop? customAuth = null, Devices.DeviceService? devices = null) : IChallenge
{
    /// <summary>Allowed difference between the client's TIMESTAMP and the server clock.</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    /// <inheritdoc/>
    public string Name => ChallengeNames.PasswordVerifier;

    /// <inheritdoc/>
    public bool NeedsSession => false;

    /// <inheritdoc/>
    public async ValueTask<StepResult> RespondAsync(SignInRequest request, SignInState? state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var name in (string[])[AuthParameters.Username, AuthParameters.PasswordClaimSecretBlock, AuthParameters.PasswordClaimSignature, AuthParameters.Timestamp])
        {
            if (request.Get(name) is null) return new StepResult.Fail(SignInRequest.Missing(name));
        }
        var username = request.Get(AuthParameters.Username)!;
        var signature = request.Get(AuthParameters.PasswordClaimSignature)!;
        var timestamp = request.Get(AuthParameters.Timestamp)!;
        var (pool, client) = (request.Pool, request.Client);
        if (srp.Open(request.Get(AuthParameters.PasswordClaimSecretBlock)!) is not { } opened) return Incorrect();
        var (block, sealedBlock) = opened;
        if (block.UserPoolId != pool.Id || block.ClientId != client.ClientId) return Incorrect();
        if (UserLookup.SecretHashError(client, request.Raw(AuthParameters.SecretHash), username, block.Username) is { } hashError) return new StepResult.Fail(hashError);
        if (devices is not null && !block.Fake && Devices.DeviceService.Tracks(pool) && request.Get(Devices.DeviceNames.DeviceKey) is { } deviceKey
            && await devices.FindAsync(pool, block.Username, deviceKey, ct).ConfigureAwait(false) is null)
        {
            return StepResult.Failed(Devices.DeviceService.NotFound()); // the block is not taken: the retry without DEVICE_KEY may use it
        }
        if (!await srp.TakeAsync(block, sealedBlock, ct).ConfigureAwait(false)) return new StepResult.Fail(SignInEngine.StaleSession);
        if (!Srp.IsTimestampFresh(timestamp, time.GetUtcNow(), TimestampTolerance)) return Incorrect();
        if (block.Fake)
        {
            // An unknown user (or one without a password): the same work as a real answer (verifier, S, K, signature), then refused.
            var (_, _, fakeVerifier) = srp.FakeUser(pool, null, block.Username);
            try { _ = Srp.VerifyPasswordClaim(pool.Id, block.Username, block.ClientPublic, block.ServerPublic, block.PrivateB, fakeVerifier, sealedBlock, timestamp, signature); }
            catch (CryptographicException) { }
            Interlocked.Increment(ref SrpExchange.FakeProofChecks);
            return Incorrect();
        }
        var user = await users.FindAsync(pool, block.Username, ct).ConfigureAwait(false);
        if (user is null || user.Username != block.Username || user.PasswordVerifier is null) return Incorrect();
        if (username != block.Username && (await users.FindAsync(pool, username, ct).ConfigureAwait(false))?.Username != block.Username) return Incorrect();
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
        return await proof.CheckAsync(request, user, Verify, next =>
            // disabled / RESET_REQUIRED / UNCONFIRMED, now that the password is proven
            UserLookup.CannotSignIn(user) is { } refused ? ValueTask.FromResult<StepResult>(new StepResult.Fail(refused))
                : block.CustomAuth ? CustomAuthNextAsync(next, user, ct)
                : afterFirstFactor.NextAsync(next, user, ct), ct).ConfigureAwait(false);
    }

    ValueTask<StepResult> CustomAuthNextAsync(SignInRequest request, User user, CancellationToken ct) =>
        customAuth?.AfterPasswordVerifierAsync(request, user, ct) ?? throw CustomChallengeLoop.NotConfigured();

    static StepResult.Fail Incorrect() => StepResult.Failed(CognitoErrors.IncorrectUsernameOrPassword());
}
