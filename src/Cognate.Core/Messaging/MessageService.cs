using Cognate.Core.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Messaging;

/// <summary>
/// Composes and sends Cognito's user messages (verification codes, invitations) through the
/// configured <see cref="IMessageSender"/>, and reports where they went as Cognito's masked
/// <see cref="CodeDeliveryDetails"/>. A pool with a CustomEmailSender / CustomSMSSender trigger gets its codes delivered by the
/// function instead (<see cref="CustomSenders"/>): encrypted, never through <see cref="IMessageSender"/> or the outbox.
/// </summary>
public sealed class MessageService(IMessageSender sender, CustomSenders? customSenders = null)
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
    /// <param name="pool">The pool (templates, triggers).</param>
    /// <param name="user">The recipient, with <paramref name="attribute"/> holding the destination.</param>
    /// <param name="attribute">email or phone_number.</param>
    /// <param name="code">The code.</param>
    /// <param name="source">The message event: one of <see cref="CustomSenderSources"/> (or the matching CustomMessage source).</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="Errors.CognitoException">CodeDeliveryFailureException when delivery fails; UnexpectedLambdaException when the
    /// pool's custom sender (or its KMS) cannot be reached.</exception>
    public async ValueTask<CodeDeliveryDetails> SendCodeAsync(UserPool pool, User user, string attribute, string code, string source, CancellationToken ct = default)
    {
        var destination = user.Get(attribute) ?? "";
        var medium = MediumOf(attribute);
        if (customSenders is not null && await customSenders.TrySendAsync(pool, medium, source, user, code, ct: ct).ConfigureAwait(false))
        {
            return new CodeDeliveryDetails(DestinationMask.Mask(medium, destination), medium, attribute);
        }
        var (subject, body) = MessageTemplates.Verification(pool, medium, code);
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, code), ct).ConfigureAwait(false);
        return new CodeDeliveryDetails(DestinationMask.Mask(medium, destination), medium, attribute);
    }

    /// <summary>Sends the AdminCreateUser invitation carrying the temporary password (to a custom sender: the password is the code).</summary>
    public async ValueTask SendInvitationAsync(UserPool pool, User user, string attribute, string signInName, string temporaryPassword, CancellationToken ct = default)
    {
        var destination = user.Get(attribute) ?? "";
        var medium = MediumOf(attribute);
        if (customSenders is not null
            && await customSenders.TrySendAsync(pool, medium, CustomSenderSources.AdminCreateUser, user, temporaryPassword, ct: ct).ConfigureAwait(false))
        {
            return;
        }
        var (subject, body) = MessageTemplates.Invitation(pool, medium, signInName, temporaryPassword);
        await sender.SendAsync(new OutgoingMessage(pool.Id, medium, destination, subject, body, temporaryPassword), ct).ConfigureAwait(false);
    }
}
