using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Clients;
using Cognate.Core.Pools;

namespace Cognate.Storage.Serialization;

/// <summary>
/// JSON of the <c>*_json</c> columns: property names as declared (Cognito's names), nulls omitted,
/// <see cref="JsonSerializerDefaults.General"/> otherwise. Shared by every SQL provider.
/// </summary>
internal static class StorageJson
{
    public static string Serialize(UserPoolConfig config) => JsonSerializer.Serialize(config, StorageJsonContext.Default.UserPoolConfig);

    public static UserPoolConfig DeserializePoolConfig(string json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.UserPoolConfig) ?? new UserPoolConfig();

    public static string Serialize(AppClientConfig config) => JsonSerializer.Serialize(config, StorageJsonContext.Default.AppClientConfig);

    public static AppClientConfig DeserializeClientConfig(string json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.AppClientConfig) ?? new AppClientConfig();

    /// <summary>Type information for a JSON array of strings (e.g. a <c>json_each</c> parameter).</summary>
    public static System.Text.Json.Serialization.Metadata.JsonTypeInfo<string[]> StringArrayType => StorageJsonContext.Default.StringArray;

    public static string SerializeAttributes(Dictionary<string, string> attributes) =>
        JsonSerializer.Serialize(attributes, StorageJsonContext.Default.DictionaryStringString);

    /// <summary>Attributes with an ordinal comparer, as <see cref="Cognate.Core.Users.User.Attributes"/> expects.</summary>
    public static Dictionary<string, string> DeserializeAttributes(string json)
    {
        var parsed = JsonSerializer.Deserialize(json, StorageJsonContext.Default.DictionaryStringString);
        return parsed is null ? new(StringComparer.Ordinal) : new(parsed, StringComparer.Ordinal);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.General, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserPoolConfig))]
[JsonSerializable(typeof(AppClientConfig))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Cognate.Core.Risk.CompromisedCredentialsRiskConfigurationType))]
[JsonSerializable(typeof(Cognate.Core.Risk.AccountTakeoverRiskConfigurationType))]
[JsonSerializable(typeof(Cognate.Core.Risk.RiskExceptionConfigurationType))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
