using System.Globalization;
using System.Text.Json;
using Cognate.Core.Errors;

namespace Cognate.Server.Protocol;

/// <summary>
/// Validates a request body against the operation's input shape the way AWS front ends do:
/// wrong JSON types give <c>SerializationException</c>; missing required members, lengths, ranges,
/// patterns and enums give <c>InvalidParameterException</c> "N validation errors detected: ..."
/// (values of sensitive members are never echoed). Unknown members are ignored.
/// </summary>
internal static class RequestValidator
{
    const int MaxReported = 10;

    public static void Validate(ServiceModel model, string shapeName, JsonElement body)
    {
        var failures = new List<string>();
        Visit(model, model.Shapes[shapeName], body, "", failures, sensitiveParent: false);
        if (failures.Count > 0)
        {
            throw CognitoErrors.Validation([.. failures.Take(MaxReported)]);
        }
    }

    static CognitoException Serialization(string message) =>
        new(new CognitoError("SerializationException", message));

    static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    static void Visit(ServiceModel model, ServiceModel.Shape shape, JsonElement value, string path, List<string> failures, bool sensitiveParent)
    {
        bool sensitive = sensitiveParent || shape.Sensitive;
        switch (shape.Type)
        {
            case "structure":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw Serialization(value.ValueKind == JsonValueKind.Array ? "Start of list found where not expected" : $"Unexpected {Kind(value)} where a structure was expected" + At(path));
                }
                foreach (var req in shape.Required)
                {
                    if (!value.TryGetProperty(req, out var v) || v.ValueKind == JsonValueKind.Null)
                    {
                        failures.Add($"Value null at '{Join(path, Camel(req))}' failed to satisfy constraint: Member must not be null");
                    }
                }
                foreach (var prop in value.EnumerateObject())
                {
                    if (shape.Members is not null && shape.Members.TryGetValue(prop.Name, out var memberShape) && prop.Value.ValueKind != JsonValueKind.Null)
                    {
                        Visit(model, model.Shapes[memberShape], prop.Value, Join(path, Camel(prop.Name)), failures, sensitive);
                    }
                }
                break;
            case "list":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw Serialization($"Unexpected {Kind(value)} where a list was expected" + At(path));
                }
                CheckSize(shape, value.GetArrayLength(), path, failures);
                int i = 0;
                var member = model.Shapes[shape.Member!];
                foreach (var item in value.EnumerateArray())
                {
                    i++;
                    if (item.ValueKind == JsonValueKind.Null) { failures.Add($"Value null at '{path}.{i}.member' failed to satisfy constraint: Member must not be null"); continue; }
                    Visit(model, member, item, $"{path}.{i}.member", failures, sensitive);
                }
                break;
            case "map":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw Serialization($"Unexpected {Kind(value)} where a map was expected" + At(path));
                }
                int count = 0;
                var keyShape = model.Shapes[shape.Key!];
                var valueShape = model.Shapes[shape.Value!];
                foreach (var prop in value.EnumerateObject())
                {
                    count++;
                    CheckString(keyShape, prop.Name, $"{path}.key", failures, sensitive);
                    // botocore never sends a null map value, and the handlers read map values as non-null strings:
                    // refuse it here like a null required member, so no handler ever sees one. The one exception is
                    // amazon-cognito-identity-js's retry of PASSWORD_VERIFIER with "DEVICE_KEY": null after "Device does not
                    // exist." (Cognito accepts it): ChallengeResponses' DEVICE_KEY may be null, and the sign-in handlers drop
                    // it (SignInParameters.WithoutNulls) before the engine sees the map.
                    if (prop.Value.ValueKind == JsonValueKind.Null && path == "challengeResponses" && prop.Name == "DEVICE_KEY") continue;
                    if (prop.Value.ValueKind == JsonValueKind.Null)
                    {
                        failures.Add($"Value null at '{MapEntry(path, prop.Name)}' failed to satisfy constraint: Member must not be null");
                        continue;
                    }
                    Visit(model, valueShape, prop.Value, MapEntry(path, prop.Name), failures, sensitive);
                }
                CheckSize(shape, count, path, failures);
                break;
            case "string":
                if (value.ValueKind != JsonValueKind.String)
                {
                    throw Serialization($"{Kind(value)} can not be converted to a String" + At(path));
                }
                CheckString(shape, value.GetString()!, path, failures, sensitive);
                break;
            case "integer":
            case "long":
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || (shape.Type == "integer" && (n < int.MinValue || n > int.MaxValue)))
                {
                    throw Serialization($"{Kind(value)} can not be converted to an {(shape.Type == "integer" ? "Integer" : "Long")}" + At(path));
                }
                if (shape.Min is { } min && n < min) failures.Add($"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min}");
                if (shape.Max is { } max && n > max) failures.Add($"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max}");
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw Serialization($"{Kind(value)} can not be converted to a Boolean" + At(path));
                }
                break;
            case "timestamp":
                if (value.ValueKind is not (JsonValueKind.Number or JsonValueKind.String))
                {
                    throw Serialization($"{Kind(value)} can not be converted to a Timestamp" + At(path));
                }
                break;
            case "blob":
                if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out _))
                {
                    throw Serialization("Base64 encoded binary data expected" + At(path));
                }
                break;
            default:
                break;
        }
    }

    static void CheckSize(ServiceModel.Shape shape, int size, string path, List<string> failures)
    {
        if (shape.Min is { } min && size < min) failures.Add($"Value at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        if (shape.Max is { } max && size > max) failures.Add($"Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}");
    }

    static void CheckString(ServiceModel.Shape shape, string s, string path, List<string> failures, bool sensitive)
    {
        if (s.Contains('\0', StringComparison.Ordinal))
        {
            // No Cognito value can hold U+0000 (PostgreSQL text cannot store it at all, and no model pattern admits it where
            // one applies): refused for every string, also those whose shape has no pattern, so it never reaches a store.
            failures.Add($"Value at '{path}' failed to satisfy constraint: Member must not contain the NUL character");
            return;
        }
        string shown = sensitive || s.Length > 256 ? "Value" : $"Value '{s}'";
        if (shape.Min is { } min && s.Length < min) failures.Add($"{shown} at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}");
        if (shape.Max is { } max && s.Length > max) { failures.Add($"{shown} at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}"); return; }
        if (shape.Enum is not null && !shape.Enum.Contains(s))
        {
            failures.Add($"{shown} at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", shape.EnumList!)}]");
        }
        else if (shape.Pattern is not null && s.Length > 0)
        {
            bool ok;
            try { ok = shape.Pattern.IsMatch(s); }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException) { ok = false; }
            if (!ok) failures.Add($"{shown} at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {shape.PatternText}");
        }
    }

    static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The path of a map entry: the key is shown when it looks like a name (at most 64 of <c>[A-Za-z0-9_.:-]</c>), else <c>value</c>, so a caller's junk is not echoed.</summary>
    static string MapEntry(string path, string key) =>
        key.Length is > 0 and <= 64 && key.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-') ? $"{path}.{key}" : $"{path}.value";
    static string At(string path) => path.Length == 0 ? "" : $" (at '{path}')";

    static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "STRING_VALUE",
        JsonValueKind.Number => "NUMBER_VALUE",
        JsonValueKind.True or JsonValueKind.False => "BOOLEAN_VALUE",
        JsonValueKind.Array => "START_ARRAY",
        JsonValueKind.Object => "START_OBJECT",
        _ => e.ValueKind.ToString().ToUpper(CultureInfo.InvariantCulture),
    };
}
