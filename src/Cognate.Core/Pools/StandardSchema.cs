using System.Globalization;
using Cognate.Core.Errors;

namespace Cognate.Core.Pools;

/// <summary>
/// The standard attribute schema every user pool starts with (reference §7.2) and the merge of a
/// CreateUserPool <c>Schema</c> into it: standard attributes may be made Required / non-Mutable,
/// custom ones are added as <c>custom:{name}</c> (or <c>dev:custom:{name}</c> when developer-only).
/// </summary>
public static class StandardSchema
{
    /// <summary>Most custom attributes a pool may have.</summary>
    public const int MaxCustomAttributes = 50;
    /// <summary>Longest String attribute, in characters.</summary>
    public const int MaxStringLength = 2048;

    static SchemaAttributeType Str(string name, bool mutable = true, bool required = false, string min = "0", string max = "2048") => new()
    {
        Name = name, AttributeDataType = "String", DeveloperOnlyAttribute = false, Mutable = mutable, Required = required,
        StringAttributeConstraints = new StringAttributeConstraintsType { MinLength = min, MaxLength = max },
    };

    static SchemaAttributeType Bool(string name) => new()
    {
        Name = name, AttributeDataType = "Boolean", DeveloperOnlyAttribute = false, Mutable = true, Required = false,
    };

    /// <summary>The standard attributes in Cognito's order, with their default flags and constraints.</summary>
    public static IReadOnlyList<SchemaAttributeType> Attributes { get; } =
    [
        Str("sub", mutable: false, required: true, min: "1"),
        Str("name"), Str("given_name"), Str("family_name"), Str("middle_name"), Str("nickname"),
        Str("preferred_username"), Str("profile"), Str("picture"), Str("website"), Str("email"),
        Bool("email_verified"),
        Str("gender"), Str("birthdate", min: "10", max: "10"), Str("zoneinfo"), Str("locale"), Str("phone_number"),
        Bool("phone_number_verified"),
        Str("address"),
        new SchemaAttributeType
        {
            Name = "updated_at", AttributeDataType = "Number", DeveloperOnlyAttribute = false, Mutable = true, Required = false,
            NumberAttributeConstraints = new NumberAttributeConstraintsType { MinValue = "0" },
        },
    ];

    static readonly Dictionary<string, SchemaAttributeType> ByName = Attributes.ToDictionary(a => a.Name!, StringComparer.Ordinal);
    static readonly HashSet<string> DataTypes = new(["String", "Number", "DateTime", "Boolean"], StringComparer.Ordinal);

    /// <summary>True when <paramref name="name"/> is a standard attribute name.</summary>
    public static bool IsStandard(string name) => ByName.ContainsKey(name);

    /// <summary>
    /// The pool schema: the standard schema with <paramref name="requested"/> (CreateUserPool <c>Schema</c>,
    /// custom names without prefix) merged in.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException for a changed standard data type or
    /// developer-only standard attribute, a required custom attribute, a custom attribute without data type,
    /// invalid constraints, duplicates or more than 50 custom attributes.</exception>
    public static List<SchemaAttributeType> Merge(IReadOnlyList<SchemaAttributeType>? requested)
    {
        var result = Attributes.Select(a => a with { }).ToList();
        if (requested is null) return result;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int custom = 0;
        foreach (var attr in requested)
        {
            var name = attr.Name;
            if (string.IsNullOrEmpty(name)) throw CognitoErrors.RequiredMember("schema.member.name");
            if (!seen.Add(name)) throw CognitoErrors.InvalidParameter($"Duplicate schema attribute name {name}");
            if (attr.AttributeDataType is { } dt && !DataTypes.Contains(dt))
            {
                throw CognitoErrors.InvalidParameter($"Validation error detected: Value '{dt}' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]");
            }
            if (ByName.TryGetValue(name, out var standard))
            {
                if ((attr.AttributeDataType is { } t && t != standard.AttributeDataType) || attr.DeveloperOnlyAttribute == true)
                {
                    throw CognitoErrors.InvalidParameter($"You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}");
                }
                var merged = standard with
                {
                    Mutable = attr.Mutable ?? standard.Mutable,
                    Required = attr.Required ?? standard.Required,
                    StringAttributeConstraints = standard.AttributeDataType == "String" && attr.StringAttributeConstraints is { } sc ? CheckString(name, sc) : standard.StringAttributeConstraints,
                    NumberAttributeConstraints = standard.AttributeDataType == "Number" && attr.NumberAttributeConstraints is { } nc ? CheckNumber(name, nc) : standard.NumberAttributeConstraints,
                };
                result[result.FindIndex(a => a.Name == name)] = merged;
                continue;
            }
            var added = Custom(attr, name, seen.Count - 1, "schema");
            if (++custom > MaxCustomAttributes)
            {
                throw CognitoErrors.InvalidParameter($"A user pool can have at most {MaxCustomAttributes} custom attributes.");
            }
            result.Add(added);
        }
        return result;
    }

