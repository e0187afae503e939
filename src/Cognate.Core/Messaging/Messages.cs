namespace Cognate.Core.Messaging;

/// <summary>Delivery channel of a message: Cognito's <c>DeliveryMediumType</c>.</summary>
public static class DeliveryMedium
{
    /// <summary>Email.</summary>
    public const string Email = "EMAIL";
    /// <summary>SMS.</summary>
    public const string Sms = "SMS";
}

/// <summary>
/// A message to a user: an email (address, subject, body) or an SMS (phone number, body).
/// <see cref="Code"/> is the one-time code the body carries, kept apart so that only the
/// development outbox ever records it; senders must never log it.
/// </summary>
public sealed record OutgoingMessage(string UserPoolId, string Medium, string To, string Subject, string Body, string? Code);

/// <summary>Delivers messages (SMTP, the development outbox, ...).</summary>
public interface IMessageSender
{
    /// <summary>Sends <paramref name="message"/>. Throws <c>CodeDeliveryFailureException</c> on a delivery failure the caller must see.</summary>
    ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default);
}

/// <summary>Cognito's <c>CodeDeliveryDetailsType</c>: where a code went, masked.</summary>
/// <param name="Destination">Masked address, e.g. <c>j***@e***</c> or <c>+*******1234</c>.</param>
/// <param name="DeliveryMedium">EMAIL or SMS.</param>
/// <param name="AttributeName">email or phone_number.</param>
public sealed record CodeDeliveryDetails(string Destination, string DeliveryMedium, string AttributeName);

/// <summary>Masks destinations the way Cognito shows them in CodeDeliveryDetails (reference §8.2).</summary>
public static class DestinationMask
{
    /// <summary><c>john@example.com</c> → <c>j***@e***</c>; <c>+14325551212</c> → <c>+*******1212</c>.</summary>
    public static string Mask(string medium, string destination)
    {
        if (medium == DeliveryMedium.Sms)
        {
            return destination.Length <= 4 ? destination : "+" + new string('*', Math.Max(0, destination.Length - 5)) + destination[^4..];
        }
        int at = destination.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == destination.Length - 1) return destination.Length > 0 ? destination[0] + "***" : "***";
        return $"{destination[0]}***@{destination[at + 1]}***";
    }
}
