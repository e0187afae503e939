using System.Text;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Import;

/// <summary>
/// The CSV file of a user import job (AWS guide "Importing users into user pools from a CSV file" / "Creating the user import CSV
/// file"): the header GetCSVHeader answers, RFC 4180 records (fields in double quotes may hold commas, quotes doubled and line
/// breaks), strict UTF-8, and the checks made on the header and on each row.
/// </summary>
public static class ImportCsv
{
    /// <summary>Largest CSV file Cognito accepts: 100 MB.</summary>
    public const long MaxBytes = 100L * 1024 * 1024;
    /// <summary>Most data rows in one job (Cognito's limit): 500,000.</summary>
    public const int MaxRows = 500_000;
    /// <summary>The username column.</summary>
    public const string UsernameColumn = "cognito:username";
    /// <summary>The MFA column (true / false).</summary>
    public const string MfaColumn = "cognito:mfa_enabled";

    /// <summary>The standard attributes in the order GetCSVHeader lists them (the guide's sample response).</summary>
    static readonly string[] StandardOrder =
    [
        "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website", "email",
        "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at",
    ];

    /// <summary>
    /// GetCSVHeader: the pool's standard attributes in Cognito's order (those in its schema), then its <c>custom:</c> attributes in
    /// schema order, then <c>cognito:mfa_enabled</c> and <c>cognito:username</c>. Developer-only (<c>dev:custom:</c>) attributes are not
    /// listed; <c>sub</c> and <c>identities</c> are never imported.
    /// </summary>
    public static IReadOnlyList<string> Header(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var header = new List<string>();
        foreach (var name in StandardOrder)
        {
            if (pool.Config.SchemaAttributes is null || AttributeRules.Find(pool, name) is not null) header.Add(name);
        }
        foreach (var a in pool.Config.SchemaAttributes ?? [])
        {
            if (a.Name is { } n && n.StartsWith("custom:", StringComparison.Ordinal)) header.Add(n);
        }
        header.Add(MfaColumn);
        header.Add(UsernameColumn);
        return header;
    }

    /// <summary>
    /// Checks a file's header against the pool's (<see cref="Header"/>): every column present once, none other; order free.
    /// Returns null when it fits, else the CompletionMessage the job fails with.
    /// </summary>
    public static string? CheckHeader(UserPool pool, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var expected = Header(pool);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in columns)
        {
            if (!seen.Add(c)) return $"The CSV header is invalid: column {c} appears twice.";
            if (!expected.Contains(c)) return $"The CSV header is invalid: {c} is not an attribute of the user pool (use the header GetCSVHeader returns).";
        }
        var missing = expected.Where(c => !seen.Contains(c)).ToList();
        return missing.Count == 0 ? null : $"The CSV header is invalid: missing column(s) {string.Join(", ", missing)} (use the header GetCSVHeader returns).";
    }

    /// <summary>A reader of RFC 4180 records that refuses bytes that are not UTF-8 (a leading byte-order mark is dropped).</summary>
    public static StreamReader StrictUtf8Reader(Stream stream, bool leaveOpen = false) =>
        new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16, leaveOpen);

    /// <summary>
    /// Reads the next record: its fields, or null at the end. Empty lines are skipped. A quoted field runs to its closing quote
    /// (commas and line breaks inside are data, <c>""</c> is a quote); text after a closing quote before the next comma is kept.
    /// </summary>
    /// <exception cref="DecoderFallbackException">The bytes are not UTF-8.</exception>
    /// <exception cref="FormatException">A quoted field is never closed.</exception>
    public static List<string>? ReadRecord(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (true)
        {
            int first = reader.Peek();
            if (first < 0) return null;
            if (first == '\r' || first == '\n') { reader.Read(); continue; }
            break;
        }
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        while (true)
        {
            int c = reader.Read();
            if (quoted)
            {
                if (c < 0) throw new FormatException("a quoted field is not closed before the end of the file");
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else field.Append((char)c);
                continue;
            }
            switch (c)
            {
                case -1:
                    fields.Add(field.ToString());
                    return fields;
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    if (reader.Peek() == '\n') reader.Read();
                    fields.Add(field.ToString());
                    return fields;
                case '\n':
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)c);
                    break;
            }
        }
    }
}

/// <summary>One valid row of an import file: the username and the attributes to set (empty cells left out).</summary>
/// <param name="Username">The <c>cognito:username</c> value.</param>
/// <param name="Attributes">Attributes to set, email_verified / phone_number_verified as <c>true</c> / <c>false</c>.</param>
/// <param name="MfaEnabled">The <c>cognito:mfa_enabled</c> value.</param>
public sealed record ImportRow(string Username, IReadOnlyList<KeyValuePair<string, string?>> Attributes, bool MfaEnabled);

