using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.Auth;

/// <summary>
/// The answer of InitiateAuth / RespondToAuthChallenge: either tokens, or a challenge with its
/// parameters and an opaque <see cref="Session"/>.
/// </summary>
public sealed record AuthOutcome(AuthenticationResult? Result, string? ChallengeName, string? Session, IReadOnlyDictionary<string, string> ChallengeParameters)
{
    /// <summary>USER_AUTH: the first factors the user may choose from (<c>AvailableChallenges</c>), or null.</summary>
    public IReadOnlyList<string>? AvailableChallenges { get; init; }
}

/// <summary>Where a sign-in comes from: the public API (client checks) or an admin API (SigV4, pool id given).</summary>
public enum AuthCaller
{
    /// <summary>InitiateAuth / RespondToAuthChallenge.</summary>
    Public,
    /// <summary>AdminInitiateAuth / AdminRespondToAuthChallenge.</summary>
    Admin,
}

/// <summary>
/// Cognito's sign-in flows (reference §3): USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH,
/// REFRESH_TOKEN_AUTH / REFRESH_TOKEN, the NEW_PASSWORD_REQUIRED challenge, and RevokeToken. Checks run in
/// Cognito's order: client, flow enabled, SECRET_HASH, user, status, password.
/// </summary>
public sealed class AuthService(UserService users, TokenService tokens, IAuthSessionStore sessions, IRefreshTokenStore refreshTokens, SignInFlows flows, TimeProvider time, LockoutService lockout)
{
    /// <summary>InitiateAuth / AdminInitiateAuth.</summary>
    /// <param name="pool">Pool of the client.</param>
    /// <param name="client">The app client.</param>
    /// <param name="authFlow">The AuthFlow value.</param>
    /// <param name="parameters">AuthParameters.</param>
    /// <param name="caller">Public or admin API.</param>
    /// <param name="issuer">Token issuer for this pool.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">InvalidParameterException, NotAuthorizedException, UserNotFoundException, UserNotConfirmedException, PasswordResetRequiredException, UnsupportedOperationException.</exception>
    public ValueTask<AuthOutcome> InitiateAuthAsync(UserPool pool, AppClient client, string authFlow, IReadOnlyDictionary<string, string> parameters, AuthCaller caller, string issuer, CancellationToken ct = default) =>
        InitiateAuthAsync(pool, client, authFlow, parameters, caller, issuer, null, ct);

    /// <summary>InitiateAuth / AdminInitiateAuth with the request's <c>Session</c> (USER_AUTH after ConfirmSignUp).</summary>
    /// <exception cref="CognitoException">As the overload without a session.</exception>
    public async ValueTask<AuthOutcome> InitiateAuthAsync(UserPool pool, AppClient client, string authFlow, IReadOnlyDictionary<string, string> parameters, AuthCaller caller, string issuer, string? session, CancellationToken ct = default)
    {
        bool adminFlow = authFlow is "ADMIN_USER_PASSWORD_AUTH" or "ADMIN_NO_SRP_AUTH";
        if (caller == AuthCaller.Public && adminFlow) throw CognitoErrors.InvalidParameter("Initiate Auth method not supported.");
        if (caller == AuthCaller.Admin && authFlow == "USER_PASSWORD_AUTH") throw CognitoErrors.InvalidParameter("Initiate Auth method not supported.");
        if (!AppClientService.IsAuthFlowEnabled(client, authFlow))
        {
            throw CognitoErrors.InvalidParameter(authFlow == "USER_PASSWORD_AUTH" ? "USER_PASSWORD_AUTH flow not enabled for this client" : "Auth flow not enabled for this client");
        }
        switch (authFlow)
        {
            case "USER_PASSWORD_AUTH" or "ADMIN_USER_PASSWORD_AUTH" or "ADMIN_NO_SRP_AUTH":
                return await PasswordAuthAsync(pool, client, parameters, issuer, ct).ConfigureAwait(false);
            case "REFRESH_TOKEN_AUTH" or "REFRESH_TOKEN":
                return await RefreshAsync(pool, client, parameters, issuer, ct).ConfigureAwait(false);
            case "USER_SRP_AUTH":
                return await flows.StartSrpAsync(pool, client, parameters, ct).ConfigureAwait(false);
            case "USER_AUTH":
                return await flows.StartUserAuthAsync(pool, client, parameters, session, issuer, ct).ConfigureAwait(false);
            default:
                throw CognitoErrors.UnsupportedOperation($"The {authFlow} flow is not supported by Cognate yet.");
        }
    }

