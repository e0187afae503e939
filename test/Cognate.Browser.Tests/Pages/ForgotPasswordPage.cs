namespace Cognate.Browser.Tests.Pages;

/// <summary>The hosted <c>/forgotPassword</c> page: <c>Username</c> or <c>Email</c>, <c>Reset my password</c>.</summary>
public sealed class ForgotPasswordPage(IPage page, string usernameLabel = "Email") : HostedPage(page)
{
    public ILocator Username => Input(usernameLabel);
    public ILocator ResetButton => Button("Reset my password");

    public async Task<ForgotPasswordPage> WaitAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(PathIs("/forgotPassword"));
        await Assertions.Expect(Username).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Asks for a code; the <c>/confirmforgotPassword</c> page follows.</summary>
    public async Task<ConfirmForgotPasswordPage> RequestCodeAsync(string username)
    {
        await Username.FillAsync(username);
        await ResetButton.ClickAsync();
        return await new ConfirmForgotPasswordPage(Page).WaitAsync();
    }
}