/// <summary>
/// Turns the records of one file into <see cref="ImportRow"/>s, checking each row as the AWS guide lists: cognito:username and
/// cognito:mfa_enabled given, every value valid for the pool's schema (as AdminCreateUser checks it), email given when
/// email_verified is true and phone_number when phone_number_verified is true, phone_number when MFA is enabled, at least one of the
/// pool's auto-verified attributes verified, and the pool's required attributes present.
/// </summary>
public sealed class ImportRowParser
{
    readonly UserPool _pool;
    readonly IReadOnlyList<string> _columns;

    /// <summary>A parser for files with <paramref name="columns"/> (already checked with <see cref="ImportCsv.CheckHeader"/>).</summary>
    public ImportRowParser(UserPool pool, IReadOnlyList<string> columns)
    {
        _pool = pool ?? throw new ArgumentNullException(nameof(pool));
        _columns = columns ?? throw new ArgumentNullException(nameof(columns));
    }

    /// <summary>Parses one record: the row, or the reason it is refused (and the username when one was read).</summary>
    public (ImportRow? Row, string? Error, string? Username) Parse(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        string? username = null;
        for (int i = 0; i < _columns.Count && i < fields.Count; i++)
        {
            if (_columns[i] == ImportCsv.UsernameColumn) username = fields[i];
        }
        if (fields.Count != _columns.Count) return (null, $"The row has {fields.Count} values; the header has {_columns.Count} columns.", username);
        if (string.IsNullOrEmpty(username)) return (null, "cognito:username is required.", null);
        if (username.Length > 128 || username.Any(char.IsWhiteSpace)) return (null, "cognito:username must be 1 to 128 characters without spaces.", username);

        bool? mfa = null;
        var attributes = new List<KeyValuePair<string, string?>>();
        for (int i = 0; i < _columns.Count; i++)
        {
            var (name, value) = (_columns[i], fields[i]);
            if (name == ImportCsv.UsernameColumn) continue;
            if (name == ImportCsv.MfaColumn)
            {
                mfa = Bool(value);
                if (mfa is null) return (null, "cognito:mfa_enabled must be true or false.", username);
                continue;
            }
            if (value.Length == 0) continue;
            attributes.Add(new(name, value));
        }
        if (mfa is null) return (null, "cognito:mfa_enabled is required.", username);
        var canonical = AttributeRules.Canonical(attributes);
        try
        {
            AttributeRules.ValidateWrites(_pool, canonical, AttributeWriter.Admin, creating: true);
        }
        catch (CognitoException e)
        {
            return (null, e.Error.Message, username);
        }
        var map = canonical.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal);
        if (map.GetValueOrDefault("email_verified") == "true" && !map.ContainsKey("email")) return (null, "email is required when email_verified is true.", username);
        if (map.GetValueOrDefault("phone_number_verified") == "true" && !map.ContainsKey("phone_number")) return (null, "phone_number is required when phone_number_verified is true.", username);
        if (mfa == true && !map.ContainsKey("phone_number")) return (null, "phone_number is required when cognito:mfa_enabled is true.", username);
        var autoVerified = _pool.Config.AutoVerifiedAttributes ?? [];
        if (autoVerified.Count > 0 && !autoVerified.Any(a => map.GetValueOrDefault(a + "_verified") == "true"))
        {
            return (null, $"At least one auto-verified attribute must be verified: set {string.Join(" or ", autoVerified.Select(a => a + "_verified"))} to true.", username);
        }
        if (_pool.Config.UsernameAttributes is { Count: > 0 } usernameAttributes)
        {
            // The name signs in as that attribute (NewUser copies it): a different value in the column would be overwritten.
            foreach (var a in usernameAttributes)
            {
                if (map.TryGetValue(a, out var v) && !string.Equals(v, username, StringComparison.Ordinal)
                    && (a == "email" ? AttributeRules.LooksLikeEmail(username) : AttributeRules.LooksLikePhone(username)))
                {
                    return (null, $"cognito:username must equal {a} in a user pool that signs in by {a}.", username);
                }
            }
        }
        try
        {
            var withName = new Dictionary<string, string>(map, StringComparer.Ordinal);
            foreach (var a in _pool.Config.UsernameAttributes ?? [])
            {
                if ((a == "email" && AttributeRules.LooksLikeEmail(username)) || (a == "phone_number" && AttributeRules.LooksLikePhone(username))) withName[a] = username;
            }
            AttributeRules.RequireSchemaAttributes(_pool, withName);
        }
        catch (CognitoException e)
        {
            return (null, e.Error.Message, username);
        }
        return (new ImportRow(username, canonical, mfa.Value), null, username);
    }

    static bool? Bool(string value) =>
        string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) ? true : string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) ? false : null;
}
