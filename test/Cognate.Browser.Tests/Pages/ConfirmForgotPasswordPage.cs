namespace Cognate.Browser.Tests.Pages;

/// <summary>The hosted <c>/confirmforgotPassword</c> page: <c>Code</c>, <c>New password</c>, <c>Change password</c>.</summary>
public sealed class ConfirmForgotPasswordPage(IPage page) : HostedPage(page)
{
    public ILocator Code => Input("Code");
    public ILocator NewPassword => Input("New password");
    public ILocator ChangeButton => Button("Change password");

    public async Task<ConfirmForgotPasswordPage> WaitAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(PathIs("/confirmforgotPassword"));
        await Assertions.Expect(NewPassword).ToBeVisibleAsync();
        return this;
    }

    public async Task ChangePasswordAsync(string code, string newPassword)
    {
        await Code.FillAsync(code);
        await NewPassword.FillAsync(newPassword);
        await ChangeButton.ClickAsync();
    }
}
