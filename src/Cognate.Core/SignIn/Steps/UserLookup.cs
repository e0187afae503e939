using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Users;

namespace Cognate.Core.SignIn.Steps;

/// <summary>
/// Who is signing in, and whether they may: SECRET_HASH, and the user states that refuse a sign-in. The order of the
/// checks is the user-existence policy: with PreventUserExistenceErrors LEGACY a flow answers UserNotFound, a disabled,
/// RESET_REQUIRED or UNCONFIRMED user before the password is checked; with ENABLED an unknown user looks like a wrong
/// password and a user's state is told only once the password (or SRP proof) is proven (issue 12).
/// </summary>
public static class UserLookup
{
    /// <summary>True when the client hides user existence (PreventUserExistenceErrors = ENABLED).</summary>
    public static bool HidesExistence(SignInRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AppClientService.PreventsUserExistenceErrors(request.Client);
    }

    /// <summary>
    /// The error for a user who may not sign in, or null: disabled (NotAuthorizedException "User is disabled."),
    /// RESET_REQUIRED (PasswordResetRequiredException), UNCONFIRMED (UserNotConfirmedException).
    /// </summary>
    public static CognitoError? CannotSignIn(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.Enabled) return CognitoErrors.NotAuthorized("User is disabled.").Error;
        if (user.Status == UserStatus.ResetRequired) return CognitoErrors.PasswordResetRequired().Error;
        if (user.Status == UserStatus.Unconfirmed) return CognitoErrors.UserNotConfirmed().Error;
        return null;
    }

    /// <summary>
    /// SECRET_HASH for a client with a secret: HMAC-SHA256(secret, username + clientId), accepted for any of
    /// <paramref name="usernames"/> (the name the caller typed, the internal username, …); null when it verifies or the client
    /// has no secret. Errors: NotAuthorizedException "Client {id} is configured for secret but secret was not received" /
    /// "Unable to verify secret hash for client {id}".
    /// </summary>
    public static CognitoError? SecretHashError(AppClient client, string? secretHash, params string?[] usernames)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(usernames);
        if (client.ClientSecret is null) return null;
        if (string.IsNullOrEmpty(secretHash)) return CognitoErrors.NotAuthorized($"Client {client.ClientId} is configured for secret but secret was not received").Error;
        // Any current secret of the client (two during a rotation, AddUserPoolClientSecret); each check is constant-time.
        bool match = false;
        foreach (var secret in client.Secrets)
        {
            foreach (var name in usernames)
            {
                if (name is not null) match |= SecretHash.Verify(secret.Value, name, client.ClientId, secretHash);
            }
        }
        if (match) return null;
        return CognitoErrors.NotAuthorized($"Unable to verify secret hash for client {client.ClientId}").Error;
    }

    /// <summary>As <see cref="SecretHashError"/>, throwing (for the actions outside sign-in: ForgotPassword, SignUp, …).</summary>
    /// <exception cref="CognitoException">NotAuthorizedException.</exception>
    public static void CheckSecretHash(AppClient client, string? secretHash, params string?[] usernames)
    {
        if (SecretHashError(client, secretHash, usernames) is { } error) throw error.ToException();
    }
}
