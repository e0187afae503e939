using System.Text.Json;

namespace Cognate.Browser.Tests.Infrastructure;

/// <summary>
/// axe-core (npm 4.14.1, from the committed <c>package.json</c> / <c>package-lock.json</c>, installed by <c>npm ci</c> in test/run.sh)
/// injected into the page (the browser context needs <c>BypassCSP = true</c>): the serious and critical violations of the WCAG 2.x A/AA and best-practice rules.
/// </summary>
public static class Axe
{
    static string? script;

    /// <summary>One line per serious or critical violation: <c>rule (impact): help — selectors</c>; empty when none.</summary>
    /// <exception cref="InvalidOperationException"><c>node_modules/axe-core</c> is not installed.</exception>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        script ??= await LoadAsync();
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
        {
            // A script tag (the page's CSP must be bypassed: the test context sets BypassCSP).
            await page.AddScriptTagAsync(new PageAddScriptTagOptions { Content = script });
        }
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) }));
            }
            """);
        return [.. violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} — {string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")];
    }

    static async Task<string> LoadAsync()
    {
        var path = Path.Combine(BrowserTest.ProjectDirectory(), "node_modules", "axe-core", "axe.min.js");
        if (!File.Exists(path)) throw new InvalidOperationException($"axe-core is not installed: run `npm ci` in {BrowserTest.ProjectDirectory()} (test/run.sh does it).");
        return await File.ReadAllTextAsync(path);
    }
}
