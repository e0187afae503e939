namespace Cognate.Browser.Tests.Pages;

/// <summary>The NEW_PASSWORD_REQUIRED challenge page: <c>New password</c> (+ missing required attributes), <c>Change password</c>.</summary>
public sealed class NewPasswordPage(IPage page) : HostedPage(page)
{
    public ILocator NewPassword => Input("New password");
    public ILocator ChangeButton => Button("Change password");

    public async Task<NewPasswordPage> WaitAsync()
    {
        await Assertions.Expect(NewPassword).ToBeVisibleAsync();
        return this;
    }

    public async Task ChangePasswordAsync(string newPassword, IReadOnlyDictionary<string, string>? attributes = null)
    {
        await NewPassword.FillAsync(newPassword);
        foreach (var (label, value) in attributes ?? new Dictionary<string, string>()) await Input(label).FillAsync(value);
        await ChangeButton.ClickAsync();
    }
}
