using System.Globalization;
using Cognate.Server.Protocol;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cognate.Server.Hosting;

/// <summary>
/// Kestrel's limits for slow and oversized requests, from configuration (<c>Cognate:Http:*</c>), applied at start:
/// the largest body (<see cref="Dispatcher.MaxBodyBytes"/> + 1, so the dispatcher's own 1 MiB check answers first
/// with <c>RequestEntityTooLargeException</c>), the minimum body data rate (a slower body is cut off with 408), and the
/// time allowed for the request headers (a slower client's connection is closed). A value that is not a non-negative
/// number stops the start with a message naming the key.
/// </summary>
internal static class KestrelLimits
{
    /// <summary>Minimum request body rate in bytes per second, averaged after the grace period; 0 turns the check off. Default 240.</summary>
    public const string MinRequestBodyBytesPerSecondKey = "Cognate:Http:MinRequestBodyBytesPerSecond";
    /// <summary>Seconds a body may start slowly before <see cref="MinRequestBodyBytesPerSecondKey"/> applies. Default 5.</summary>
    public const string MinRequestBodyGraceSecondsKey = "Cognate:Http:MinRequestBodyGraceSeconds";
    /// <summary>Seconds allowed to receive the request line and headers. Default 30.</summary>
    public const string RequestHeadersTimeoutSecondsKey = "Cognate:Http:RequestHeadersTimeoutSeconds";

    /// <summary>Sets <paramref name="limits"/> from <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">A key holds something other than a non-negative number (or 0 where 0 is not allowed).</exception>
    public static void Apply(KestrelServerLimits limits, IConfiguration configuration)
    {
        limits.MaxRequestBodySize = Dispatcher.MaxBodyBytes + 1;
        double rate = Read(configuration, MinRequestBodyBytesPerSecondKey, 240, allowZero: true);
        double grace = Read(configuration, MinRequestBodyGraceSecondsKey, 5, allowZero: false);
        limits.MinRequestBodyDataRate = rate == 0 ? null : new MinDataRate(rate, TimeSpan.FromSeconds(grace));
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(Read(configuration, RequestHeadersTimeoutSecondsKey, 30, allowZero: false));
    }

    static double Read(IConfiguration configuration, string key, double fallback, bool allowZero)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0 || (!allowZero && value == 0))
        {
            throw new InvalidOperationException($"{key} must be a {(allowZero ? "non-negative" : "positive")} number (got '{text}').");
        }
        return value;
    }
}
