using System.Text.Json.Nodes;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>The <c>triggerSource</c> values of the PostConfirmation trigger (AWS guide "Post confirmation Lambda trigger").</summary>
public static class PostConfirmationSources
{
    /// <summary>ConfirmSignUp, AdminConfirmSignUp, and SignUp when PreSignUp auto-confirmed the user.</summary>
    public const string ConfirmSignUp = "PostConfirmation_ConfirmSignUp";
    /// <summary>ConfirmForgotPassword.</summary>
    public const string ConfirmForgotPassword = "PostConfirmation_ConfirmForgotPassword";
}

public sealed partial class UserPoolTriggers
{
    /// <summary>
    /// Runs the pool's PostConfirmation function for <paramref name="user"/> as stored after the confirmation (its attributes and
    /// <c>cognito:user_status</c> in <c>request.userAttributes</c>, the caller's <c>clientMetadata</c>). Nothing in the answer is
    /// read. A pool without the trigger returns at once.
    /// </summary>
    /// <remarks>
    /// Callers invoke it after the confirmation is written and outside any transaction: Cognito calls this function "after a
    /// signed-up user confirms", "just after Amazon Cognito confirms a new user", so a failing function makes the action answer the
    /// error while the confirmation (or the new password) stands.
    /// </remarks>
    /// <exception cref="Errors.CognitoException">UserLambdaValidationException "PostConfirmation failed with error {message}.",
    /// InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask PostConfirmationAsync(UserPool pool, string triggerSource, User user, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Has(pool, TriggerNames.PostConfirmation)) return;
        var request = new JsonObject { ["userAttributes"] = AttributesOf(pool, user) };
        var ev = CallerEvent(pool, triggerSource, user.Username, request);
        await InvokeAsync(pool, TriggerNames.PostConfirmation, ev, ct).ConfigureAwait(false);
    }
}
