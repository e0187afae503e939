namespace Cognate.Browser.Tests.Pages;

/// <summary>
/// The confirm-forgot-password step: <c>Code</c>, <c>New password</c>, <c>Change password</c> (at <c>/confirmforgotPassword</c>, or as
/// the answer to the <c>/forgotPassword</c> form).
/// </summary>
public sealed class ConfirmForgotPasswordPage(IPage page) : HostedPage(page)
{
    public ILocator Code => Input("Code");
    public ILocator NewPassword => Input("New password");
    public ILocator ChangeButton => Button("Change password");

    public async Task<ConfirmForgotPasswordPage> WaitAsync()
    {
        await Assertions.Expect(Code).ToBeVisibleAsync();
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
