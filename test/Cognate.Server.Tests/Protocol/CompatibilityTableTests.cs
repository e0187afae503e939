using Cognate.Server.Protocol;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Protocol;

/// <summary>docs/compatibility.md (tools/gen-compatibility.py) lists every operation of the service model with its status as the
/// action registry has it: the table cannot say "built" for an action without a handler, or miss one.</summary>
public sealed class CompatibilityTableTests
{
    [Fact]
    public void CompatibilityTable_MatchesModelAndRegistry()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Cognate.slnx"))) dir = dir.Parent;
        dir.ShouldNotBeNull("the repository root (Cognate.slnx) above the test binaries");
        var rows = File.ReadAllLines(Path.Combine(dir.FullName, "docs", "compatibility.md"))
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| action ", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries))
            .ToDictionary(c => c[1], c => c[4], StringComparer.Ordinal);
        var model = ServiceModel.Load();
        var registry = new ActionRegistry();
        const string regenerate = "docs/compatibility.md is stale: run python3 tools/gen-compatibility.py";
        rows.Keys.Order(StringComparer.Ordinal).ShouldBe(model.Operations.Keys.Order(StringComparer.Ordinal), regenerate);
        foreach (var (action, status) in rows)
        {
            status.ShouldBe(registry.Handlers.ContainsKey(action) ? "built" : "not built", $"{action}: {regenerate}");
        }
        registry.Handlers.Keys.ShouldAllBe(k => model.Operations.ContainsKey(k), "every handler is an operation of the model");
    }
}
