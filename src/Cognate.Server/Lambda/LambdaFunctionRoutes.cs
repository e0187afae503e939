using Microsoft.Extensions.Options;

namespace Cognate.Server.Lambda;

/// <summary>
/// Per-function overrides of how a trigger's function is reached: <c>Cognate:Lambda:Functions:{arn}:Url</c> (the webhook
/// transport: the event is POSTed to this URL and the answer is the answered event) and
/// <c>Cognate:Lambda:Functions:{arn}:Endpoint</c> (the Lambda Invoke API at another endpoint than <c>Cognate:Lambda:Endpoint</c>).
/// The key is the function ARN exactly as the pool's LambdaConfig holds it (configuration splits keys on <c>:</c>, so the
/// ARN's own colons are read back from the flattened key), the ARN without its version/alias qualifier, or the bare function name.
/// </summary>
/// <remarks>
/// A webhook URL must be absolute <c>https</c>, or <c>http</c> to a loopback address (127.0.0.0/8, <c>localhost</c>, [::1]);
/// an endpoint absolute <c>http(s)</c>. Anything else stops the server at start with one line naming the setting
/// (<see cref="Validator"/>).
/// </remarks>
internal sealed class LambdaFunctionRoutes
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Cognate:Lambda:Functions";

    readonly Dictionary<string, FunctionRoute> _routes = new(StringComparer.Ordinal);

    /// <summary>The problems found while reading the section (each names its setting); empty when all is well.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>True when at least one function has an override.</summary>
    public bool Any => _routes.Count > 0;

    /// <summary>One function's overrides.</summary>
    /// <param name="Key">The configured key (ARN or function name).</param>
    /// <param name="Url">The webhook URL, or null.</param>
    /// <param name="Endpoint">The Lambda Invoke API endpoint for this function, or null.</param>
    public sealed record FunctionRoute(string Key, Uri? Url, Uri? Endpoint);

    /// <summary>Reads <see cref="Section"/> from <paramref name="configuration"/>.</summary>
    public static LambdaFunctionRoutes Read(IConfiguration configuration)
    {
        var routes = new LambdaFunctionRoutes();
        routes.Load(configuration);
        return routes;
    }

    /// <summary>Adds the overrides of <see cref="Section"/> (the options pipeline's configure step).</summary>
    public void Load(IConfiguration configuration)
    {
        var routes = this;
        var prefix = Section + ":";
        var found = new Dictionary<string, (string? Url, string? Endpoint)>(StringComparer.Ordinal);
        foreach (var (path, value) in configuration.GetSection(Section).AsEnumerable())
        {
            if (value is null || !path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = path[prefix.Length..];
            var cut = rest.LastIndexOf(':');
            var setting = cut < 0 ? rest : rest[(cut + 1)..];
            var key = cut < 0 ? "" : rest[..cut];
            if (key.Length == 0 || !(setting.Equals("Url", StringComparison.OrdinalIgnoreCase) || setting.Equals("Endpoint", StringComparison.OrdinalIgnoreCase)))
            {
                routes.Failures.Add($"{path}: unknown setting; use {Section}:{{function ARN or name}}:Url (a webhook) or :Endpoint (a Lambda Invoke API endpoint).");
                continue;
            }
            var entry = found.GetValueOrDefault(key);
            if (setting.Equals("Url", StringComparison.OrdinalIgnoreCase)) entry.Url = value.Trim();
            else entry.Endpoint = value.Trim();
            found[key] = entry;
        }
        foreach (var (key, (url, endpoint)) in found)
        {
            Uri? webhook = null, invokeEndpoint = null;
            if (!string.IsNullOrEmpty(url) && !TryWebhookUrl(url, out webhook))
            {
                routes.Failures.Add($"{prefix}{key}:Url must be an absolute https URL (http only to a loopback address such as http://127.0.0.1:3000/pre-signup).");
            }
            if (!string.IsNullOrEmpty(endpoint) && !TryEndpoint(endpoint, out invokeEndpoint))
            {
                routes.Failures.Add($"{prefix}{key}:Endpoint must be an absolute http(s) URL of a Lambda Invoke API, e.g. http://127.0.0.1:3002.");
            }
            if (webhook is not null || invokeEndpoint is not null) routes._routes[key] = new FunctionRoute(key, webhook, invokeEndpoint);
        }
    }

    /// <summary>The overrides for <paramref name="functionArn"/>: by the whole ARN, then without its qualifier, then by function name.</summary>
    public FunctionRoute? For(string functionArn)
    {
        if (_routes.Count == 0) return null;
        if (_routes.TryGetValue(functionArn, out var route)) return route;
        // arn:aws:lambda:{region}:{account}:function:{name}[:{qualifier}]
        var parts = functionArn.Split(':');
        if (parts.Length >= 7 && parts[5] == "function")
        {
            if (parts.Length == 8 && _routes.TryGetValue(string.Join(':', parts[..7]), out route)) return route;
            if (_routes.TryGetValue(parts[6], out route)) return route;
        }
        return null;
    }

    static bool TryWebhookUrl(string value, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u)) return false;
        if (u.Scheme == Uri.UriSchemeHttps || (u.Scheme == Uri.UriSchemeHttp && u.IsLoopback))
        {
            uri = u;
            return true;
        }
        return false;
    }

    static bool TryEndpoint(string value, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != Uri.UriSchemeHttps && u.Scheme != Uri.UriSchemeHttp)) return false;
        uri = u;
        return true;
    }

    /// <summary>Fails the start (through <c>ValidateOnStart</c>) with the problems <see cref="Read"/> found.</summary>
    internal sealed class Validator : IValidateOptions<LambdaFunctionRoutes>
    {
        public ValidateOptionsResult Validate(string? name, LambdaFunctionRoutes options) =>
            options.Failures.Count > 0 ? ValidateOptionsResult.Fail(options.Failures) : ValidateOptionsResult.Success;
    }
}
