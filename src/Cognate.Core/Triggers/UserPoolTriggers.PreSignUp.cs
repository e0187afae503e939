using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>The <c>triggerSource</c> values of the PreSignUp trigger (AWS guide "Pre sign-up Lambda trigger").</summary>
public static class PreSignUpSources
{
    /// <summary>SignUp (and the managed-login sign-up page).</summary>
    public const string SignUp = "PreSignUp_SignUp";
    /// <summary>AdminCreateUser (not for MessageAction=RESEND).</summary>
    public const string AdminCreateUser = "PreSignUp_AdminCreateUser";
    /// <summary>First sign-in of a federated user (<see cref="Federation.FederatedUserService"/>); the answer's flags do not
    /// change a federated user (its status is EXTERNAL_PROVIDER and its verified flags come from the attribute mapping).</summary>
    public const string ExternalProvider = "PreSignUp_ExternalProvider";
}

/// <summary>
/// What a PreSignUp function decided (its <c>response</c>, validated): Cognito's <c>autoConfirmUser</c>, <c>autoVerifyEmail</c>,
/// <c>autoVerifyPhone</c>. For <see cref="PreSignUpSources.AdminCreateUser"/> all three are false: Cognito ignores them there.
/// </summary>
public sealed record PreSignUpResult(bool AutoConfirmUser, bool AutoVerifyEmail, bool AutoVerifyPhone)
{
    /// <summary>Nothing to change: the answer of a pool without the trigger, and of every AdminCreateUser.</summary>
    public static readonly PreSignUpResult None = new(false, false, false);
}

public sealed partial class UserPoolTriggers
{
    /// <summary>
    /// Runs the pool's PreSignUp function for a user about to be created (not yet written), with
    /// <c>request { userAttributes, validationData, clientMetadata }</c> and the response pre-filled with three <c>false</c>s,
    /// as Cognito sends it. Returns <see cref="PreSignUpResult.None"/> when the pool has no PreSignUp trigger.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="triggerSource">One of <see cref="PreSignUpSources"/>.</param>
    /// <param name="user">The unsaved user: its internal username is the event's <c>userName</c>; its attributes (without
    /// <c>sub</c>, which Cognito has not assigned yet at this point) are <c>request.userAttributes</c>.</param>
    /// <param name="validationData">SignUp / AdminCreateUser <c>ValidationData</c> as a map, or null (sent as JSON null).</param>
    /// <param name="ct">Cancellation.</param>
    /// <remarks>
    /// Validation of the answer (before anything is written): each flag must be a boolean (a JSON boolean or the strings
    /// "true"/"false", which Cognito's own syntax block shows) or absent/null; <c>autoVerifyEmail</c> needs a non-empty
    /// <c>email</c>, <c>autoVerifyPhone</c> a non-empty <c>phone_number</c> (guide: "otherwise an error will occur and the user will not
    /// be able to complete sign-up"); and auto-verification needs <c>autoConfirmUser</c> (Cognito's observed answer "Phone or
    /// email cannot be auto verified, when user is not being auto confirmed."). Each violation is InvalidLambdaResponseException.
    /// For AdminCreateUser the flags are ignored, as the guide says, so only a function error fails the call.
    /// </remarks>
    /// <exception cref="CognitoException">UserLambdaValidationException "PreSignUp failed with error {message}.",
    /// InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask<PreSignUpResult> PreSignUpAsync(UserPool pool, string triggerSource, User user,
        IReadOnlyDictionary<string, string>? validationData, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        if (!Has(pool, TriggerNames.PreSignUp)) return PreSignUpResult.None;

        var attributes = new JsonObject();
        foreach (var (k, v) in user.Attributes)
        {
            if (k != "sub") attributes[k] = v;
        }
        var request = new JsonObject
        {
            ["userAttributes"] = attributes,
            ["validationData"] = validationData is null ? null : TriggerEvent.Map(validationData),
        };
        var ev = CallerEvent(pool, triggerSource, user.Username, request);
        ev["response"] = new JsonObject { ["autoConfirmUser"] = false, ["autoVerifyEmail"] = false, ["autoVerifyPhone"] = false };

        var response = await InvokeAsync(pool, TriggerNames.PreSignUp, ev, ct).ConfigureAwait(false) ?? [];
        if (triggerSource == PreSignUpSources.AdminCreateUser) return PreSignUpResult.None;

        var result = new PreSignUpResult(
            Flag(response, "autoConfirmUser", TriggerNames.PreSignUp),
            Flag(response, "autoVerifyEmail", TriggerNames.PreSignUp),
            Flag(response, "autoVerifyPhone", TriggerNames.PreSignUp));
        if (result.AutoVerifyEmail && user.Get("email") is not { Length: > 0 })
        {
            throw CognitoErrors.InvalidLambdaResponse("Email cannot be auto verified, when the email attribute is not present.");
        }
        if (result.AutoVerifyPhone && user.Get("phone_number") is not { Length: > 0 })
        {
            throw CognitoErrors.InvalidLambdaResponse("Phone number cannot be auto verified, when the phone_number attribute is not present.");
        }
        if ((result.AutoVerifyEmail || result.AutoVerifyPhone) && !result.AutoConfirmUser)
        {
            throw CognitoErrors.InvalidLambdaResponse("Phone or email cannot be auto verified, when user is not being auto confirmed.");
        }
        return result;
    }

    /// <summary>
    /// The envelope for the current <see cref="TriggerCaller"/> (its client id and SDK) with <paramref name="request"/>, plus
    /// <c>request.clientMetadata</c> when the caller sent some (Cognito leaves the key out otherwise).
    /// </summary>
    internal static JsonObject CallerEvent(UserPool pool, string triggerSource, string userName, JsonObject request, bool withClientMetadata = true)
    {
        var caller = TriggerCaller.Current;
        if (withClientMetadata && caller?.ClientMetadata is { Count: > 0 } metadata) request["clientMetadata"] = TriggerEvent.Map(metadata);
        return TriggerEvent.Create(pool, triggerSource, userName, caller?.ClientId, request, "1", caller?.AwsSdkVersion);
    }

    /// <summary>
    /// <c>request.userAttributes</c> of a stored user: every attribute, <c>cognito:user_status</c>, and the alias markers
    /// <c>cognito:email_alias</c> / <c>cognito:phone_number_alias</c> for a verified email / phone number the pool uses as an alias
    /// (the shape of events captured from Cognito; aws-lambda-go testdata).
    /// </summary>
    public static JsonObject AttributesOf(UserPool pool, User user)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(user);
        var o = TriggerEvent.UserAttributes(user.Attributes, user.Status);
        foreach (var alias in (string[])["email", "phone_number"])
        {
            if (pool.IsAliasAttribute(alias) && user.IsVerified(alias) && user.Get(alias) is { Length: > 0 } value) o["cognito:" + alias + "_alias"] = value;
        }
        return o;
    }

    /// <summary>A boolean member of a trigger's response: JSON true/false, "true"/"false", or absent/null (false).</summary>
    /// <exception cref="CognitoException">InvalidLambdaResponseException for any other value.</exception>
    internal static bool Flag(JsonObject response, string name, string trigger)
    {
        var node = response[name];
        if (node is null) return false;
        if (node is JsonValue v)
        {
            if (v.TryGetValue<bool>(out var b)) return b;
            if (v.TryGetValue<string>(out var s))
            {
                if (string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)) return true;
                if (string.Equals(s, "false", StringComparison.OrdinalIgnoreCase)) return false;
            }
        }
        throw CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {trigger}: {name} must be a boolean.");
    }
}
