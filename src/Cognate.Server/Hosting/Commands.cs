using Cognate.Core.Crypto;
using Cognate.Server.Options;
using Cognate.Storage;
using Cognate.Storage.Secrets;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Hosting;

/// <summary>
/// Operator commands run instead of the server, with the server's own configuration (appsettings, environment,
/// <c>--Key=value</c> arguments):
/// <list type="bullet">
/// <item><c>migrate</c>: applies pending schema migrations and exits (the server also does this on start).</item>
/// <item><c>rekey</c>: re-encrypts every secret at rest from <c>Cognate:MasterKey</c> to <c>Cognate:NewMasterKey</c>
/// (env <c>Cognate__NewMasterKey</c>) in one transaction. Stop every node first; then start them with the new key.</item>
/// </list>
/// Exit code 0 on success, 1 on failure (the reason on stderr; keys are never printed).
/// </summary>
internal static class CognateCommands
{
    /// <summary>Configuration key of the new master key for <c>rekey</c>.</summary>
    public const string NewMasterKeyKey = "Cognate:NewMasterKey";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "migrate" or "rekey";

    public static async Task<int> RunAsync(string[] args)
    {
        var command = args[0];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args[1..], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddCognate();
        await using var app = builder.Build();
        try
        {
            _ = app.Services.GetRequiredService<IOptions<CognateOptions>>().Value;
            var storage = await CognateHost.OpenStorageAsync(app.Services, CancellationToken.None);
            if (command == "migrate")
            {
                var readiness = await storage.CheckReadyAsync();
                await Console.Out.WriteLineAsync($"migrate: {storage.DataLocation} is at schema version {readiness.SchemaVersion}");
                return 0;
            }

            return await RekeyAsync(app, storage);
        }
        catch (Exception e) when (CognateHost.DescribeStartupFailure(e) is { } line)
        {
            await Console.Error.WriteLineAsync($"{command} failed: {line}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException or System.Security.Cryptography.CryptographicException or ArgumentException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"{command} failed: {e.Message}");
            return 1;
        }
    }

    static async Task<int> RekeyAsync(WebApplication app, IStorageInitializer storage)
    {
        var newKey = app.Configuration[NewMasterKeyKey];
        if (string.IsNullOrWhiteSpace(newKey))
        {
            throw new ArgumentException($"rekey needs the new key in {NewMasterKeyKey} (env Cognate__NewMasterKey), base64 of 32 bytes; the current key stays in Cognate:MasterKey.");
        }

        if (!app.Environment.IsDevelopment() && CognateOptionsValidator.IsDevelopmentKey(newKey))
        {
            throw new ArgumentException("Cognate:NewMasterKey is the public development key, which is allowed only in the Development environment.");
        }

        var current = app.Services.GetRequiredService<MasterKeyProtector>();
        using var next = MasterKeyProtector.FromBase64(newKey);
        var result = await MasterKeyRotation.RekeyAsync(storage, new MasterKeySealer(current), new MasterKeySealer(next));
        var tables = string.Join(", ", result.Resealed.Select(t => $"{t.Key} {t.Value}"));
        await Console.Out.WriteLineAsync($"rekey: re-encrypted {result.Total} secret(s) in {storage.DataLocation} ({tables}); {result.AlreadyCurrent} already under the new key.");
        await Console.Out.WriteLineAsync("rekey: now set Cognate:MasterKey to the new key on every node and start them. Pending confirmation codes were keyed by the old key and no longer match.");
        return 0;
    }
}
