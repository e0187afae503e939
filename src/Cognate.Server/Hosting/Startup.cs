using System.Data.Common;
using Cognate.Server.Options;
using Cognate.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Hosting;

/// <summary>
/// A misconfiguration found while starting: <see cref="Exception.Message"/> is one line that names the setting to fix
/// (never a secret). <c>Program</c> prints it to stderr and exits 1.
/// </summary>
internal sealed class CognateStartupException(string message, Exception? inner = null) : Exception(message, inner);

internal static partial class CognateHost
{
    /// <summary>The settings that choose the listen address, for messages.</summary>
    const string UrlsSetting = "--urls / ASPNETCORE_URLS";

    /// <summary>Migrates the store, applies the bootstrap and logs the endpoint, data location and default ids.</summary>
    /// <exception cref="CognateStartupException">Invalid options, an unusable store or a schema newer than this build.</exception>
    public static async Task InitializeCognateAsync(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cognate");
        var options = app.Services.GetRequiredService<IOptions<CognateOptions>>().Value; // validate options before touching data
        if (app.Environment.IsDevelopment() && (string.IsNullOrWhiteSpace(options.MasterKey) || CognateOptionsValidator.IsDevelopmentKey(options.MasterKey)))
        {
            LogDevelopmentKey(logger);
        }
        var storage = await OpenStorageAsync(app.Services, app.Lifetime.ApplicationStopping);
        var ensured = await app.Services.GetRequiredService<Bootstrapper>().RunAsync(app.Lifetime.ApplicationStopping);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // The SRP group's fixed-base tables, off the first sign-in's path (and off the cold start's).
            ThreadPool.QueueUserWorkItem(_ => Core.Crypto.Srp.WarmUp());
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogStarted(logger, string.Join(", ", addresses), storage.DataLocation, app.Environment.EnvironmentName);
            foreach (var (poolId, clientIds) in ensured)
            {
                LogPool(logger, poolId, string.Join(", ", clientIds));
            }
        });
    }

    /// <summary>Resolves the store and applies pending migrations, turning storage failures into one-line startup errors.</summary>
    /// <exception cref="CognateStartupException">Bad connection string, unreachable or unwritable store, schema newer than this build.</exception>
    internal static async Task<IStorageInitializer> OpenStorageAsync(IServiceProvider services, CancellationToken ct)
    {
        IStorageInitializer storage;
        try
        {
            storage = services.GetRequiredService<IStorageInitializer>();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CognateStartupException($"ConnectionStrings:Cognate is not a valid connection string ({OneLine(e.Message)}): fix it (env ConnectionStrings__Cognate).", e);
        }

        try
        {
            await storage.MigrateAsync(ct);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("newer Cognate", StringComparison.Ordinal))
        {
            throw new CognateStartupException($"ConnectionStrings:Cognate points at {storage.DataLocation}, whose schema is newer than this build: {OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CognateStartupException($"ConnectionStrings:Cognate: the data directory of {storage.DataLocation} cannot be created or written ({OneLine(e.Message)}): choose a writable location (env ConnectionStrings__Cognate=\"Data Source=/path/cognate.db\").", e);
        }
        catch (Exception e) when (e is DbException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            throw new CognateStartupException($"ConnectionStrings:Cognate: the store {storage.DataLocation} cannot be opened or written ({OneLine(e.Message)}): check the connection string, that the database is reachable and the location writable.", e);
        }

        return storage;
    }

    /// <summary>
    /// The one line to print when starting failed, naming the setting to fix; null for an exception that is not a
    /// known misconfiguration (a bug: the caller prints its type and message, still on one line).
    /// </summary>
    public static string? DescribeStartupFailure(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } aggregate) e = aggregate.InnerException!;
        return e switch
        {
            CognateStartupException s => s.Message,
            OptionsValidationException o => "Configuration: " + string.Join(" ", o.Failures.Select(OneLine)),
            // Kestrel: AddressInUseException (an IOException) or a bad address in --urls.
            IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) && io.Message.Contains("https://", StringComparison.Ordinal) =>
                $"{DevelopmentHttps.PortKey}: {OneLine(io.Message)} Stop the other process or choose another port, e.g. --{DevelopmentHttps.PortKey}=9231.",
            IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
                $"{UrlsSetting}: {OneLine(io.Message)} Stop the other process or choose another address, e.g. --urls http://localhost:9230.",
            IOException io => $"{UrlsSetting}: cannot listen ({OneLine(io.Message)}).",
            UriFormatException or FormatException when e.StackTrace?.Contains("Kestrel", StringComparison.Ordinal) == true =>
                $"{UrlsSetting} is not a valid address ({OneLine(e.Message)}), e.g. http://localhost:9229.",
            // Settings read outside the options system (the store provider, Kestrel limits) say which key is wrong.
            InvalidOperationException when e.Message.Contains(ProviderKey, StringComparison.Ordinal) || e.Message.StartsWith("Cognate:", StringComparison.Ordinal) => OneLine(e.Message),
            _ => null,
        };
    }

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();

    [LoggerMessage(Level = LogLevel.Information, Message = "Cognate listening on {Endpoints}; data in {DataLocation}; environment {Environment}")]
    static partial void LogStarted(ILogger logger, string endpoints, string dataLocation, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "User pool {UserPoolId} with app client(s) {ClientIds}")]
    static partial void LogPool(ILogger logger, string userPoolId, string clientIds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cognate:MasterKey is the public development key (or unset, which means it): anything sealed in this store is readable by anyone. Never use this data outside Development.")]
    static partial void LogDevelopmentKey(ILogger logger);
}
