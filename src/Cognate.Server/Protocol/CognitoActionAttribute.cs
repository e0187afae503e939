namespace Cognate.Server.Protocol;

/// <summary>
/// Marks a static class as the handler of one Cognito action. The class has a static
/// <c>HandleAsync(ActionContext, TRequest)</c> returning <c>ValueTask&lt;TResponse&gt;</c>; the
/// dispatcher finds it by reflection once at startup.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class CognitoActionAttribute(string name) : Attribute
{
    /// <summary>The action name after <c>AWSCognitoIdentityProviderService.</c>.</summary>
    public string Name { get; } = name;
}

/// <summary>Response of actions whose output shape is empty or absent: serialised as <c>{}</c>.</summary>
internal sealed record EmptyResponse
{
    public static readonly EmptyResponse Instance = new();
}
