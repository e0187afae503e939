using Cognate.Server.Hosting;

if (CognateCommands.IsCommand(args))
{
    return await CognateCommands.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCognate();
var app = builder.Build();
app.MapCognate();
await app.InitializeCognateAsync();
await app.RunAsync();
return 0;

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
