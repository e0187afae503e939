using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Triggers;

namespace Cognate.Core.Users;

/// <summary>
/// Just-in-time user migration (AWS guide "Importing users with a user migration Lambda trigger"): when a name the pool does not
/// know signs in with a password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH's PASSWORD) or asks for a password
/// reset, the pool's UserMigration function is asked for the user; its answer is validated and the user is created in one write,
/// with the typed password, so the same call can go on to sign the user in (or send the reset code).
/// </summary>
/// <remarks>
/// The trigger runs with no database transaction open and nothing is written until its answer is valid: a failed trigger leaves
/// no user. Two first sign-ins of the same user at once both ask the function; the database lets one create the user and the other
/// signs in that user. A pool without the trigger costs one LambdaConfig lookup.
/// Not sent: the welcome message a migrated user gets unless <c>messageAction</c> is SUPPRESS (README "Deviations").
/// </remarks>
public sealed class UserMigrationService(UserPoolTriggers triggers, UserService users, MfaService mfa)
{
    /// <summary>True when the pool has a UserMigration function.</summary>
    public static bool Enabled(UserPool pool) => UserPoolTriggers.Has(pool, TriggerNames.UserMigration);

    /// <summary>UserMigration_Authentication for <paramref name="typedName"/> with the typed <paramref name="password"/>.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="client">The app client signing in.</param>
    /// <param name="typedName">The username as typed.</param>
    /// <param name="password">The typed password (becomes the user's password, not checked against the policy).</param>
    /// <param name="clientMetadata">The InitiateAuth / AdminInitiateAuth ClientMetadata (the event's <c>validationData</c>).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The migrated user (or the one a concurrent sign-in migrated), or null when the pool has no UserMigration trigger.</returns>
    /// <exception cref="CognitoException">The trigger's errors (<see cref="UserPoolTriggers.UserMigrationAsync"/>); UserNotFoundException
    /// "Attributes did not conform to the schema: …" for attributes the pool does not accept; AliasExistsException.</exception>
    public ValueTask<User?> OnSignInAsync(UserPool pool, AppClient client, string typedName, string password, IReadOnlyDictionary<string, string>? clientMetadata,
        CancellationToken ct = default) =>
        MigrateAsync(pool, client, UserPoolTriggers.UserMigrationAuthenticationSource, typedName, password, clientMetadata, null, ct);

    /// <summary>UserMigration_ForgotPassword for <paramref name="typedName"/>: the user is created RESET_REQUIRED without a password.</summary>
    /// <returns>The migrated user, or null when the pool has no UserMigration trigger.</returns>
    /// <exception cref="CognitoException">As <see cref="OnSignInAsync"/>.</exception>
    public ValueTask<User?> OnForgotPasswordAsync(UserPool pool, AppClient client, string typedName, IReadOnlyDictionary<string, string>? clientMetadata,
        CancellationToken ct = default) =>
        MigrateAsync(pool, client, UserPoolTriggers.UserMigrationForgotPasswordSource, typedName, null, null, clientMetadata ?? new Dictionary<string, string>(), ct);

    async ValueTask<User?> MigrateAsync(UserPool pool, AppClient client, string source, string typedName, string? password,
        IReadOnlyDictionary<string, string>? validationData, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        var answer = await triggers.UserMigrationAsync(pool, source, client.ClientId, typedName, password, validationData, clientMetadata, ct).ConfigureAwait(false);
        if (answer is null) return null;
        var attributes = answer.Attributes.Where(a => a.Key != "cognito:user_status").ToList(); // the handler may echo it back
        try
        {
            AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.Admin, creating: true);
        }
        catch (CognitoException ex) when (ex.Error.Type == "InvalidParameterException")
        {
            // re:Post "cognito-migration-lambda-trigger-errors": UserNotFoundException "Attributes did not conform to the schema: …".
            throw new CognitoException(new CognitoError("UserNotFoundException", ex.Error.Message));
        }
        var created = await users.CreateMigratedAsync(pool, typedName, attributes, password, answer.FinalUserStatus, answer.ForceAliasCreation, ct).ConfigureAwait(false);
        if (created is null) return await users.FindAsync(pool, typedName, ct).ConfigureAwait(false); // a concurrent sign-in migrated it
        if (answer.EnableSmsMfa) await mfa.UpdateAsync(pool, created, m => m.SmsEnabled = true, ct).ConfigureAwait(false);
        return created;
    }
}
