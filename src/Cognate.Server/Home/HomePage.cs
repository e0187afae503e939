using System.Net;
using System.Text;
using Cognate.Core.Stores;
using Cognate.Server.Options;
using Cognate.Server.Shared;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Home;

/// <summary>
/// <c>GET /</c>: a small server-rendered HTML page for a person who opens Cognate in a browser (the API itself is
/// <c>POST /</c>): what this server is, where the docs are and, in Development only, the first 50 user pools with
/// their discovery and JWKS URLs and the tour's pointers (outbox, development pool and client). Outside Development
/// it lists nothing about the deployment: pool ids are not secrets, but an anonymous visitor has no need for the
/// inventory and the operator already knows it. No script, no external resource (CSP <c>default-src 'none'</c>).
/// </summary>
internal static class HomePage
{
    const int MaxPools = 50;

    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", RenderAsync);
        return app;
    }

    static async Task RenderAsync(HttpContext http, IHostEnvironment environment, IUserPoolStore pools, IOptions<CognateOptions> options, CancellationToken ct)
    {
        var html = new StringBuilder(2048);
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Cognate</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2rem}li{margin:.3rem 0}</style>
            </head><body>
            <h1>Cognate</h1>
            <p>A self-hosted identity provider that speaks the <strong>Amazon Cognito User Pools API</strong>.
            Point the AWS CLI, an AWS SDK or Amplify at this server's URL as the endpoint: the API is <code>POST /</code>
            with <code>X-Amz-Target: AWSCognitoIdentityProviderService.&lt;Action&gt;</code> (AWS JSON 1.1).</p>
            <p>Each pool publishes <code>/{poolId}/.well-known/openid-configuration</code> and <code>/{poolId}/.well-known/jwks.json</code>.
            Health: <a href="/health/live">/health/live</a>, <a href="/health/ready">/health/ready</a>.
            Documentation: <code>README.md</code>, <code>docs/deployment.md</code> and <code>docs/security.md</code> in the Cognate repository.</p>

            """);
        if (environment.IsDevelopment())
        {
            var list = await pools.ListAsync(null, MaxPools, ct);
            html.Append("<h2>Development</h2>\n<p>This server runs in the <code>Development</code> environment: public development keys, messages kept in the <a href=\"/_outbox\">outbox</a> (no other web page can read it). Never put real users here.</p>\n");
            html.Append("<h2>User pools</h2>\n");
            if (list.Count == 0)
            {
                html.Append("<p>None yet.</p>\n");
            }
            else
            {
                html.Append("<ul>\n");
                foreach (var pool in list)
                {
                    var issuer = Callers.IssuerFor(options.Value, http, pool.Id, pool.Region);
                    var id = WebUtility.HtmlEncode(pool.Id);
                    html.Append("<li><code>").Append(id).Append("</code> ").Append(WebUtility.HtmlEncode(pool.Config.PoolName ?? ""))
                        .Append(": <a href=\"/").Append(Uri.EscapeDataString(pool.Id)).Append("/.well-known/openid-configuration\">discovery</a>, ")
                        .Append("<a href=\"/").Append(Uri.EscapeDataString(pool.Id)).Append("/.well-known/jwks.json\">JWKS</a>, issuer <code>")
                        .Append(WebUtility.HtmlEncode(issuer)).Append("</code></li>\n");
                }
                html.Append("</ul>\n");
            }
        }
        html.Append("</body></html>\n");

        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync(html.ToString(), ct);
    }
}
