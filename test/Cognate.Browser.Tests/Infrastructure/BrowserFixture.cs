using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Cognate.Client;

[assembly: AssemblyFixture(typeof(Cognate.Browser.Tests.Infrastructure.BrowserFixture))]

namespace Cognate.Browser.Tests.Infrastructure;

/// <summary>
/// One real Cognate server (child process on 127.0.0.1, Development, fresh store) for the assembly, a pool shaped like seed 004's
/// (email as username, auto-verified email, optional TOTP MFA, PASSWORD and EMAIL_OTP first factors) with a prefix domain and two OAuth
/// clients (code flow, <c>openid email profile</c>, a secret): the app's, which signs in with a password (no ALLOW_USER_AUTH, so the
/// login page asks for username and password), and one with ALLOW_USER_AUTH (choice-based sign-in: the login page asks for the
/// username, then offers a password or an emailed code) whose callback <see cref="PasswordlessCallbackUrl"/> the tests intercept; the seed 004 app (<c>samples/HostedLoginApp</c>) running against it on
/// <c>http://localhost:PORT</c>, and one headless Debian chromium. The app is on <c>localhost</c> and Cognate on <c>127.0.0.1</c>, so the
/// two never see each other's cookies (cookies ignore ports).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The password every test user gets unless it says otherwise (meets the default policy).</summary>
    public const string Password = "Correct-Horse-9";

    public CognateServer Server { get; private set; } = null!;
    public CognitoIdentityProviderClient Admin { get; private set; } = null!;
    public string PoolId { get; private set; } = "";
    public string ClientId { get; private set; } = "";
    public string ClientSecret { get; private set; } = "";
    public string DomainPrefix { get; private set; } = "";
    public string PasswordlessClientId { get; private set; } = "";
    public string PasswordlessClientSecret { get; private set; } = "";

    /// <summary>The callback of the ALLOW_USER_AUTH client: nothing listens there, tests fulfil it with <c>IPage.RouteAsync</c>.</summary>
    public const string PasswordlessCallbackUrl = "https://app.example/callback";
    public Uri AppBase { get; private set; } = null!;
    public HostedApp App { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's callback URL, registered on the client.</summary>
    public string CallbackUrl => new Uri(AppBase, "callback").ToString();

    public async ValueTask InitializeAsync()
    {
        // Fail at once, with what to do, when the browser is missing: these tests never download one and never skip.
        var chromium = ChromiumPath();
        Server = await CognateServer.StartAsync(new Dictionary<string, string> { ["Cognate__Keys__ActivationDelaySeconds"] = "0" });
        Admin = Server.Client();
        AppBase = new Uri($"http://localhost:{FreePort()}/");
        PoolId = await CreatePoolAsync();
        DomainPrefix = "browser-" + Guid.NewGuid().ToString("N")[..10];
        await Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = PoolId, ["Domain"] = DomainPrefix });
        (ClientId, ClientSecret) = await CreateOAuthClientAsync(PoolId, [CallbackUrl], [AppBase.ToString()], userAuth: false);
        (PasswordlessClientId, PasswordlessClientSecret) = await CreateOAuthClientAsync(PoolId, [PasswordlessCallbackUrl], [], userAuth: true);
        App = await HostedApp.StartAsync(AppBase, Server.Endpoint, PoolId, ClientId, ClientSecret);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        Admin?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }

    /// <summary>The full path of Debian's <c>chromium</c> on PATH (what <c>command -v chromium</c> prints).</summary>
    /// <exception cref="InvalidOperationException">It is not installed.</exception>
    public static string ChromiumPath()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(dir, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("Debian's chromium is not installed: run `apt-get install -y chromium` (test/run.sh does it when run as root).");
    }

    /// <summary>A free loopback port (for another instance of the app).</summary>
    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>A pool like seed 004's main.tf: email as username and auto-verified, optional TOTP MFA, EMAIL_OTP offered as a first factor.</summary>
    public async Task<string> CreatePoolAsync(string mfa = "OPTIONAL")
    {
        var created = await Admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "browser-" + Guid.NewGuid().ToString("N")[..8],
            ["UsernameAttributes"] = new JsonArray("email"),
            ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        });
        var poolId = (string)created["UserPool"]!["Id"]!;
        await Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["MfaConfiguration"] = mfa,
            ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        });
        return poolId;
    }

    /// <summary>
    /// A second pool like the first but with MFA <c>ON</c> (TOTP the only factor), its own domain and a password client whose callback
    /// is <see cref="PasswordlessCallbackUrl"/>: a user without MFA meets MFA_SETUP after the password.
    /// </summary>
    public async Task<(string PoolId, string ClientId, string Secret)> MfaRequiredPoolAsync()
    {
        var poolId = await CreatePoolAsync(mfa: "ON");
        await Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = poolId, ["Domain"] = "browser-" + Guid.NewGuid().ToString("N")[..10] });
        var (clientId, secret) = await CreateOAuthClientAsync(poolId, [PasswordlessCallbackUrl], [], userAuth: false);
        return (poolId, clientId, secret);
    }

    /// <summary>An app client of <paramref name="poolId"/> as seed 004's web-client.tf, with a secret: code flow, <c>openid email profile</c>;
    /// <paramref name="userAuth"/> adds ALLOW_USER_AUTH (choice-based sign-in on the pages).</summary>
    public async Task<(string ClientId, string Secret)> CreateOAuthClientAsync(string poolId, string[] callbackUrls, string[] logoutUrls, bool userAuth)
    {
        var flows = new JsonArray("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");
        if (userAuth) flows.Add("ALLOW_USER_AUTH");
        var request = new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["ClientName"] = "hosted-login-app",
            ["GenerateSecret"] = true,
            ["ExplicitAuthFlows"] = flows,
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["AllowedOAuthFlows"] = new JsonArray("code"),
            ["AllowedOAuthScopes"] = new JsonArray("openid", "email", "profile"),
            ["CallbackURLs"] = new JsonArray([.. callbackUrls.Select(u => (JsonNode)u)]),
            ["SupportedIdentityProviders"] = new JsonArray("COGNITO"),
        };
        if (logoutUrls.Length > 0) request["LogoutURLs"] = new JsonArray([.. logoutUrls.Select(u => (JsonNode)u)]);
        var r = await Admin.InvokeAsync("CreateUserPoolClient", request);
        return ((string)r["UserPoolClient"]!["ClientId"]!, (string)r["UserPoolClient"]!["ClientSecret"]!);
    }

    /// <summary>
    /// <c>POST /oauth2/token</c> with <c>grant_type=authorization_code</c> (client_secret_post, the PKCE verifier of
    /// <see cref="BrowserTest.CodeVerifier"/>); returns the status and the JSON body.
    /// </summary>
    public async Task<(int Status, JsonObject Body)> RedeemAsync(string clientId, string clientSecret, string code, string redirectUri)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
            ["code_verifier"] = BrowserTest.CodeVerifier,
        });
        using var response = await Server.Http.PostAsync(new Uri(Server.Endpoint, "oauth2/token"), form);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>A fresh address at example.com (the outbox is keyed by it).</summary>
    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";

    /// <summary>A confirmed user with a verified email and a permanent password (AdminCreateUser + AdminSetUserPassword).</summary>
    public async Task<string> ConfirmedUserAsync(string? email = null, string password = Password, string? poolId = null)
    {
        email ??= NewEmail();
        poolId ??= PoolId;
        await Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["Username"] = email,
            ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(
                new JsonObject { ["Name"] = "email", ["Value"] = email },
                new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        });
        await Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = poolId, ["Username"] = email, ["Password"] = password, ["Permanent"] = true });
        return email;
    }

    /// <summary>A user in FORCE_CHANGE_PASSWORD with <paramref name="temporaryPassword"/> (AdminCreateUser, no message sent).</summary>
    public async Task<string> UserWithTemporaryPasswordAsync(string temporaryPassword)
    {
        var email = NewEmail();
        await Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = PoolId,
            ["Username"] = email,
            ["TemporaryPassword"] = temporaryPassword,
            ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(
                new JsonObject { ["Name"] = "email", ["Value"] = email },
                new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        });
        return email;
    }

    /// <summary>
    /// A confirmed user with TOTP MFA set up and preferred through the API (USER_PASSWORD_AUTH, AssociateSoftwareToken,
    /// VerifySoftwareToken with a code from oathtool, SetUserMFAPreference); returns the email and the base32 secret.
    /// </summary>
    public async Task<(string Email, string Secret)> TotpUserAsync()
    {
        var email = await ConfirmedUserAsync();
        using var anonymous = Server.AnonymousClient();
        var signIn = await anonymous.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["ClientId"] = ClientId,
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = email, ["PASSWORD"] = Password, ["SECRET_HASH"] = SecretHash(email) },
        });
        var access = (string)signIn["AuthenticationResult"]!["AccessToken"]!;
        var secret = (string)(await anonymous.InvokeAsync("AssociateSoftwareToken", new JsonObject { ["AccessToken"] = access }))["SecretCode"]!;
        var code = await Oath.NextCodeAsync(secret);
        await anonymous.InvokeAsync("VerifySoftwareToken", new JsonObject { ["AccessToken"] = access, ["UserCode"] = code, ["FriendlyDeviceName"] = "phone" });
        await anonymous.InvokeAsync("SetUserMFAPreference", new JsonObject
        {
            ["AccessToken"] = access,
            ["SoftwareTokenMfaSettings"] = new JsonObject { ["Enabled"] = true, ["PreferredMfa"] = true },
        });
        return (email, secret);
    }

    /// <summary>SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)).</summary>
    public string SecretHash(string username)
    {
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(ClientSecret));
        return Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(username + ClientId)));
    }

    /// <summary>The code of the newest outbox message to <paramref name="email"/> that is not <paramref name="notCode"/>, waiting up to 15 s.</summary>
    public async Task<string> CodeFromOutboxAsync(string email, string? notCode = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                var code = (string?)(await Server.LatestMessageAsync(email))["code"];
                if (!string.IsNullOrEmpty(code) && code != notCode) return code;
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"No new code in the outbox for {email}.");
            await Task.Delay(200);
        }
    }
}
