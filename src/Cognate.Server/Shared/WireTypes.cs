using Cognate.Core.Messaging;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Server.Shared;

/// <summary>Cognito <c>AttributeType</c>: a user attribute as a name/value string pair.</summary>
internal sealed record AttributeType(string Name, string? Value);

/// <summary>Cognito <c>CodeDeliveryDetailsType</c>.</summary>
internal sealed record CodeDeliveryDetailsType(string? Destination, string? DeliveryMedium, string? AttributeName)
{
    public static CodeDeliveryDetailsType? From(CodeDeliveryDetails? d) => d is null ? null : new(d.Destination, d.DeliveryMedium, d.AttributeName);
}

/// <summary>Cognito <c>AuthenticationResultType</c>; <c>ExpiresIn</c> in seconds.</summary>
internal sealed record AuthenticationResultType(string AccessToken, int ExpiresIn, string TokenType, string? RefreshToken, string IdToken)
{
    /// <summary>NewDeviceMetadataType {DeviceKey, DeviceGroupKey} of a pool with DeviceConfiguration; omitted when null.</summary>
    public NewDeviceMetadata? NewDeviceMetadata { get; init; }

    public static AuthenticationResultType? From(AuthenticationResult? r) => r is null ? null
        : new(r.AccessToken, r.ExpiresIn, r.TokenType, r.RefreshToken, r.IdToken) { NewDeviceMetadata = r.NewDeviceMetadata };
}

/// <summary>Cognito <c>MFAOptionType</c>.</summary>
internal sealed record MFAOptionType(string? DeliveryMedium, string? AttributeName);

/// <summary>Cognito <c>UserType</c> (ListUsers, AdminCreateUser): note <c>Attributes</c>, not <c>UserAttributes</c>.</summary>
internal sealed record UserType(string Username, IReadOnlyList<AttributeType> Attributes, DateTimeOffset UserCreateDate, DateTimeOffset UserLastModifiedDate, bool Enabled, string UserStatus)
{
    public static UserType From(User u) => new(u.Username, Wire.Attributes(u, null), u.CreatedAt, u.ModifiedAt, u.Enabled, u.Status);
}

/// <summary>Conversions between wire shapes and the domain.</summary>
internal static class Wire
{
    /// <summary>A user's attributes as <c>AttributeType</c>s, filtered by a client's ReadAttributes (null: all but developer-only ones), sorted by name with sub first.</summary>
    public static List<AttributeType> Attributes(User user, IReadOnlyCollection<string>? readAttributes, bool includeDeveloperOnly = false)
    {
        var list = new List<AttributeType>(user.Attributes.Count);
        foreach (var (name, value) in user.Attributes.OrderBy(a => a.Key == "sub" ? 0 : 1).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            if (includeDeveloperOnly ? (readAttributes is null || readAttributes.Contains(name) || name == "sub") : AttributeRules.IsReadable(name, readAttributes))
            {
                list.Add(new AttributeType(name, value));
            }
        }
        return list;
    }

    /// <summary>Request attributes as name/value pairs (null list: none).</summary>
    public static List<KeyValuePair<string, string?>> Pairs(IReadOnlyList<AttributeType>? attributes) =>
        attributes is null ? [] : attributes.Select(a => new KeyValuePair<string, string?>(a.Name, a.Value)).ToList();

    /// <summary><c>ValidationData</c> (a list of AttributeType) as a map for a trigger's <c>request.validationData</c>; null when absent.
    /// A name given twice keeps its last value.</summary>
    public static Dictionary<string, string>? Map(IReadOnlyList<AttributeType>? attributes)
    {
        if (attributes is null) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in attributes) map[a.Name] = a.Value ?? "";
        return map;
    }

    /// <summary>A simulated code delivery (PreventUserExistenceErrors = ENABLED for an unknown user).</summary>
    public static CodeDeliveryDetailsType Simulated(string username) =>
        AttributeRules.LooksLikePhone(username) ? new(DestinationMask.Mask(DeliveryMedium.Sms, username), DeliveryMedium.Sms, "phone_number")
        : new(DestinationMask.Mask(DeliveryMedium.Email, AttributeRules.LooksLikeEmail(username) ? username : username + "@example.com"), DeliveryMedium.Email, "email");
}
