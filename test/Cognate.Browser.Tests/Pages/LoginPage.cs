namespace Cognate.Browser.Tests.Pages;

/// <summary>
/// The hosted <c>/login</c> page: <c>Username</c> (labelled <c>Email</c> when the pool signs in by email only), <c>Password</c>,
/// <c>Sign in</c>, and links to <c>/signup</c> and <c>/forgotPassword</c>.
/// </summary>
public sealed class LoginPage(IPage page, string usernameLabel = "Email") : HostedPage(page)
{
    public ILocator Username => Input(usernameLabel);
    public ILocator Password => Input("Password");
    public ILocator SignInButton => Button("Sign in");
    public ILocator SignUpLink => Link("Sign up");
    public ILocator ForgotPasswordLink => Link("Forgot your password?");

    /// <summary>Waits for the sign-in form (at <c>/login</c>, or rendered in place after a step such as a password reset).</summary>
    public async Task<LoginPage> WaitAsync()
    {
        await Assertions.Expect(Username).ToBeVisibleAsync();
        await Assertions.Expect(SignInButton).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Waits for the sign-in page at its own path, <c>/login</c> (where <c>/oauth2/authorize</c> sends a user without a session).</summary>
    public async Task<LoginPage> WaitAtLoginPathAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(PathIs("/login"));
        return await WaitAsync();
    }

    /// <summary>Types the credentials and presses Sign in (what follows depends on the user: the app, an MFA page, an error).</summary>
    public async Task SignInAsync(string username, string password)
    {
        await Username.FillAsync(username);
        await Password.FillAsync(password);
        await SignInButton.ClickAsync();
    }

    /// <summary>Types only the username and presses Sign in (choice-based sign-in, managed login v2).</summary>
    public async Task<PasswordlessChoicePage> StartWithUsernameAsync(string username)
    {
        await Username.FillAsync(username);
        await SignInButton.ClickAsync();
        return await new PasswordlessChoicePage(Page).WaitAsync();
    }

    public async Task<SignUpPage> GoToSignUpAsync()
    {
        await SignUpLink.ClickAsync();
        return await new SignUpPage(Page).WaitAsync();
    }

    public async Task<ForgotPasswordPage> GoToForgotPasswordAsync()
    {
        await ForgotPasswordLink.ClickAsync();
        return await new ForgotPasswordPage(Page).WaitAsync();
    }
}
