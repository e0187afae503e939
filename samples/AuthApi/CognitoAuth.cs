using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Microsoft.Extensions.Options;

namespace Cognate.Samples.AuthApi;

/// <summary>A failure to show the caller: an HTTP status and a message with no internals.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// The Cognito user-pool calls of the API (through <see cref="CognitoIdentityProviderClient"/>, unsigned public actions), with SECRET_HASH
/// (HMAC-SHA256 of username + client id under the client secret, base64; reference §5) when a secret is configured. Cognito errors become
/// <see cref="ApiException"/>s with a sensible status; only the error type is logged, never tokens, passwords or codes.
/// </summary>
public sealed partial class CognitoAuth(CognitoIdentityProviderClient client, IOptions<CognitoSettings> settings, ILogger<CognitoAuth> logger)
{
    readonly CognitoSettings s = settings.Value;

    public Task<JsonObject> SignUpAsync(string email, string? password, string? name, CancellationToken ct)
    {
        var attributes = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email });
        if (!string.IsNullOrEmpty(name)) attributes.Add(new JsonObject { ["Name"] = "name", ["Value"] = name });
        var request = new JsonObject { ["ClientId"] = s.ClientId, ["Username"] = email, ["UserAttributes"] = attributes };
        if (password is not null) request["Password"] = password;
        return CallAsync("SignUp", WithSecretHash(request, "SecretHash", email), "Unable to process registration", ct);
    }

    public Task<JsonObject> ConfirmSignUpAsync(string email, string code, CancellationToken ct) =>
        CallAsync("ConfirmSignUp", WithSecretHash(new JsonObject { ["ClientId"] = s.ClientId, ["Username"] = email, ["ConfirmationCode"] = code }, "SecretHash", email),
            "Unable to confirm account", ct);

    public Task<JsonObject> PasswordAuthAsync(string email, string password, CancellationToken ct) =>
        CallAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["ClientId"] = s.ClientId,
            ["AuthParameters"] = WithSecretHash(new JsonObject { ["USERNAME"] = email, ["PASSWORD"] = password }, "SECRET_HASH", email),
        }, "Incorrect email or password", ct);

    public Task<JsonObject> RefreshAsync(string refreshToken, string? username, CancellationToken ct)
    {
        var p = new JsonObject { ["REFRESH_TOKEN"] = refreshToken };
        if (!string.IsNullOrEmpty(s.ClientSecret))
        {
            if (string.IsNullOrEmpty(username)) throw new ApiException(400, "email is required to refresh tokens of a client with a secret");
            p["SECRET_HASH"] = SecretHash(username);
        }
        return CallAsync("InitiateAuth", new JsonObject { ["AuthFlow"] = "REFRESH_TOKEN_AUTH", ["ClientId"] = s.ClientId, ["AuthParameters"] = p }, "Invalid refresh token", ct);
    }

    /// <summary>USER_AUTH with EMAIL_OTP preferred (passwordless; Cognito's "choice-based authentication").</summary>
    public Task<JsonObject> StartEmailOtpAsync(string email, CancellationToken ct) =>
        CallAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_AUTH",
            ["ClientId"] = s.ClientId,
            ["AuthParameters"] = WithSecretHash(new JsonObject { ["USERNAME"] = email, ["PREFERRED_CHALLENGE"] = "EMAIL_OTP" }, "SECRET_HASH", email),
        }, "Unable to start sign-in", ct);

    public Task<JsonObject> AnswerEmailOtpAsync(string username, string otp, string session, CancellationToken ct) =>
        CallAsync("RespondToAuthChallenge", new JsonObject
        {
            ["ChallengeName"] = "EMAIL_OTP",
            ["ClientId"] = s.ClientId,
            ["Session"] = session,
            ["ChallengeResponses"] = WithSecretHash(new JsonObject { ["USERNAME"] = username, ["EMAIL_OTP_CODE"] = otp }, "SECRET_HASH", username),
        }, "Invalid code or session", ct);

    public Task<JsonObject> GetUserAsync(string accessToken, CancellationToken ct) =>
        CallAsync("GetUser", new JsonObject { ["AccessToken"] = accessToken }, "Invalid access token", ct);

    public Task<JsonObject> GlobalSignOutAsync(string accessToken, CancellationToken ct) =>
        CallAsync("GlobalSignOut", new JsonObject { ["AccessToken"] = accessToken }, "Invalid access token", ct);

    JsonObject WithSecretHash(JsonObject o, string member, string username)
    {
        if (!string.IsNullOrEmpty(s.ClientSecret)) o[member] = SecretHash(username);
        return o;
    }

    string SecretHash(string username) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(s.ClientSecret!), Encoding.UTF8.GetBytes(username + s.ClientId)));

    async Task<JsonObject> CallAsync(string action, JsonObject request, string unauthorizedMessage, CancellationToken ct)
    {
        try
        {
            return await client.InvokeAsync(action, request, ct);
        }
        catch (CognitoServiceException e)
        {
            LogCognitoError(logger, action, e.ErrorType, e.StatusCode);
            throw Map(e.ErrorType, unauthorizedMessage);
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, action, e.GetType().Name);
            throw new ApiException(503, "Authentication service unavailable");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            LogUnreachable(logger, action, "Timeout");
            throw new ApiException(503, "Authentication service unavailable");
        }
    }

    /// <summary>Cognito error type → what the caller may know.</summary>
    internal static ApiException Map(string errorType, string unauthorizedMessage) => errorType switch
    {
        "UsernameExistsException" or "AliasExistsException" => new(409, "An account with this email already exists"),
        "InvalidPasswordException" => new(400, "Password does not meet the password policy"),
        "InvalidParameterException" => new(400, "Invalid request"),
        "CodeMismatchException" => new(400, "Invalid verification code"),
        "ExpiredCodeException" => new(400, "Verification code has expired"),
        "UserNotConfirmedException" => new(403, "Account is not confirmed"),
        "PasswordResetRequiredException" => new(403, "Password reset required"),
        "NotAuthorizedException" or "UserNotFoundException" => new(401, unauthorizedMessage),
        "TooManyRequestsException" or "LimitExceededException" or "TooManyFailedAttemptsException" => new(429, "Too many requests, try again later"),
        "CodeDeliveryFailureException" => new(502, "Could not deliver the verification code"),
        _ => new(503, "Authentication service unavailable"),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cognito {Action} failed with {ErrorType} ({StatusCode})")]
    static partial void LogCognitoError(ILogger logger, string action, string errorType, int statusCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cognito {Action} unreachable: {Reason}")]
    static partial void LogUnreachable(ILogger logger, string action, string reason);
}
