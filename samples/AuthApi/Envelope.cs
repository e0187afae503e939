using System.Text.Json.Serialization;

namespace Cognate.Samples.AuthApi;

/// <summary>The Go original's response envelope: <c>{"status": 200, "data": {...}}</c>, errors <c>{"status": 401, "error": "..."}</c>.</summary>
public static class Envelope
{
    public static IResult Ok(object data, int status = StatusCodes.Status200OK) => Results.Json(new Success(status, data), statusCode: status);

    public static IResult Error(int status, string message) => Results.Json(new Failure(status, message), statusCode: status);

    public sealed record Success([property: JsonPropertyName("status")] int Status, [property: JsonPropertyName("data")] object Data);

    public sealed record Failure([property: JsonPropertyName("status")] int Status, [property: JsonPropertyName("error")] string Error);
}
