using System.Net;
using System.Text.Json;
using Cognate.Core.Errors;
using Cognate.Core.IdentityProviders;
using Cognate.Core.Pools;

namespace Cognate.Server.IdentityProviders;

/// <summary>What <see cref="OidcDetailsCompleter"/> accepts besides https URLs.</summary>
/// <param name="AllowLoopbackHttp">http to a loopback host (127.0.0.0/8, [::1], <c>localhost</c>); true only when the host
/// environment is Development, so tests can run a local provider.</param>
/// <param name="Timeout">How long the discovery request may take.</param>
internal sealed record OidcDiscoveryPolicy(bool AllowLoopbackHttp, TimeSpan Timeout);

/// <summary>
/// Completes OIDC providers as Cognito does (CreateIdentityProvider API reference, <c>ProviderDetails</c>): when any of
/// <c>authorize_url</c>, <c>token_url</c>, <c>attributes_url</c>, <c>jwks_uri</c> is missing, reads
/// <c>{oidc_issuer}/.well-known/openid-configuration</c> (no redirects, 1 MiB at most) and fills the missing ones from its
/// <c>authorization_endpoint</c>, <c>token_endpoint</c>, <c>userinfo_endpoint</c> and <c>jwks_uri</c> (values given win); adds
/// <c>attributes_url_add_attributes</c> = <c>"false"</c>. The issuer and every endpoint must be https (http to a loopback host
/// when <see cref="OidcDiscoveryPolicy.AllowLoopbackHttp"/>); the document's <c>issuer</c> must equal <c>oidc_issuer</c> (a trailing
/// slash aside). Any failure is InvalidParameterException naming what went wrong.
/// </summary>
internal sealed partial class OidcDetailsCompleter(HttpClient http, OidcDiscoveryPolicy policy, ILogger<OidcDetailsCompleter> logger) : IIdentityProviderDetailsCompleter
{
    const int MaxDocumentBytes = 1 << 20;
    static readonly (string Key, string Claim)[] Endpoints =
        [("authorize_url", "authorization_endpoint"), ("token_url", "token_endpoint"), ("attributes_url", "userinfo_endpoint"), ("jwks_uri", "jwks_uri")];

    public bool Handles(string providerType) => providerType == IdentityProviderTypes.Oidc;

    public async ValueTask<IReadOnlyDictionary<string, string>> CompleteAsync(UserPool pool, string providerType, IReadOnlyDictionary<string, string> details, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(details, StringComparer.Ordinal);
        var issuer = details.GetValueOrDefault("oidc_issuer")?.Trim() ?? "";
        if (!IsAllowedUrl(issuer, out var issuerUri) || !string.IsNullOrEmpty(issuerUri!.Query) || !string.IsNullOrEmpty(issuerUri.Fragment))
        {
            throw CognitoErrors.InvalidParameter($"oidc_issuer must be an https URL without query or fragment{(policy.AllowLoopbackHttp ? " (or http to a loopback host in Development)" : "")}.");
        }
        if (Endpoints.Any(e => string.IsNullOrWhiteSpace(result.GetValueOrDefault(e.Key))))
        {
            var document = await DiscoverAsync(issuer, ct).ConfigureAwait(false);
            foreach (var (key, claim) in Endpoints)
            {
                if (string.IsNullOrWhiteSpace(result.GetValueOrDefault(key)) && document.TryGetProperty(claim, out var v) && v.ValueKind == JsonValueKind.String)
                {
                    result[key] = v.GetString()!;
                }
            }
        }
        foreach (var (key, claim) in Endpoints)
        {
            if (!result.TryGetValue(key, out var url) || string.IsNullOrWhiteSpace(url))
            {
                // userinfo is optional in OpenID Connect Discovery; the others are not.
                if (key == "attributes_url") continue;
                throw CognitoErrors.InvalidParameter($"The OpenID configuration of {issuer} has no {claim}; give {key} in ProviderDetails.");
            }
            if (!IsAllowedUrl(url, out _)) throw CognitoErrors.InvalidParameter($"{key} must be an https URL.");
        }
        result["attributes_url_add_attributes"] = "false";
        return result;
    }

    async Task<JsonElement> DiscoverAsync(string issuer, CancellationToken ct)
    {
        var url = issuer.TrimEnd('/') + "/.well-known/openid-configuration";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(policy.Timeout);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) throw Unreachable(url, $"HTTP {(int)response.StatusCode}");
            if (response.Content.Headers.ContentLength is > MaxDocumentBytes) throw Unreachable(url, "the document is too large");
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int n;
            while ((n = await stream.ReadAsync(chunk, timeout.Token).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > MaxDocumentBytes) throw Unreachable(url, "the document is too large");
            }
            using var json = JsonDocument.Parse(buffer.ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object) throw Unreachable(url, "not a JSON object");
            var declared = json.RootElement.TryGetProperty("issuer", out var iss) && iss.ValueKind == JsonValueKind.String ? iss.GetString() : null;
            if (declared is null || !string.Equals(declared.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
            {
                throw CognitoErrors.InvalidParameter($"The issuer of the OpenID configuration at {url} does not match oidc_issuer {issuer}.");
            }
            return json.RootElement.Clone();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw Unreachable(url, "timed out");
        }
        catch (HttpRequestException e)
        {
            LogDiscoveryFailed(logger, url, e.Message);
            throw Unreachable(url, "not reachable");
        }
        catch (JsonException)
        {
            throw Unreachable(url, "not JSON");
        }
    }

    static CognitoException Unreachable(string url, string why) =>
        CognitoErrors.InvalidParameter($"Unable to retrieve the OpenID configuration from {url} ({why}). Give authorize_url, token_url, attributes_url and jwks_uri, or an oidc_issuer that serves it.");

    bool IsAllowedUrl(string value, out Uri? uri)
    {
        uri = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var u)) return false;
        if (u.Scheme == Uri.UriSchemeHttps || (policy.AllowLoopbackHttp && u.Scheme == Uri.UriSchemeHttp && u.IsLoopback))
        {
            uri = u;
            return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OIDC discovery at {Url} failed: {Reason}")]
    static partial void LogDiscoveryFailed(ILogger logger, string url, string reason);
}

/// <summary>Registers the identity-provider API's services: <see cref="IdentityProviderService"/>, the OIDC and social completers and their options.</summary>
internal static class IdentityProviderRegistration
{
    public static IServiceCollection AddCognateIdentityProviders(this IServiceCollection services, IHostEnvironment environment)
    {
        bool development = environment.IsDevelopment();
        services.AddOptions<Options.FederationOptions>().BindConfiguration(Options.FederationOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Options.FederationOptions>>(new Options.FederationOptionsValidator(development));
        services.AddSingleton<IIdentityProviderDetailsCompleter, SocialDetailsCompleter>();
        services.AddSingleton<IIdentityProviderDetailsCompleter>(sp =>
        {
            var timeout = TimeSpan.FromSeconds(Math.Clamp(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Options.FederationOptions>>().Value.DiscoveryTimeoutSeconds, 1, 60));
            var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = timeout + TimeSpan.FromSeconds(1) };
            return new OidcDetailsCompleter(http, new OidcDiscoveryPolicy(development, timeout), sp.GetRequiredService<ILogger<OidcDetailsCompleter>>());
        });
        services.AddSingleton<IdentityProviderService>();
        return services;
    }
}
