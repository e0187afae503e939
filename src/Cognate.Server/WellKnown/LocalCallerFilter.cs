using System.Net;
using Cognate.Server.Options;
using Microsoft.Extensions.Options;

namespace Cognate.Server.WellKnown;

/// <summary>
/// Guards the development outbox (<c>GET /_outbox</c>, which serves one-time codes) and the operator endpoints
/// (<c>/_admin/*</c>, which in Development accept the public development key pair) against web pages the developer
/// happens to open. Those endpoints carry no CORS headers at all (<c>DisableCors</c>), so a cross-origin page cannot
/// read them; this filter also refuses with 403:
/// <list type="bullet">
/// <item>a request whose <c>Origin</c> is not this server's own origin, or whose <c>Sec-Fetch-Site</c> says a browser
/// sends it from another site (<c>cross-site</c>, <c>same-site</c>);</item>
/// <item>a request addressed (<c>Host</c>) to a DNS name other than <c>localhost</c>/<c>*.localhost</c>, a single-label
/// name (a container's service name) or the host of <c>Cognate:IssuerBaseUrl</c>: a DNS-rebinding page, whose own
/// name now resolves to 127.0.0.1, is same-origin for the browser but still sends its own name as Host.</item>
/// </list>
/// IP literals are accepted (127.0.0.1, a LAN address): rebinding cannot produce them.
/// </summary>
internal sealed class LocalCallerFilter(IOptions<CognateOptions> options) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var refusal = Check(context.HttpContext.Request, options.Value);
        return refusal is null
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Json(new { message = refusal }, statusCode: StatusCodes.Status403Forbidden));
    }

    /// <summary>Null when the request may proceed, else the reason it is refused (no secret in it).</summary>
    internal static string? Check(HttpRequest request, CognateOptions options)
    {
        var host = request.Host.Host;
        if (!IsLocalHost(host, options))
        {
            return "This endpoint answers only requests addressed to localhost, an IP address or Cognate:IssuerBaseUrl's host.";
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            return "This endpoint does not answer requests from web pages of another origin.";
        }

        var origin = request.Headers.Origin.ToString();
        if (!string.IsNullOrEmpty(origin)
            && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return "This endpoint does not answer requests from web pages of another origin.";
        }

        return null;
    }

    static bool IsLocalHost(string host, CognateOptions options)
    {
        if (string.IsNullOrEmpty(host)) return false;
        if (IPAddress.TryParse(host.Trim('[', ']'), out _)) return true;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (!host.Contains('.', StringComparison.Ordinal)) return true;
        return !string.IsNullOrWhiteSpace(options.IssuerBaseUrl)
            && Uri.TryCreate(options.IssuerBaseUrl.Trim().Replace("{region}", "us-east-1", StringComparison.Ordinal), UriKind.Absolute, out var issuer)
            && host.Equals(issuer.Host, StringComparison.OrdinalIgnoreCase);
    }
}
