using Cognate.Server.Home;
using Cognate.Server.Options;
using Cognate.Server.Protocol;

namespace Cognate.Server.Hosting;

/// <summary>Composition of the Cognate server: services, endpoints and startup work.</summary>
internal static partial class CognateHost
{
    /// <summary>Default listen address when neither --urls nor ASPNETCORE_URLS is given.</summary>
    public const string DefaultUrl = "http://localhost:9229";

    /// <summary>
    /// True until the host has started: while it is, the generic host's own "Hosting failed to start" error (with its
    /// stack trace) is not logged, because <c>Program</c> reports the failure as one line naming the setting to fix.
    /// </summary>
    public static volatile bool Starting = true;

    public static WebApplicationBuilder AddCognate(this WebApplicationBuilder builder)
    {
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Warning && !(Starting && level >= LogLevel.Error));
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel(k => KestrelLimits.Apply(k.Limits, builder.Configuration));
        // Graceful shutdown (SIGTERM): stop accepting, let in-flight requests finish for up to this long.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Cognate:ShutdownTimeoutSeconds", 30)));

        var services = builder.Services;
        services.AddOptions<CognateOptions>().BindConfiguration(CognateOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<CognateOptions>>(new CognateOptionsValidator(builder.Environment.IsDevelopment()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(ServiceModel.Load());
        services.AddSingleton<ActionRegistry>();
        services.AddSingleton<Dispatcher>();
        services.AddSingleton<ISigV4Authenticator, SigV4Authenticator>();
        // Browsers may call the Cognito API and read JWKS / discovery from any origin (single-page apps do, as with Cognito).
        // The development outbox and the operator endpoints opt out (DisableCors + LocalCallerFilter): no web page may read codes.
        services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyHeader().WithMethods("GET", "POST", "OPTIONS")
            .WithExposedHeaders("x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage", "Date")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        services.AddCognateServices(builder.Configuration, builder.Environment);
        return builder;
    }

    public static WebApplication MapCognate(this WebApplication app)
    {
        // The client of every request (its remote address and User-Agent) for the user sessions it signs in or refreshes
        // (LastIPAddress, DeviceType); the admin sign-in actions replace it with their ContextData.
        app.Use((http, next) =>
        {
            Core.Sessions.SessionClient.Current = new Core.Sessions.SessionClient(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
            return next(http);
        });
        app.UseCors();
        // One JSON 1.1 endpoint: X-Amz-Target Logs_20140328.* is the CloudWatch Logs subset (import job results), the rest Cognito.
        app.MapPost("/", (HttpContext http, Dispatcher dispatcher) => CloudWatchLogs.LogsApi.IsLogsTarget(http)
            ? http.RequestServices.GetRequiredService<CloudWatchLogs.LogsApi>().HandleAsync(http)
            : dispatcher.HandleAsync(http));
        app.MapHomePage();
        app.MapGet("/health/live", () => Results.Text("ok"));
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapCognateEndpoints();
        return app;
    }
}
