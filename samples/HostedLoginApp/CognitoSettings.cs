using System.ComponentModel.DataAnnotations;

namespace Cognate.Samples.HostedLogin;

/// <summary>
/// <c>Cognito:*</c>, the settings of a Cognito app that signs users in on the managed login pages.
/// Against Cognate: <see cref="EndpointUrl"/> is Cognate's URL; the issuer (authority) is <c>{EndpointUrl}/{UserPoolId}</c> and
/// the hosted pages and OAuth endpoints are served at <c>{EndpointUrl}/login</c>, <c>/oauth2/authorize</c>, <c>/oauth2/token</c>, ….
/// Against Amazon Cognito: <see cref="EndpointUrl"/> empty; the authority is <c>https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}</c>
/// and the hosted pages live at <c>https://{Domain}</c>.
/// </summary>
public sealed class CognitoSettings
{
    /// <summary>The configuration section, <c>Cognito</c>.</summary>
    public const string Section = "Cognito";

    /// <summary>User pool id, e.g. <c>us-east-1_AbCdEf123</c>.</summary>
    [Required(ErrorMessage = "Set Cognito:UserPoolId to the user pool id.")]
    [RegularExpression(@"^[\w-]+_[0-9a-zA-Z]+$", ErrorMessage = "Cognito:UserPoolId must look like us-east-1_AbCdEf123.")]
    public string UserPoolId { get; set; } = "";

    /// <summary>App client id. The client must allow the <c>code</c> flow and the scopes <c>openid email</c>, list
    /// <c>{app}/callback</c> in CallbackURLs and <c>{app}/</c> in LogoutURLs.</summary>
    [Required(ErrorMessage = "Set Cognito:ClientId to the app client id.")]
    public string ClientId { get; set; } = "";

    /// <summary>App client secret when the client has one (sent to <c>/oauth2/token</c> as <c>client_secret_post</c>). Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The pool's domain: a full host name (<c>auth.example.com</c>, <c>myapp.auth.us-east-1.amazoncognito.com</c>) or just the prefix
    /// (<c>myapp</c> = <c>myapp.auth.{Region}.amazoncognito.com</c>). Needed without <see cref="EndpointUrl"/>; with it, the hosted pages
    /// are at Cognate's own URL (which serves every pool's pages, the client id naming the pool).
    /// </summary>
    public string? Domain { get; set; }

    /// <summary>Region of the pool (default: the user pool id's prefix).</summary>
    public string? Region { get; set; }

    /// <summary>Cognate's URL (e.g. <c>http://localhost:9229</c>); empty: Amazon Cognito.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>The region in effect.</summary>
    public string EffectiveRegion => string.IsNullOrEmpty(Region) ? UserPoolId.Split('_')[0] : Region;

    /// <summary>The OpenID Connect issuer: discovery is at <c>{Authority}/.well-known/openid-configuration</c>.</summary>
    public string Authority => string.IsNullOrEmpty(EndpointUrl)
        ? $"https://cognito-idp.{EffectiveRegion}.amazonaws.com/{UserPoolId}"
        : EndpointUrl.TrimEnd('/') + "/" + UserPoolId;

    /// <summary>Where the managed login pages and the OAuth endpoints are (no trailing slash); empty while neither
    /// <see cref="EndpointUrl"/> nor <see cref="Domain"/> is set (start-up validation refuses that).</summary>
    public string HostedUiBase
    {
        get
        {
            if (!string.IsNullOrEmpty(EndpointUrl)) return EndpointUrl.TrimEnd('/');
            if (string.IsNullOrEmpty(Domain)) return "";
            var host = Domain.Contains('.', StringComparison.Ordinal) ? Domain : $"{Domain}.auth.{EffectiveRegion}.amazoncognito.com";
            return host.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? host.TrimEnd('/') : "https://" + host.TrimEnd('/');
        }
    }

    /// <summary>True when the settings are complete: a hosted-pages location and, for Cognate, an absolute URL.</summary>
    public bool HasHostedUi =>
        (!string.IsNullOrEmpty(EndpointUrl) && Uri.TryCreate(EndpointUrl, UriKind.Absolute, out _)) || !string.IsNullOrEmpty(Domain);
}
