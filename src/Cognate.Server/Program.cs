using Cognate.Server.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCognate();
var app = builder.Build();
app.MapCognate();
await app.InitializeCognateAsync();
await app.RunAsync();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
