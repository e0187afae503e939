using System.Net;
using System.Text;
using Cognate.Core.Federation;
using Cognate.Core.Federation.Saml;
using Cognate.Core.IdentityProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cognate.Server.Federation.Saml;

/// <summary>Services of the SAML service provider.</summary>
internal static class SamlRegistration
{
    public static IServiceCollection AddCognateSaml(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISamlMetadataFetcher, HttpSamlMetadataFetcher>();
        services.AddSingleton<SamlMetadataSource>();
        services.AddSingleton<SamlSpKeyService>();
        services.AddSingleton<SamlSignIn>();
        services.AddSingleton<SamlDetailsCompleter>();
        services.AddSingleton<IIdentityProviderDetailsCompleter>(sp => sp.GetRequiredService<SamlDetailsCompleter>());
        services.AddSingleton<IUpstreamSignIn, SamlUpstreamSignIn>();
        return services;
    }
}

/// <summary>
/// Fetches IdP metadata from a <c>MetadataURL</c>: https only (plain http only to a loopback address in Development), no
/// redirects, 10 seconds, at most <see cref="SamlMetadata.MaxCharacters"/> characters.
/// </summary>
internal sealed class HttpSamlMetadataFetcher(IHostEnvironment environment) : ISamlMetadataFetcher
{
    static readonly HttpClient Client = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask<string> FetchAsync(string url, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && environment.IsDevelopment() && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip))))))
        {
            throw new SamlException("MetadataURL must be an https URL.");
        }
        try
        {
            using var response = await Client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw new SamlException($"The metadata URL answered HTTP {(int)response.StatusCode}.");
            if (response.Content.Headers.ContentLength > SamlMetadata.MaxCharacters * 4L) throw new SamlException("The metadata document is too large.");
            await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[SamlMetadata.MaxCharacters + 1];
            int total = 0, read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(total, buffer.Length - total), ct).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > SamlMetadata.MaxCharacters) throw new SamlException("The metadata document is too large.");
            }
            return new string(buffer, 0, total);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new SamlException("The metadata URL could not be read.");
        }
    }
}
