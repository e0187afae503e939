using System.Collections.Concurrent;
using Cognate.Samples.AuthApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognate.Samples.Tests.Infrastructure;

/// <summary>A clock running with the system clock plus an offset (to present tokens "later" without waiting).</summary>
public sealed class ShiftedTime(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
}

/// <summary>Every log line the sample writes, to prove that no secret reaches the logs.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> kv ? string.Join(";", kv.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{structured}] {exception}");
        }
    }
}

/// <summary>The sample API running in-process on Kestrel at 127.0.0.1 (a free port), configured for one pool and client of a Cognate server.</summary>
public sealed class SampleApp : IAsyncDisposable
{
    readonly WebApplication app;

    SampleApp(WebApplication app, CapturingLoggerProvider logs)
    {
        this.app = app;
        Logs = logs;
    }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public Uri BaseAddress { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; }

    public static async Task<SampleApp> StartAsync(CognateServer server, string poolId, string clientId, string? clientSecret, TimeProvider? time = null, int jwksRefreshSeconds = 1)
    {
        var logs = new CapturingLoggerProvider();
        var app = AuthApiApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = "http://127.0.0.1:0",
                ["Cognito:UserPoolId"] = poolId,
                ["Cognito:ClientId"] = clientId,
                ["Cognito:ClientSecret"] = clientSecret ?? "",
                ["Cognito:Region"] = "us-east-1",
                ["Cognito:ServiceUrl"] = server.Endpoint.ToString(),
                ["Cognito:JwksRefreshSeconds"] = jwksRefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            b.Logging.ClearProviders();
            b.Logging.SetMinimumLevel(LogLevel.Trace);
            b.Logging.AddProvider(logs);
            if (time is not null) b.Services.AddSingleton(time);
        });
        await app.StartAsync();
        var sample = new SampleApp(app, logs);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        sample.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        sample.Http.BaseAddress = sample.BaseAddress;
        return sample;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
