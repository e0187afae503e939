using Cognate.AspNetCore;
using Cognate.Client;
using Microsoft.Extensions.Options;

namespace Cognate.Samples.AuthApi;

/// <summary>Composition of the sample: configuration, Cognito client, bearer-token validation, routes, error envelope.</summary>
public static class AuthApiApp
{
    /// <summary>Builds the app. <paramref name="configure"/> lets tests add configuration or services (a clock) before the build.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var services = builder.Services;
        services.AddOptions<CognitoSettings>().BindConfiguration(CognitoSettings.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp =>
        {
            var s = sp.GetRequiredService<IOptions<CognitoSettings>>().Value;
            return new CognitoIdentityProviderClient(s.ApiEndpoint, s.EffectiveRegion);
        });
        services.AddSingleton<CognitoAuth>();

        var settings = builder.Configuration.GetSection(CognitoSettings.Section).Get<CognitoSettings>() ?? new CognitoSettings();
        services.AddCognitoJwtBearer(o =>
        {
            o.UserPoolId = settings.UserPoolId;
            o.Region = settings.Region;
            o.IssuerBaseUrl = !string.IsNullOrEmpty(settings.IssuerBaseUrl) ? settings.IssuerBaseUrl : settings.ServiceUrl;
            o.ClientIds.Add(settings.ClientId);
            o.TokenUse = CognitoTokenUse.Access;
            o.JwksRefreshInterval = TimeSpan.FromSeconds(Math.Max(0, settings.JwksRefreshSeconds));
            o.OnChallenge = async c =>
            {
                c.Handled = true;
                c.HttpContext.Response.Headers.WWWAuthenticate = c.Failure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
                await Envelope.Error(401, c.Failure is null ? "Authorization header required" : "Invalid authorization token: " + c.Failure).ExecuteAsync(c.HttpContext);
            };
        });

        var app = builder.Build();
        app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (ApiException e) when (!http.Response.HasStarted)
            {
                await Envelope.Error(e.Status, e.Message).ExecuteAsync(http);
            }
            catch (BadHttpRequestException) when (!http.Response.HasStarted)
            {
                await Envelope.Error(400, "Invalid request body").ExecuteAsync(http);
            }
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthApi();
        return app;
    }
}
