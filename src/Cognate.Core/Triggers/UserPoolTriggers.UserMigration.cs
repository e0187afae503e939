using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>
/// The validated answer of a UserMigration function (AWS guide "Migrate user Lambda trigger", response parameters).
/// </summary>
/// <param name="Attributes">The <c>userAttributes</c> to store (strings; validated against the schema by the caller).</param>
/// <param name="FinalUserStatus"><c>CONFIRMED</c> (also when unset) or <c>RESET_REQUIRED</c>; always RESET_REQUIRED for ForgotPassword.</param>
/// <param name="MessageAction"><c>SUPPRESS</c> or null.</param>
/// <param name="DesiredDeliveryMediums"><c>EMAIL</c> / <c>SMS</c> values, or null.</param>
/// <param name="ForceAliasCreation">Move an email / phone alias another user holds to the migrated user.</param>
/// <param name="EnableSmsMfa">Turn SMS MFA on for the migrated user.</param>
public sealed record UserMigrationAnswer(IReadOnlyList<KeyValuePair<string, string?>> Attributes, string FinalUserStatus, string? MessageAction,
    IReadOnlyList<string>? DesiredDeliveryMediums, bool ForceAliasCreation, bool EnableSmsMfa);

public sealed partial class UserPoolTriggers
{
    /// <summary>triggerSource of a migration at sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH).</summary>
    public const string UserMigrationAuthenticationSource = "UserMigration_Authentication";
    /// <summary>triggerSource of a migration in ForgotPassword.</summary>
    public const string UserMigrationForgotPasswordSource = "UserMigration_ForgotPassword";

    /// <summary>
    /// UserMigration: asks the pool's function for a user the pool does not have. Request (AWS guide "Migrate user Lambda
    /// trigger"): <c>password</c> (sign-in only), <c>validationData</c> (the InitiateAuth / AdminInitiateAuth ClientMetadata, as the
    /// API reference says), <c>clientMetadata</c> (ForgotPassword's ClientMetadata); the envelope's <c>userName</c> is what the user
    /// typed. The answer is validated here, before anything is written.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="triggerSource"><see cref="UserMigrationAuthenticationSource"/> or <see cref="UserMigrationForgotPasswordSource"/>.</param>
    /// <param name="clientId">The app client.</param>
    /// <param name="typedName">The username the user typed.</param>
    /// <param name="password">The typed password (sign-in), or null (ForgotPassword: the field is absent).</param>
    /// <param name="validationData">Sign-in: the call's ClientMetadata (the field is always present, possibly empty); ForgotPassword: null (absent).</param>
    /// <param name="clientMetadata">ForgotPassword: its ClientMetadata (present, possibly empty); sign-in: null (absent).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The validated answer, or null when the pool has no UserMigration trigger.</returns>
    /// <exception cref="CognitoException">
    /// UserLambdaValidationException "UserMigration failed with error {message}." (the function threw: the user is unknown to the
    /// legacy store too, or the password is wrong), UnexpectedLambdaException, InvalidLambdaResponseException (the answer is not an
    /// event, or <c>userAttributes</c> is not a map of strings), UserNotFoundException "Exception migrating user in app client {id}"
    /// (no <c>userAttributes</c> returned) and "Invalid finalUserStatus" / "Invalid messageAction" / "Invalid desiredDeliveryMediums"
    /// (re:Post knowledge-center "cognito-migration-lambda-trigger-errors": these are UserNotFoundException; the exact wording is unconfirmed).
    /// </exception>
    public async ValueTask<UserMigrationAnswer?> UserMigrationAsync(UserPool pool, string triggerSource, string clientId, string typedName, string? password,
        IReadOnlyDictionary<string, string>? validationData, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Has(pool, TriggerNames.UserMigration)) return null;
        var request = new JsonObject();
        if (password is not null) request["password"] = password;
        if (validationData is not null || triggerSource == UserMigrationAuthenticationSource) request["validationData"] = TriggerEvent.Map(validationData);
        if (clientMetadata is not null || triggerSource == UserMigrationForgotPasswordSource) request["clientMetadata"] = TriggerEvent.Map(clientMetadata);
        var evt = TriggerEvent.Create(pool, triggerSource, typedName, clientId, request);
        var response = await InvokeAsync(pool, TriggerNames.UserMigration, evt, ct).ConfigureAwait(false);
        return response is null ? null : ReadMigrationAnswer(response, triggerSource, clientId);
    }

    /// <summary>Validates a UserMigration <c>response</c> (see <see cref="UserMigrationAsync"/> for the errors).</summary>
    internal static UserMigrationAnswer ReadMigrationAnswer(JsonObject response, string triggerSource, string clientId)
    {
        var attributes = new List<KeyValuePair<string, string?>>();
        switch (response["userAttributes"])
        {
            case null:
                throw new CognitoException(new CognitoError("UserNotFoundException", $"Exception migrating user in app client {clientId}"));
            case JsonObject map:
                foreach (var (name, value) in map)
                {
                    if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) throw Invalid();
                    attributes.Add(new(name, v.GetValue<string>()));
                }
                break;
            default:
                throw Invalid();
        }
        if (attributes.Count == 0) throw new CognitoException(new CognitoError("UserNotFoundException", $"Exception migrating user in app client {clientId}"));
        var status = OptionalString(response, "finalUserStatus", "Invalid finalUserStatus") ?? UserStatus.Confirmed;
        if (status is not (UserStatus.Confirmed or UserStatus.ResetRequired)) throw Refused("Invalid finalUserStatus");
        if (triggerSource == UserMigrationForgotPasswordSource) status = UserStatus.ResetRequired; // no password to keep
        var action = OptionalString(response, "messageAction", "Invalid messageAction");
        if (action is not (null or "SUPPRESS")) throw Refused("Invalid messageAction");
        List<string>? mediums = null;
        switch (response["desiredDeliveryMediums"])
        {
            case null:
                break;
            case JsonArray array:
                mediums = [];
                foreach (var item in array)
                {
                    if (item is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() is not ("EMAIL" or "SMS"))
                    {
                        throw Refused("Invalid desiredDeliveryMediums");
                    }
                    mediums.Add(v.GetValue<string>());
                }
                break;
            default:
                throw Refused("Invalid desiredDeliveryMediums");
        }
        return new UserMigrationAnswer(attributes, status, action, mediums, OptionalBool(response, "forceAliasCreation"), OptionalBool(response, "enableSMSMFA"));
    }

    static string? OptionalString(JsonObject response, string name, string error) => response[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw Refused(error),
    };

    /// <summary>A boolean field: JSON true/false, or the strings "true"/"false" (the guide's text quotes it as a string).</summary>
    static bool OptionalBool(JsonObject response, string name) => response[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "true" or "false" => v.GetValue<string>() == "true",
        _ => throw Invalid(),
    };

    static CognitoException Invalid() => CognitoErrors.InvalidLambdaResponse($"Invalid lambda response from {TriggerNames.UserMigration}.");

    static CognitoException Refused(string message) => new(new CognitoError("UserNotFoundException", message));
}
