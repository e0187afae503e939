using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Client.SigV4;

/// <summary>
/// The pure building blocks of AWS Signature Version 4, shared by <see cref="SigV4Signer"/> and
/// <see cref="SigV4Verifier"/>: canonical request, string to sign, signing key and signature.
/// Source: AWS IAM User Guide, "Elements of an AWS API request signature" and
/// "Create a signed AWS API request" (steps 1–5), non-S3 rules.
/// </summary>
public static class SigV4Primitives
{
    /// <summary>The only signing algorithm this implementation speaks: <c>AWS4-HMAC-SHA256</c>.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The credential scope terminator, <c>aws4_request</c>.</summary>
    public const string ScopeTerminator = "aws4_request";

    /// <summary>The format of <c>X-Amz-Date</c>: ISO 8601 basic, UTC, e.g. <c>20150830T123600Z</c>.</summary>
    public const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The format of the date in the credential scope, e.g. <c>20150830</c>.</summary>
    public const string ScopeDateFormat = "yyyyMMdd";

    /// <summary>Formats an instant as an <c>X-Amz-Date</c> value (<see cref="AmzDateFormat"/>, converted to UTC).</summary>
    /// <param name="instant">Any instant; the offset is removed by converting to UTC.</param>
    /// <returns>e.g. <c>20150830T123600Z</c>.</returns>
    public static string FormatAmzDate(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);

    /// <summary>Formats the UTC date of an instant as a credential scope date (<see cref="ScopeDateFormat"/>).</summary>
    /// <param name="instant">Any instant; converted to UTC first.</param>
    /// <returns>e.g. <c>20150830</c>.</returns>
    public static string FormatScopeDate(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(ScopeDateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses an <c>X-Amz-Date</c> value in exactly the <see cref="AmzDateFormat"/> format.</summary>
    /// <param name="value">e.g. <c>20150830T123600Z</c>.</param>
    /// <param name="instant">The parsed instant, offset zero.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid ISO 8601 basic UTC timestamp.</returns>
    public static bool TryParseAmzDate(string? value, out DateTimeOffset instant) =>
        DateTimeOffset.TryParseExact(
            value, AmzDateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant);

    /// <summary>
    /// URI-encodes a string as SigV4 requires: RFC 3986 unreserved characters (<c>A-Z a-z 0-9 - . _ ~</c>)
    /// are kept, every other UTF-8 byte becomes <c>%XX</c> with upper-case hex.
    /// </summary>
    /// <param name="value">The text to encode.</param>
    /// <param name="encodeSlash"><see langword="false"/> to keep <c>/</c> (paths), <see langword="true"/> to encode it (query names and values).</param>
    /// <returns>The encoded text.</returns>
    public static string UriEncode(string value, bool encodeSlash)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' || (c == '/' && !encodeSlash))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The canonical URI of a request path for non-S3 services: the path as sent on the wire (already
    /// percent-encoded once), with empty, <c>.</c> and <c>..</c> segments removed as RFC 3986 §5.2.4 and
    /// AWS require, then URI-encoded once more (so <c>%20</c> becomes <c>%2520</c>). Same result as botocore's
    /// <c>SigV4Auth._normalize_url_path</c>.
    /// </summary>
    /// <param name="rawPath">The request path as received or sent, still percent-encoded, e.g. <c>/</c>; empty means <c>/</c>.</param>
    /// <returns>The canonical path, always starting with <c>/</c>.</returns>
    public static string CanonicalizePath(string? rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        var output = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (output.Count > 0)
                {
                    output.RemoveAt(output.Count - 1);
                }

                continue;
            }

            output.Add(segment);
        }

        var normalized = "/" + string.Join('/', output);
        if (rawPath.EndsWith('/') && output.Count > 0)
        {
            normalized += "/";
        }

        return UriEncode(normalized, encodeSlash: false);
    }