    static SchemaAttributeType Custom(SchemaAttributeType attr, string name, int index, string member)
    {
        if (attr.AttributeDataType is null)
        {
            throw CognitoErrors.InvalidParameter("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.");
        }
        if (attr.Required == true)
        {
            throw CognitoErrors.InvalidParameter("Required custom attributes are not supported currently.");
        }
        if (name.Length > 20)
        {
            throw CognitoErrors.Validation($"Value '{name}' at '{member}.{index + 1}.member.name' failed to satisfy constraint: Member must have length less than or equal to 20");
        }
        bool dev = attr.DeveloperOnlyAttribute == true;
        string fullName = (dev ? "dev:custom:" : "custom:") + name;
        return new SchemaAttributeType
        {
            Name = fullName,
            AttributeDataType = attr.AttributeDataType,
            DeveloperOnlyAttribute = dev,
            Mutable = attr.Mutable ?? true,
            Required = false,
            StringAttributeConstraints = attr.AttributeDataType == "String" && attr.StringAttributeConstraints is { } sc ? CheckString(fullName, sc) : null,
            NumberAttributeConstraints = attr.AttributeDataType == "Number" && attr.NumberAttributeConstraints is { } nc ? CheckNumber(fullName, nc) : null,
        };
    }

    /// <summary>
    /// AddCustomAttributes: <paramref name="existing"/> with the custom attributes <paramref name="requested"/> (names without
    /// prefix) appended. Existing attributes cannot be changed or removed.
    /// </summary>
    /// <exception cref="CognitoException">InvalidParameterException for a name already in use, a required attribute,
    /// a missing or unknown data type, invalid constraints, or more than 50 custom attributes in all.</exception>
    public static List<SchemaAttributeType> AddCustom(IReadOnlyList<SchemaAttributeType> existing, IReadOnlyList<SchemaAttributeType> requested)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(requested);
        var result = existing.ToList();
        int custom = existing.Count(a => a.Name is { } n && (n.StartsWith("custom:", StringComparison.Ordinal) || n.StartsWith("dev:custom:", StringComparison.Ordinal)));
        for (int i = 0; i < requested.Count; i++)
        {
            var attr = requested[i];
            var name = attr.Name;
            if (string.IsNullOrEmpty(name)) throw CognitoErrors.RequiredMember($"customAttributes.{i + 1}.member.name");
            if (attr.AttributeDataType is { } dt && !DataTypes.Contains(dt))
            {
                throw CognitoErrors.InvalidParameter($"Validation error detected: Value '{dt}' failed to satisfy constraint: Member must satisfy enum value set: [Boolean, Number, String, DateTime]");
            }
            var added = Custom(attr, name, i, "customAttributes");
            var bare = "custom:" + name;
            if (result.FirstOrDefault(a => a.Name == bare || a.Name == "dev:" + bare) is { } clash)
            {
                // Cognito's text starts with the attribute's name: "custom:banana: Existing attribute already has name dev:custom:banana."
                throw CognitoErrors.InvalidParameter($"{bare}: Existing attribute already has name {clash.Name}.");
            }
            if (++custom > MaxCustomAttributes)
            {
                throw CognitoErrors.InvalidParameter($"A user pool can have at most {MaxCustomAttributes} custom attributes.");
            }
            result.Add(added);
        }
        return result;
    }

    static long? Parse(string? value, string name, string constraintType)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < 0)
        {
            throw CognitoErrors.InvalidParameter($"Invalid {constraintType} for schema attribute {name}");
        }
        return n;
    }

    static StringAttributeConstraintsType CheckString(string name, StringAttributeConstraintsType c)
    {
        var min = Parse(c.MinLength, name, "StringAttributeConstraints");
        var max = Parse(c.MaxLength, name, "StringAttributeConstraints");
        if (min > MaxStringLength || max > MaxStringLength)
        {
            throw CognitoErrors.InvalidParameter($"user.{name}: String attributes cannot have a length of more than {MaxStringLength}");
        }
        if (min is not null && max is not null && min > max)
        {
            throw CognitoErrors.InvalidParameter($"user.{name}: Max length cannot be less than min length.");
        }
        return c with { };
    }

    static NumberAttributeConstraintsType CheckNumber(string name, NumberAttributeConstraintsType c)
    {
        var min = Parse(c.MinValue, name, "NumberAttributeConstraints");
        var max = Parse(c.MaxValue, name, "NumberAttributeConstraints");
        if (min is not null && max is not null && min > max)
        {
            throw CognitoErrors.InvalidParameter($"user.{name}: Max value cannot be less than min value.");
        }
        return c with { };
    }
}
