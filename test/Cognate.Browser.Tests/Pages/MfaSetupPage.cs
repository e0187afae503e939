namespace Cognate.Browser.Tests.Pages;

/// <summary>The MFA_SETUP (TOTP) page: the secret (<c>data-testid="totp-secret"</c>), a QR code, <c>Code</c>, <c>Verify</c>.</summary>
public sealed class MfaSetupPage(IPage page) : HostedPage(page)
{
    public ILocator Secret => Page.GetByTestId("totp-secret");
    public ILocator Code => Input("Code");
    public ILocator VerifyButton => Button("Verify");

    public async Task<MfaSetupPage> WaitAsync()
    {
        await Assertions.Expect(Secret).ToBeVisibleAsync();
        return this;
    }

    /// <summary>The base32 secret shown (spaces removed).</summary>
    public async Task<string> SecretAsync() => (await Secret.InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).Trim();

    public async Task VerifyAsync(string code)
    {
        await Code.FillAsync(code);
        await VerifyButton.ClickAsync();
    }
}
