namespace Cognate.Core.Sessions;

/// <summary>
/// A session's <c>DeviceType</c> from a User-Agent. Cognito documents only that it is "derived from the parsed user agent
/// (operating system and browser or app)", at most 1,024 characters, and can be <c>unknown</c>; it does not document the format.
/// Cognate's rule: <c>{app} on {os}</c>, or <c>{app}</c> when no operating system is named, or <c>unknown</c>.
/// </summary>
/// <remarks>
/// The app is, in this order: an AWS SDK or tool named by its product token (<c>aws-sdk-js/3.600.0</c> → <c>aws-sdk-js</c>,
/// <c>Boto3/1.34</c> → <c>Boto3</c>, <c>aws-cli/2.15</c> → <c>aws-cli</c>); else a browser (Edge, Opera, Samsung Internet,
/// Firefox, Chrome, Safari, by their usual tokens <c>Edg/</c>, <c>OPR/</c>, <c>SamsungBrowser/</c>, <c>Firefox/</c>,
/// <c>Chrome/</c> or <c>CriOS/</c>, <c>Safari/</c> with <c>Version/</c>); else the first product token's name (<c>curl/8.5</c> →
/// <c>curl</c>, <c>Mozilla/5.0</c> alone stays <c>Mozilla</c>). The OS is the AWS SDKs' <c>os/{name}</c> token (<c>os/linux</c> →
/// Linux, <c>os/macos</c> → macOS, <c>os/windows</c> → Windows, <c>os/android</c>, <c>os/ios</c>; a name containing windows, linux, mac or darwin
/// is that OS, as the .NET SDK's <c>OS/Microsoft_Windows_10</c>), else the browser platform:
/// Android, iOS (iPhone, iPad, iPod), ChromeOS (CrOS), Windows, macOS (Macintosh / Mac OS X), Linux. Names are at most 64
/// characters of letters, digits and <c>-._</c>; anything else (or an empty User-Agent) gives <c>unknown</c>. No version is kept.
/// </remarks>
public static class UserAgentDevice
{
    /// <summary>The value for a User-Agent that names nothing recognisable.</summary>
    public const string Unknown = "unknown";

    const int MaxNameLength = 64, MaxUserAgentLength = 2048;

    /// <summary>The DeviceType of <paramref name="userAgent"/>: e.g. <c>Chrome on Windows</c>, <c>aws-sdk-js on Linux</c>, <c>unknown</c>.</summary>
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return Unknown;
        var ua = userAgent.Length > MaxUserAgentLength ? userAgent[..MaxUserAgentLength] : userAgent;
        var tokens = ua.Split([' ', '(', ')', ';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var app = Sdk(tokens) ?? Browser(ua) ?? FirstProduct(tokens);
        if (app is null) return Unknown;
        var os = SdkOs(tokens) ?? BrowserOs(ua);
        return os is null ? app : app + " on " + os;
    }

    static readonly string[] SdkPrefixes = ["aws-sdk-", "aws-cli", "boto3", "botocore", "aws-amplify", "aws-powershell"];

    static string? Sdk(string[] tokens)
    {
        foreach (var t in tokens)
        {
            int slash = t.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) continue;
            var name = t[..slash];
            foreach (var prefix in SdkPrefixes)
            {
                if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return CleanName(name);
            }
        }
        return null;
    }

    static string? SdkOs(string[] tokens)
    {
        foreach (var t in tokens)
        {
            if (!t.StartsWith("os/", StringComparison.OrdinalIgnoreCase)) continue;
            var name = t[3..];
            int hash = name.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) name = name[..hash];
            return name.ToLowerInvariant() switch
            {
                "linux" => "Linux",
                "macos" or "darwin" or "macosx" => "macOS",
                "windows" or "win32" => "Windows",
                "android" => "Android",
                "ios" => "iOS",
                "other" or "" => null,
                var other when other.Contains("windows", StringComparison.Ordinal) => "Windows",
                var other when other.Contains("linux", StringComparison.Ordinal) => "Linux",
                var other when other.Contains("mac", StringComparison.Ordinal) || other.Contains("darwin", StringComparison.Ordinal) => "macOS",
                var other => CleanName(other),
            };
        }
        return null;
    }

    static string? Browser(string ua)
    {
        if (Has(ua, "Edg/") || Has(ua, "EdgA/") || Has(ua, "EdgiOS/")) return "Edge";
        if (Has(ua, "OPR/") || Has(ua, "Opera")) return "Opera";
        if (Has(ua, "SamsungBrowser/")) return "Samsung Internet";
        if (Has(ua, "Firefox/") || Has(ua, "FxiOS/")) return "Firefox";
        if (Has(ua, "Chrome/") || Has(ua, "CriOS/") || Has(ua, "Chromium/")) return "Chrome";
        if (Has(ua, "Safari/") && Has(ua, "Version/")) return "Safari";
        return null;
    }

    static string? BrowserOs(string ua)
    {
        if (Has(ua, "Android")) return "Android";
        if (Has(ua, "iPhone") || Has(ua, "iPad") || Has(ua, "iPod")) return "iOS";
        if (Has(ua, "CrOS")) return "ChromeOS";
        if (Has(ua, "Windows")) return "Windows";
        if (Has(ua, "Macintosh") || Has(ua, "Mac OS X")) return "macOS";
        if (Has(ua, "Linux")) return "Linux";
        return null;
    }

    static string? FirstProduct(string[] tokens)
    {
        if (tokens.Length == 0) return null;
        var t = tokens[0];
        int slash = t.IndexOf('/', StringComparison.Ordinal);
        return CleanName(slash > 0 ? t[..slash] : t);
    }

    static string? CleanName(string name)
    {
        if (name.Length is 0 or > MaxNameLength) return null;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')) return null;
        }
        return name;
    }

    static bool Has(string ua, string token) => ua.Contains(token, StringComparison.Ordinal);
}
