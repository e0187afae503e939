using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cognate.Server.Protocol;

/// <summary>
/// The request side of the Cognito service model (generated from botocore by
/// <c>tools/gen-service-model.py</c> and embedded): every operation's input shape and whether it is
/// unsigned (<c>authtype: none</c>), and every input shape's constraints.
/// </summary>
internal sealed class ServiceModel
{
    public sealed record Operation(string Name, string? InputShape, bool Unsigned);

    public sealed class Shape
    {
        public required string Name { get; init; }
        public required string Type { get; init; }
        public string[] Required { get; init; } = [];
        public long? Min { get; init; }
        public long? Max { get; init; }
        /// <summary>The whole-value pattern, compiled on first use (only a few shapes are ever hot; compiling all at startup would slow the cold start).</summary>
        public Regex? Pattern => _pattern?.Value;
        Lazy<Regex?>? _pattern;
        /// <summary>
        /// Sets the pattern (anchored, culture-invariant, compiled, 2 s match timeout). The botocore patterns are simple
        /// character classes; a 100 ms timeout refused valid pool ids on a busy machine, and the non-backtracking engine
        /// cost GetUser ≈ 15 % (measured, bench/README.md), so the compiled engine stays with a timeout no valid value
        /// reaches. A construct .NET cannot parse leaves the value unchecked.
        /// </summary>
        public string? PatternSource
        {
            init => _pattern = value is null ? null : new Lazy<Regex?>(() =>
            {
                var anchored = "^(?:" + value + ")$";
                try { return new Regex(anchored, RegexOptions.CultureInvariant | RegexOptions.Singleline | RegexOptions.Compiled, TimeSpan.FromSeconds(2)); }
                catch (ArgumentException) { return null; } // a Java-only construct: the pattern is not checked
            });
        }
        public string? PatternText { get; init; }
        public FrozenSet<string>? Enum { get; init; }
        public string[]? EnumList { get; init; }
        public bool Sensitive { get; init; }
        public Dictionary<string, string>? Members { get; init; }
        public string? Member { get; init; }
        public string? Key { get; init; }
        public string? Value { get; init; }
    }

    /// <summary>
    /// Shapes whose values are secrets although botocore does not mark them <c>sensitive</c>: confirmation codes
    /// (ConfirmSignUp, ConfirmForgotPassword, VerifyUserAttribute). Validation errors never echo them.
    /// </summary>
    static readonly FrozenSet<string> AlsoSensitive = new[] { "ConfirmationCodeType" }.ToFrozenSet(StringComparer.Ordinal);

    public FrozenDictionary<string, Operation> Operations { get; }
    public FrozenDictionary<string, Shape> Shapes { get; }

    private ServiceModel(FrozenDictionary<string, Operation> ops, FrozenDictionary<string, Shape> shapes)
    {
        Operations = ops;
        Shapes = shapes;
    }

    public static ServiceModel Load()
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream("Cognate.Server.Protocol.Model.cognito-idp.json")
            ?? throw new InvalidOperationException("Embedded service model missing.");
        using var doc = JsonDocument.Parse(stream);
        var ops = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var op in doc.RootElement.GetProperty("operations").EnumerateObject())
        {
            var input = op.Value.GetProperty("input");
            ops[op.Name] = new Operation(op.Name, input.ValueKind == JsonValueKind.String ? input.GetString() : null, op.Value.GetProperty("unsigned").GetBoolean());
        }
        var shapes = new Dictionary<string, Shape>(StringComparer.Ordinal);
        foreach (var s in doc.RootElement.GetProperty("shapes").EnumerateObject())
        {
            var e = s.Value;
            string? Str(string n) => e.TryGetProperty(n, out var v) ? v.GetString() : null;
            long? Num(string n) => e.TryGetProperty(n, out var v) ? v.GetInt64() : null;
            string? regex = null;
            var pattern = Str("pattern");
            if (pattern is not null)
            {
                // Cognito matches patterns against the whole value (observed: "Value '1 12 123' at 'confirmationCode' failed to
                // satisfy constraint: ... pattern: [\S]+"). Passwords are the exception: the service accepts inner spaces and
                // reports surrounding whitespace through the password policy (InvalidPasswordException), so their pattern is skipped.
                // DomainType's pattern describes prefix domains only: custom domains (auth.example.com) have dots, and
                // Cognito reports a bad prefix with its own message (DomainService.ValidateName).
                if (s.Name is not ("PasswordType" or "PasswordTypeWithoutPattern" or "DomainType"))
                {
                    regex = pattern;
                }
            }
            string[]? enumList = e.TryGetProperty("enum", out var en) ? en.EnumerateArray().Select(x => x.GetString()!).ToArray() : null;
            shapes[s.Name] = new Shape
            {
                Name = s.Name,
                Type = Str("type")!,
                Required = e.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToArray() : [],
                Min = Num("min"),
                Max = Num("max"),
                PatternSource = regex,
                PatternText = pattern,
                EnumList = enumList is null ? null : AwsEnumOrder.Order(s.Name, enumList),
                Enum = enumList?.ToFrozenSet(StringComparer.Ordinal),
                Sensitive = (e.TryGetProperty("sensitive", out var sen) && sen.GetBoolean()) || AlsoSensitive.Contains(s.Name),
                Members = e.TryGetProperty("members", out var m) ? m.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString()!, StringComparer.Ordinal) : null,
                Member = Str("member"),
                Key = Str("key"),
                Value = Str("value"),
            };
        }
        return new ServiceModel(ops.ToFrozenDictionary(StringComparer.Ordinal), shapes.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
