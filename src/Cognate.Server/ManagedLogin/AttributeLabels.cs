namespace Cognate.Server.ManagedLogin;

/// <summary>Labels and input types of user attributes on the sign-up and new-password pages (<c>phone_number</c> → <c>Phone number</c>).</summary>
internal static class AttributeLabels
{
    /// <summary>The label of <paramref name="attribute"/>: its name with <c>_</c> as spaces, first letter capital (custom: prefix dropped).</summary>
    public static string Of(string attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var name = attribute.StartsWith("custom:", StringComparison.Ordinal) ? attribute["custom:".Length..] : attribute;
        name = name.Replace('_', ' ');
        return name.Length == 0 ? attribute : char.ToUpperInvariant(name[0]) + name[1..];
    }

    /// <summary>The input type of <paramref name="attribute"/>.</summary>
    public static string TypeOf(string attribute) => attribute switch
    {
        "email" => "email",
        "phone_number" => "tel",
        _ => "text",
    };

    /// <summary>The autocomplete token of <paramref name="attribute"/>, or null.</summary>
    public static string? AutocompleteOf(string attribute) => attribute switch
    {
        "email" => "email",
        "phone_number" => "tel",
        "name" => "name",
        "given_name" => "given-name",
        "family_name" => "family-name",
        "middle_name" => "additional-name",
        "nickname" => "nickname",
        "birthdate" => "bday",
        "address" => "street-address",
        "website" => "url",
        "gender" => "sex",
        "locale" => "language",
        _ => null,
    };

    /// <summary>The form field name of an attribute input.</summary>
    public static string FieldOf(string attribute) => "attr_" + attribute.Replace(':', '_');
}
