namespace Cognate.Browser.Tests.Pages;

/// <summary>The hosted <c>/signup</c> page: <c>Username</c> or <c>Email</c>, <c>Password</c>, one input per required attribute, <c>Sign up</c>.</summary>
public sealed class SignUpPage(IPage page, string usernameLabel = "Email") : HostedPage(page)
{
    public ILocator Username => Input(usernameLabel);
    public ILocator Password => Input("Password");
    public ILocator SignUpButton => Button("Sign up");
    public ILocator SignInLink => Link("Sign in");

    public async Task<SignUpPage> WaitAsync()
    {
        await Assertions.Expect(Page).ToHaveURLAsync(PathIs("/signup"));
        await Assertions.Expect(Username).ToBeVisibleAsync();
        return this;
    }

    /// <summary>Fills the form and presses Sign up; the confirmation-code page follows.</summary>
    public async Task<ConfirmPage> SignUpAsync(string username, string password, IReadOnlyDictionary<string, string>? attributes = null)
    {
        await SubmitAsync(username, password, attributes);
        return await new ConfirmPage(Page).WaitAsync();
    }

    /// <summary>Fills the form and presses Sign up, staying on the page (for error cases).</summary>
    public async Task SubmitAsync(string username, string password, IReadOnlyDictionary<string, string>? attributes = null)
    {
        await Username.FillAsync(username);
        await Password.FillAsync(password);
        foreach (var (label, value) in attributes ?? new Dictionary<string, string>()) await Input(label).FillAsync(value);
        await SignUpButton.ClickAsync();
    }
}
