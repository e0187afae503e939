using Cognate.Core.Clients;
using Cognate.Core.Devices;
using Cognate.Core.Errors;
using Cognate.Core.OAuth;
using Cognate.Core.Pools;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Flows;

/// <summary>What to redeem a refresh token for (<see cref="RefreshTokenAuth.RedeemAsync"/>).</summary>
/// <param name="Pool">The client's pool.</param>
/// <param name="Client">The client the token must belong to.</param>
/// <param name="RefreshToken">The presented refresh token.</param>
/// <param name="Issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
public sealed record RefreshRedemption(UserPool Pool, AppClient Client, string RefreshToken, string Issuer)
{
    /// <summary>A check of the token's user before the token's state (REFRESH_TOKEN_AUTH's SECRET_HASH), or null.</summary>
    public Func<User, CognitoError?>? CheckUser { get; init; }

    /// <summary>Rotate the token (a new refresh token replaces it; <see cref="RefreshTokenRotation"/>).</summary>
    public bool Rotate { get; init; }

    /// <summary>Mint hosted-flow tokens with the OAuth scopes of a hosted-flow refresh token (the refresh_token grant); false: API tokens.</summary>
    public bool KeepOAuthScopes { get; init; }

    /// <summary>The request's DEVICE_KEY (REFRESH_TOKEN_AUTH's AuthParameters, GetTokensFromRefreshToken's DeviceKey), or null.
    /// A token bound to a device (<see cref="RefreshTokenRecord.DeviceKey"/>) refreshes only with that key.</summary>
    public string? DeviceKey { get; init; }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"RefreshRedemption {{ Pool = {Pool.Id}, Client = {Client.ClientId}, Rotate = {Rotate} }}";
}

/// <summary>The answer of <see cref="RefreshTokenAuth.RedeemAsync"/>: the user and tokens, or a Cognito error.</summary>
/// <param name="User">The token's user (null on error).</param>
/// <param name="AuthTime">The family's authentication time (unchanged by refresh).</param>
/// <param name="Tokens">Access, ID (null for hosted-flow tokens without <c>openid</c>) and, when rotating, the new refresh token.</param>
/// <param name="Error">The error, or null.</param>
public sealed record RefreshOutcome(User? User, DateTimeOffset AuthTime, TokenResponse? Tokens, CognitoError? Error)
{
    internal static RefreshOutcome Fail(CognitoException ex) => new(null, default, null, ex.Error);
    internal static RefreshOutcome Fail(CognitoError error) => new(null, default, null, error);
}

