using System.Collections.Frozen;

namespace Cognate.Server.Protocol;

/// <summary>
/// The order in which Cognito lists an enum's values in "Member must satisfy enum value set: [...]". The service does not print
/// them in the published model's order, and no general rule (alphabetical, Java hash order) reproduces what it prints, so the
/// orders Cognito was seen to print are recorded here; every other enum keeps the model's order. Values the recorded order does
/// not know (added to the model later) follow it in the model's order.
/// </summary>
/// <remarks>
/// Evidence: AuthFlowType — moto's tests of InitiateAuth/AdminInitiateAuth ("Order follows AWS' order": ADMIN_NO_SRP_AUTH,
/// ADMIN_USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, where the model
/// has USER_SRP_AUTH first); ExplicitAuthFlowsType — the error CloudFormation relayed from CreateUserPoolClient
/// (awsdocs/aws-cloudformation-user-guide#525, aws-solutions/media-insights-on-aws#199); AttributeDataType — moto's schema
/// error text [Boolean, Number, String, DateTime].
/// </remarks>
internal static class AwsEnumOrder
{
    static readonly FrozenDictionary<string, string[]> Observed = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["AuthFlowType"] = ["ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH", "USER_PASSWORD_AUTH"],
        ["ExplicitAuthFlowsType"] = ["ALLOW_CUSTOM_AUTH", "ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
            "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH"],
        ["AttributeDataType"] = ["Boolean", "Number", "String", "DateTime"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary><paramref name="modelOrder"/> (the values of shape <paramref name="shapeName"/>) in the order Cognito prints them.</summary>
    public static string[] Order(string shapeName, string[] modelOrder)
    {
        if (!Observed.TryGetValue(shapeName, out var seen)) return modelOrder;
        var known = seen.Where(v => Array.IndexOf(modelOrder, v) >= 0);
        return [.. known, .. modelOrder.Where(v => Array.IndexOf(seen, v) < 0)];
    }
}
