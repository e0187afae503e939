using System.Text.Json;

namespace Cognate.Server.ManagedLogin.Steps;

/// <summary>
/// NEW_PASSWORD_REQUIRED (a user created by an administrator signs in with the temporary password): <c>New password</c> and
/// one input per required attribute the user lacks (ChallengeParameters <c>requiredAttributes</c>); the answer is
/// NEW_PASSWORD and <c>userAttributes.{name}</c>. A weak password is a Retry (InvalidPasswordException's message).
/// </summary>
internal sealed class NewPasswordRequiredStep : IChallengeStep
{
    public IReadOnlyList<string> Names { get; } = ["NEW_PASSWORD_REQUIRED"];

    public PageWriter Render(PageContext page, FlowState state, string sealedState, string? error)
    {
        var w = new PageWriter { Title = "Change password" }
            .Alert(error)
            .Text("Please enter a new password.")
            .FormStart(page.Url("/login"), page.CsrfToken, sealedState)
            .Input("new_password", "New password", "password", "new-password");
        foreach (var attribute in RequiredAttributes(state))
        {
            w.Input(AttributeLabels.FieldOf(attribute), AttributeLabels.Of(attribute), AttributeLabels.TypeOf(attribute), AttributeLabels.AutocompleteOf(attribute));
        }
        return w.Button("Change password").FormEnd();
    }

    public async ValueTask<IResult> AnswerAsync(PageContext page, FlowState state, IFormCollection form)
    {
        var responses = new Dictionary<string, string>(StringComparer.Ordinal) { ["NEW_PASSWORD"] = form["new_password"].ToString() };
        foreach (var attribute in RequiredAttributes(state))
        {
            var value = form[AttributeLabels.FieldOf(attribute)].ToString();
            if (value.Length > 0) responses["userAttributes." + attribute] = value;
        }
        return await SignInPages.RespondAsync(page, state, "NEW_PASSWORD_REQUIRED", responses);
    }

    /// <summary>The attribute names of <c>requiredAttributes</c> (a JSON array of <c>userAttributes.{name}</c>).</summary>
    static List<string> RequiredAttributes(FlowState state)
    {
        if (state.Parameter("requiredAttributes") is not { Length: > 0 } json) return [];
        try
        {
            return (JsonSerializer.Deserialize(json, StepJson.Default.ListString) ?? [])
                .Select(a => a.StartsWith("userAttributes.", StringComparison.Ordinal) ? a["userAttributes.".Length..] : a)
                .Where(a => a.Length > 0).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
internal sealed partial class StepJson : System.Text.Json.Serialization.JsonSerializerContext;
