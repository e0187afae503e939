using Cognate.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCognate();
var app = builder.Build();
app.MapCognate();
await app.InitializeCognateAsync();
await app.RunAsync();

/// <summary>Entry point (public for integration tests).</summary>
public partial class Program;
