using System.ComponentModel.DataAnnotations;
using System.Net;
using Cognate.Core.Domains;
using Cognate.Core.Pools;
using Cognate.Server.Options;
using Cognate.Server.Shared;
using Microsoft.Extensions.Options;

namespace Cognate.Server.OAuth;

/// <summary>
/// <c>Cognate:Hosted</c>: how a pool's managed-login domain is served by Host header (issue 13, reference §9.1).
/// </summary>
public sealed class HostedOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Hosted";

    /// <summary>
    /// The DNS suffix of prefix domains: a request whose Host is <c>{prefix}.auth.{region}.{DomainSuffix}</c> is served as that
    /// pool's domain. Unset: <c>localhost</c> is matched (Chromium resolves <c>*.localhost</c>) but the discovery document
    /// advertises the server's own URL, which every client on the machine resolves. Set (e.g. <c>cognate.example.com</c>, with
    /// DNS or hosts entries that resolve): the discovery document advertises <c>https://{prefix}.auth.{region}.{DomainSuffix}</c>.
    /// </summary>
    [RegularExpression(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?$",
        ErrorMessage = "Cognate:Hosted:DomainSuffix must be a DNS name such as 'localhost' or 'cognate.example.com' (no scheme, port or path).")]
    public string? DomainSuffix { get; set; }

    /// <summary>The suffix matched in Host headers (<see cref="DomainSuffix"/> or <c>localhost</c>), lower case.</summary>
    public string EffectiveSuffix => (string.IsNullOrWhiteSpace(DomainSuffix) ? "localhost" : DomainSuffix).ToLowerInvariant();
}

/// <summary>
/// Which pool a request's Host header names, and the base URL of a pool's hosted endpoints (reference §6.8, §9.1). Every
/// hosted endpoint also works at Cognate's own URL, where the client id, the token or the session names the pool; a request
/// that arrives by a pool's domain may only serve that pool's clients.
/// </summary>
internal static class HostedDomains
{
    /// <summary>
    /// The pool whose prefix domain (<c>{prefix}.auth.{region}.{suffix}</c>) or custom domain the request's Host names, or null
    /// (Cognate's own URL: an IP address, <c>localhost</c>, or a host that is no domain of any pool).
    /// </summary>
    public static async ValueTask<string?> PoolOfHostAsync(HttpContext http, CancellationToken ct)
    {
        var host = http.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0 || host == "localhost" || IPAddress.TryParse(host, out _) || host.Length > 253) return null;
        var domains = http.RequestServices.GetRequiredService<DomainService>();
        var suffix = http.RequestServices.GetRequiredService<IOptions<HostedOptions>>().Value.EffectiveSuffix;
        int auth = host.IndexOf(".auth.", StringComparison.Ordinal);
        if (auth > 0 && host.EndsWith("." + suffix, StringComparison.Ordinal))
        {
            var prefix = host[..auth];
            var region = host[(auth + ".auth.".Length)..^(suffix.Length + 1)];
            if (region.Length > 0 && !region.Contains('.', StringComparison.Ordinal)
                && await domains.FindAsync(prefix, ct) is { IsCustom: false } d)
            {
                return d.UserPoolId;
            }
            return null;
        }
        return await domains.FindAsync(host, ct) is { IsCustom: true } custom ? custom.UserPoolId : null;
    }

    /// <summary>
    /// The base URL (scheme and authority, no trailing slash) of <paramref name="pool"/>'s hosted endpoints as the discovery
    /// document advertises them, or null when the pool has no domain: the custom domain's URL when it has one; else
    /// <c>https://{prefix}.auth.{region}.{DomainSuffix}</c> when <see cref="HostedOptions.DomainSuffix"/> is configured; else
    /// the server's own public URL (the issuer's base), which resolves for browsers, Node and .NET alike.
    /// </summary>
    public static async ValueTask<string?> BaseUrlAsync(HttpContext http, UserPool pool, CancellationToken ct)
    {
        var (prefix, custom) = await http.RequestServices.GetRequiredService<DomainService>().ForPoolAsync(pool.Id, ct);
        if (prefix is null && custom is null) return null;
        if (custom is not null) return "https://" + custom.Domain;
        var hosted = http.RequestServices.GetRequiredService<IOptions<HostedOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(hosted.DomainSuffix)) return $"https://{prefix!.Domain}.auth.{pool.Region}.{hosted.DomainSuffix.ToLowerInvariant()}";
        var issuer = Callers.IssuerFor(http.RequestServices.GetRequiredService<IOptions<CognateOptions>>().Value, http, pool.Id, pool.Region);
        return issuer[..^(pool.Id.Length + 1)];
    }
}
