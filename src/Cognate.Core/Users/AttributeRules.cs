using System.Globalization;
using System.Text.RegularExpressions;
using Cognate.Core.Errors;
using Cognate.Core.Pools;

namespace Cognate.Core.Users;

/// <summary>Who is writing attributes: the user through a client, or an administrator (SigV4).</summary>
public enum AttributeWriter
{
    /// <summary>SignUp, UpdateUserAttributes: client WriteAttributes apply; no verified flags, no dev:custom.</summary>
    User,
    /// <summary>AdminCreateUser, AdminUpdateUserAttributes: anything but sub.</summary>
    Admin,
}

/// <summary>
/// Validates user attributes against a pool's schema (reference §7.1): names must exist in the schema,
/// values must fit the attribute's type and constraints, emails and E.164 phone numbers must be
/// well-formed, and required attributes must be present at sign-up. Errors are Cognito's
/// <c>InvalidParameterException</c> / <c>NotAuthorizedException</c>.
/// </summary>
public static partial class AttributeRules
{
    /// <summary>The OIDC standard attributes plus Cognito's system ones.</summary>
    public static readonly IReadOnlySet<string> Standard = new HashSet<string>(StringComparer.Ordinal)
    {
        "sub", "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name", "locale", "middle_name",
        "name", "nickname", "phone_number", "phone_number_verified", "picture", "preferred_username", "profile", "updated_at",
        "website", "zoneinfo", "identities",
    };

