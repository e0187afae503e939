using Cognate.Server.Hosting;

if (CognateCommands.IsCommand(args))
{
    return await CognateCommands.RunAsync(args);
}

// A misconfiguration (options, store, schema, listen address) ends the process with one line on stderr naming the
// setting to fix and exit code 1, never a stack trace; the host's own "failed to start" log is silenced for that.
WebApplication? app = null;
try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = DevelopmentHttps.TranslateArguments(args), ContentRootPath = AppContext.BaseDirectory });
    builder.AddCognate().AddDevelopmentHttps();
    app = builder.Build();
    app.MapCognate();
    await app.InitializeCognateAsync();
    await app.StartAsync();
    CognateHost.Starting = false;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync("Cognate did not start: " + (CognateHost.DescribeStartupFailure(e) ?? $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"));
    try { if (app is not null) await app.DisposeAsync(); } catch (Exception) { /* already failing: the line above is the report */ }
    return 1;
}

await app.WaitForShutdownAsync();
await app.DisposeAsync();
return 0;

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
