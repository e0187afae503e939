using System.Text.Json;
using Cognate.Server.OAuth.Results;

namespace Cognate.Server.OAuth;

/// <summary>
/// Writes <see cref="OAuthResult"/>s: <c>application/json;charset=UTF-8</c>, <c>Cache-Control: no-store</c> and
/// <c>Pragma: no-cache</c> on every token-bearing or error answer (RFC 6749 §5.1). Only the <c>error</c> member is
/// written on errors, never a description that could echo a request value.
/// </summary>
internal static class OAuthResultWriter
{
    const string Json = "application/json;charset=UTF-8";

    public static async Task WriteAsync(HttpContext http, OAuthResult result)
    {
        var response = http.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        switch (result)
        {
            case TokenSuccessResult ok:
                response.StatusCode = 200;
                await WriteJsonAsync(response, w =>
                {
                    w.WriteString("access_token", ok.Tokens.AccessToken);
                    if (ok.Tokens.IdToken is not null) w.WriteString("id_token", ok.Tokens.IdToken);
                    if (ok.Tokens.RefreshToken is not null) w.WriteString("refresh_token", ok.Tokens.RefreshToken);
                    w.WriteString("token_type", ok.Tokens.TokenType);
                    w.WriteNumber("expires_in", ok.Tokens.ExpiresIn);
                });
                break;
            case TokenErrorResult err:
                response.StatusCode = err.Error.Status;
                if (err.Error.Status == 401) response.Headers.WWWAuthenticate = "Basic error=\"" + err.Error.Error + "\"";
                await WriteJsonAsync(response, w => w.WriteString("error", err.Error.Error));
                break;
            case RevokeSuccessResult:
                response.StatusCode = 200;
                response.ContentLength = 0;
                break;
            case UserInfoResult info:
                response.StatusCode = 200;
                await WriteJsonAsync(response, w => { foreach (var (k, v) in info.Claims) w.WriteString(k, v); });
                break;
            case BearerErrorResult bearer:
                response.StatusCode = bearer.Status;
                response.Headers.WWWAuthenticate = $"error=\"{bearer.Error}\", error_description=\"{bearer.Description}\"";
                response.ContentLength = 0;
                break;
            default:
                throw new InvalidOperationException("Unknown OAuth result " + result.GetType().Name);
        }
    }

    static async Task WriteJsonAsync(HttpResponse response, Action<Utf8JsonWriter> body)
    {
        response.ContentType = Json;
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), response.HttpContext.RequestAborted);
    }
}
