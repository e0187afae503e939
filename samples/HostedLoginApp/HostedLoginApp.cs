using Cognate.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Cognate.Samples.HostedLogin;

/// <summary>
/// Composition of the seed 004 app in ASP.NET Core: cookie sign-in, the stock OpenID Connect handler against the pool
/// (authorization code + PKCE S256, <c>response_mode=query</c> as Cognito answers), the hosted pages for sign-in, sign-up and
/// sign-out, the access token checked by <see cref="CognitoTokenValidator"/> before the session is created and renewed with the refresh
/// token before it expires (<see cref="TokenRefresh"/>), and one bearer-protected API
/// route (<c>GET /api/me</c>) served by <c>Cognate.AspNetCore</c>.
/// </summary>
public static class HostedLoginApp
{
    /// <summary>Where the managed login pages send the browser back with <c>?code=&amp;state=</c>.</summary>
    public const string CallbackPath = "/callback";

    /// <summary>The key in <see cref="AuthenticationProperties.Items"/> asking for the sign-up page instead of the sign-in page.</summary>
    internal const string HostedPageItem = "cognito:page";

    /// <summary>Builds the app. <paramref name="configure"/> lets tests add configuration or services before the build.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Cognito:ClientId=…</c>).</param>
    /// <param name="configure">Called on the builder before services are added.</param>
    /// <exception cref="OptionsValidationException">At start, when a <c>Cognito:*</c> setting is missing or malformed.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var services = builder.Services;
        services.AddOptions<CognitoSettings>().BindConfiguration(CognitoSettings.Section)
            .ValidateDataAnnotations()
            .Validate(s => s.HasHostedUi, "Set Cognito:EndpointUrl to Cognate's URL, or Cognito:Domain to the pool's domain for Amazon Cognito.")
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(CognitoSettings.Section).Get<CognitoSettings>() ?? new CognitoSettings();

        services.AddHttpClient(nameof(TokenRefresh), c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddAntiforgery(o => o.Cookie.Name = "hostedloginapp.csrf");
        services.AddSingleton(sp => AccessTokenValidator.Create(sp.GetRequiredService<IOptions<CognitoSettings>>().Value));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "hostedloginapp.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Events.OnValidatePrincipal = TokenRefresh.ValidatePrincipalAsync;
            })
            .AddOpenIdConnect(o => ConfigureOpenIdConnect(o, settings))
            .AddCognitoJwtBearer(o =>
            {
                o.UserPoolId = settings.UserPoolId;
                o.Region = settings.Region;
                o.IssuerBaseUrl = settings.EndpointUrl;
                o.ClientIds.Add(settings.ClientId);
                o.TokenUse = CognitoTokenUse.Access;
            });
        // After AddOpenIdConnect, so it runs after the handler's own post-configuration created the discovery manager.
        services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
            o.ConfigurationManager = new HostedEndpointsConfigurationManager(o.ConfigurationManager!, settings));
        services.AddAuthorizationBuilder().AddPolicy("api", p => p.AddAuthenticationSchemes(CognitoJwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser());

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHostedLoginApp();
        return app;
    }

    static void ConfigureOpenIdConnect(OpenIdConnectOptions o, CognitoSettings settings)
    {
        o.Authority = settings.Authority;
        o.RequireHttpsMetadata = o.Authority.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        o.ClientId = settings.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        o.ResponseMode = OpenIdConnectResponseMode.Query;  // Cognito redirects with ?code=&state=; it has no form_post.
        o.UsePkce = true;                                   // S256
        o.Scope.Clear();
        o.Scope.Add("openid");
        o.Scope.Add("email");
        o.CallbackPath = CallbackPath;
        o.SaveTokens = true;
        o.MapInboundClaims = false;                         // keep Cognito's claim names: sub, email, cognito:username
        o.TokenValidationParameters.NameClaimType = "email";
        o.GetClaimsFromUserInfoEndpoint = false;
        o.DisableTelemetry = true;                          // no x-client-SKU / x-client-ver on the authorize URL
        // The correlation and nonce cookies ride a top-level GET back from the hosted pages: Lax is enough, and the app may run on http://localhost.
        o.CorrelationCookie.SameSite = SameSiteMode.Lax;
        o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.NonceCookie.SameSite = SameSiteMode.Lax;
        o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.Events = new OpenIdConnectEvents
        {
            OnRedirectToIdentityProvider = context =>
            {
                // Register: the same authorize parameters, sent to the hosted sign-up page (as seed 004's "Register" button does).
                context.ProtocolMessage.ResponseMode = null;
                if (context.Properties.Items.TryGetValue(HostedPageItem, out var page) && page == "signup")
                {
                    context.ProtocolMessage.IssuerAddress = settings.HostedUiBase + "/signup";
                }
                return Task.CompletedTask;
            },
            OnTokenValidated = async context =>
            {
                // The ID token was checked by the handler (signature, issuer, audience, nonce, at_hash); the access token too, before any session.
                var accessToken = context.TokenEndpointResponse?.AccessToken;
                if (string.IsNullOrEmpty(accessToken))
                {
                    context.Fail("The token endpoint returned no access token.");
                    return;
                }
                var validator = context.HttpContext.RequestServices.GetRequiredService<AccessTokenValidator>();
                var result = await validator.Validator.ValidateAsync(accessToken, context.HttpContext.RequestAborted);
                if (!result.Succeeded) context.Fail("The access token is not valid: " + result.Failure);
            },
            OnRemoteFailure = async context =>
            {
                // ?error= from the hosted pages, a refused code or a token that failed validation: a page, not an exception.
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                var error = context.Request.Query["error"].ToString();
                await HomePage.WriteErrorAsync(context.Response, string.IsNullOrEmpty(error) ? "The sign-in could not be completed." : $"The sign-in failed: {error}.");
            },
        };
    }
}

/// <summary>The access-token validator of the app (one key cache for the app's lifetime).</summary>
internal sealed class AccessTokenValidator(CognitoTokenValidator validator, JwksCache keys, HttpClient http) : IDisposable
{
    /// <summary>Checks RS256 against the pool's JWKS, the issuer, <c>token_use=access</c>, <c>client_id</c> and expiry.</summary>
    public CognitoTokenValidator Validator { get; } = validator;

    public static AccessTokenValidator Create(CognitoSettings settings)
    {
        var options = new CognitoJwtBearerOptions
        {
            UserPoolId = settings.UserPoolId,
            Region = settings.Region,
            IssuerBaseUrl = settings.EndpointUrl,
            TokenUse = CognitoTokenUse.Access,
        };
        options.ClientIds.Add(settings.ClientId);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var keys = new JwksCache(options.EffectiveJwksUri, http);
        return new AccessTokenValidator(new CognitoTokenValidator(options, keys), keys, http);
    }

    public void Dispose()
    {
        keys.Dispose();
        http.Dispose();
    }
}
