using Cognate.Core.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Messaging;

/// <summary>
/// Composes and sends Cognito's user messages (verification codes, invitations) through the
/// configured <see cref="IMessageSender"/>, and reports where they went as Cognito's masked
/// <see cref="CodeDeliveryDetails"/>. A pool with a CustomEmailSender / CustomSMSSender trigger gets its codes delivered by the
/// function instead (<see cref="CustomSenders"/>): encrypted, never through <see cref="IMessageSender"/> or the outbox. Otherwise,
/// when the pool has a CustomMessage trigger, every message goes through it first (one place for every action that sends one), and
/// the function's text replaces the pool's template.
/// </summary>
public sealed class MessageService(IMessageSender sender, UserPoolTriggers? triggers = null, CustomSenders? customSenders = null)
{
    /// <summary>
    /// The attribute a sign-up code goes to: among AutoVerifiedAttributes, phone_number first (when the
    /// user has one), then email — as Cognito prefers SMS when both are auto-verified. Null: nothing to send.
    /// </summary>
    public static string? SignUpChannel(UserPool pool, User user)
    {
        var auto = pool.Config.AutoVerifiedAttributes ?? [];
        if (auto.Contains("phone_number") && user.Get("phone_number") is { Length: > 0 }) return "phone_number";
        if (auto.Contains("email") && user.Get("email") is { Length: > 0 }) return "email";
        return null;
    }

    /// <summary>Medium of an attribute: phone_number → SMS, otherwise EMAIL.</summary>
    public static string MediumOf(string attribute) => attribute == "phone_number" ? DeliveryMedium.Sms : DeliveryMedium.Email;

    /// <summary>Sends a verification-style code to the user's <paramref name="attribute"/> and returns the delivery details.</summary>
    /// <param name="pool">The pool (its templates and triggers).</param>
    /// <param name="user">The recipient, with <paramref name="attribute"/> holding the destination.</param>
    /// <param name="attribute">email or phone_number.</param>
    /// <param name="code">The code (never given to a CustomMessage function, which sees only <c>{####}</c>; a custom sender gets it
    /// encrypted).</param>
    /// <param name="triggerSource">The message's CustomMessage source, one of <see cref="CustomMessageSources"/> (a custom sender
    /// maps it to its own source).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="Errors.CognitoException">CodeDeliveryFailureException when delivery fails; the CustomMessage trigger's
    /// UserLambdaValidationException / InvalidLambdaResponseException / UnexpectedLambdaException (nothing is sent then);
    /// UnexpectedLambdaException when the pool's custom sender (or its KMS) cannot be reached.</exception>
    public async ValueTask<CodeDeliveryDetails> SendCodeAsync(UserPool pool, User user, string attribute, string code, string triggerSource, CancellationToken ct = default)
    {
        var destination = user.Get(attribute) ?? "";
        var medium = MediumOf(attribute);
        if (customSenders is not null && await customSenders.TrySendAsync(pool, medium, triggerSource, user, code, ct: ct).ConfigureAwait(false))
        {
            return new CodeDeliveryDetails(DestinationMask.Mask(medium, destination), medium, attribute);
        }
        var (subject, template) = MessageTemplates.VerificationTemplate(pool, medium);
        if (triggers is not null && await triggers.CustomMessageAsync(pool, triggerSource, user, ct).ConfigureAwait(false) is { } custom)
        {
            (subject, template) = custom.Apply(medium, subject, template, UserPoolTriggers.CodeParameter, null);
        }
        var body = MessageTemplates.Render(template, code);
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, code), ct).ConfigureAwait(false);
        return new CodeDeliveryDetails(DestinationMask.Mask(medium, destination), medium, attribute);
    }

    /// <summary>Sends the AdminCreateUser invitation carrying the temporary password (to a custom sender, where the password is the
    /// code; otherwise through CustomMessage_AdminCreateUser first).</summary>
    /// <exception cref="Errors.CognitoException">CodeDeliveryFailureException; the CustomMessage trigger's errors; UnexpectedLambdaException
    /// from a custom sender.</exception>
    public async ValueTask SendInvitationAsync(UserPool pool, User user, string attribute, string signInName, string temporaryPassword, CancellationToken ct = default)
    {
        var destination = user.Get(attribute) ?? "";
        var medium = MediumOf(attribute);
        if (customSenders is not null
            && await customSenders.TrySendAsync(pool, medium, CustomSenderSources.AdminCreateUser, user, temporaryPassword, ct: ct).ConfigureAwait(false))
        {
            return;
        }
        var (subject, template) = MessageTemplates.InvitationTemplate(pool, medium);
        if (triggers is not null && await triggers.CustomMessageAsync(pool, CustomMessageSources.AdminCreateUser, user, ct).ConfigureAwait(false) is { } custom)
        {
            (subject, template) = custom.Apply(medium, subject, template, UserPoolTriggers.CodeParameter, UserPoolTriggers.UsernameParameter);
        }
        var body = MessageTemplates.Render(template, temporaryPassword, signInName);
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, temporaryPassword), ct).ConfigureAwait(false);
    }
}
