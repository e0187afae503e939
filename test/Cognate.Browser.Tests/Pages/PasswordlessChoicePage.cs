namespace Cognate.Browser.Tests.Pages;

/// <summary>
/// The choice-based sign-in page (USER_AUTH, managed login v2) after the username: <c>Sign in with password</c>,
/// <c>Email me a code</c>, <c>Text me a code</c> for the factors the pool offers.
/// </summary>
public sealed class PasswordlessChoicePage(IPage page) : HostedPage(page)
{
    public ILocator PasswordButton => Button("Sign in with password");
    public ILocator EmailCodeButton => Button("Email me a code");
    public ILocator SmsCodeButton => Button("Text me a code");

    public async Task<PasswordlessChoicePage> WaitAsync()
    {
        await Assertions.Expect(EmailCodeButton.Or(PasswordButton).First).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Email me a code → the code page.</summary>
    public async Task<MfaCodePage> EmailMeACodeAsync()
    {
        await EmailCodeButton.ClickAsync();
        return await new MfaCodePage(Page).WaitAsync();
    }
}
