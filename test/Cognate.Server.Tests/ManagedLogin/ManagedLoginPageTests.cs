using System.Net;
using System.Text.Json.Nodes;
using Cognate.Server.Tests.Auth;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>
/// The managed-login pages over a real server, driven like a browser (labels and button names of the pages contract):
/// each page renders, CSRF, every Cognito error on the page, sign-up → confirm → signed in, forgot password, TOTP MFA
/// (setup and challenge), NEW_PASSWORD_REQUIRED, passwordless email OTP, lockout, flow-state tampering, the 302 with a code.
/// </summary>
public sealed class ManagedLoginPageTests(ServerFixture f)
{
    const string Callback = "https://app.example.com/callback";
    const string Password = "Correct-horse1!";

    sealed record App(string PoolId, string ClientId, string Query);

    async Task<App> AppAsync(JsonObject? pool = null, JsonObject? client = null, bool secret = false)
    {
        var poolId = await f.CreatePoolAsync(pool);
        client ??= [];
        client["AllowedOAuthFlows"] ??= new JsonArray("code");
        client["AllowedOAuthScopes"] ??= new JsonArray("openid", "email");
        client["CallbackURLs"] ??= new JsonArray(Callback);
        client["AllowedOAuthFlowsUserPoolClient"] ??= true;
        client["SupportedIdentityProviders"] ??= new JsonArray("COGNITO");
        var (clientId, _) = await f.CreateClientAsync(poolId, secret, client);
        var app = new App(poolId, clientId, $"?client_id={clientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&state=st%20ate&scope=openid");
        return app;
    }

    LoginBrowser Browser() => new(f.Server.Endpoint);

