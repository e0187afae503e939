using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Passkeys;
using Cognate.Core.Users;
using Cognate.Server.OAuth;
using Cognate.Server.OAuth.Authorize;

namespace Cognate.Server.ManagedLogin;

/// <summary>
/// <c>/passkeys/add</c> (Cognito managed login v2): a signed-in user registers a passkey. It takes the authorization request
/// of the sign-in in its query (as every page) and needs the pool's managed-login session cookie; without one it sends the
/// browser to <c>/login</c>. The page (title <c>Add a passkey</c>, button <c>Add passkey</c>, link <c>Skip</c>) carries the
/// CredentialCreationOptions of <see cref="PasskeyService.StartRegistrationAsync"/> (the logic of StartWebAuthnRegistration);
/// its form runs <c>navigator.credentials.create</c> (<see cref="PasskeyScript"/>) and posts the RegistrationResponseJSON,
/// checked and stored by <see cref="PasskeyService.CompleteRegistrationAsync"/> (CompleteWebAuthnRegistration's logic,
/// single-use challenge, origin and relying-party checks). A stored passkey, or <c>Skip</c>, continues to the app's
/// redirect_uri with a code, as <c>/oauth2/authorize</c> with the session does. A refused credential shows Cognito's
/// WebAuthn* message on the page with a fresh challenge.
/// </summary>
/// <remarks>
/// The sign-in pages offer this page (<see cref="OfferAsync"/>) after a sign-in when the pool allows WEB_AUTHN as a first
/// factor and has a relying party, the app client allows USER_AUTH (else the passkey could not be used on its pages) and
/// the user has no passkey for the relying party yet.
/// </remarks>
internal static class PasskeysAddPage
{
    /// <summary>The page's path.</summary>
    public const string Path = "/passkeys/add";

    /// <summary>True when the pages of this client can sign in with a passkey: the pool allows WEB_AUTHN, has a relying party,
    /// and the client allows USER_AUTH.</summary>
    public static bool PasskeysOffered(PageContext page) =>
        PasskeyService.Enabled(page.Pool) && PasskeyService.RelyingPartyOf(page.Pool) is not null
        && page.Client.Config.ExplicitAuthFlows?.Contains("ALLOW_USER_AUTH") == true;

    /// <summary>
    /// After a sign-in on the pages: when passkeys are offered and <paramref name="user"/> has none for the relying party,
    /// writes the managed-login session and answers the 302 to this page (the code is issued after it); otherwise null.
    /// </summary>
    public static async ValueTask<IResult?> OfferAsync(PageContext page, User user, DateTimeOffset authTime)
    {
        if (!PasskeysOffered(page) || user.UserPoolId != page.Pool.Id || !user.Enabled || user.Status != UserStatus.Confirmed) return null;
        var passkeys = page.Http.RequestServices.GetRequiredService<PasskeyService>();
        if (await passkeys.CanSignInAsync(page.Pool, user, page.Http.RequestAborted)) return null;
        page.Http.RequestServices.GetRequiredService<ManagedLoginSessions>()
            .Write(page.Http, new ManagedLoginSession(page.Pool.Id, user.Sub, authTime, authTime + ManagedLoginSessions.Lifetime));
        page.Http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(page.Http.Request.PathBase + Path + page.Query);
    }

    /// <summary><c>GET /passkeys/add</c>.</summary>
    public static async Task<IResult> GetAsync(HttpContext http)
    {
        var (page, stop) = await PageContext.OpenAsync(http);
        if (stop is not null) return stop;
        var (user, _) = await SignedInAsync(page!);
        if (user is null) return ToLogin(page!);
        return await RenderAsync(page!, user, null);
    }

