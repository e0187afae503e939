using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cognate.Server.Protocol;

/// <summary>
/// JSON settings of the AWS JSON 1.1 wire format: member names exactly as declared (PascalCase, as
/// AWS names them), nulls omitted, timestamps as epoch seconds (fractional allowed).
/// </summary>
internal static class CognitoJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = false,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.Converters.Add(new EpochSecondsConverter());
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Reads/writes <see cref="DateTimeOffset"/> as epoch seconds (AWS JSON timestamp format).</summary>
    sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(reader.GetDouble() * 1000));
            }
            return DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3));
    }
}
