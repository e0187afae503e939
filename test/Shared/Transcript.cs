using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cognate.Tests.Shared;

/// <summary>
/// A recorded exchange list compared byte for byte with a committed JSON file: each entry is a step name, the HTTP status
/// and the raw response body with volatile values (tokens, sessions, SRP values, ids) replaced by placeholders. A missing
/// file is written and the test fails once ("recorded: commit it"), so a transcript is always reviewed in a diff.
/// </summary>
public sealed class Transcript(string name, [CallerFilePath] string callerFile = "")
{
    readonly List<JsonObject> entries = [];
    readonly List<(string Value, string Placeholder)> replacements = [];

    /// <summary>Replaces <paramref name="value"/> with <paramref name="placeholder"/> wherever it occurs in later bodies.</summary>
    public void Mask(string? value, string placeholder)
    {
        if (string.IsNullOrEmpty(value)) return;
        replacements.Add((value, placeholder));
        var escaped = JsonSerializer.Serialize(value)[1..^1]; // as the server writes it (e.g. '+' as \u002B)
        if (escaped != value) replacements.Add((escaped, placeholder));
    }

    /// <summary>Records one exchange; members named in <paramref name="volatileKeys"/> (at any depth) become <c>&lt;Key&gt;</c>.</summary>
    public void Add(string step, int status, string body, params string[] volatileKeys)
    {
        if (body.Length > 0 && JsonNode.Parse(body) is { } node) Collect(node, volatileKeys);
        var text = body;
        foreach (var (value, placeholder) in replacements.OrderByDescending(r => r.Value.Length)) text = text.Replace(value, placeholder, StringComparison.Ordinal);
        entries.Add(new JsonObject { ["step"] = step, ["status"] = status, ["body"] = text });
    }

    void Collect(JsonNode node, string[] keys)
    {
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                if (v is JsonValue value && keys.Contains(k) && value.TryGetValue<string>(out var s)) Mask(s, $"<{k}>");
                else if (v is not null) Collect(v, keys);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var v in a) if (v is not null) Collect(v, keys);
        }
    }

    /// <summary>Compares with <c>Transcripts/{name}.json</c> beside the calling test file.</summary>
    /// <returns>Null when equal; otherwise what differs (the first differing step, expected and actual).</returns>
    public string? Compare()
    {
        var path = Path.Combine(Path.GetDirectoryName(callerFile)!, "Transcripts", name + ".json");
        var actual = new JsonArray([.. entries]).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual, new UTF8Encoding(false));
            return $"Transcript {path} did not exist: recorded it, review and commit it.";
        }
        var expected = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        for (int i = 0; i < Math.Max(expected.Count, entries.Count); i++)
        {
            var e = i < expected.Count ? expected[i]!.ToJsonString() : "(none)";
            var a = i < entries.Count ? entries[i].ToJsonString() : "(none)";
            if (e != a) return $"{name} step {i}:\n expected {e}\n actual   {a}";
        }
        return null;
    }
}
