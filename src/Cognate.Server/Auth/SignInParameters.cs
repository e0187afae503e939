namespace Cognate.Server.Auth;

/// <summary>AuthParameters / ChallengeResponses as the sign-in engine takes them: never null, no null values (a null value, such
/// as amazon-cognito-identity-js's <c>"DEVICE_KEY": null</c> retry, means the parameter is absent).</summary>
internal static class SignInParameters
{
    public static IReadOnlyDictionary<string, string> WithoutNulls(Dictionary<string, string>? parameters)
    {
        if (parameters is null) return new Dictionary<string, string>();
        if (!parameters.ContainsValue(null!)) return parameters;
        return parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
