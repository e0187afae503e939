namespace Cognate.Browser.Tests.Pages;

/// <summary>A code challenge page (TOTP, SMS or email MFA, EMAIL_OTP / SMS_OTP): <c>Code</c>, <c>Sign in</c>.</summary>
public sealed class MfaCodePage(IPage page) : HostedPage(page)
{
    public ILocator Code => Input("Code");
    public ILocator SignInButton => Button("Sign in");

    public async Task<MfaCodePage> WaitAsync()
    {
        await Assertions.Expect(Code).ToBeVisibleAsync();
        return this;
    }

    public async Task SubmitAsync(string code)
    {
        await Code.FillAsync(code);
        await SignInButton.ClickAsync();
    }
}
