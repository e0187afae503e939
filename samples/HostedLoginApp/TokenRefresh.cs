using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Cognate.Samples.HostedLogin;

/// <summary>
/// Keeps the session's tokens fresh, as seed 004's server does: on each request, when the saved access token expires within a minute,
/// the refresh token is redeemed at <c>/oauth2/token</c> (<c>grant_type=refresh_token</c>, RFC 6749 §6; the client secret as
/// <c>client_secret_post</c>), the new access token is validated like the first one, and the cookie is renewed with the new tokens.
/// A refused refresh (revoked by GlobalSignOut / RevokeToken, expired, user disabled) ends the app's session.
/// </summary>
internal static class TokenRefresh
{
    /// <summary>How long before expiry the access token is renewed.</summary>
    static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>.</summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var properties = context.Properties;
        var expiresAt = properties.GetTokenValue("expires_at");
        var refreshToken = properties.GetTokenValue("refresh_token");
        if (expiresAt is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)) return;
        var now = (context.Options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        if (expires - Margin > now) return;

        var services = context.HttpContext.RequestServices;
        var refreshed = string.IsNullOrEmpty(refreshToken) ? null : await RedeemAsync(services, refreshToken, context.HttpContext.RequestAborted);
        if (refreshed is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        properties.UpdateTokenValue("access_token", refreshed.Value.AccessToken);
        if (refreshed.Value.IdToken is { } idToken) properties.UpdateTokenValue("id_token", idToken);
        if (refreshed.Value.RefreshToken is { } rotated) properties.UpdateTokenValue("refresh_token", rotated);
        properties.UpdateTokenValue("expires_at", now.AddSeconds(refreshed.Value.ExpiresIn).ToString("o", CultureInfo.InvariantCulture));
        context.ShouldRenew = true;
    }

    static async Task<(string AccessToken, string? IdToken, string? RefreshToken, int ExpiresIn)?> RedeemAsync(IServiceProvider services, string refreshToken, CancellationToken ct)
    {
        var settings = services.GetRequiredService<IOptions<CognitoSettings>>().Value;
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = settings.ClientId,
            ["refresh_token"] = refreshToken,
        };
        if (!string.IsNullOrEmpty(settings.ClientSecret)) form["client_secret"] = settings.ClientSecret;

        var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TokenRefresh));
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.HostedUiBase + "/oauth2/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        var root = body.RootElement;
        if (!root.TryGetProperty("access_token", out var access) || access.GetString() is not { Length: > 0 } accessToken) return null;

        var validator = services.GetRequiredService<AccessTokenValidator>();
        if (!(await validator.Validator.ValidateAsync(accessToken, ct)).Succeeded) return null;
        return (accessToken,
            root.TryGetProperty("id_token", out var id) ? id.GetString() : null,
            root.TryGetProperty("refresh_token", out var rt) ? rt.GetString() : null,
            root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600);
    }
}
