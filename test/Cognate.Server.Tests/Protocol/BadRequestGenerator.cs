using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Server.Protocol;

namespace Cognate.Server.Tests.Protocol;

/// <summary>One generated request: the exact body bytes, headers, and what kind of damage it carries.</summary>
sealed record FuzzCase(int Seed, int Index, string Kind, string? Target, string ContentType, byte[] Body, bool Signed);

/// <summary>
/// Generates bad requests from the service model, deterministically from a seed: operations in turn (every operation
/// of the model is covered every 122 requests), a plausible input built from the operation's input shape (required
/// members always, optional ones sometimes, enums and ranges respected, the development pool and client ids now and
/// then so requests reach the handlers), then one kind of damage: a wrong JSON type, a missing member, an over-long or
/// control-character string, a null (also inside maps and lists), deep nesting, invalid UTF-8 or an unpaired surrogate
/// escape in a value or a member name, a truncated, oversized or non-JSON body, or a wrong target or content type.
/// Half the requests are SigV4-signed (the caller signs).
/// </summary>
sealed class BadRequestGenerator(ServiceModel model, int seed)
{
    const string Placeholder = "FUZZPLACEHOLDERVALUE";
    static readonly string[] AuthKeys = ["USERNAME", "PASSWORD", "SRP_A", "REFRESH_TOKEN", "REFRESH_TOKEN_AUTH", "SECRET_HASH", "DEVICE_KEY", "PREFERRED_CHALLENGE", "ANSWER", "NEW_PASSWORD", "SMS_MFA_CODE", "SOFTWARE_TOKEN_MFA_CODE", "EMAIL_OTP_CODE", "SMS_OTP_CODE", "PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "MFAS_CAN_SETUP", "userAttributes.email"];
    static readonly string[] Damages = ["wrong-type", "null", "missing-member", "overlong-string", "control-chars", "deep-nesting", "odd-number", "odd-string", "invalid-utf8", "surrogate-escape", "truncated", "not-json", "bad-target", "bad-content-type"];

    readonly Random rng = new(seed);
    readonly string[] operations = [.. model.Operations.Keys.Order(StringComparer.Ordinal)];

    public FuzzCase Next(int index)
    {
        var op = model.Operations[operations[index % operations.Length]];
        bool signed = rng.Next(2) == 0;
        var root = op.InputShape is null ? new JsonObject() : (JsonObject)Build(model.Shapes[op.InputShape], 0, op.InputShape)!;
        string? target = Dispatcher.TargetPrefix + op.Name;
        string contentType = "application/x-amz-json-1.1";
        // Oversized bodies are 1 MiB each: keep them rare.
        string kind = rng.Next(1000) < 3 ? "oversized" : Damages[rng.Next(Damages.Length)];
        byte[] body;
        switch (kind)
        {
            case "invalid-utf8":
            case "surrogate-escape":
                {
                    InsertPlaceholder(root);
                    var text = root.ToJsonString();
                    var bytes = Encoding.UTF8.GetBytes(text);
                    byte[] bad = kind == "invalid-utf8"
                        ? Pick<byte[]>([[0xC3, 0x28], [0xFF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC0, 0xAF], [0x80, 0x80]])
                        : Encoding.ASCII.GetBytes(Pick(["\\ud800", "\\udc00", "\\ud800\\u0041", "\\udfff\\ud800", "x\\ud83d", "\\uD800\\uD800"]));
                    body = Replace(bytes, Encoding.ASCII.GetBytes(Placeholder), bad);
                    break;
                }
            case "truncated":
                {
                    var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
                    body = bytes[..rng.Next(Math.Max(1, bytes.Length))];
                    break;
                }
            case "not-json":
                body = Encoding.UTF8.GetBytes(Pick(["", "null", "[]", "\"x\"", "1", "true", "{", "}", "{\"a\":1,}", "{'a':1}", "\uFEFF{}", "{\"a\":1}{\"b\":2}", "{\"ClientId\":\"a\",\"ClientId\":\"b\"}", "{\"a\":1e999}", new string('[', 5000), new string('{', 1000) + "\"a\":1", "{\"a\":\"\\x41\"}", "{\"a\":\"\u0001\"}", "NaN", "{\"a\":NaN}", "{/*c*/}"]));
                break;
            case "oversized":
                root["Padding"] = new string('p', Dispatcher.MaxBodyBytes + 10);
                body = Encoding.UTF8.GetBytes(root.ToJsonString());
                break;
            case "bad-target":
                body = Encoding.UTF8.GetBytes(root.ToJsonString());
                target = Pick<string?>([null, "", op.Name, Dispatcher.TargetPrefix, Dispatcher.TargetPrefix + op.Name.ToLowerInvariant(), Dispatcher.TargetPrefix + op.Name + " ", "AWSCognitoIdentityService." + op.Name, Dispatcher.TargetPrefix + "Nope\u00e9", Dispatcher.TargetPrefix + new string('A', 5000)]);
                break;
            case "bad-content-type":
                body = Encoding.UTF8.GetBytes(root.ToJsonString());
                contentType = Pick(["text/plain", "application/json", "application/x-amz-json-1.0", "", "application/x-amz-json-1.1; charset=utf-16", "multipart/form-data; boundary=x"]);
                break;
            default:
                Damage(root, kind);
                body = Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { MaxDepth = 256 }));
                break;
        }
        return new FuzzCase(seed, index, kind, target, contentType, body, signed);
    }

    T Pick<T>(T[] items) => items[rng.Next(items.Length)];

    /// <summary>A plausible value for <paramref name="shape"/>; members named after pools and clients sometimes get the development ids.</summary>
    JsonNode? Build(ServiceModel.Shape shape, int depth, string memberName)
    {
        switch (shape.Type)
        {
            case "structure":
                {
                    var o = new JsonObject();
                    foreach (var (name, memberShape) in shape.Members ?? [])
                    {
                        bool required = shape.Required.Contains(name);
                        if (required || (depth < 3 && rng.Next(3) == 0)) o[name] = Build(model.Shapes[memberShape], depth + 1, name);
                    }
                    return o;
                }
            case "list":
                {
                    var a = new JsonArray();
                    int n = Math.Max((int)(shape.Min ?? 0), depth < 3 ? rng.Next(3) : 0);
                    for (int i = 0; i < Math.Min(n, 3); i++) a.Add(Build(model.Shapes[shape.Member!], depth + 1, memberName));
                    return a;
                }
            case "map":
                {
                    var o = new JsonObject();
                    int n = depth < 3 ? rng.Next(4) : 0;
                    bool auth = memberName is "AuthParameters" or "ChallengeResponses";
                    for (int i = 0; i < n; i++)
                    {
                        var key = auth ? Pick(AuthKeys) : RandomString(1, 12);
                        o[key] = Build(model.Shapes[shape.Value!], depth + 1, key);
                    }
                    return o;
                }
            case "string":
                if (shape.EnumList is { Length: > 0 } e) return e[rng.Next(e.Length)];
                if (memberName == "UserPoolId" && rng.Next(2) == 0) return "us-east-1_CognateDv";
                if (memberName == "ClientId" && rng.Next(2) == 0) return "cognatedevelopmentclient01";
                return RandomString((int)Math.Max(shape.Min ?? 1, 1), (int)Math.Min(shape.Max ?? 16, Math.Max(shape.Min ?? 1, 1) + 15));
            case "integer":
            case "long":
                {
                    long lo = shape.Min ?? 0, hi = shape.Max ?? 1000;
                    return lo + (long)(rng.NextDouble() * Math.Min(hi - lo, 1000));
                }
            case "boolean":
                return rng.Next(2) == 0;
            case "timestamp":
                return 1_700_000_000 + rng.Next(100_000_000);
            case "blob":
                return Convert.ToBase64String(Encoding.ASCII.GetBytes(RandomString(1, 20)));
            default:
                return null;
        }
    }

    string RandomString(int min, int max)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        int len = min + rng.Next(Math.Max(1, max - min + 1));
        var sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) sb.Append(alphabet[rng.Next(alphabet.Length)]);
        return sb.ToString();
    }

    /// <summary>Every place a value sits in the tree: (container, key or index).</summary>
    static List<(JsonNode Parent, string? Key, int Index)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, string?, int)>();
        void Walk(JsonNode node)
        {
            if (node is JsonObject o)
            {
                foreach (var (k, v) in o.ToArray()) { slots.Add((o, k, -1)); if (v is not null) Walk(v); }
            }
            else if (node is JsonArray a)
            {
                for (int i = 0; i < a.Count; i++) { slots.Add((a, null, i)); if (a[i] is { } v) Walk(v); }
            }
        }
        Walk(root);
        return slots;
    }

    void Set((JsonNode Parent, string? Key, int Index) slot, JsonNode? value)
    {
        if (slot.Parent is JsonObject o) o[slot.Key!] = value;
        else ((JsonArray)slot.Parent)[slot.Index] = value;
    }

    void Damage(JsonObject root, string kind)
    {
        var slots = Slots(root);
        // Prefer map entries for nulls (the AuthParameters case) when there are any.
        var mapSlots = slots.Where(s => s.Parent is JsonObject o && o.Parent is JsonObject && !s.Key!.Any(char.IsAsciiLetterLower)).ToList();
        if (slots.Count == 0 || (kind != "missing-member" && rng.Next(8) == 0))
        {
            // Damage at the top level: a new member (unknown, or a known one absent so far).
            root[rng.Next(2) == 0 ? "Unknown" + rng.Next(100) : Pick(["ClientId", "UserPoolId", "Username", "AuthParameters", "AccessToken", "Session", "Limit"])] = "x";
            slots = Slots(root);
        }
        var slot = kind == "null" && mapSlots.Count > 0 && rng.Next(2) == 0 ? mapSlots[rng.Next(mapSlots.Count)] : slots[rng.Next(slots.Count)];
        switch (kind)
        {
            case "wrong-type":
                Set(slot, Pick<Func<JsonNode?>>([() => 123, () => true, () => "text", () => new JsonArray(), () => new JsonObject(), () => 1.5, () => -1, () => new JsonArray(1, "a", null), () => new JsonObject { ["a"] = null }])());
                break;
            case "null":
                Set(slot, null);
                break;
            case "missing-member":
                if (slot.Parent is JsonObject po) po.Remove(slot.Key!); else ((JsonArray)slot.Parent).RemoveAt(slot.Index);
                break;
            case "overlong-string":
                Set(slot, new string(Pick(['a', 'é', '0', ' ']), Pick([129, 257, 2049, 20_000, 70_000])));
                break;
            case "control-chars":
                Set(slot, Pick(["\u0000", "a\u0000b", "\u0001\u001f\u007f", "line\nbreak", "tab\there", "\u2028\u2029", "\r\n\r\nX-Injected: 1", "%00%0d%0a", "\u200b", "\ufffe\uffff"]));
                break;
            case "deep-nesting":
                {
                    JsonNode deep = "x";
                    int levels = Pick([31, 33, 64, 200]);
                    for (int i = 0; i < levels; i++) deep = rng.Next(2) == 0 ? new JsonArray(deep) : new JsonObject { ["a"] = deep };
                    Set(slot, deep);
                    break;
                }
            case "odd-number":
                Set(slot, JsonNode.Parse(Pick(["1e308", "-1e308", "99999999999999999999999", "-9223372036854775809", "9223372036854775807", "2147483648", "-2147483649", "0.0000001", "-0", "1E2", "0"])));
                break;
            case "odd-string":
                Set(slot, Pick(["", " ", "\\", "\"", "'", "../../etc/passwd", "%s%n", "${jndi:x}", "<script>", "😀", "\ud83d\ude00\ud83d\ude00", "null", "undefined", "AAAA==", "us-east-1_", "_", ".", "*", "a@b", "+1555", "Zm9v", new string('=', 64)]));
                break;
        }
    }

    /// <summary>Puts <see cref="Placeholder"/> somewhere a string sits: a value, a map key or a new member name.</summary>
    void InsertPlaceholder(JsonObject root)
    {
        var slots = Slots(root).Where(s => s.Parent is JsonObject).ToList();
        int where = rng.Next(3);
        if (slots.Count > 0 && where == 0)
        {
            Set(slots[rng.Next(slots.Count)], "a" + Placeholder + "b");
        }
        else if (slots.Count > 0 && where == 1)
        {
            var (parent, key, _) = slots[rng.Next(slots.Count)];
            var o = (JsonObject)parent;
            var v = o[key!];
            o.Remove(key!);
            o[key + Placeholder] = v;
        }
        else
        {
            root[Placeholder] = "x";
        }
    }

    static byte[] Replace(byte[] haystack, byte[] needle, byte[] with)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        if (at < 0) return haystack;
        return [.. haystack.AsSpan(0, at), .. with, .. haystack.AsSpan(at + needle.Length)];
    }
}
