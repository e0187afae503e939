using System.Text;
using Cognate.Core.OAuth;
using Cognate.Core.Sessions;
using Cognate.Core.Tokens;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Cognate.Server.ManagedLogin;

namespace Cognate.Server.OAuth.Authorize;

/// <summary>
/// The end of every successful managed-login sign-in (and of <c>/oauth2/authorize</c> with a live session): writes the
/// managed-login session cookie (<see cref="ManagedLogin.ManagedLoginSessions"/>) and redirects to the validated redirect_uri
/// with a single-use authorization code (<c>response_type=code</c>, query) or with tokens (<c>response_type=token</c>, fragment),
/// plus the echoed <c>state</c> (reference §9.2).
/// </summary>
public sealed class AuthorizeCompletion(IServiceProvider services)
{
    /// <summary>Issues the code (or implicit tokens) for <paramref name="user"/> and answers the 302.</summary>
    /// <param name="http">The current request (cookie written on its response).</param>
    /// <param name="request">The authorization request, validated again at this moment by the caller.</param>
    /// <param name="user">The signed-in user (must be enabled and CONFIRMED, or EXTERNAL_PROVIDER after a federated sign-in; otherwise an error redirect).</param>
    /// <param name="authTime">When the user authenticated (UTC): the session's and the tokens' <c>auth_time</c>.</param>
    /// <param name="reused">The browser's managed-login session when it signed the user in silently (its SSO session goes on);
    /// null after a fresh sign-in, which starts a new SSO session (<see cref="SessionService.StartSsoAsync"/>).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>302 to <c>redirect_uri?code=…&amp;state=…</c> or <c>redirect_uri#access_token=…&amp;id_token=…&amp;token_type=Bearer&amp;expires_in=…&amp;state=…</c>;
    /// 302 with <c>error=access_denied</c> for a user of another pool, disabled or not confirmed.</returns>
    public async ValueTask<IResult> CompleteAsync(HttpContext http, AuthorizeValidation.Valid request, User user, DateTimeOffset authTime, ManagedLoginSession? reused = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var (pool, client, r) = (request.Pool, request.Client, request.Request);
        bool implicitGrant = r.ResponseType == "token";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        if (user.UserPoolId != pool.Id || !user.Enabled || user.Status is not (UserStatus.Confirmed or UserStatus.ExternalProvider))
        {
            return Redirect(new AuthorizeValidation.RedirectError(r.RedirectUri, "access_denied", null, r.State, implicitGrant));
        }

        var session = reused;
        if (session is null)
        {
            var cookies = services.GetRequiredService<ManagedLoginSessions>();
            var sessionService = services.GetRequiredService<SessionService>();
            // A fresh sign-in replaces the browser's cookie: the SSO session it named (if any) can never be used again, so it ends.
            if (cookies.Read(http, pool)?.SsoSessionId is { } replaced) await sessionService.EndSsoAsync(replaced, ct).ConfigureAwait(false);
            var (ssoId, expiresAt) = await sessionService.StartSsoAsync(pool, client.ClientId, user.Username, authTime, ct).ConfigureAwait(false);
            session = new ManagedLoginSession(pool.Id, user.Sub, authTime, expiresAt, ssoId);
        }
        services.GetRequiredService<ManagedLoginSessions>().Write(http, session);
        if (session.SsoSessionId is { } sso)
        {
            // The tokens of this code (or implicit grant) come through the SSO session: their token session's OriginSessionId.
            SessionClient.Current = (SessionClient.Current ?? new SessionClient(null, null)) with { OriginSessionId = sso };
        }

        if (!implicitGrant)
        {
            var code = await services.GetRequiredService<AuthorizationCodeService>().IssueAsync(pool, client, r, user, authTime, ct).ConfigureAwait(false);
            return Microsoft.AspNetCore.Http.Results.Redirect(Append(r.RedirectUri, '?', [("code", code), ("state", r.State)]));
        }

        // Implicit: tokens in the fragment, no refresh token. A refresh-token row is still stored (and never shown) so that
        // GlobalSignOut and AdminUserGlobalSignOut revoke these access tokens through their origin_jti as any other.
        TokenResponse tokens;
        try
        {
            tokens = await services.GetRequiredService<TokenService>().IssueOAuthAsync(pool, client, user, OAuthEndpoints.Issuer(http, pool), authTime,
                new OAuthTokenClaims(r.Scopes, r.Nonce), originJti: null, issueRefreshToken: true, new TokenGeneration(TokenGenerationSources.HostedAuth), ct).ConfigureAwait(false);
        }
        catch (Cognate.Core.Errors.CognitoException ex) when (IsLambdaError(ex))
        {
            // A failed PreTokenGeneration function: the hosted pages answer it on the callback (reference §10.1).
            return Redirect(new AuthorizeValidation.RedirectError(r.RedirectUri, "access_denied", ex.Error.Message, r.State, InFragment: true));
        }
        return Microsoft.AspNetCore.Http.Results.Redirect(Append(r.RedirectUri, '#',
        [
            ("access_token", tokens.AccessToken),
            ("id_token", tokens.IdToken),
            ("token_type", tokens.TokenType),
            ("expires_in", tokens.ExpiresIn.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("state", r.State),
        ]));
    }

    /// <summary>True for the three errors of a Lambda trigger (UserLambdaValidation, InvalidLambdaResponse, UnexpectedLambda).</summary>
    internal static bool IsLambdaError(Cognate.Core.Errors.CognitoException ex) =>
        ex.Error.Type is "UserLambdaValidationException" or "InvalidLambdaResponseException" or "UnexpectedLambdaException";

    /// <summary>The 302 of a <see cref="AuthorizeValidation.RedirectError"/>: <c>error</c>, <c>error_description</c>, <c>state</c> (RFC 6749 §4.1.2.1, §4.2.2.1).</summary>
    internal static IResult Redirect(AuthorizeValidation.RedirectError e) =>
        Microsoft.AspNetCore.Http.Results.Redirect(Append(e.RedirectUri, e.InFragment ? '#' : '?', [("error", e.Error), ("error_description", e.Description), ("state", e.State)]));

    /// <summary>
    /// <paramref name="uri"/> with the non-null <paramref name="parameters"/> form-encoded after <paramref name="separator"/>
    /// (<c>&amp;</c> when the URI already has a query). Values are percent-encoded (RFC 3986 unreserved kept), so a client that
    /// decodes gets <c>state</c> back byte for byte.
    /// </summary>
    internal static string Append(string uri, char separator, IEnumerable<(string Name, string? Value)> parameters)
    {
        var sb = new StringBuilder(uri);
        char next = separator == '?' && uri.Contains('?', StringComparison.Ordinal) ? '&' : separator;
        foreach (var (name, value) in parameters)
        {
            if (value is null) continue;
            sb.Append(next).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            next = '&';
        }
        return sb.ToString();
    }
}
