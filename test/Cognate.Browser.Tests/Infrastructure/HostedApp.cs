using Cognate.Samples.HostedLogin;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cognate.Browser.Tests.Infrastructure;

/// <summary>
/// The seed 004 app (<c>samples/HostedLoginApp</c>) running in-process on Kestrel at <paramref name="baseAddress"/> (a
/// <c>http://localhost:PORT/</c> URL), configured only by its <c>Cognito:*</c> settings, as its README runs it beside Cognate.
/// </summary>
public sealed class HostedApp : IAsyncDisposable
{
    readonly WebApplication app;

    HostedApp(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The app's root URL (its LogoutURL; the callback is <c>{BaseAddress}callback</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the app; <paramref name="time"/> replaces its clock (the cookie handler's and the token refresh's).</summary>
    public static async Task<HostedApp> StartAsync(Uri baseAddress, Uri cognate, string poolId, string clientId, string? clientSecret, TimeProvider? time = null)
    {
        var app = HostedLoginApp.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Urls"] = baseAddress.GetLeftPart(UriPartial.Authority),
                ["Cognito:UserPoolId"] = poolId,
                ["Cognito:ClientId"] = clientId,
                ["Cognito:ClientSecret"] = clientSecret ?? "",
                ["Cognito:Region"] = "us-east-1",
                ["Cognito:EndpointUrl"] = cognate.ToString(),
            });
            b.Logging.ClearProviders();
            if (time is not null) b.Services.AddSingleton(time);
        });
        await app.StartAsync();
        return new HostedApp(app, baseAddress);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A clock running with the system clock plus an offset that a test moves forward (to be "later" without waiting).</summary>
public sealed class ShiftableTime : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
