using System.Text.Json.Nodes;
using Cognate.Core.Pools;

namespace Cognate.Core.Triggers;

/// <summary>Reads a pool's stored <c>LambdaConfig</c> (reference §10.1): which function, if any, runs a trigger.</summary>
public static class LambdaConfigReader
{
    /// <summary>The function ARN configured for <paramref name="trigger"/> (one of <see cref="TriggerNames"/>), or null.</summary>
    /// <remarks>PreTokenGeneration: <c>PreTokenGenerationConfig.LambdaArn</c> wins over the legacy <c>PreTokenGeneration</c> key.
    /// CustomEmailSender / CustomSMSSender / InboundFederation: their <c>LambdaArn</c>.</remarks>
    public static string? FunctionFor(UserPool pool, string trigger)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var config = pool.Config.LambdaConfig;
        if (config is null || config.Count == 0) return null;
        if (trigger == TriggerNames.PreTokenGeneration && ObjectArn(config, TriggerNames.PreTokenGenerationConfig) is { } v2) return v2;
        if (trigger is TriggerNames.CustomEmailSender or TriggerNames.CustomSMSSender or TriggerNames.InboundFederation) return ObjectArn(config, trigger);
        return config[trigger] is JsonValue value && value.TryGetValue<string>(out var arn) && arn.Length > 0 ? arn : null;
    }

    /// <summary>The PreTokenGeneration event version: <c>V1_0</c> (default, and for the legacy key), <c>V2_0</c> or <c>V3_0</c>.</summary>
    public static string PreTokenGenerationVersion(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.LambdaConfig?[TriggerNames.PreTokenGenerationConfig] is JsonObject o
               && o["LambdaVersion"] is JsonValue v && v.TryGetValue<string>(out var version) ? version : "V1_0";
    }

    /// <summary>The pool's <c>KMSKeyID</c> (custom senders), or null.</summary>
    public static string? KmsKeyId(UserPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Config.LambdaConfig?[TriggerNames.KMSKeyID] is JsonValue v && v.TryGetValue<string>(out var id) && id.Length > 0 ? id : null;
    }

    static string? ObjectArn(JsonObject config, string key) =>
        config[key] is JsonObject o && o["LambdaArn"] is JsonValue v && v.TryGetValue<string>(out var arn) && arn.Length > 0 ? arn : null;
}
