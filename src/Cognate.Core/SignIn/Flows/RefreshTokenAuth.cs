using Cognate.Core.Errors;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Flows;

/// <summary>
/// REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and ID tokens for a refresh token (no new refresh token; the same
/// <c>origin_jti</c> and <c>auth_time</c>). AuthParameters: REFRESH_TOKEN, SECRET_HASH (accepted for USERNAME, the
/// internal username, email, phone_number or preferred_username). Errors, all NotAuthorizedException: "Invalid Refresh
/// Token" (unknown, another client's or pool's, user gone), the SECRET_HASH errors, "Refresh Token has been revoked",
/// "Refresh Token has expired", "User is disabled.".
/// </summary>
public sealed class RefreshTokenAuth(UserService users, TokenService tokens, IRefreshTokenStore refreshTokens, TimeProvider time) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.RefreshTokenAuth, AuthFlows.RefreshToken];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.RefreshToken) is not { } token) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.RefreshToken));
        var (pool, client) = (request.Pool, request.Client);
        var record = await refreshTokens.GetAsync(TokenService.HashToken(token), ct).ConfigureAwait(false);
        if (record is null || record.ClientId != client.ClientId || record.UserPoolId != pool.Id) return Invalid();
        var user = await users.FindAsync(pool, record.Username, ct).ConfigureAwait(false);
        if (user is null) return Invalid();
        if (UserLookup.SecretHashError(client, request.Raw(AuthParameters.SecretHash), request.Raw(AuthParameters.Username), user.Username, user.Get("email"), user.Get("phone_number"), user.Get("preferred_username")) is { } hashError)
        {
            return new StepResult.Fail(hashError);
        }
        if (record.Revoked) return StepResult.Failed(CognitoErrors.NotAuthorized("Refresh Token has been revoked"));
        if (record.ExpiresAt <= time.GetUtcNow()) return StepResult.Failed(CognitoErrors.NotAuthorized("Refresh Token has expired"));
        if (!user.Enabled) return StepResult.Failed(CognitoErrors.NotAuthorized("User is disabled."));
        var result = await tokens.IssueAsync(pool, client, user, request.Issuer, record.AuthTime, record.OriginJti, issueRefreshToken: false,
            RefreshGeneration, ct).ConfigureAwait(false);
        return new StepResult.SignedIn(user, record.AuthTime, result);
    }

    // No ClientMetadata: InitiateAuth's is not given to pre token generation (API reference, InitiateAuth).
    static readonly Triggers.TokenGeneration RefreshGeneration = new(Triggers.TokenGenerationSources.RefreshTokens);

    static StepResult.Fail Invalid() => StepResult.Failed(CognitoErrors.NotAuthorized("Invalid Refresh Token"));
}