    /// <summary>
    /// The canonical query string: parameters split on <c>&amp;</c> and the first <c>=</c>, percent-decoded,
    /// re-encoded with <see cref="UriEncode"/>, sorted by name then value (ordinal), joined as
    /// <c>name=value&amp;…</c>. A parameter without <c>=</c> gets an empty value.
    /// </summary>
    /// <param name="rawQuery">The query as on the wire, with or without the leading <c>?</c>; <see langword="null"/> or empty for none.</param>
    /// <returns>The canonical query string; empty when there are no parameters.</returns>
    public static string CanonicalQueryString(string? rawQuery)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var query = rawQuery.StartsWith('?') ? rawQuery[1..] : rawQuery;
        var pairs = new List<(string Name, string Value)>();
        foreach (var part in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add((
                UriEncode(Uri.UnescapeDataString(name), encodeSlash: true),
                UriEncode(Uri.UnescapeDataString(value), encodeSlash: true)));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(static p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// The canonical form of one header value: leading and trailing whitespace trimmed and every run of
    /// spaces or tabs inside collapsed to one space.
    /// </summary>
    /// <param name="value">The header value as sent (for repeated headers, the values joined with <c>,</c>).</param>
    /// <returns>The canonical value.</returns>
    public static string CanonicalHeaderValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (c is ' ' or '\t')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The <c>SignedHeaders</c> list: header names lower-cased, de-duplicated, sorted ordinally, joined with <c>;</c>.
    /// </summary>
    /// <param name="headerNames">Header names in any case, e.g. <c>Host</c>, <c>X-Amz-Date</c>.</param>
    /// <returns>e.g. <c>content-type;host;x-amz-date</c>.</returns>
    public static string SignedHeaders(IEnumerable<string> headerNames)
    {
        ArgumentNullException.ThrowIfNull(headerNames);
        return string.Join(';', headerNames
            .Select(static n => n.Trim().ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Builds the canonical request (step 1 of signing):
    /// <c>METHOD\nCanonicalURI\nCanonicalQueryString\nCanonicalHeaders\nSignedHeaders\nHashedPayload</c>,
    /// where each canonical header line is <c>lowercase-name:canonical-value\n</c>, sorted by name, and
    /// headers given more than once are joined with <c>,</c> in the order given.
    /// </summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>; upper-cased.</param>
    /// <param name="canonicalPath">The output of <see cref="CanonicalizePath"/>.</param>
    /// <param name="canonicalQueryString">The output of <see cref="CanonicalQueryString"/>.</param>
    /// <param name="headers">Exactly the headers to sign, name (any case) and raw value.</param>
    /// <param name="hashedPayload">Lower-case hex SHA-256 of the body (<see cref="HashPayload"/>) or the signed <c>X-Amz-Content-Sha256</c> value.</param>
    /// <returns>The canonical request text, without a trailing newline.</returns>
    public static string CanonicalRequest(
        string method,
        string canonicalPath,
        string canonicalQueryString,
        IEnumerable<KeyValuePair<string, string>> headers,
        string hashedPayload)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(headers);

        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values))
            {
                values = [];
                byName[key] = values;
            }

            values.Add(CanonicalHeaderValue(value));
        }

        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(canonicalPath).Append('\n');
        builder.Append(canonicalQueryString).Append('\n');
        foreach (var (name, values) in byName)
        {
            builder.Append(name).Append(':').AppendJoin(',', values).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', byName.Keys)).Append('\n');
        builder.Append(hashedPayload);
        return builder.ToString();
    }

    /// <summary>The credential scope, <c>yyyymmdd/region/service/aws4_request</c>.</summary>
    /// <param name="scopeDate">The date, <see cref="ScopeDateFormat"/>, e.g. <c>20150830</c>.</param>
    /// <param name="region">e.g. <c>us-east-1</c>.</param>
    /// <param name="service">The signing name, e.g. <c>cognito-idp</c>.</param>
    /// <returns>e.g. <c>20150830/us-east-1/iam/aws4_request</c>.</returns>
    public static string CredentialScope(string scopeDate, string region, string service) =>
        $"{scopeDate}/{region}/{service}/{ScopeTerminator}";

    /// <summary>
    /// Builds the string to sign (step 3): <c>AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{hex SHA-256 of canonical request}</c>.
    /// </summary>
    /// <param name="amzDate">The request time, <see cref="AmzDateFormat"/>.</param>
    /// <param name="credentialScope">The output of <see cref="CredentialScope"/>.</param>
    /// <param name="canonicalRequest">The output of <see cref="CanonicalRequest"/>.</param>
    /// <returns>The string to sign.</returns>
    public static string StringToSign(string amzDate, string credentialScope, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        return $"{Algorithm}\n{amzDate}\n{credentialScope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
    }

    /// <summary>
    /// Derives the signing key (step 4): <c>HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")</c>.
    /// </summary>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="scopeDate">The scope date, <see cref="ScopeDateFormat"/>.</param>
    /// <param name="region">The region of the scope.</param>
    /// <param name="service">The service of the scope.</param>
    /// <returns>The 32-byte signing key; callers should treat it as secret.</returns>
    public static byte[] DeriveSigningKey(string secretAccessKey, string scopeDate, string region, string service)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        var secret = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        try
        {
            var dateKey = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(scopeDate));
            var regionKey = HMACSHA256.HashData(dateKey, Encoding.UTF8.GetBytes(region));
            var serviceKey = HMACSHA256.HashData(regionKey, Encoding.UTF8.GetBytes(service));
            var signingKey = HMACSHA256.HashData(serviceKey, Encoding.UTF8.GetBytes(ScopeTerminator));
            CryptographicOperations.ZeroMemory(dateKey);
            CryptographicOperations.ZeroMemory(regionKey);
            CryptographicOperations.ZeroMemory(serviceKey);
            return signingKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Computes the signature (step 5): lower-case hex of <c>HMAC-SHA256(signingKey, stringToSign)</c>.</summary>
    /// <param name="signingKey">The output of <see cref="DeriveSigningKey"/>.</param>
    /// <param name="stringToSign">The output of <see cref="StringToSign"/>.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string ComputeSignature(byte[] signingKey, string stringToSign)
    {
        ArgumentNullException.ThrowIfNull(stringToSign);
        return Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>The hashed payload: lower-case hex SHA-256 of the body bytes (empty body: <c>e3b0c442…b855</c>).</summary>
    /// <param name="body">The exact body bytes sent.</param>
    /// <returns>64 lower-case hex characters.</returns>
    public static string HashPayload(ReadOnlySpan<byte> body) => Hex(SHA256.HashData(body));

    /// <summary>The <c>Authorization</c> header value for a computed signature.</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="credentialScope">The output of <see cref="CredentialScope"/>.</param>
    /// <param name="signedHeaders">The output of <see cref="SignedHeaders"/>.</param>
    /// <param name="signature">The output of <see cref="ComputeSignature"/>.</param>
    /// <returns><c>AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=…, Signature=…</c>.</returns>
    public static string AuthorizationHeader(string accessKeyId, string credentialScope, string signedHeaders, string signature) =>
        $"{Algorithm} Credential={accessKeyId}/{credentialScope}, SignedHeaders={signedHeaders}, Signature={signature}";

    internal static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