    /// <summary>
    /// A plain addr-spec (RFC 5322 §3.4.1 dot-atom form): a local part of atext characters (letters, digits and
    /// <c>!#$%&amp;'*+/=?^_`{|}~-</c>) in dot-separated runs, one <c>@</c>, and a domain of dot-separated labels of letters,
    /// digits and inner hyphens. No display name, quotes, angle brackets, comments, spaces or commas, so
    /// <c>"x"&lt;victim@example.com&gt;</c> is refused ("Invalid email address format.").
    /// </summary>
    [GeneratedRegex(@"^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[0-9]{4,15}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();

    /// <summary>True when <paramref name="value"/> looks like an email address.</summary>
    public static bool LooksLikeEmail(string value) => value.Length <= 320 && EmailPattern().IsMatch(value);

    /// <summary>True when <paramref name="value"/> is an E.164 phone number.</summary>
    public static bool LooksLikePhone(string value) => PhonePattern().IsMatch(value);

    /// <summary>The schema entry for <paramref name="name"/> (custom ones addressed with their prefix), or null.</summary>
    public static SchemaAttributeType? Find(UserPool pool, string name)
    {
        foreach (var a in pool.Config.SchemaAttributes ?? [])
        {
            if (string.Equals(a.Name, name, StringComparison.Ordinal)) return a;
        }
        return null;
    }

    /// <summary>True when the attribute exists in the pool's schema (standard ones always do).</summary>
    public static bool Exists(UserPool pool, string name) => Find(pool, name) is not null || (Standard.Contains(name) && pool.Config.SchemaAttributes is null);

    /// <summary>
    /// Validates a set of attribute writes. <paramref name="creating"/>: the user is being created (immutable
    /// attributes may be set). <paramref name="writeAttributes"/>: the client's WriteAttributes (null: all).
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException, NotAuthorizedException.</exception>
    public static void ValidateWrites(UserPool pool, IEnumerable<KeyValuePair<string, string?>> attributes, AttributeWriter writer, bool creating, IReadOnlyCollection<string>? writeAttributes = null)
    {
        var list = attributes as IReadOnlyCollection<KeyValuePair<string, string?>> ?? attributes.ToList();
        // Every attribute the schema does not know is named in one error, not just the first (Cognito lists them all).
        List<string>? unknown = null;
        foreach (var (name, _) in list)
        {
            if (name != "sub" && Find(pool, name) is null && !(pool.Config.SchemaAttributes is null && Standard.Contains(name)))
            {
                unknown ??= [];
                if (!unknown.Contains(name)) unknown.Add(name);
            }
        }
        if (unknown is not null) throw UnknownAttributes(unknown, writer);
        foreach (var (name, value) in list)
        {
            if (name == "sub")
            {
                throw CognitoErrors.InvalidParameter(creating ? "Attributes did not conform to the schema: sub: Attribute cannot be set by the caller" : "Cannot modify the non-mutable attribute sub");
            }
            var schema = Find(pool, name);
            if (writer == AttributeWriter.User)
            {
                bool devOnly = name.StartsWith("dev:", StringComparison.Ordinal) || schema?.DeveloperOnlyAttribute == true;
                bool verifiedFlag = name is "email_verified" or "phone_number_verified";
                bool notWritable = writeAttributes is not null && !writeAttributes.Contains(name);
                if (devOnly || verifiedFlag || notWritable)
                {
                    throw CognitoErrors.NotAuthorized("A client attempted to write unauthorized attribute");
                }
            }
            if (!creating && schema?.Mutable == false)
            {
                throw CognitoErrors.InvalidParameter($"Cannot modify the non-mutable attribute {name}");
            }
            if (value is null) continue;
            ValidateValue(name, value, schema);
        }
    }

    /// <summary>
    /// <c>InvalidParameterException</c> naming every attribute the schema lacks. Through a client (SignUp, UpdateUserAttributes)
    /// Cognito answers one line per attribute, "Attributes did not conform to the schema: a: Attribute does not exist in the
    /// schema.\nb: Attribute does not exist in the schema.\n" (seen from SignUp in aws-amplify/amplify-flutter#509); through the
    /// admin actions "Type for attribute {a} could not be determined", here joined with ", " when there are several.
    /// </summary>
    static CognitoException UnknownAttributes(IReadOnlyList<string> names, AttributeWriter writer) => CognitoErrors.InvalidParameter(
        writer == AttributeWriter.User
            ? "Attributes did not conform to the schema: " + string.Concat(names.Select(n => n + ": Attribute does not exist in the schema.\n"))
            : "Attributes did not conform to the schema: " + string.Join(", ", names.Select(n => $"Type for attribute {{{n}}} could not be determined")));

    /// <summary>True for <c>true</c> / <c>false</c> in any letter case (Cognito accepts <c>True</c>, <c>FALSE</c>…).</summary>
    static bool IsBooleanText(string value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The writes with <c>email_verified</c> / <c>phone_number_verified</c> given in any letter case stored as Cognito returns
    /// them, <c>true</c> / <c>false</c>; every other value unchanged (validation still refuses anything that is not a boolean).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> Canonical(IReadOnlyList<KeyValuePair<string, string?>> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        bool any = false;
        foreach (var (name, value) in attributes)
        {
            if (name is "email_verified" or "phone_number_verified" && value is not null && value is not ("true" or "false") && IsBooleanText(value)) { any = true; break; }
        }
        if (!any) return attributes;
        return attributes.Select(p => p.Key is "email_verified" or "phone_number_verified" && p.Value is { } v && IsBooleanText(v)
            ? new KeyValuePair<string, string?>(p.Key, v.ToLowerInvariant()) : p).ToList();
    }

    static void ValidateValue(string name, string value, SchemaAttributeType? schema)
    {
        string Fail(string reason) => $"Attributes did not conform to the schema: {name}: {reason}";
        switch (name)
        {
            case "email" when value.Length > 0 && !LooksLikeEmail(value):
                throw CognitoErrors.InvalidParameter("Invalid email address format.");
            case "phone_number" when value.Length > 0 && !LooksLikePhone(value):
                throw CognitoErrors.InvalidParameter("Invalid phone number format.");
            case "email_verified" or "phone_number_verified" when !IsBooleanText(value):
                throw CognitoErrors.InvalidParameter(Fail("Value must be true or false"));
        }
        var type = schema?.AttributeDataType ?? "String";
        if (type == "Number")
        {
            if (!decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                throw CognitoErrors.InvalidParameter(Fail("Number must be a valid number"));
            }
            if (decimal.TryParse(schema?.NumberAttributeConstraints?.MinValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) && number < min)
                throw CognitoErrors.InvalidParameter(Fail($"Number must be greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}"));
            if (decimal.TryParse(schema?.NumberAttributeConstraints?.MaxValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var max) && number > max)
                throw CognitoErrors.InvalidParameter(Fail($"Number must be less than or equal to {max.ToString(CultureInfo.InvariantCulture)}"));
            return;
        }
        if (type == "Boolean" && value is not ("true" or "false"))
        {
            throw CognitoErrors.InvalidParameter(Fail("Value must be true or false"));
        }
        if (type == "DateTime" && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw CognitoErrors.InvalidParameter(Fail("Value must be a date and time"));
        }
        int maxLength = int.TryParse(schema?.StringAttributeConstraints?.MaxLength, CultureInfo.InvariantCulture, out var ml) ? ml : 2048;
        int minLength = int.TryParse(schema?.StringAttributeConstraints?.MinLength, CultureInfo.InvariantCulture, out var mn) ? mn : 0;
        if (value.Length > maxLength) throw CognitoErrors.InvalidParameter(Fail($"String must be no longer than {maxLength} characters"));
        if (value.Length < minLength) throw CognitoErrors.InvalidParameter(Fail($"String must be no shorter than {minLength} characters"));
    }

    /// <summary>Throws when a required attribute of the schema is missing from <paramref name="attributes"/>.</summary>
    /// <exception cref="CognitoException">InvalidParameterException "Attributes did not conform to the schema: name: The attribute is required".</exception>
    public static void RequireSchemaAttributes(UserPool pool, IReadOnlyDictionary<string, string> attributes)
    {
        foreach (var a in pool.Config.SchemaAttributes ?? [])
        {
            if (a.Required == true && a.Name is { } name && name != "sub" && !(attributes.TryGetValue(name, out var v) && v.Length > 0))
            {
                throw CognitoErrors.InvalidParameter($"Attributes did not conform to the schema: {name}: The attribute is required");
            }
        }
    }

    /// <summary>Whether <paramref name="name"/> is readable by a client with <paramref name="readAttributes"/> (null: all but dev-only).</summary>
    public static bool IsReadable(string name, IReadOnlyCollection<string>? readAttributes) =>
        !name.StartsWith("dev:", StringComparison.Ordinal) && (name == "sub" || readAttributes is null || readAttributes.Contains(name));
}