    /// <summary><c>POST /passkeys/add</c>: the credential of the form (CSRF-protected), for the session's user.</summary>
    public static async Task<IResult> PostAsync(HttpContext http)
    {
        var (form, page, stop) = await PageContext.OpenPostAsync(http);
        if (stop is not null) return stop;
        var (user, session) = await SignedInAsync(page!);
        if (user is null) return ToLogin(page!);
        try
        {
            await PageActions.CheckQuotaAsync(http, "CompleteWebAuthnRegistration", page!.Client.ClientId);
            JsonNode? credential;
            try
            {
                credential = form!["credential"].ToString() is { Length: > 0 } text ? JsonNode.Parse(text) : null;
            }
            catch (JsonException)
            {
                throw CognitoErrors.InvalidParameter("Credential is not a valid JSON document.");
            }
            if (credential is null) throw CognitoErrors.InvalidParameter("Credential is required: choose Add passkey and follow your browser's prompt.");
            await http.RequestServices.GetRequiredService<PasskeyService>().CompleteRegistrationAsync(page.Pool, user, credential, http.RequestAborted);
        }
        catch (CognitoException ex)
        {
            return await RenderAsync(page!, user, ex.Error.Message);
        }
        // A session with an SSO session goes on; the one the sign-in wrote before this page (none yet) starts one now.
        return await http.RequestServices.GetRequiredService<AuthorizeCompletion>().CompleteAsync(http, page.Valid, user, session!.AuthTime,
            reused: session.SsoSessionId is null ? null : session, ct: http.RequestAborted);
    }

    /// <summary>The page with a new registration (its challenge replaces any earlier one of this user).</summary>
    static async ValueTask<IResult> RenderAsync(PageContext page, User user, string? error)
    {
        await PageActions.CheckQuotaAsync(page.Http, "StartWebAuthnRegistration", page.Client.ClientId);
        var options = await page.Http.RequestServices.GetRequiredService<PasskeyService>().StartRegistrationAsync(page.Pool, user, page.Http.RequestAborted);
        var w = new PageWriter { Title = "Add a passkey" }
            .Alert(error)
            .Text("Sign in faster next time: a passkey uses your device's screen lock, fingerprint or face instead of a password.")
            .PasskeyFormStart(page.Url(Path), page.CsrfToken, null, "create", options.ToJsonString())
            .Button("Add passkey")
            .FormEnd()
            .Script(page.Http.Request.PathBase)
            .Link(SkipUrl(page), "Skip");
        return page.Page(w);
    }

    /// <summary><c>/oauth2/authorize</c> with the authorization request without <c>prompt</c> (the session then issues the code;
    /// <c>prompt=login</c> would ask for the sign-in again).</summary>
    internal static string SkipUrl(PageContext page)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in PageContext.OAuthParameters)
        {
            if (name == "prompt") continue;
            if (page.Http.Request.Query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { } value) parameters[name] = value;
        }
        return page.Http.Request.PathBase + "/oauth2/authorize" + PageContext.CanonicalQuery(parameters);
    }

    /// <summary>The user of the pool's live managed-login session (enabled and confirmed), or null.</summary>
    static async ValueTask<(User? User, ManagedLoginSession? Session)> SignedInAsync(PageContext page)
    {
        var session = page.Http.RequestServices.GetRequiredService<ManagedLoginSessions>().Read(page.Http, page.Pool);
        if (session is null) return (null, null);
        var user = await AuthorizeEndpoint.SessionUserAsync(page.Http, page.Pool.Id, session.Sub, page.Http.RequestAborted);
        if (user is not null && session.SsoSessionId is { } sso
            && !await page.Http.RequestServices.GetRequiredService<Core.Sessions.SessionService>().SsoLiveAsync(page.Pool, user.Username, sso, page.Http.RequestAborted))
        {
            return (null, null); // revoked or expired SSO session
        }
        return user is { Status: UserStatus.Confirmed } ? (user, session) : (null, null);
    }

    static IResult ToLogin(PageContext page)
    {
        page.Http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(page.Http.Request.PathBase + "/login" + page.Query);
    }
}