/// <summary>
/// REFRESH_TOKEN_AUTH / REFRESH_TOKEN: new access and ID tokens for a refresh token (no new refresh token; the same
/// <c>origin_jti</c> and <c>auth_time</c>). AuthParameters: REFRESH_TOKEN, SECRET_HASH (accepted for USERNAME, the
/// internal username, email, phone_number or preferred_username). Errors, all NotAuthorizedException: "Invalid Refresh
/// Token" (unknown, another client's or pool's, user gone), the SECRET_HASH errors, "Refresh Token has been revoked",
/// "Refresh Token has expired", "User is disabled."; RefreshTokenReuseException for a token rotated past its grace period.
/// Not available on a client with refresh-token rotation (<see cref="AppClientService.IsAuthFlowEnabled"/>).
/// Devices: a refresh token issued to a sign-in with device tracking is bound to its device; it refreshes only with
/// AuthParameters DEVICE_KEY naming that device, confirmed (ConfirmDevice) and not forgotten — otherwise NotAuthorizedException
/// "Invalid Refresh Token", as Cognito (AWS knowledge center, "Invalid Refresh Token" error: device key missing, device not confirmed).
/// The same checks serve GetTokensFromRefreshToken (<see cref="GetTokensAsync"/>) and the <c>/oauth2/token</c> refresh_token
/// grant (<see cref="RedeemAsync"/>), which rotate on a rotating client.
/// </summary>
public sealed class RefreshTokenAuth(UserService users, TokenService tokens, IRefreshTokenStore refreshTokens, TimeProvider time, Sessions.ISessionStore? sessions = null, DeviceService? devices = null) : ISignInFlow
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Names { get; } = [AuthFlows.RefreshTokenAuth, AuthFlows.RefreshToken];

    /// <inheritdoc/>
    public async ValueTask<StepResult> StartAsync(SignInRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Get(AuthParameters.RefreshToken) is not { } token) return new StepResult.Fail(SignInRequest.Missing(AuthParameters.RefreshToken));
        var client = request.Client;
        var outcome = await RedeemAsync(new RefreshRedemption(request.Pool, client, token, request.Issuer)
        {
            CheckUser = user => UserLookup.SecretHashError(client, request.Raw(AuthParameters.SecretHash), request.Raw(AuthParameters.Username),
                user.Username, user.Get("email"), user.Get("phone_number"), user.Get("preferred_username")),
            DeviceKey = request.Get(DeviceNames.DeviceKey),
        }, ct).ConfigureAwait(false);
        if (outcome.Error is { } error) return new StepResult.Fail(error);
        var t = outcome.Tokens!;
        return new StepResult.SignedIn(outcome.User!, outcome.AuthTime, new AuthenticationResult(t.AccessToken, t.ExpiresIn, "Bearer", t.RefreshToken, t.IdToken!));
    }

    /// <summary>
    /// GetTokensFromRefreshToken: the client's secret (sent in clear, not as SECRET_HASH) when it has one, then the checks of
    /// REFRESH_TOKEN_AUTH; on a rotating client the answer carries a new refresh token (<see cref="RefreshTokenRotation"/>).
    /// </summary>
    /// <param name="pool">The client's pool.</param>
    /// <param name="client">The client named by ClientId.</param>
    /// <param name="refreshToken">RefreshToken.</param>
    /// <param name="clientSecret">ClientSecret, or null.</param>
    /// <param name="issuer">Full issuer, <c>{base}/{poolId}</c>.</param>
    /// <param name="deviceKey">DeviceKey, or null (required for a token bound to a device).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>Tokens, or NotAuthorizedException ("Unable to verify secret for client {id}", "Invalid Refresh Token",
    /// "Refresh Token has been revoked", "Refresh Token has expired", "User is disabled."), RefreshTokenReuseException,
    /// InvalidParameterException "Auth flow not enabled for this client" (a non-rotating client without ALLOW_REFRESH_TOKEN_AUTH).</returns>
    public async ValueTask<RefreshOutcome> GetTokensAsync(UserPool pool, AppClient client, string refreshToken, string? clientSecret, string issuer, string? deviceKey = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.ClientSecret is not null && (clientSecret is null || !ClientAuthentication.MatchesAnySecret(client, clientSecret)))
        {
            return RefreshOutcome.Fail(CognitoErrors.NotAuthorized($"Unable to verify secret for client {client.ClientId}"));
        }
        if (!AppClientService.CanRefresh(client)) return RefreshOutcome.Fail(CognitoErrors.InvalidParameter("Auth flow not enabled for this client"));
        return await RedeemAsync(new RefreshRedemption(pool, client, refreshToken, issuer) { Rotate = RefreshTokenRotation.IsEnabled(client), DeviceKey = deviceKey }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The checks every refresh shares, in Cognito's order: the token must exist and belong to the client and pool, its user
    /// must exist ("Invalid Refresh Token"), <see cref="RefreshRedemption.CheckUser"/> must pass, the token must not be revoked,
    /// rotated past its grace period (RefreshTokenReuseException) or expired, the user must be enabled. Then new ID and access
    /// tokens with the token's <c>auth_time</c>: with the same <c>origin_jti</c>, or, when <see cref="RefreshRedemption.Rotate"/>,
    /// with a new refresh token of the same family and expiry.
    /// </summary>
    public async ValueTask<RefreshOutcome> RedeemAsync(RefreshRedemption redemption, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        var (pool, client) = (redemption.Pool, redemption.Client);
        var record = await refreshTokens.GetAsync(TokenService.HashToken(redemption.RefreshToken), ct).ConfigureAwait(false);
        if (record is null || record.ClientId != client.ClientId || record.UserPoolId != pool.Id) return Invalid();
        var user = await users.FindAsync(pool, record.Username, ct).ConfigureAwait(false);
        if (user is null) return Invalid();
        if (redemption.CheckUser?.Invoke(user) is { } userError) return RefreshOutcome.Fail(userError);
        if (record.DeviceKey is { } bound && !await DeviceAllowsAsync(pool, user, bound, redemption.DeviceKey, ct).ConfigureAwait(false)) return Invalid();
        var now = time.GetUtcNow();
        if (record.Revoked) return Revoked();
        if (RefreshTokenRotation.IsReused(record, client, now)) return RefreshOutcome.Fail(CognitoErrors.RefreshTokenReuse());
        if (record.ExpiresAt <= now) return RefreshOutcome.Fail(CognitoErrors.NotAuthorized("Refresh Token has expired"));
        if (!user.Enabled) return RefreshOutcome.Fail(CognitoErrors.NotAuthorized("User is disabled."));

        var oauth = redemption.KeepOAuthScopes && record.OAuthScopes is { } scopes ? new OAuthTokenClaims(scopes, null) : null;
        TokenResponse issued;
        try
        {
            if (redemption.Rotate)
            {
                var rotated = await tokens.IssueRotatedAsync(pool, client, user, redemption.Issuer, record, oauth, RefreshGeneration, ct).ConfigureAwait(false);
                if (rotated is null)
                {
                    // Lost a race: a concurrent request revoked the family or rotated the token with no grace period left.
                    var now2 = await refreshTokens.GetAsync(record.TokenHash, ct).ConfigureAwait(false);
                    return now2 is null || now2.Revoked ? Revoked() : RefreshOutcome.Fail(CognitoErrors.RefreshTokenReuse());
                }
                issued = rotated;
            }
            else if (oauth is not null)
            {
                issued = await tokens.IssueOAuthAsync(pool, client, user, redemption.Issuer, record.AuthTime, oauth, record.OriginJti, issueRefreshToken: false, RefreshGeneration, ct: ct).ConfigureAwait(false);
            }
            else
            {
                var r = await tokens.IssueAsync(pool, client, user, redemption.Issuer, record.AuthTime, record.OriginJti, issueRefreshToken: false, RefreshGeneration, ct: ct).ConfigureAwait(false);
                issued = new TokenResponse(r.AccessToken, r.IdToken, null, r.ExpiresIn);
            }
        }
        catch (CognitoException e)
        {
            return RefreshOutcome.Fail(e); // the PreTokenGeneration function failed: nothing was stored or rotated
        }
        // The session's LastActiveDate, LastIPAddress and DeviceType (a rotation stamps replaced_at and writes them on the new row).
        if (!redemption.Rotate && sessions is not null)
        {
            var caller = Sessions.SessionClient.Current;
            await sessions.TouchAsync(record.TokenHash, now, caller?.RecordedIp, caller?.DeviceType, ct).ConfigureAwait(false);
        }
        return new RefreshOutcome(user, record.AuthTime, issued, null);
    }

    // No ClientMetadata: InitiateAuth's is not given to pre token generation (API reference, InitiateAuth).
    static readonly Triggers.TokenGeneration RefreshGeneration = new(Triggers.TokenGenerationSources.RefreshTokens);

    /// <summary>True when <paramref name="presented"/> is the key <paramref name="bound"/> of a device of the user that is still
    /// there and confirmed (the pool may have stopped tracking devices since: the binding still holds).</summary>
    async ValueTask<bool> DeviceAllowsAsync(UserPool pool, User user, string bound, string? presented, CancellationToken ct)
    {
        if (presented is null || !string.Equals(bound, presented, StringComparison.Ordinal)) return false;
        if (devices is null) return true;
        var device = await devices.FindAsync(pool, user.Username, presented, ct).ConfigureAwait(false);
        return device is { Confirmed: true };
    }

    static RefreshOutcome Invalid() => RefreshOutcome.Fail(CognitoErrors.NotAuthorized("Invalid Refresh Token"));
    static RefreshOutcome Revoked() => RefreshOutcome.Fail(CognitoErrors.NotAuthorized("Refresh Token has been revoked"));
}
