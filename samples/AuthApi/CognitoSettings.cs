using System.ComponentModel.DataAnnotations;

namespace Cognate.Samples.AuthApi;

/// <summary>
/// <c>Cognito:*</c>. Against Cognate: ServiceUrl is Cognate's URL (it is also the issuer base of its tokens). Against Amazon Cognito:
/// ServiceUrl empty; the API is <c>https://cognito-idp.{Region}.amazonaws.com/</c> and the issuer <c>https://cognito-idp.{Region}.amazonaws.com/{UserPoolId}</c>.
/// </summary>
public sealed class CognitoSettings
{
    public const string Section = "Cognito";

    /// <summary>User pool id, e.g. <c>us-east-1_CognateDv</c>.</summary>
    [Required(ErrorMessage = "Set Cognito:UserPoolId to the user pool id.")]
    public string UserPoolId { get; set; } = "";

    /// <summary>App client id; its tokens are the only ones the protected routes accept.</summary>
    [Required(ErrorMessage = "Set Cognito:ClientId to the app client id.")]
    public string ClientId { get; set; } = "";

    /// <summary>App client secret, when the client has one (SECRET_HASH is then sent). Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Region of the pool (default: the user pool id's prefix).</summary>
    public string? Region { get; set; }

    /// <summary>Cognate's URL (e.g. <c>http://localhost:9229</c>); empty: Amazon Cognito.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Issuer base URL when it differs from ServiceUrl (Cognate with <c>Cognate:IssuerBaseUrl</c> set); empty: derived.</summary>
    public string? IssuerBaseUrl { get; set; }

    /// <summary>Least seconds between two key-set fetches for unknown kids (default 10).</summary>
    public int JwksRefreshSeconds { get; set; } = 10;

    public string EffectiveRegion => string.IsNullOrEmpty(Region) ? UserPoolId.Split('_')[0] : Region;

    public Uri ApiEndpoint => string.IsNullOrEmpty(ServiceUrl) ? new Uri($"https://cognito-idp.{EffectiveRegion}.amazonaws.com/") : new Uri(ServiceUrl.TrimEnd('/') + "/");
}
