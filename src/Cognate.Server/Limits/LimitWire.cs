namespace Cognate.Server.Limits;

/// <summary>Cognito's <c>LimitDefinitionType</c>: LimitClass (API_CATEGORY) and Attributes ({"Category": "UserAuthentication"}).</summary>
internal sealed record LimitDefinitionType(string LimitClass, Dictionary<string, string> Attributes);

/// <summary>Cognito's <c>LimitType</c>: the definition, the enforced rate and the free (default) rate, in requests per second.</summary>
internal sealed record LimitType(LimitDefinitionType LimitDefinition, int ProvisionedLimitValue, int FreeLimitValue)
{
    public static LimitType From(string category, int free, int enforced) =>
        new(new LimitDefinitionType(RateLimiting.ProvisionedLimits.ApiCategory, new() { ["Category"] = category }), enforced, free);
}