    static string Required(IReadOnlyDictionary<string, string> p, string name) =>
        p.TryGetValue(name, out var v) && v.Length > 0 ? v : throw CognitoErrors.InvalidParameter($"Missing required parameter {name}");

    /// <summary>Checks SECRET_HASH for clients with a secret (computed with the name the caller used, or the internal username).</summary>
    /// <exception cref="CognitoException">NotAuthorizedException.</exception>
    public static void CheckSecretHash(AppClient client, string? secretHash, params string?[] usernames)
    {
        if (client.ClientSecret is null) return;
        if (string.IsNullOrEmpty(secretHash)) throw CognitoErrors.NotAuthorized($"Client {client.ClientId} is configured for secret but secret was not received");
        foreach (var name in usernames)
        {
            if (name is not null && SecretHash.Verify(client.ClientSecret, name, client.ClientId, secretHash)) return;
        }
        throw CognitoErrors.NotAuthorized($"Unable to verify secret hash for client {client.ClientId}");
    }

    async ValueTask<AuthOutcome> PasswordAuthAsync(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> p, string issuer, CancellationToken ct)
    {
        var username = Required(p, "USERNAME");
        var password = Required(p, "PASSWORD");
        p.TryGetValue("SECRET_HASH", out var secretHash);
        CheckSecretHash(client, secretHash, username);
        var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
        bool hide = AppClientService.PreventsUserExistenceErrors(client);
        if (user is null)
        {
            if (!hide) throw CognitoErrors.UserNotFound();
            UserService.CheckPasswordOfUnknownUser(pool, username, password); // the same exponentiation as a real check
            throw CognitoErrors.IncorrectUsernameOrPassword();
        }
        if (!hide) ThrowIfCannotSignIn(user); // LEGACY: Cognito answers these before checking the password
        var check = await lockout.CheckPasswordAsync(pool, user, () => UserService.CheckPassword(pool, user, password), ct).ConfigureAwait(false);
        if (!check.Passed) throw CognitoErrors.IncorrectUsernameOrPassword();
        return await check.ThenAsync(() =>
        {
            ThrowIfCannotSignIn(user); // PreventUserExistenceErrors: only once the password is proven
            return flows.AfterPasswordAsync(pool, client, user, issuer, ct);
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Throws the error for a user who may not sign in: disabled ("User is disabled."), RESET_REQUIRED, UNCONFIRMED.
    /// With <c>PreventUserExistenceErrors=ENABLED</c> callers run it only after the password (or SRP proof) is verified,
    /// so a wrong password for such a user answers "Incorrect username or password." like an unknown user.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException.</exception>
    public static void ThrowIfCannotSignIn(User user)
    {
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        if (user.Status == UserStatus.ResetRequired) throw CognitoErrors.PasswordResetRequired();
        if (user.Status == UserStatus.Unconfirmed) throw CognitoErrors.UserNotConfirmed();
    }

    async ValueTask<AuthOutcome> RefreshAsync(UserPool pool, AppClient client, IReadOnlyDictionary<string, string> p, string issuer, CancellationToken ct)
    {
        var token = Required(p, "REFRESH_TOKEN");
        var record = await refreshTokens.GetAsync(TokenService.HashToken(token), ct).ConfigureAwait(false);
        if (record is null || record.ClientId != client.ClientId || record.UserPoolId != pool.Id) throw CognitoErrors.NotAuthorized("Invalid Refresh Token");
        var user = await users.FindAsync(pool, record.Username, ct).ConfigureAwait(false) ?? throw CognitoErrors.NotAuthorized("Invalid Refresh Token");
        p.TryGetValue("SECRET_HASH", out var secretHash);
        p.TryGetValue("USERNAME", out var username);
        CheckSecretHash(client, secretHash, username, user.Username, user.Get("email"), user.Get("phone_number"), user.Get("preferred_username"));
        if (record.Revoked) throw CognitoErrors.NotAuthorized("Refresh Token has been revoked");
        if (record.ExpiresAt <= time.GetUtcNow()) throw CognitoErrors.NotAuthorized("Refresh Token has expired");
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        var result = await tokens.IssueAsync(pool, client, user, issuer, record.AuthTime, record.OriginJti, issueRefreshToken: false, ct).ConfigureAwait(false);
        return new AuthOutcome(result, null, null, new Dictionary<string, string>());
    }

    static byte[] HashSession(string session) => SHA256.HashData(Encoding.UTF8.GetBytes(session));

    /// <summary>RespondToAuthChallenge / AdminRespondToAuthChallenge.</summary>
    /// <exception cref="CognitoException">NotAuthorizedException ("Invalid session for the user, session is expired."), InvalidParameterException, InvalidPasswordException, UnsupportedOperationException.</exception>
    public async ValueTask<AuthOutcome> RespondToChallengeAsync(UserPool pool, AppClient client, string challengeName, string? session, IReadOnlyDictionary<string, string> responses, string issuer, CancellationToken ct = default)
    {
        if (challengeName != "NEW_PASSWORD_REQUIRED")
        {
            return await flows.RespondAsync(pool, client, challengeName, session, responses, issuer, ct).ConfigureAwait(false);
        }
        if (string.IsNullOrEmpty(session)) throw CognitoErrors.InvalidParameter("Missing required parameter Session");
        var record = await sessions.TakeAsync(HashSession(session), ct).ConfigureAwait(false);
        if (record is null || record.ExpiresAt <= time.GetUtcNow() || record.ClientId != client.ClientId || record.UserPoolId != pool.Id)
        {
            throw CognitoErrors.NotAuthorized("Invalid session for the user, session is expired.");
        }
        try
        {
            if (record.ChallengeName != challengeName) throw CognitoErrors.InvalidParameter("Invalid challenge name for the current session.");
            var username = Required(responses, "USERNAME");
            responses.TryGetValue("SECRET_HASH", out var secretHash);
            var user = await users.FindAsync(pool, username, ct).ConfigureAwait(false);
            if (user is null || user.Username != record.Username) throw CognitoErrors.NotAuthorized("Invalid session for the user.");
            CheckSecretHash(client, secretHash, username, user.Username);
            var newPassword = Required(responses, "NEW_PASSWORD");
            var attributes = responses.Where(r => r.Key.StartsWith("userAttributes.", StringComparison.Ordinal))
                .Select(r => new KeyValuePair<string, string?>(r.Key["userAttributes.".Length..], r.Value)).ToList();
            AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.User, creating: false, client.Config.WriteAttributes);
            var merged = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal);
            foreach (var (k, v) in attributes) if (v is not null) merged[k] = v;
            AttributeRules.RequireSchemaAttributes(pool, merged);
            PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, newPassword);
            // The same rule as UpdateUserAttributes: a changed email / phone_number is unverified, and gets a code when
            // the pool auto-verifies it (an invited user cannot claim someone else's address as verified).
            var changedChannels = new List<string>();
            var updated = await users.UpdateAsync(pool, user.Username, u =>
            {
                UserService.ApplyAttributeWrites(pool, u, attributes, changedChannels);
                users.SetPassword(pool, u, newPassword);
                u.Status = UserStatus.Confirmed;
            }, ct: ct).ConfigureAwait(false);
            await users.SendVerificationCodesAsync(pool, updated, changedChannels, ct).ConfigureAwait(false);
            return await flows.MfaOrTokensAsync(pool, client, updated, issuer, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex) when (ex.Error.Type is "InvalidPasswordException" or "InvalidParameterException")
        {
            await sessions.CreateAsync(record, ct).ConfigureAwait(false); // a correctable mistake keeps the session usable
            throw;
        }
    }

    /// <summary>
    /// RevokeToken: revokes a refresh token and every access/ID token minted from it (same origin_jti).
    /// </summary>
    /// <exception cref="CognitoException">UnsupportedOperationException (revocation disabled), UnsupportedTokenTypeException (a JWT given),
    /// NotAuthorizedException (bad client secret), UnauthorizedException (token of another client).</exception>
    public async ValueTask RevokeTokenAsync(AppClient client, string token, string? clientSecret, CancellationToken ct = default)
    {
        if (client.ClientSecret is not null)
        {
            if (string.IsNullOrEmpty(clientSecret) || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(clientSecret), Encoding.UTF8.GetBytes(client.ClientSecret)))
            {
                throw CognitoErrors.NotAuthorized($"Unable to verify secret for client {client.ClientId}");
            }
        }
        if (client.Config.EnableTokenRevocation == false) throw CognitoErrors.UnsupportedOperation("Token revocation is not enabled for this app client.");
        if (TokenService.LooksLikeJws(token)) throw CognitoErrors.UnsupportedTokenType("The token provided is not a refresh token.");
        var hash = TokenService.HashToken(token);
        var record = await refreshTokens.GetAsync(hash, ct).ConfigureAwait(false);
        if (record is null) return; // RFC 7009 §2.2: an invalid token is not an error
        if (record.ClientId != client.ClientId) throw CognitoErrors.Unauthorized("The token was not issued to this client.");
        await refreshTokens.RevokeAsync(hash, ct).ConfigureAwait(false);
    }
}
