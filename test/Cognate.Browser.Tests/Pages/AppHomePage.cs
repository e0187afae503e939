namespace Cognate.Browser.Tests.Pages;

/// <summary>The seed 004 app's home page (<c>samples/HostedLoginApp</c>): Sign in, Register, Logout and the server-rendered greeting.</summary>
public sealed class AppHomePage(IPage page, Uri appBase)
{
    public ILocator SignInButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true });
    public ILocator RegisterButton => page.GetByRole(AriaRole.Button, new() { Name = "Register", Exact = true });
    public ILocator LogoutButton => page.GetByRole(AriaRole.Button, new() { Name = "Logout", Exact = true });
    public ILocator Greeting => page.Locator("#greeting");
    public ILocator SignedOutStatus => page.Locator("#status");

    public async Task<AppHomePage> GotoAsync()
    {
        await page.GotoAsync(appBase.ToString());
        return this;
    }

    /// <summary>Sign in → the hosted <c>/oauth2/authorize</c> → its <c>/login</c> page.</summary>
    public async Task<LoginPage> SignInAsync()
    {
        await SignInButton.ClickAsync();
        return await new LoginPage(page).WaitAsync();
    }

    /// <summary>Register → the hosted <c>/signup</c> page.</summary>
    public async Task<SignUpPage> RegisterAsync()
    {
        await RegisterButton.ClickAsync();
        return await new SignUpPage(page).WaitAsync();
    }

    /// <summary>Logout → the hosted <c>/logout</c> → back here, signed out.</summary>
    public async Task LogoutAsync()
    {
        await LogoutButton.ClickAsync();
        await WaitForSignedOutAsync();
    }

    /// <summary>Waits until the app shows <c>Hello {email}</c> (it validated the ID and access tokens).</summary>
    public async Task WaitForSignedInAsync(string email)
    {
        await Assertions.Expect(page).ToHaveURLAsync(appBase.ToString());
        await Assertions.Expect(Greeting).ToHaveTextAsync($"Hello {email}");
    }

    public async Task WaitForSignedOutAsync()
    {
        await Assertions.Expect(page).ToHaveURLAsync(appBase.ToString());
        await Assertions.Expect(SignedOutStatus).ToBeVisibleAsync();
    }
}