    static void ShouldBeSignedIn(PageAnswer answer)
    {
        answer.Status.ShouldBe(HttpStatusCode.Redirect, answer.Alert ?? answer.Document?.Body?.TextContent);
        answer.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Callback);
        answer.LocationParameter("code").ShouldNotBeNullOrEmpty();
        answer.LocationParameter("state").ShouldBe("st ate");
    }

    async Task<string> CodeAsync(string to) => (string)(await f.Server.LatestMessageAsync(to))["code"]!;

    [Fact]
    public async Task Login_Get_RendersContractWithSecurityHeaders()
    {
        var app = await AppAsync();
        using var b = Browser();
        var page = await b.GetAsync("/login" + app.Query);
        page.Status.ShouldBe(HttpStatusCode.OK);
        page.Labels.ShouldBe(["Username", "Password"]);
        page.Buttons.ShouldBe(["Sign in"]);
        page.Links.ShouldContain("Sign up");
        page.Links.ShouldContain("Forgot your password?");
        page.Document!.DocumentElement.GetAttribute("lang").ShouldBe("en");
        page.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        page.Headers.CacheControl!.NoStore.ShouldBeTrue();
        page.ContentSecurityPolicy!.ShouldContain("frame-ancestors 'none'");
        page.ContentSecurityPolicy!.ShouldContain("form-action 'self' https://app.example.com");
        page.ContentSecurityPolicy!.ShouldNotContain("script-src");
        page.Document.QuerySelector("form")!.GetAttribute("action").ShouldStartWith("/login?client_id=" + app.ClientId);
    }

    [Fact]
    public async Task Login_EmailUsernamePool_LabelsEmail()
    {
        var app = await AppAsync(new JsonObject { ["UsernameAttributes"] = new JsonArray("email") });
        using var b = Browser();
        (await b.GetAsync("/login" + app.Query)).Labels.ShouldBe(["Email", "Password"]);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/signup")]
    [InlineData("/confirmUser")]
    [InlineData("/forgotPassword")]
    [InlineData("/confirmforgotPassword")]
    public async Task Page_UnknownClientOrRedirectUri_ErrorPage400(string path)
    {
        var app = await AppAsync();
        using var b = Browser();
        var unknown = await b.GetAsync(path + "?client_id=nosuchclient0000000000000&response_type=code&redirect_uri=" + Uri.EscapeDataString(Callback));
        unknown.Status.ShouldBe(HttpStatusCode.BadRequest);
        unknown.Alert.ShouldNotBeNullOrEmpty();
        var badRedirect = await b.GetAsync(path + $"?client_id={app.ClientId}&response_type=code&redirect_uri=" + Uri.EscapeDataString("https://evil.example.com/cb"));
        badRedirect.Status.ShouldBe(HttpStatusCode.BadRequest);
        badRedirect.Location.ShouldBeNull();
    }

    [Theory]
    [InlineData("/login", "Sign in")]
    [InlineData("/signup", "Sign up")]
    [InlineData("/forgotPassword", "Reset my password")]
    [InlineData("/confirmforgotPassword", "Change password")]
    [InlineData("/confirmUser", "Confirm account")]
    public async Task Post_WithoutCsrfToken_Returns400(string path, string button)
    {
        var app = await AppAsync();
        using var b = Browser();
        await b.GetAsync(path + app.Query);
        var answer = await b.SubmitAsync(button, tamper: fields => fields.RemoveAll(p => p.Key == "_csrf"));
        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Alert.ShouldNotBeNullOrEmpty();
        using var other = Browser(); // a CSRF token of another browser
        await other.GetAsync(path + app.Query);
        var token = other.Last.Document!.QuerySelector("input[name=_csrf]")!.GetAttribute("value")!;
        await b.GetAsync(path + app.Query);
        (await b.SubmitAsync(button, tamper: fields =>
        {
            fields.RemoveAll(p => p.Key == "_csrf");
            fields.Add(new("_csrf", token));
        })).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsIncorrectUsernameOrPassword()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, "walt", Password, email);
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var answer = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "walt", ["Password"] = "Wrong-pass1!" });
        answer.Status.ShouldBe(HttpStatusCode.OK);
        answer.Alert.ShouldBe("Incorrect username or password.");
        answer.Document!.QuerySelector("#username")!.GetAttribute("value").ShouldBe("walt");
    }

    [Fact]
    public async Task Login_CorrectPassword_RedirectsWithCodeAndState()
    {
        var app = await AppAsync();
        await f.CreateConfirmedUserAsync(app.ClientId, "carl", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "carl", ["Password"] = Password }));
    }

    [Fact]
    public async Task Login_ConfidentialClient_SignsInWithoutSecretHashFromBrowser()
    {
        var app = await AppAsync(secret: true);
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = "cora", ["MessageAction"] = "SUPPRESS", ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }) });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = "cora", ["Password"] = Password, ["Permanent"] = true });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "cora", ["Password"] = Password }));
    }

    [Fact]
    public async Task Login_RepeatedWrongPasswords_ShowsLockout()
    {
        var app = await AppAsync();
        await f.CreateConfirmedUserAsync(app.ClientId, "lou", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        string? alert = null;
        for (int i = 0; i < 7 && alert != "Password attempts exceeded"; i++)
        {
            alert = (await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "lou", ["Password"] = "Wrong-pass1!" })).Alert;
        }
        alert.ShouldBe("Password attempts exceeded");
    }

    [Fact]
    public async Task SignUp_WeakPassword_ShowsPolicyMessageAndKeepsValues()
    {
        var app = await AppAsync();
        using var b = Browser();
        var page = await b.GetAsync("/signup" + app.Query);
        page.Labels.ShouldBe(["Username", "Password", "Email"]);
        page.Buttons.ShouldBe(["Sign up"]);
        page.Links.ShouldContain("Sign in");
        var answer = await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Username"] = "sam", ["Password"] = "short", ["Email"] = ServerFixture.NewEmail() });
        answer.Alert!.ShouldContain("Password not long enough");
        answer.Document!.QuerySelector("#username")!.GetAttribute("value").ShouldBe("sam");
        answer.Document.QuerySelector("#password")!.GetAttribute("value").ShouldBeNull();
    }

    [Fact]
    public async Task SignUp_ExistingUser_ShowsUsernameExists()
    {
        var app = await AppAsync();
        await f.CreateConfirmedUserAsync(app.ClientId, "dora", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/signup" + app.Query);
        (await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Username"] = "dora", ["Password"] = Password, ["Email"] = ServerFixture.NewEmail() }))
            .Alert.ShouldBe("User already exists");
    }

    [Fact]
    public async Task SignUp_ThenConfirmationCode_SignsInAndRedirectsWithCode()
    {
        var app = await AppAsync(new JsonObject { ["UsernameAttributes"] = new JsonArray("email") });
        var email = ServerFixture.NewEmail();
        using var b = Browser();
        var page = await b.GetAsync("/signup" + app.Query);
        page.Labels.ShouldBe(["Email", "Password"]);
        var confirm = await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Email"] = email, ["Password"] = Password });
        confirm.Labels.ShouldBe(["Confirmation code"]);
        confirm.Buttons.ShouldBe(["Confirm account"]);
        confirm.Links.ShouldContain("Resend code");
        var wrong = await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Confirmation code"] = "000000" });
        wrong.Alert.ShouldBe("Invalid verification code provided, please try again.");
        ShouldBeSignedIn(await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Confirmation code"] = await CodeAsync(email) }));
    }

    [Fact]
    public async Task ConfirmUser_ResendCode_SendsANewCode()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        using var b = Browser();
        await b.GetAsync("/signup" + app.Query);
        var confirm = await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Username"] = "rita", ["Password"] = Password, ["Email"] = email });
        var first = await CodeAsync(email);
        var href = confirm.Document!.QuerySelectorAll("a").First(a => a.TextContent.Trim() == "Resend code").GetAttribute("href")!;
        var resent = await b.GetAsync(href);
        resent.Status.ShouldBe(HttpStatusCode.OK);
        resent.Labels.ShouldBe(["Confirmation code"]);
        var second = await CodeAsync(email);
        second.ShouldNotBe(first);
        ShouldBeSignedIn(await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Confirmation code"] = second }));
    }

    [Fact]
    public async Task ConfirmUser_EmailedLinkForm_ConfirmsAccount()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = app.ClientId, ["Username"] = "lina", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        using var b = Browser();
        var done = await b.GetAsync($"/confirmUser?client_id={app.ClientId}&user_name=lina&confirmation_code={await CodeAsync(email)}");
        done.Status.ShouldBe(HttpStatusCode.OK, done.Alert);
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = "lina" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
    }

    [Fact]
    public async Task Login_UnconfirmedUser_GoesToConfirmationWithNewCode()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = app.ClientId, ["Username"] = "una", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var confirm = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "una", ["Password"] = Password });
        confirm.Labels.ShouldBe(["Confirmation code"]);
        var page = await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Confirmation code"] = await CodeAsync(email) });
        page.Labels.ShouldBe(["Username", "Password"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "una", ["Password"] = Password }));
    }

    [Fact]
    public async Task ForgotPassword_CodeFromOutbox_ChangesPassword()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, "fred", Password, email);
        using var b = Browser();
        var page = await b.GetAsync("/forgotPassword" + app.Query);
        page.Labels.ShouldBe(["Username"]);
        var confirm = await b.SubmitAsync("Reset my password", new Dictionary<string, string> { ["Username"] = "fred" });
        confirm.Labels.ShouldBe(["Code", "New password"]);
        var code = await CodeAsync(email);
        (await b.SubmitAsync("Change password", new Dictionary<string, string> { ["Code"] = code, ["New password"] = "weak" }))
            .Alert!.ShouldStartWith("Password does not conform to policy");
        (await b.SubmitAsync("Change password", new Dictionary<string, string> { ["Code"] = "12345678", ["New password"] = "New-horse2!" }))
            .Alert.ShouldBe("Invalid verification code provided, please try again.");
        var login = await b.SubmitAsync("Change password", new Dictionary<string, string> { ["Code"] = code, ["New password"] = "New-horse2!" });
        login.Labels.ShouldBe(["Username", "Password"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "fred", ["Password"] = "New-horse2!" }));
    }

    [Fact]
    public async Task NewPasswordRequired_AskedForPasswordAndMissingAttribute_ThenSignedIn()
    {
        var pool = new JsonObject
        {
            ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "name", ["AttributeDataType"] = "String", ["Required"] = true, ["Mutable"] = true }),
        };
        var app = await AppAsync(pool);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = "tina", ["TemporaryPassword"] = "Temp-pass1!", ["MessageAction"] = "SUPPRESS",
        });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var change = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "tina", ["Password"] = "Temp-pass1!" });
        change.Labels.ShouldBe(["New password", "Name"]);
        change.Buttons.ShouldBe(["Change password"]);
        var weak = await b.SubmitAsync("Change password", new Dictionary<string, string> { ["New password"] = "weak", ["Name"] = "Tina" });
        weak.Alert!.ShouldStartWith("Password does not conform to policy");
        ShouldBeSignedIn(await b.SubmitAsync("Change password", new Dictionary<string, string> { ["New password"] = "Brand-new1!", ["Name"] = "Tina" }));
    }

    [Fact]
    public async Task Totp_MfaSetupThenChallenge_SignsIn()
    {
        var app = await AppAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["MfaConfiguration"] = "ON", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        });
        await f.CreateConfirmedUserAsync(app.ClientId, "otto", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var setup = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "otto", ["Password"] = Password });
        setup.Status.ShouldBe(HttpStatusCode.OK, setup.Alert);
        var secret = setup.Document!.QuerySelector("[data-testid=totp-secret]")!.TextContent.Trim();
        secret.ShouldNotBeNullOrEmpty();
        setup.Document.QuerySelector("svg[role=img]").ShouldNotBeNull();
        setup.Labels.ShouldContain("Code");
        (await b.SubmitAsync("Verify", new Dictionary<string, string> { ["Code"] = "000000" })).Alert.ShouldNotBeNullOrEmpty();
        b.Last.Document!.QuerySelector("[data-testid=totp-secret]")!.TextContent.Trim().ShouldBe(secret);
        ShouldBeSignedIn(await b.SubmitAsync("Verify", new Dictionary<string, string> { ["Code"] = Otp.Code(secret) }));

        using var again = Browser();
        await again.GetAsync("/login" + app.Query);
        var challenge = await again.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "otto", ["Password"] = Password });
        challenge.Labels.ShouldBe(["Code"]);
        challenge.Buttons.ShouldBe(["Sign in"]);
        var wrong = await again.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = "000000" });
        wrong.Alert.ShouldNotBeNullOrEmpty();
        wrong.Labels.ShouldBe(["Code"]);
        ShouldBeSignedIn(await again.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = Otp.Code(secret, 30) }));
    }

    [Fact]
    public async Task Passwordless_EmailOtpFromOutbox_SignsIn()
    {
        var app = await AppAsync(new JsonObject
        {
            ["UsernameAttributes"] = new JsonArray("email"),
            ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP") } },
        }, UserAuthClient());
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, email, Password, email);
        using var b = Browser();
        var login = await b.GetAsync("/login" + app.Query);
        login.Labels.ShouldBe(["Email"]);
        var choice = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Email"] = email });
        choice.Buttons.ShouldBe(["Sign in with password", "Email me a code"]);
        var code = await b.SubmitAsync("Email me a code");
        code.Labels.ShouldBe(["Code"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = await CodeAsync(email) }));

        using var b2 = Browser();
        await b2.GetAsync("/login" + app.Query);
        await b2.SubmitAsync("Sign in", new Dictionary<string, string> { ["Email"] = email });
        var password = await b2.SubmitAsync("Sign in with password");
        password.Labels.ShouldBe(["Password"]);
        ShouldBeSignedIn(await b2.SubmitAsync("Sign in", new Dictionary<string, string> { ["Password"] = Password }));
    }

    [Fact]
    public async Task FlowState_Tampered_ErrorPage400()
    {
        var app = await AppAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["MfaConfiguration"] = "ON", ["SoftwareTokenMfaConfiguration"] = new JsonObject { ["Enabled"] = true },
        });
        await f.CreateConfirmedUserAsync(app.ClientId, "tom", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "tom", ["Password"] = Password });
        var answer = await b.SubmitAsync("Verify", new Dictionary<string, string> { ["Code"] = "123456" }, fields =>
        {
            int i = fields.FindIndex(p => p.Key == "_state");
            var value = fields[i].Value.ToCharArray();
            value[30] = value[30] == 'A' ? 'B' : 'A';
            fields[i] = new("_state", new string(value));
        });
        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Alert.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task SelectMfaType_SmsChosen_CodeBySms_SignsIn()
    {
        var app = await AppAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["MfaConfiguration"] = "OPTIONAL",
            ["SmsMfaConfiguration"] = new JsonObject { ["SmsAuthenticationMessage"] = "Your code is {####}" },
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Email code {####}", ["Subject"] = "Sign-in code" },
        });
        var email = ServerFixture.NewEmail();
        const string phone = "+15555550142";
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = "mia", ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(
                new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" },
                new JsonObject { ["Name"] = "phone_number", ["Value"] = phone }, new JsonObject { ["Name"] = "phone_number_verified", ["Value"] = "true" }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = "mia", ["Password"] = Password, ["Permanent"] = true });
        await f.Admin.InvokeAsync("AdminSetUserMFAPreference", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = "mia",
            ["SMSMfaSettings"] = new JsonObject { ["Enabled"] = true }, ["EmailMfaSettings"] = new JsonObject { ["Enabled"] = true },
        });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var select = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "mia", ["Password"] = Password });
        select.Labels.ShouldBe(["SMS", "Email"]);
        select.Buttons.ShouldBe(["Continue"]);
        select.Document!.QuerySelectorAll("input[type=radio]").Length.ShouldBe(2);
        b.Choose("SMS");
        var code = await b.SubmitAsync("Continue");
        code.Labels.ShouldBe(["Code"]);
        code.Document!.Body!.TextContent.ShouldContain("+*******0142");
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = await CodeAsync(phone) }));
    }

    [Fact]
    public async Task MfaSetup_ByEmail_CodeThenSignedIn()
    {
        var app = await AppAsync();
        await f.Admin.InvokeAsync("SetUserPoolMfaConfig", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["MfaConfiguration"] = "ON",
            ["EmailMfaConfiguration"] = new JsonObject { ["Message"] = "Code {####}", ["Subject"] = "Code" },
        });
        await f.CreateConfirmedUserAsync(app.ClientId, "ned", Password, ServerFixture.NewEmail());
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var setup = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "ned", ["Password"] = Password });
        setup.Labels.ShouldBe(["Email"]);
        var newEmail = ServerFixture.NewEmail();
        var code = await b.SubmitAsync("Send code", new Dictionary<string, string> { ["Email"] = newEmail });
        code.Labels.ShouldBe(["Code"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = await CodeAsync(newEmail) }));
    }

    [Fact]
    public async Task Branding_UICustomization_CssInPageAndLogoServed()
    {
        var app = await AppAsync();
        const string png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        await f.Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = app.PoolId, ["Domain"] = "brand-" + Guid.NewGuid().ToString("N")[..12] });
        var set = await f.Admin.InvokeAsync("SetUICustomization", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["ClientId"] = app.ClientId,
            ["CSS"] = ".submitButton-customizable { background-color: rgb(1, 2, 3); }", ["ImageFile"] = png,
        });
        var imageUrl = (string)set["UICustomization"]!["ImageUrl"]!;
        using var b = Browser();
        var page = await b.GetAsync("/login" + app.Query);
        page.Document!.QuerySelectorAll("style").Any(s => s.TextContent.Contains("rgb(1, 2, 3)", StringComparison.Ordinal)).ShouldBeTrue();
        var logo = page.Document.QuerySelector("img.logo-customizable")!.GetAttribute("src")!;
        using var response = await f.Server.Http.GetAsync(new Uri(f.Server.Endpoint, logo));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(Convert.FromBase64String(png));
        new Uri(imageUrl).PathAndQuery.ShouldBe(logo); // the page shows GetUICustomization's ImageUrl
        using var byImageUrl = await f.Server.Http.GetAsync(imageUrl);
        byImageUrl.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var missing = await f.Server.Http.GetAsync(new Uri(f.Server.Endpoint, $"/_ui/{app.PoolId}/ALL/logo.png"));
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Branding_ManagedLoginStyle_SettingsColorsAndLogoAsset()
    {
        var app = await AppAsync();
        const string png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
        await f.Admin.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = app.PoolId, ["Domain"] = "style-" + Guid.NewGuid().ToString("N")[..12], ["ManagedLoginVersion"] = 2 });
        await f.Admin.InvokeAsync("CreateManagedLoginBranding", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["ClientId"] = app.ClientId,
            ["Settings"] = JsonNode.Parse("""{"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"aa0000ff","textColor":"ffffffff"}}}}}"""),
            ["Assets"] = new JsonArray(new JsonObject { ["Category"] = "FORM_LOGO", ["ColorMode"] = "LIGHT", ["Extension"] = "PNG", ["Bytes"] = png }),
        });
        using var b = Browser();
        var page = await b.GetAsync("/login" + app.Query);
        page.Document!.QuerySelectorAll("style").Any(s => s.TextContent.Contains(".btn-primary{background-color:#aa0000ff;", StringComparison.Ordinal)).ShouldBeTrue();
        var logo = page.Document.QuerySelector("img.logo-customizable")!.GetAttribute("src")!;
        using var response = await f.Server.Http.GetAsync(new Uri(f.Server.Endpoint, logo));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBe(Convert.FromBase64String(png));
    }

    [Fact]
    public async Task Journey_AuthorizeToLoginToTokenExchange_ThenSessionSkipsLogin()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, "jay", Password, email);
        var verifier = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var challenge = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var authorize = $"/oauth2/authorize?client_id={app.ClientId}&response_type=code&redirect_uri={Uri.EscapeDataString(Callback)}&scope=openid%20email&state=xyz&nonce=n-1&code_challenge={challenge}&code_challenge_method=S256";
        using var b = Browser();
        var handOff = await b.GetAsync(authorize);
        handOff.Status.ShouldBe(HttpStatusCode.Redirect);
        handOff.Location!.OriginalString.ShouldStartWith("/login?");
        var login = await b.GetAsync(handOff.Location.OriginalString);
        login.Labels.ShouldBe(["Username", "Password"]);
        var done = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "jay", ["Password"] = Password });
        done.Status.ShouldBe(HttpStatusCode.Redirect, done.Alert);
        done.LocationParameter("state").ShouldBe("xyz");
        var code = done.LocationParameter("code")!;

        using var token = await f.Server.Http.PostAsync(new Uri(f.Server.Endpoint, "/oauth2/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = app.ClientId, ["code"] = code, ["redirect_uri"] = Callback, ["code_verifier"] = verifier,
        }));
        token.StatusCode.ShouldBe(HttpStatusCode.OK, await token.Content.ReadAsStringAsync());
        var tokens = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        var idPayload = (string)tokens["id_token"]!;
        var claims = TestJwt.Claims(idPayload);
        ((string?)claims["email"]).ShouldBe(email);
        ((string?)claims["nonce"]).ShouldBe("n-1");

        // The managed-login session cookie written at sign-in: the next authorization request goes straight back with a code.
        var again = await b.GetAsync(authorize.Replace("state=xyz", "state=second", StringComparison.Ordinal));
        again.Status.ShouldBe(HttpStatusCode.Redirect);
        again.Location!.GetLeftPart(UriPartial.Path).ShouldBe(Callback);
        again.LocationParameter("code").ShouldNotBeNullOrEmpty();
        again.LocationParameter("state").ShouldBe("second");
    }

    static JsonObject PasswordlessPool() => new()
    {
        ["UsernameAttributes"] = new JsonArray("email"),
        ["Policies"] = new JsonObject { ["SignInPolicy"] = new JsonObject { ["AllowedFirstAuthFactors"] = new JsonArray("PASSWORD", "EMAIL_OTP", "SMS_OTP") } },
    };

    static JsonObject UserAuthClient() => new() { ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH") };

    [Fact]
    public async Task Passwordless_TextMeACode_SignsInWithSmsOtp()
    {
        var app = await AppAsync(PasswordlessPool(), UserAuthClient());
        var email = ServerFixture.NewEmail();
        const string phone = "+15555550163";
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = email, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(
                new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" },
                new JsonObject { ["Name"] = "phone_number", ["Value"] = phone }, new JsonObject { ["Name"] = "phone_number_verified", ["Value"] = "true" }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = email, ["Password"] = Password, ["Permanent"] = true });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var choice = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Email"] = email });
        choice.Buttons.ShouldBe(["Sign in with password", "Email me a code", "Text me a code"]);
        var code = await b.SubmitAsync("Text me a code");
        code.Labels.ShouldBe(["Code"]);
        code.Document!.Body!.TextContent.ShouldContain("+*******0163");
        (await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = "00000000" })).Alert.ShouldNotBeNullOrEmpty();
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Code"] = await CodeAsync(phone) }));
    }

    [Fact]
    public async Task Passwordless_SignUpWithoutPassword_ConfirmedAndSignedIn()
    {
        var app = await AppAsync(PasswordlessPool(), UserAuthClient());
        var email = ServerFixture.NewEmail();
        using var b = Browser();
        var page = await b.GetAsync("/signup" + app.Query);
        page.Document!.QuerySelector("#password")!.HasAttribute("required").ShouldBeFalse();
        await b.SubmitAsync("Sign up", new Dictionary<string, string> { ["Email"] = email });
        ShouldBeSignedIn(await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Confirmation code"] = await CodeAsync(email) }));
    }

    [Fact]
    public async Task ConfirmUser_ReachedDirectly_AsksUsernameThenShowsSignIn()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.Public.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = app.ClientId, ["Username"] = "dina", ["Password"] = Password,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        using var b = Browser();
        var page = await b.GetAsync("/confirmUser" + app.Query);
        page.Labels.ShouldBe(["Username", "Confirmation code"]);
        (await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Username"] = "dina", ["Confirmation code"] = "000000" }))
            .Alert.ShouldBe("Invalid verification code provided, please try again.");
        var login = await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Username"] = "dina", ["Confirmation code"] = await CodeAsync(email) });
        login.Labels.ShouldBe(["Username", "Password"]);
        login.Document!.QuerySelector("[role=status]")!.TextContent.ShouldContain("confirmed");
    }

    [Fact]
    public async Task ConfirmPages_StateOfAnotherStep_ErrorPage400()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, "sue", Password, email);
        using var b = Browser();
        await b.GetAsync("/forgotPassword" + app.Query);
        var confirm = await b.SubmitAsync("Reset my password", new Dictionary<string, string> { ["Username"] = "sue" });
        var forgotState = confirm.Document!.QuerySelector("input[name=_state]")!.GetAttribute("value")!;
        await b.GetAsync("/confirmUser" + app.Query);
        var answer = await b.SubmitAsync("Confirm account", new Dictionary<string, string> { ["Username"] = "sue", ["Confirmation code"] = "123456" },
            fields => fields.Add(new("_state", forgotState)));
        answer.Status.ShouldBe(HttpStatusCode.BadRequest);
        answer.Alert.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Passwordless_OnlyPasswordAvailable_PasswordPageAtOnce()
    {
        var app = await AppAsync(PasswordlessPool(), UserAuthClient());
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = app.PoolId, ["Username"] = email, ["MessageAction"] = "SUPPRESS",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "false" }),
        });
        await f.Admin.InvokeAsync("AdminSetUserPassword", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = email, ["Password"] = Password, ["Permanent"] = true });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var password = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Email"] = email });
        password.Labels.ShouldBe(["Password"]);
        (await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Password"] = "Wrong-pass1!" })).Alert.ShouldBe("Incorrect username or password.");
        await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Email"] = email });
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Password"] = Password }));
    }

    [Fact]
    public async Task Login_ResetRequiredUser_AskedForResetCodeAndNewPassword()
    {
        var app = await AppAsync();
        var email = ServerFixture.NewEmail();
        await f.CreateConfirmedUserAsync(app.ClientId, "rex", Password, email);
        await f.Admin.InvokeAsync("AdminResetUserPassword", new JsonObject { ["UserPoolId"] = app.PoolId, ["Username"] = "rex" });
        using var b = Browser();
        await b.GetAsync("/login" + app.Query);
        var reset = await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "rex", ["Password"] = Password });
        reset.Alert.ShouldBe("Password reset required for the user");
        reset.Labels.ShouldBe(["Code", "New password"]);
        reset.Links.ShouldContain("Send a new code");
        var login = await b.SubmitAsync("Change password", new Dictionary<string, string> { ["Code"] = await CodeAsync(email), ["New password"] = "Reset-horse3!" });
        login.Labels.ShouldBe(["Username", "Password"]);
        ShouldBeSignedIn(await b.SubmitAsync("Sign in", new Dictionary<string, string> { ["Username"] = "rex", ["Password"] = "Reset-horse3!" }));
    }

    [Fact]
    public async Task ErrorPath_Get_Returns400WithAlert()
    {
        using var b = Browser();
        var page = await b.GetAsync("/error");
        page.Status.ShouldBe(HttpStatusCode.BadRequest);
        page.Alert.ShouldNotBeNullOrEmpty();
    }
}
