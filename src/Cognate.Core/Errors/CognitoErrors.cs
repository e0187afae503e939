namespace Cognate.Core.Errors;

/// <summary>
/// Factories for the Cognito errors Cognate returns, named after their AWS <c>__type</c> and using
/// the message texts observed from the real service (reference §8.6). Each returns an exception
/// ready to throw: <c>throw CognitoErrors.UserNotFound();</c>.
/// </summary>
public static class CognitoErrors
{
    static CognitoException E(string type, string message, int status = 400) => new(new CognitoError(type, message, status));

    /// <summary><c>DuplicateProviderException</c> with <paramref name="message"/> (CreateIdentityProvider: the name, or an IdpIdentifier, is taken).</summary>
    public static CognitoException DuplicateProvider(string message) => E("DuplicateProviderException", message);

    /// <summary><c>InvalidParameterException</c> with <paramref name="message"/>.</summary>
    public static CognitoException InvalidParameter(string message) => E("InvalidParameterException", message);
    /// <summary><c>NotAuthorizedException</c> with <paramref name="message"/>.</summary>
    public static CognitoException NotAuthorized(string message) => E("NotAuthorizedException", message);
    /// <summary><c>NotAuthorizedException</c> "Incorrect username or password."</summary>
    public static CognitoException IncorrectUsernameOrPassword() => NotAuthorized("Incorrect username or password.");
    /// <summary><c>ResourceNotFoundException</c> with <paramref name="message"/>.</summary>
    public static CognitoException ResourceNotFound(string message) => E("ResourceNotFoundException", message);
    /// <summary><c>ResourceNotFoundException</c> "User pool {id} does not exist."</summary>
    public static CognitoException UserPoolNotFound(string userPoolId) => ResourceNotFound($"User pool {userPoolId} does not exist.");
    /// <summary><c>ResourceNotFoundException</c> "User pool client {id} does not exist."</summary>
    public static CognitoException ClientNotFound(string clientId) => ResourceNotFound($"User pool client {clientId} does not exist.");
    /// <summary><c>UserNotFoundException</c> "User does not exist."</summary>
    public static CognitoException UserNotFound() => E("UserNotFoundException", "User does not exist.");
    /// <summary>
    /// <c>UserNotFoundException</c> "Username/client id combination not found.": what ForgotPassword and ResendConfirmationCode
    /// answer for a name the client's pool does not know (with PreventUserExistenceErrors off).
    /// </summary>
    public static CognitoException UserNotFoundForClient() => E("UserNotFoundException", "Username/client id combination not found.");
    /// <summary><c>NotAuthorizedException</c> "User is disabled."</summary>
    public static CognitoException UserDisabled() => E("NotAuthorizedException", "User is disabled.");
    /// <summary><c>PreconditionNotMetException</c> with <paramref name="message"/> (StartUserImportJob / StopUserImportJob in the wrong job status).</summary>
    public static CognitoException PreconditionNotMet(string message) => E("PreconditionNotMetException", message);
    /// <summary><c>UserImportInProgressException</c> with <paramref name="message"/> (DeleteUserPool, UpdateUserPool, AddCustomAttributes while an import job runs).</summary>
    public static CognitoException UserImportInProgress(string message) => E("UserImportInProgressException", message);
    /// <summary><c>OperationNotEnabledException</c> with <paramref name="message"/> (an operation a replica's Region does not offer).</summary>
    public static CognitoException OperationNotEnabled(string message) => E("OperationNotEnabledException", message);
    /// <summary><c>ServiceQuotaExceededException</c> with <paramref name="message"/>.</summary>
    public static CognitoException ServiceQuotaExceeded(string message) => E("ServiceQuotaExceededException", message);
    /// <summary><c>UsernameExistsException</c> with <paramref name="message"/>.</summary>
    public static CognitoException UsernameExists(string message = "User already exists") => E("UsernameExistsException", message);
    /// <summary><c>AliasExistsException</c> with <paramref name="message"/>.</summary>
    public static CognitoException AliasExists(string message) => E("AliasExistsException", message);
    /// <summary><c>UserNotConfirmedException</c> "User is not confirmed."</summary>
    public static CognitoException UserNotConfirmed() => E("UserNotConfirmedException", "User is not confirmed.");
    /// <summary><c>PasswordResetRequiredException</c> "Password reset required for the user".</summary>
    public static CognitoException PasswordResetRequired() => E("PasswordResetRequiredException", "Password reset required for the user");
    /// <summary><c>InvalidPasswordException</c> with <paramref name="message"/>.</summary>
    public static CognitoException InvalidPassword(string message) => E("InvalidPasswordException", message);
    /// <summary><c>CodeMismatchException</c> "Invalid verification code provided, please try again."</summary>
    public static CognitoException CodeMismatch() => E("CodeMismatchException", "Invalid verification code provided, please try again.");
    /// <summary><c>ExpiredCodeException</c> "Invalid code provided, please request a code again."</summary>
    public static CognitoException ExpiredCode() => E("ExpiredCodeException", "Invalid code provided, please request a code again.");
    /// <summary><c>LimitExceededException</c> "Attempt limit exceeded, please try after some time."</summary>
    public static CognitoException AttemptLimitExceeded() => E("LimitExceededException", "Attempt limit exceeded, please try after some time.");
    /// <summary><c>LimitExceededException</c> with <paramref name="message"/>.</summary>
    public static CognitoException LimitExceeded(string message) => E("LimitExceededException", message);
    /// <summary><c>TooManyFailedAttemptsException</c> with <paramref name="message"/>.</summary>
    public static CognitoException TooManyFailedAttempts(string message) => E("TooManyFailedAttemptsException", message);
    /// <summary><c>UnsupportedOperationException</c> with <paramref name="message"/>.</summary>
    public static CognitoException UnsupportedOperation(string message) => E("UnsupportedOperationException", message);
    /// <summary>
    /// <c>RefreshTokenReuseException</c> "Refresh token has been reused.": a refresh token that refresh-token rotation replaced,
    /// presented after the client's RetryGracePeriodSeconds (GetTokensFromRefreshToken). The type is Cognito's (botocore model,
    /// API reference); the message text is ours (Cognito's is not documented).
    /// </summary>
    public static CognitoException RefreshTokenReuse() => E("RefreshTokenReuseException", "Refresh token has been reused.");
    /// <summary><c>UnsupportedTokenTypeException</c> with <paramref name="message"/>.</summary>
    public static CognitoException UnsupportedTokenType(string message) => E("UnsupportedTokenTypeException", message);
    /// <summary><c>UnauthorizedException</c> with <paramref name="message"/>.</summary>
    public static CognitoException Unauthorized(string message) => E("UnauthorizedException", message);
    /// <summary><c>InvalidUserPoolConfigurationException</c> with <paramref name="message"/>.</summary>
    public static CognitoException InvalidUserPoolConfiguration(string message) => E("InvalidUserPoolConfigurationException", message);
    /// <summary><c>InvalidOAuthFlowException</c> with <paramref name="message"/>.</summary>
    public static CognitoException InvalidOAuthFlow(string message) => E("InvalidOAuthFlowException", message);
    /// <summary><c>ScopeDoesNotExistException</c> with <paramref name="message"/>.</summary>
    public static CognitoException ScopeDoesNotExist(string message) => E("ScopeDoesNotExistException", message);
    /// <summary><c>ConcurrentModificationException</c> with <paramref name="message"/>.</summary>
    public static CognitoException ConcurrentModification(string message = "The update could not be applied because another request changed the same resource. Retry the request.") => E("ConcurrentModificationException", message);
    /// <summary><c>TooManyRequestsException</c> "Rate exceeded": a request-rate quota is exhausted (reference §11.2; the SDKs retry it).</summary>
    public static CognitoException TooManyRequests() => E("TooManyRequestsException", "Rate exceeded");
    /// <summary><c>CodeDeliveryFailureException</c> with <paramref name="message"/>.</summary>
    public static CognitoException CodeDeliveryFailure(string message) => E("CodeDeliveryFailureException", message);
    /// <summary><c>UserLambdaValidationException</c> "{Trigger} failed with error {message}.": the trigger's function returned an
    /// error (reference §10.1; on the hosted pages it becomes <c>error=access_denied</c> on the callback).</summary>
    public static CognitoException UserLambdaValidation(string trigger, string message) => E("UserLambdaValidationException", $"{trigger} failed with error {message}.");
    /// <summary><c>InvalidLambdaResponseException</c>: the trigger's answer is not a valid event or sets invalid values.</summary>
    public static CognitoException InvalidLambdaResponse(string message) => E("InvalidLambdaResponseException", message);
    /// <summary><c>UnexpectedLambdaException</c>: the function could not be invoked (unreachable, timed out after every attempt).</summary>
    public static CognitoException UnexpectedLambda(string message) => E("UnexpectedLambdaException", message);
    /// <summary><c>InternalErrorException</c> (HTTP 500) with a generic message.</summary>
    public static CognitoException InternalError() => E("InternalErrorException", "An internal error occurred.", 500);

    /// <summary>
    /// AWS request validation failure (<c>InvalidParameterException</c>) in the service's phrasing:
    /// "1 validation error detected: Value at 'field' failed to satisfy constraint: ...".
    /// </summary>
    public static CognitoException Validation(params string[] failures) =>
        InvalidParameter($"{failures.Length} validation error{(failures.Length == 1 ? "" : "s")} detected: {string.Join("; ", failures)}");

    /// <summary>"Value null at '{field}' failed to satisfy constraint: Member must not be null".</summary>
    public static CognitoException RequiredMember(string field) => Validation($"Value null at '{field}' failed to satisfy constraint: Member must not be null");
}
