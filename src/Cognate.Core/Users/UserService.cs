using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Triggers;

namespace Cognate.Core.Users;

/// <summary>Result of SignUp: Cognito's <c>UserConfirmed</c>, <c>UserSub</c> and <c>CodeDeliveryDetails</c>.</summary>
public sealed record SignUpResult(bool UserConfirmed, string UserSub, CodeDeliveryDetails? CodeDeliveryDetails);

/// <summary>
/// Users of a pool: lookup by username or alias, creation (SignUp, AdminCreateUser), confirmation,
/// codes, attributes, passwords (stored only as Cognito's SRP salt + verifier) and deletion. All writes
/// go through optimistic concurrency with a bounded retry, and uniqueness is enforced by the store.
/// </summary>
/// <remarks>
/// Lambda triggers (<paramref name="triggers"/>; none in unit tests that pass null): PreSignUp runs before a new user is written
/// and its answer is validated first, so a failing function leaves no user; PostConfirmation runs after a confirmation is written.
/// No trigger is ever invoked inside a store transaction: every store call here is a single statement or its own short
/// transaction, awaited before the next trigger call.
/// </remarks>
public sealed class UserService(IUserStore users, IRefreshTokenStore refreshTokens, CodeService codes, MessageService messages, TimeProvider time,
    UserPoolTriggers? triggers = null)
{
    const int MaxWriteAttempts = 5;

    /// <summary>Finds a user by internal username or any sign-in alias of the pool; null if none.</summary>
    public async ValueTask<User?> FindAsync(UserPool pool, string name, CancellationToken ct = default)
    {
        var key = pool.NormalizeKey(name);
        foreach (var kind in UserIdentifiers.LookupKinds(pool))
        {
            var user = await users.FindByIdentifierAsync(pool.Id, kind, key, ct).ConfigureAwait(false);
            if (user is not null) return user;
        }
        return null;
    }

    /// <summary>Finds a user or throws <c>UserNotFoundException</c> "User does not exist.".</summary>
    /// <exception cref="CognitoException">UserNotFoundException.</exception>
    public async ValueTask<User> GetAsync(UserPool pool, string name, CancellationToken ct = default) =>
        await FindAsync(pool, name, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserNotFound();

    /// <summary>
    /// Re-reads the user, applies <paramref name="mutate"/> and writes it back with its identifiers, retrying on a
    /// concurrent change. <paramref name="mutate"/> may throw a Cognito error to abort.
    /// </summary>
    /// <exception cref="CognitoException">UserNotFoundException; AliasExistsException (with <paramref name="aliasConflictMessage"/>) when an identifier is taken; ConcurrentModificationException after repeated conflicts.</exception>
    public ValueTask<User> UpdateAsync(UserPool pool, string username, Action<User> mutate, string? aliasConflictMessage = null, CancellationToken ct = default) =>
        UpdateCoreAsync(pool, username, mutate, aliasConflictMessage, moveAliases: false, ct);

    /// <summary>
    /// <see cref="UpdateAsync"/> and revocation of every refresh token of the user (and the access tokens minted from them):
    /// one transaction when the store offers <see cref="IUserTokenRevokingStore"/> (the SQL stores do); otherwise the update
    /// then the revocation, which a retry of the whole call repeats harmlessly.
    /// </summary>
    /// <exception cref="CognitoException">As <see cref="UpdateAsync"/>.</exception>
    public async ValueTask<User> UpdateAndRevokeTokensAsync(UserPool pool, string username, Action<User> mutate, CancellationToken ct = default)
    {
        var user = await UpdateCoreAsync(pool, username, mutate, null, moveAliases: false, ct, revokeTokens: true).ConfigureAwait(false);
        if (users is not IUserTokenRevokingStore) await refreshTokens.RevokeAllForUserAsync(pool.Id, username, ct).ConfigureAwait(false);
        return user;
    }

    /// <summary>
    /// <see cref="UpdateAsync"/>; with <paramref name="moveAliases"/> a verified email / phone alias held by another user
    /// moves to this user (the other user's attribute becomes unverified), as Cognito does for the user who verifies last.
    /// </summary>
    async ValueTask<User> UpdateCoreAsync(UserPool pool, string username, Action<User> mutate, string? aliasConflictMessage, bool moveAliases, CancellationToken ct, bool revokeTokens = false)
    {
        var revoking = revokeTokens ? users as IUserTokenRevokingStore : null;
        bool released = false;
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var user = await users.GetAsync(pool.Id, username, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserNotFound();
            mutate(user);
            user.ModifiedAt = time.GetUtcNow();
            var identifiers = UserIdentifiers.For(pool, user);
            var result = revoking is not null
                ? await revoking.UpdateAndRevokeTokensAsync(user, identifiers, ct).ConfigureAwait(false)
                : await users.UpdateAsync(user, identifiers, ct).ConfigureAwait(false);
            switch (result)
            {
                case UserWriteResult.Ok: return user;
                case UserWriteResult.IdentifierTaken:
                    if (moveAliases && !released)
                    {
                        released = true;
                        if (await ReleaseAliasesAsync(pool, user, ct).ConfigureAwait(false)) continue;
                    }
                    throw CognitoErrors.AliasExists(aliasConflictMessage ?? (pool.Config.UsernameAttributes is { Count: > 0 } ? "An account with the given email already exists." : "An account with the email already exists."));
            }
        }
        throw CognitoErrors.ConcurrentModification();
    }

    /// <summary>
    /// SignUp (Cognito action): validates username, attributes and password against the pool, creates an
    /// UNCONFIRMED user with a new <c>sub</c>, and sends a confirmation code to the auto-verified attribute.
    /// Concurrent sign-ups of one username give exactly one user (the database decides).
    /// </summary>
    /// <remarks>
    /// With a PreSignUp trigger (PreSignUp_SignUp, <paramref name="validationData"/> as <c>request.validationData</c>), run once the
    /// request is valid and before the user is written: <c>autoConfirmUser</c> creates the user CONFIRMED and sends no code
    /// (<c>UserConfirmed</c> true), <c>autoVerifyEmail</c> / <c>autoVerifyPhone</c> mark the attribute verified (an email or phone
    /// alias another user holds moves to the new user, as the guide describes). An auto-confirmed user then goes through the
    /// PostConfirmation trigger (PostConfirmation_ConfirmSignUp; the guide lists SignUp among the actions whose ClientMetadata
    /// reaches it); if that function fails, SignUp answers its error and the confirmed user stays, as after ConfirmSignUp.
    /// </remarks>
    /// <exception cref="CognitoException">NotAuthorizedException, InvalidParameterException, InvalidPasswordException, UsernameExistsException,
    /// CodeDeliveryFailureException and LimitExceededException (the code could not be sent: the new user is deleted again);
    /// the triggers' UserLambdaValidationException, InvalidLambdaResponseException, UnexpectedLambdaException (PreSignUp and
    /// CustomMessage failures leave no user).</exception>
    public async ValueTask<SignUpResult> SignUpAsync(UserPool pool, AppClient client, string username, string? password, IReadOnlyList<KeyValuePair<string, string?>> attributes,
        IReadOnlyDictionary<string, string>? validationData = null, CancellationToken ct = default)
    {
        attributes = AttributeRules.Canonical(attributes);
        if (pool.Config.AdminCreateUserConfig?.AllowAdminCreateUserOnly == true)
        {
            throw CognitoErrors.NotAuthorized("SignUp is not permitted for this user pool");
        }
        AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.User, creating: true, client.Config.WriteAttributes);
        var user = NewUser(pool, username, attributes, UserStatus.Unconfirmed);
        AttributeRules.RequireSchemaAttributes(pool, user.Attributes);
        if (!string.IsNullOrEmpty(password) || !SignIn.Steps.FirstFactor.AllowsPasswordless(pool))
        {
            PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, password ?? "", PasswordPolicyValidator.SignUpPrefix);
            SetPassword(pool, user, password!);
        } // else a passwordless user: signs in with EMAIL_OTP / SMS_OTP (pool SignInPolicy allows it)

        var pre = triggers is null ? PreSignUpResult.None
            : await triggers.PreSignUpAsync(pool, PreSignUpSources.SignUp, user, validationData, ct).ConfigureAwait(false);
        if (pre.AutoConfirmUser) user.Status = UserStatus.Confirmed;
        if (pre.AutoVerifyEmail) user.Attributes["email_verified"] = "true";
        if (pre.AutoVerifyPhone) user.Attributes["phone_number_verified"] = "true";

        var created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
        if (created != UserWriteResult.Ok && (pre.AutoVerifyEmail || pre.AutoVerifyPhone)
            && await users.FindByIdentifierAsync(pool.Id, UserIdentifiers.Username, pool.NormalizeKey(user.Username), ct).ConfigureAwait(false) is null
            && await ReleaseAliasesAsync(pool, user, ct).ConfigureAwait(false))
        {
            created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
        }
        if (created != UserWriteResult.Ok)
        {
            throw CognitoErrors.UsernameExists(pool.Config.UsernameAttributes is { Count: > 0 } && !username.Equals(user.Username, StringComparison.Ordinal)
                ? (AttributeRules.LooksLikeEmail(username) ? "An account with the given email already exists." : "An account with the given phone_number already exists.")
                : "User already exists");
        }
        if (pre.AutoConfirmUser)
        {
            if (triggers is not null) await triggers.PostConfirmationAsync(pool, PostConfirmationSources.ConfirmSignUp, user, ct).ConfigureAwait(false);
            return new SignUpResult(true, user.Sub, null);
        }
        var channel = MessageService.SignUpChannel(pool, user);
        CodeDeliveryDetails? details = null;
        if (channel is not null)
        {
            try
            {
                var code = await codes.IssueAsync(pool.Id, user.Username, CodePurpose.SignUp, ct).ConfigureAwait(false);
                details = await messages.SendCodeAsync(pool, user, channel, code, CustomMessageSources.SignUp, ct).ConfigureAwait(false);
            }
            catch (CognitoException)
            {
                // The code could not be sent (CodeDeliveryFailureException, a delivery budget's LimitExceededException): the
                // sign-up did not happen, so it leaves no UNCONFIRMED user behind — the SDKs retry LimitExceededException, and
                // a retry must not meet UsernameExistsException for a user nobody could ever confirm.
                await users.DeleteAsync(pool.Id, user.Username, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        return new SignUpResult(false, user.Sub, details);
    }

    /// <summary>
    /// Builds a new (unsaved) user: in pools with UsernameAttributes the sign-in name must be an email or phone
    /// number, is copied into that attribute, and the internal username becomes the <c>sub</c>; in pools with
    /// AliasAttributes the username must not look like an enabled alias type.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public User NewUser(UserPool pool, string signInName, IEnumerable<KeyValuePair<string, string?>> attributes, string status)
    {
        var now = time.GetUtcNow();
        var sub = Ids.IdGenerator.NewUuid();
        var user = new User { UserPoolId = pool.Id, Username = signInName, Sub = sub, Status = status, CreatedAt = now, ModifiedAt = now };
        foreach (var (name, value) in attributes)
        {
            if (value is not null) user.Attributes[name] = value;
        }
        var usernameAttributes = pool.Config.UsernameAttributes ?? [];
        if (usernameAttributes.Count > 0)
        {
            bool email = usernameAttributes.Contains("email") && AttributeRules.LooksLikeEmail(signInName);
            bool phone = usernameAttributes.Contains("phone_number") && AttributeRules.LooksLikePhone(signInName);
            if (!email && !phone)
            {
                throw CognitoErrors.InvalidParameter(usernameAttributes.Count == 2 ? "Username should be either an email or a phone number."
                    : usernameAttributes[0] == "email" ? "Username should be an email." : "Username should be a phone number.");
            }
            user.Attributes[email ? "email" : "phone_number"] = signInName;
            user.Username = sub;
        }
        else
        {
            var aliases = pool.Config.AliasAttributes ?? [];
            if (aliases.Contains("email") && AttributeRules.LooksLikeEmail(signInName))
                throw CognitoErrors.InvalidParameter("Username cannot be of email format, since user pool is configured for email alias.");
            if (aliases.Contains("phone_number") && AttributeRules.LooksLikePhone(signInName))
                throw CognitoErrors.InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone_number alias.");
        }
        user.Attributes["sub"] = sub;
        return user;
    }

    /// <summary>Replaces the user's SRP salt and verifier for <paramref name="password"/> (the password itself is never stored).</summary>
    public void SetPassword(UserPool pool, User user, string password)
    {
        var v = Srp.CreateVerifier(pool.Id, user.Username, password);
        user.PasswordSalt = v.Salt;
        user.PasswordVerifier = v.Verifier;
        user.PasswordSetAt = time.GetUtcNow();
    }

    /// <summary>
    /// True when <paramref name="password"/> matches the user's stored verifier (constant-time compare). A user without a
    /// password costs the same 3072-bit exponentiation against a decoy verifier, so timing does not tell the two apart.
    /// </summary>
    public static bool CheckPassword(UserPool pool, User user, string password)
    {
        if (user.PasswordSalt is null || user.PasswordVerifier is null) return CheckPasswordOfUnknownUser(pool, user.Username, password);
        return Srp.VerifyPassword(pool.Id, user.Username, password, user.PasswordSalt, user.PasswordVerifier);
    }

    static readonly Lazy<SrpVerifier> Decoy = new(() => Srp.CreateVerifier("us-east-1_CognateDecoy", "decoy", Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));

    /// <summary>
    /// The work of <see cref="CheckPassword"/> for a user that does not exist (PreventUserExistenceErrors): one
    /// verifier computation and a constant-time compare against a decoy nobody knows the password of. Always false.
    /// </summary>
    public static bool CheckPasswordOfUnknownUser(UserPool pool, string name, string password)
    {
        var decoy = Decoy.Value;
        _ = Srp.VerifyPassword(pool.Id, name, password, decoy.Salt, decoy.Verifier);
        return false;
    }

    /// <summary>
    /// ConfirmSignUp: checks the code and confirms the user, verifying the attribute the code went to.
    /// </summary>
    /// <exception cref="CognitoException">UserNotFoundException, NotAuthorizedException ("User cannot be confirmed. Current status is X"), CodeMismatchException, ExpiredCodeException, LimitExceededException, AliasExistsException.</exception>
    public ValueTask ConfirmSignUpAsync(UserPool pool, User user, string code, CancellationToken ct = default) =>
        ConfirmSignUpAsync(pool, user, code, forceAliasCreation: false, ct);

    /// <summary>
    /// ConfirmSignUp with <c>ForceAliasCreation</c>: when the verified email / phone alias belongs to another user, true moves it
    /// here (the other user's attribute becomes unverified); false answers <c>AliasExistsException</c> before the code is used.
    /// </summary>
    /// <exception cref="CognitoException">As <see cref="ConfirmSignUpAsync(UserPool, User, string, CancellationToken)"/>.</exception>
    public ValueTask ConfirmSignUpAsync(UserPool pool, User user, string code, bool forceAliasCreation, CancellationToken ct = default) =>
        ConfirmSignUpAsync(pool, user, code, forceAliasCreation, hideUserState: false, ct);

    /// <summary>
    /// ConfirmSignUp; with <paramref name="hideUserState"/> (PreventUserExistenceErrors=ENABLED) the code is checked before
    /// the alias conflict, so a caller without the code cannot learn that another account owns the email / phone number
    /// (the code goes to that address, whose owner alone then sees <c>AliasExistsException</c>).
    /// </summary>
    /// <exception cref="CognitoException">As <see cref="ConfirmSignUpAsync(UserPool, User, string, CancellationToken)"/>.</exception>
    public async ValueTask ConfirmSignUpAsync(UserPool pool, User user, string code, bool forceAliasCreation, bool hideUserState, CancellationToken ct = default)
    {
        if (user.Status != UserStatus.Unconfirmed)
        {
            throw CognitoErrors.NotAuthorized($"User cannot be confirmed. Current status is {user.Status}");
        }
        var channel = MessageService.SignUpChannel(pool, user);
        void Confirm(User u)
        {
            u.Status = UserStatus.Confirmed;
            if (channel is not null) u.Attributes[channel + "_verified"] = "true";
        }
        if (hideUserState) await codes.VerifyAsync(pool.Id, user.Username, CodePurpose.SignUp, code, ct).ConfigureAwait(false);
        if (!forceAliasCreation && await AliasConflictAsync(pool, Preview(user, Confirm), ct).ConfigureAwait(false) is { } kind)
        {
            throw CognitoErrors.AliasExists($"An account with the {kind} already exists.");
        }
        if (!hideUserState) await codes.VerifyAsync(pool.Id, user.Username, CodePurpose.SignUp, code, ct).ConfigureAwait(false);
        var confirmed = await UpdateCoreAsync(pool, user.Username, Confirm, null, moveAliases: forceAliasCreation, ct).ConfigureAwait(false);
        if (triggers is not null) await triggers.PostConfirmationAsync(pool, PostConfirmationSources.ConfirmSignUp, confirmed, ct).ConfigureAwait(false);
    }

    static User Preview(User user, Action<User> mutate)
    {
        var copy = new User
        {
            UserPoolId = user.UserPoolId, Username = user.Username, Sub = user.Sub, Status = user.Status, Enabled = user.Enabled,
            CreatedAt = user.CreatedAt, ModifiedAt = user.ModifiedAt, Attributes = new Dictionary<string, string>(user.Attributes, StringComparer.Ordinal),
            PendingAttributes = new Dictionary<string, string>(user.PendingAttributes, StringComparer.Ordinal),
        };
        mutate(copy);
        return copy;
    }

    /// <summary>The kind of the first sign-in identifier of <paramref name="future"/> that another user owns, or null.</summary>
    async ValueTask<string?> AliasConflictAsync(UserPool pool, User future, CancellationToken ct)
    {
        foreach (var id in UserIdentifiers.For(pool, future))
        {
            if (id.Kind == UserIdentifiers.Username) continue;
            var owner = await users.FindByIdentifierAsync(pool.Id, id.Kind, id.Value, ct).ConfigureAwait(false);
            if (owner is not null && owner.Username != future.Username) return id.Kind;
        }
        return null;
    }

    /// <summary>Unverifies the email / phone aliases of other users that <paramref name="future"/> is to own. True if any moved.</summary>
    async ValueTask<bool> ReleaseAliasesAsync(UserPool pool, User future, CancellationToken ct)
    {
        bool moved = false;
        foreach (var id in UserIdentifiers.For(pool, future))
        {
            if (id.Kind is not ("email" or "phone_number") || !pool.IsAliasAttribute(id.Kind)) continue;
            var owner = await users.FindByIdentifierAsync(pool.Id, id.Kind, id.Value, ct).ConfigureAwait(false);
            if (owner is null || owner.Username == future.Username) continue;
            await UpdateAsync(pool, owner.Username, u => u.Attributes[id.Kind + "_verified"] = "false", ct: ct).ConfigureAwait(false);
            moved = true;
        }
        return moved;
    }

    /// <summary>AdminConfirmSignUp: confirms without a code; does not verify email or phone. Then the PostConfirmation trigger
    /// (PostConfirmation_ConfirmSignUp), whose failure is answered while the confirmation stands.</summary>
    /// <exception cref="CognitoException">NotAuthorizedException when not UNCONFIRMED; the PostConfirmation trigger's errors.</exception>
    public async ValueTask AdminConfirmSignUpAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        var confirmed = await UpdateAsync(pool, user.Username, u =>
        {
            if (u.Status != UserStatus.Unconfirmed) throw CognitoErrors.NotAuthorized($"User cannot be confirmed. Current status is {u.Status}");
            u.Status = UserStatus.Confirmed;
        }, ct: ct).ConfigureAwait(false);
        await codes.DiscardAsync(pool.Id, user.Username, CodePurpose.SignUp, ct).ConfigureAwait(false);
        if (triggers is not null) await triggers.PostConfirmationAsync(pool, PostConfirmationSources.ConfirmSignUp, confirmed, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The PostConfirmation trigger after a password reset (PostConfirmation_ConfirmForgotPassword) for the user <paramref name="username"/> as
    /// stored after it; a no-op for pools without the trigger. The new password stands whatever the function answers.
    /// </summary>
    /// <exception cref="CognitoException">The trigger's UserLambdaValidationException, InvalidLambdaResponseException, UnexpectedLambdaException.</exception>
    public async ValueTask AfterPasswordResetAsync(UserPool pool, string username, CancellationToken ct = default)
    {
        if (triggers is null || !UserPoolTriggers.Has(pool, TriggerNames.PostConfirmation)) return;
        var user = await users.GetAsync(pool.Id, username, ct).ConfigureAwait(false) ?? throw CognitoErrors.UserNotFound();
        await triggers.PostConfirmationAsync(pool, PostConfirmationSources.ConfirmForgotPassword, user, ct).ConfigureAwait(false);
    }

    /// <summary>ResendConfirmationCode: a new sign-up code (the old one stops working).</summary>
    /// <exception cref="CognitoException">InvalidParameterException when already confirmed or there is no channel.</exception>
    public async ValueTask<CodeDeliveryDetails> ResendConfirmationCodeAsync(UserPool pool, User user, CancellationToken ct = default) =>
        await ResendConfirmationCodeAsync(pool, user, hideUserState: false, ct).ConfigureAwait(false)
        ?? throw new InvalidOperationException("unreachable");

    /// <summary>
    /// ResendConfirmationCode; with <paramref name="hideUserState"/> (PreventUserExistenceErrors=ENABLED) a confirmed user or
    /// one without a channel gets null, which the caller answers like an unknown user (simulated CodeDeliveryDetails).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException (only without <paramref name="hideUserState"/>).</exception>
    public async ValueTask<CodeDeliveryDetails?> ResendConfirmationCodeAsync(UserPool pool, User user, bool hideUserState, CancellationToken ct = default)
    {
        var channel = MessageService.SignUpChannel(pool, user);
        if (hideUserState && (user.Status != UserStatus.Unconfirmed || channel is null)) return null;
        if (user.Status != UserStatus.Unconfirmed) throw CognitoErrors.InvalidParameter("User is already confirmed.");
        if (channel is null) throw CognitoErrors.InvalidParameter("Auto verification not turned on.");
        var code = await codes.IssueAsync(pool.Id, user.Username, CodePurpose.SignUp, ct).ConfigureAwait(false);
        return await messages.SendCodeAsync(pool, user, channel, code, CustomMessageSources.ResendCode, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// ForgotPassword: sends a reset code (1 h) to a verified channel chosen by AccountRecoverySetting
    /// (default: verified phone number, then verified email).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException when no verified channel exists; NotAuthorizedException for disabled users.</exception>
    public async ValueTask<CodeDeliveryDetails> ForgotPasswordAsync(UserPool pool, User user, CancellationToken ct = default) =>
        await ForgotPasswordAsync(pool, user, hideUserState: false, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("unreachable");

    /// <summary>
    /// ForgotPassword; with <paramref name="hideUserState"/> (PreventUserExistenceErrors=ENABLED) a disabled user or one
    /// without a verified channel gets null and no code, which the caller answers like an unknown user (simulated
    /// CodeDeliveryDetails), as Cognito documents.
    /// </summary>
    /// <exception cref="CognitoException">As the overload without it, only without <paramref name="hideUserState"/>.</exception>
    public async ValueTask<CodeDeliveryDetails?> ForgotPasswordAsync(UserPool pool, User user, bool hideUserState, CancellationToken ct = default)
    {
        var channel = RecoveryChannel(pool, user);
        if (hideUserState && (!user.Enabled || channel is null)) return null;
        if (!user.Enabled) throw CognitoErrors.NotAuthorized("User is disabled.");
        if (channel is null) throw CognitoErrors.InvalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number");
        var code = await codes.IssueAsync(pool.Id, user.Username, CodePurpose.ForgotPassword, ct).ConfigureAwait(false);
        return await messages.SendCodeAsync(pool, user, channel, code, CustomMessageSources.ForgotPassword, ct).ConfigureAwait(false);
    }

    static string? RecoveryChannel(UserPool pool, User user)
    {
        var mechanisms = pool.Config.AccountRecoverySetting?.RecoveryMechanisms?.OrderBy(m => m.Priority).Select(m => m.Name).ToList()
            ?? ["verified_phone_number", "verified_email"];
        foreach (var m in mechanisms)
        {
            if (m == "verified_phone_number" && user.IsVerified("phone_number") && user.Get("phone_number") is { Length: > 0 }) return "phone_number";
            if (m == "verified_email" && user.IsVerified("email") && user.Get("email") is { Length: > 0 }) return "email";
        }
        return null;
    }

    /// <summary>ConfirmForgotPassword: code + new password; RESET_REQUIRED / FORCE_CHANGE_PASSWORD users become CONFIRMED; all refresh tokens are revoked.</summary>
    /// <exception cref="CognitoException">CodeMismatchException, ExpiredCodeException, LimitExceededException, InvalidPasswordException.</exception>
    public async ValueTask ConfirmForgotPasswordAsync(UserPool pool, User user, string code, string password, CancellationToken ct = default)
    {
        PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, password);
        await codes.VerifyAsync(pool.Id, user.Username, CodePurpose.ForgotPassword, code, ct).ConfigureAwait(false);
        await UpdateAsync(pool, user.Username, u =>
        {
            SetPassword(pool, u, password);
            if (u.Status is UserStatus.ResetRequired or UserStatus.ForceChangePassword) u.Status = UserStatus.Confirmed;
        }, ct: ct).ConfigureAwait(false);
        await refreshTokens.RevokeAllForUserAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        await AfterPasswordResetAsync(pool, user.Username, ct).ConfigureAwait(false);
    }

    /// <summary>ChangePassword: checks the previous password, applies the policy, replaces the verifier and revokes the user's refresh tokens.</summary>
    /// <exception cref="CognitoException">NotAuthorizedException "Incorrect username or password.", InvalidPasswordException.</exception>
    public async ValueTask ChangePasswordAsync(UserPool pool, User user, string? previous, string proposed, CancellationToken ct = default)
    {
        if (user.PasswordVerifier is not null && (previous is null || !CheckPassword(pool, user, previous)))
        {
            throw CognitoErrors.IncorrectUsernameOrPassword();
        }
        PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, proposed);
        await UpdateAndRevokeTokensAsync(pool, user.Username, u => SetPassword(pool, u, proposed), ct).ConfigureAwait(false);
    }

    /// <summary>AdminSetUserPassword: permanent → CONFIRMED, otherwise a temporary password and FORCE_CHANGE_PASSWORD; refresh tokens revoked.</summary>
    /// <exception cref="CognitoException">InvalidPasswordException.</exception>
    public async ValueTask AdminSetPasswordAsync(UserPool pool, User user, string password, bool permanent, CancellationToken ct = default)
    {
        PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, password);
        await UpdateAndRevokeTokensAsync(pool, user.Username, u =>
        {
            SetPassword(pool, u, password);
            u.Status = permanent ? UserStatus.Confirmed : UserStatus.ForceChangePassword;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// UpdateUserAttributes / AdminUpdateUserAttributes: validates and applies the writes. A changed email or
    /// phone number becomes unverified (unless an admin sets its _verified flag in the same call) and, when the
    /// attribute is auto-verified, a verification code is sent; the details of each code are returned.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException, NotAuthorizedException, AliasExistsException.</exception>
    public async ValueTask<IReadOnlyList<CodeDeliveryDetails>> UpdateAttributesAsync(UserPool pool, User user, IReadOnlyList<KeyValuePair<string, string?>> attributes, AttributeWriter writer, IReadOnlyCollection<string>? writeAttributes, CancellationToken ct = default)
    {
        attributes = AttributeRules.Canonical(attributes);
        AttributeRules.ValidateWrites(pool, attributes, writer, creating: false, writeAttributes);
        var changedChannels = new List<string>();
        var updated = await UpdateCoreAsync(pool, user.Username, u => ApplyAttributeWrites(pool, u, attributes, changedChannels), null, moveAliases: true, ct).ConfigureAwait(false);
        return await SendVerificationCodesAsync(pool, updated, changedChannels, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies validated attribute writes to <paramref name="u"/> (the rule every write path shares: UpdateUserAttributes,
    /// AdminUpdateUserAttributes, NEW_PASSWORD_REQUIRED's <c>userAttributes.*</c>): an empty or null value deletes; a changed
    /// email or phone_number becomes unverified (unless an admin sets its <c>_verified</c> flag in the same call) and its name
    /// is added to <paramref name="changedChannels"/> (cleared first, so a retried mutation starts over). When the pool lists
    /// the attribute in <c>UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate</c> (it is then auto-verified)
    /// and the current value is verified, the new value only becomes pending (<see cref="User.PendingAttributes"/>): the
    /// current one stays, verified and signing in, until VerifyUserAttribute confirms the new one.
    /// </summary>
    public static void ApplyAttributeWrites(UserPool pool, User u, IReadOnlyList<KeyValuePair<string, string?>> attributes, List<string> changedChannels)
    {
        changedChannels.Clear();
        var requireVerification = pool.Config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
        var autoVerified = pool.Config.AutoVerifiedAttributes ?? [];
        foreach (var (name, value) in attributes)
        {
            var old = u.Get(name);
            bool channel = name is "email" or "phone_number";
            if (value is null || value.Length == 0)
            {
                u.Attributes.Remove(name);
                if (channel) u.PendingAttributes.Remove(name);
                continue;
            }
            if (!channel) { u.Attributes[name] = value; continue; }
            if (string.Equals(old, value, StringComparison.Ordinal))
            {
                u.PendingAttributes.Remove(name); // back to the current value: nothing waits any more
                continue;
            }
            bool explicitVerified = attributes.Any(a => a.Key == name + "_verified");
            if (!explicitVerified && requireVerification.Contains(name) && autoVerified.Contains(name) && old is { Length: > 0 } && u.IsVerified(name))
            {
                u.PendingAttributes[name] = value;
                changedChannels.Add(name);
                continue;
            }
            u.Attributes[name] = value;
            u.PendingAttributes.Remove(name);
            if (!explicitVerified)
            {
                u.Attributes[name + "_verified"] = "false";
                changedChannels.Add(name);
            }
        }
    }

    /// <summary>
    /// Sends a verification code for each changed channel the pool auto-verifies (to the pending value when there is one);
    /// returns their delivery details.
    /// </summary>
    /// <exception cref="CognitoException">CodeDeliveryFailureException.</exception>
    public async ValueTask<IReadOnlyList<CodeDeliveryDetails>> SendVerificationCodesAsync(UserPool pool, User user, IReadOnlyList<string> changedChannels, CancellationToken ct = default)
    {
        var details = new List<CodeDeliveryDetails>();
        foreach (var channel in changedChannels)
        {
            if (!(pool.Config.AutoVerifiedAttributes ?? []).Contains(channel)) continue;
            var purpose = channel == "email" ? CodePurpose.VerifyEmail : CodePurpose.VerifyPhone;
            var code = await codes.IssueAsync(pool.Id, user.Username, purpose, ct).ConfigureAwait(false);
            details.Add(await messages.SendCodeAsync(pool, WithPending(user, channel), channel, code, CustomMessageSources.UpdateUserAttribute, ct).ConfigureAwait(false));
        }
        return details;
    }

    /// <summary>A copy of <paramref name="user"/> whose <paramref name="attribute"/> is its pending value (the code's destination), or the user itself.</summary>
    static User WithPending(User user, string attribute) =>
        user.PendingAttributes.TryGetValue(attribute, out var pending) ? Preview(user, u => u.Attributes[attribute] = pending) : user;

    /// <summary>AdminDeleteUserAttributes / DeleteUserAttributes: removes attributes (not sub, not required ones).</summary>
    /// <exception cref="CognitoException">InvalidParameterException.</exception>
    public async ValueTask DeleteAttributesAsync(UserPool pool, User user, IReadOnlyList<string> names, AttributeWriter writer, IReadOnlyCollection<string>? writeAttributes, CancellationToken ct = default)
    {
        foreach (var name in names)
        {
            var schema = AttributeRules.Find(pool, name);
            if (name == "sub" || schema?.Required == true) throw CognitoErrors.InvalidParameter($"Cannot delete required attribute {name}");
        }
        AttributeRules.ValidateWrites(pool, names.Select(n => new KeyValuePair<string, string?>(n, null)), writer, creating: false, writeAttributes);
        await UpdateAsync(pool, user.Username, u =>
        {
            foreach (var name in names)
            {
                u.Attributes.Remove(name);
                if (name is "email" or "phone_number")
                {
                    u.Attributes.Remove(name + "_verified");
                    u.PendingAttributes.Remove(name);
                }
            }
        }, ct: ct).ConfigureAwait(false);
    }

    /// <summary>GetUserAttributeVerificationCode: sends a code for email or phone_number.</summary>
    /// <exception cref="CognitoException">InvalidParameterException when the attribute is not verifiable or not set.</exception>
    public async ValueTask<CodeDeliveryDetails> SendAttributeVerificationCodeAsync(UserPool pool, User user, string attribute, CancellationToken ct = default)
    {
        if (attribute is not ("email" or "phone_number")) throw CognitoErrors.InvalidParameter($"Invalid attribute name: {attribute}. Only email and phone_number can be verified.");
        if (user.Get(attribute) is not { Length: > 0 }) throw CognitoErrors.InvalidParameter($"User does not have the attribute {attribute}.");
        var code = await codes.IssueAsync(pool.Id, user.Username, attribute == "email" ? CodePurpose.VerifyEmail : CodePurpose.VerifyPhone, ct).ConfigureAwait(false);
        // A pending new value gets the code: a code sent to the current address must never confirm the new one.
        return await messages.SendCodeAsync(pool, WithPending(user, attribute), attribute, code, CustomMessageSources.VerifyUserAttribute, ct).ConfigureAwait(false);
    }

    /// <summary>VerifyUserAttribute: checks the code and marks the attribute verified.</summary>
    /// <exception cref="CognitoException">CodeMismatchException, ExpiredCodeException, LimitExceededException, AliasExistsException, InvalidParameterException.</exception>
    public async ValueTask VerifyAttributeAsync(UserPool pool, User user, string attribute, string code, CancellationToken ct = default)
    {
        if (attribute is not ("email" or "phone_number")) throw CognitoErrors.InvalidParameter($"Invalid attribute name: {attribute}. Only email and phone_number can be verified.");
        await codes.VerifyAsync(pool.Id, user.Username, attribute == "email" ? CodePurpose.VerifyEmail : CodePurpose.VerifyPhone, code, ct).ConfigureAwait(false);
        await UpdateCoreAsync(pool, user.Username, u =>
        {
            // AttributesRequireVerificationBeforeUpdate: the verified pending value replaces the current one.
            if (u.PendingAttributes.Remove(attribute, out var pending)) u.Attributes[attribute] = pending;
            u.Attributes[attribute + "_verified"] = "true";
        },
            attribute == "email" ? "An account with the email already exists." : "An account with the phone_number already exists.", moveAliases: true, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// AdminCreateUser: a FORCE_CHANGE_PASSWORD user with a temporary password (generated when omitted), and an
    /// invitation unless <paramref name="messageAction"/> is SUPPRESS. RESEND re-issues the temporary password
    /// of an existing FORCE_CHANGE_PASSWORD user.
    /// </summary>
    /// <exception cref="CognitoException">UsernameExistsException, InvalidPasswordException, InvalidParameterException, UnsupportedUserStateException, UserNotFoundException.</exception>
    public ValueTask<User> AdminCreateUserAsync(UserPool pool, string username, IReadOnlyList<KeyValuePair<string, string?>> attributes, string? temporaryPassword, string? messageAction, IReadOnlyList<string>? deliveryMediums, CancellationToken ct = default) =>
        AdminCreateUserAsync(pool, username, attributes, temporaryPassword, messageAction, deliveryMediums, forceAliasCreation: false, ct: ct);

    /// <summary>
    /// AdminCreateUser with <c>ForceAliasCreation</c>: a verified email / phone alias owned by another user moves to the new
    /// user when true; otherwise the call fails with <c>AliasExistsException</c>.
    /// </summary>
    /// <exception cref="CognitoException">As the overload without it, plus AliasExistsException.</exception>
    /// <remarks>
    /// A new user (not RESEND) first goes through the PreSignUp trigger (PreSignUp_AdminCreateUser, <paramref name="validationData"/>
    /// as <c>request.validationData</c>; its answer is ignored, as the guide says), before anything is written. If the invitation's
    /// CustomMessage trigger then fails, the new user is deleted again: a failed trigger leaves no half-made user.
    /// </remarks>
    public async ValueTask<User> AdminCreateUserAsync(UserPool pool, string username, IReadOnlyList<KeyValuePair<string, string?>> attributes, string? temporaryPassword, string? messageAction, IReadOnlyList<string>? deliveryMediums, bool forceAliasCreation,
        IReadOnlyDictionary<string, string>? validationData = null, CancellationToken ct = default)
    {
        attributes = AttributeRules.Canonical(attributes);
        var policy = pool.Config.Policies?.PasswordPolicy;
        if (temporaryPassword is not null) PasswordPolicyValidator.Validate(policy, temporaryPassword);
        var password = temporaryPassword ?? PasswordPolicyValidator.Generate(policy);

        User user;
        if (messageAction == "RESEND")
        {
            var existing = await GetAsync(pool, username, ct).ConfigureAwait(false);
            if (existing.Status != UserStatus.ForceChangePassword)
            {
                throw new CognitoException(new CognitoError("UnsupportedUserStateException", $"Resend not possible. {existing.Username} status is not FORCE_CHANGE_PASSWORD."));
            }
            user = await UpdateAsync(pool, existing.Username, u => SetPassword(pool, u, password), ct: ct).ConfigureAwait(false);
        }
        else
        {
            AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.Admin, creating: true);
            user = NewUser(pool, username, attributes, UserStatus.ForceChangePassword);
            SetPassword(pool, user, password);
            if (triggers is not null) await triggers.PreSignUpAsync(pool, PreSignUpSources.AdminCreateUser, user, validationData, ct).ConfigureAwait(false);
            var created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
            if (created != UserWriteResult.Ok && pool.Config.AliasAttributes is { Count: > 0 }
                && await users.FindByIdentifierAsync(pool.Id, UserIdentifiers.Username, pool.NormalizeKey(user.Username), ct).ConfigureAwait(false) is null)
            {
                if (forceAliasCreation && await ReleaseAliasesAsync(pool, user, ct).ConfigureAwait(false))
                {
                    created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
                }
                if (created != UserWriteResult.Ok && await AliasConflictAsync(pool, user, ct).ConfigureAwait(false) is { } kind)
                {
                    throw CognitoErrors.AliasExists($"An account with the {kind} already exists.");
                }
            }
            if (created != UserWriteResult.Ok)
            {
                throw CognitoErrors.UsernameExists(pool.Config.UsernameAttributes is { Count: > 0 } ? "An account with the given email already exists." : "User account already exists");
            }
        }
        if (messageAction != "SUPPRESS")
        {
            var wanted = deliveryMediums is { Count: > 0 } ? deliveryMediums : ["SMS"];
            string? channel = null;
            foreach (var medium in wanted.Concat(["SMS", "EMAIL"]))
            {
                var attr = medium == "EMAIL" ? "email" : "phone_number";
                if (user.Get(attr) is { Length: > 0 }) { channel = attr; break; }
            }
            if (channel is not null)
            {
                var signInName = pool.Config.UsernameAttributes is { Count: > 0 } ? username : user.Username;
                try
                {
                    await messages.SendInvitationAsync(pool, user, channel, signInName, password, ct).ConfigureAwait(false);
                }
                catch (CognitoException ex) when (messageAction != "RESEND" && ex.Error.Type is "UserLambdaValidationException" or "InvalidLambdaResponseException" or "UnexpectedLambdaException")
                {
                    await users.DeleteAsync(pool.Id, user.Username, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }
            }
        }
        return user;
    }

    /// <summary>
    /// Startup bootstrap (<c>Cognate:Bootstrap:Pools:*:Users</c>): creates a CONFIRMED user with a permanent password in a
    /// single write, validated like AdminCreateUser. Returns null when the username or an identifier already exists (another
    /// node created it), so running it again is harmless.
    /// </summary>
    /// <exception cref="CognitoException">InvalidPasswordException, InvalidParameterException.</exception>
    public async ValueTask<User?> CreateConfirmedAsync(UserPool pool, string username, IReadOnlyList<KeyValuePair<string, string?>> attributes, string password, CancellationToken ct = default)
    {
        attributes = AttributeRules.Canonical(attributes);
        PasswordPolicyValidator.Validate(pool.Config.Policies?.PasswordPolicy, password);
        AttributeRules.ValidateWrites(pool, attributes, AttributeWriter.Admin, creating: true);
        var user = NewUser(pool, username, attributes, UserStatus.Confirmed);
        SetPassword(pool, user, password);
        var created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
        return created == UserWriteResult.Ok ? user : null;
    }

    /// <summary>
    /// The UserMigration trigger's user (AWS guide "Migrate user Lambda trigger"): <paramref name="attributes"/> (already validated
    /// by the caller), <paramref name="status"/> and, at sign-in, the typed <paramref name="password"/>, which is deliberately not
    /// checked against the pool's password policy (the guide). One write. Returns null when the name already belongs to a user
    /// (a concurrent first sign-in of the same user migrated it first): the caller signs in that user.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException (the name does not fit the pool's username rules);
    /// AliasExistsException when an email / phone alias belongs to another user and <paramref name="forceAliasCreation"/> is false.</exception>
    public async ValueTask<User?> CreateMigratedAsync(UserPool pool, string username, IReadOnlyList<KeyValuePair<string, string?>> attributes, string? password,
        string status, bool forceAliasCreation, CancellationToken ct = default)
    {
        var user = NewUser(pool, username, attributes, status);
        if (password is not null) SetPassword(pool, user, password);
        var created = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false);
        if (created == UserWriteResult.Ok) return user;
        if (await FindAsync(pool, username, ct).ConfigureAwait(false) is not null) return null; // migrated meanwhile
        if (forceAliasCreation && await ReleaseAliasesAsync(pool, user, ct).ConfigureAwait(false)
            && await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct).ConfigureAwait(false) == UserWriteResult.Ok)
        {
            return user;
        }
        var kind = await AliasConflictAsync(pool, user, ct).ConfigureAwait(false);
        throw CognitoErrors.AliasExists(kind is null ? "User account already exists" : $"An account with the {kind} already exists.");
    }

    /// <summary>Deletes the user with codes, tokens and identifiers.</summary>
    /// <exception cref="CognitoException">UserNotFoundException.</exception>
    public async ValueTask DeleteAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        await refreshTokens.RevokeAllForUserAsync(pool.Id, user.Username, ct).ConfigureAwait(false);
        if (!await users.DeleteAsync(pool.Id, user.Username, ct).ConfigureAwait(false)) throw CognitoErrors.UserNotFound();
    }

    /// <summary>GlobalSignOut / AdminUserGlobalSignOut: revokes every refresh token of the user and, with them, their access tokens.</summary>
    public ValueTask<int> GlobalSignOutAsync(UserPool pool, User user, CancellationToken ct = default) =>
        refreshTokens.RevokeAllForUserAsync(pool.Id, user.Username, ct);

    /// <summary>
    /// AdminDisableUser / AdminEnableUser. Disabling revokes every refresh token (and the access tokens minted from them);
    /// a disabled user cannot sign in or refresh, and token-authorised calls answer "User is disabled.".
    /// </summary>
    /// <exception cref="CognitoException">UserNotFoundException.</exception>
    public async ValueTask SetEnabledAsync(UserPool pool, User user, bool enabled, CancellationToken ct = default)
    {
        if (enabled) await UpdateAsync(pool, user.Username, u => u.Enabled = true, ct: ct).ConfigureAwait(false);
        else await UpdateAndRevokeTokensAsync(pool, user.Username, u => u.Enabled = false, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// AdminResetUserPassword: the user becomes RESET_REQUIRED (sign-in answers PasswordResetRequiredException until
    /// ConfirmForgotPassword), its refresh tokens are revoked, and a reset code goes to the verified recovery channel when
    /// there is one. Returns the delivery, or null when no message could be sent.
    /// </summary>
    /// <exception cref="CognitoException">NotAuthorizedException "User is disabled." for a disabled user (moto's admin_reset_user_password
    /// refuses one too), "User password cannot be reset in the current state." for FORCE_CHANGE_PASSWORD and federated users.</exception>
    public async ValueTask<CodeDeliveryDetails?> AdminResetPasswordAsync(UserPool pool, User user, CancellationToken ct = default)
    {
        await UpdateAndRevokeTokensAsync(pool, user.Username, u =>
        {
            if (!u.Enabled) throw CognitoErrors.UserDisabled();
            if (u.Status is UserStatus.ForceChangePassword or UserStatus.ExternalProvider) throw CognitoErrors.NotAuthorized("User password cannot be reset in the current state.");
            u.Status = UserStatus.ResetRequired;
        }, ct).ConfigureAwait(false);
        var channel = RecoveryChannel(pool, user);
        if (channel is null) return null;
        var code = await codes.IssueAsync(pool.Id, user.Username, CodePurpose.ForgotPassword, ct).ConfigureAwait(false);
        return await messages.SendCodeAsync(pool, user, channel, code, CustomMessageSources.ForgotPassword, ct).ConfigureAwait(false);
    }
}
