using System.Text;
using Cognate.Core.Errors;
using Cognate.Server.Protocol;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Protocol;

/// <summary>Issue 12: what the body parser refuses before any string reaches validation or a handler.</summary>
public sealed class JsonBodyTests
{
    static string Refusal(byte[] body) => Should.Throw<CognitoException>(() => JsonBody.Parse(body).Dispose()).Error.Type;

    static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(p => p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p)];

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]          // bad continuation byte
    [InlineData(new byte[] { 0xFF })]                // never valid
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]    // a UTF-16 surrogate encoded as UTF-8
    [InlineData(new byte[] { 0xC0, 0xAF })]          // overlong encoding
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 })]    // truncated sequence
    public void Parse_InvalidUtf8InValueOrName_ThrowsSerialization(byte[] bad)
    {
        Refusal(Bytes("{\"Username\":\"a", bad, "b\"}")).ShouldBe("SerializationException");
        Refusal(Bytes("{\"User", bad, "name\":\"a\"}")).ShouldBe("SerializationException");
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00")]
    [InlineData("\\ud800\\u0041")]
    [InlineData("\\udfff\\ud800")]
    [InlineData("x\\ud83d")]
    public void Parse_UnpairedSurrogateEscapeInValueOrName_ThrowsSerialization(string escape)
    {
        Refusal(Bytes("{\"Username\":\"", escape, "\"}")).ShouldBe("SerializationException");
        Refusal(Bytes("{\"", escape, "\":\"a\"}")).ShouldBe("SerializationException");
        Refusal(Bytes("{\"AuthParameters\":{\"USERNAME\":\"", escape, new string('a', 300), "\"}}")).ShouldBe("SerializationException");
    }

    [Fact]
    public void Parse_PairedSurrogateEscapeAndOtherEscapes_Accepted()
    {
        using var doc = JsonBody.Parse(Bytes("{\"Username\":\"\\ud83d\\ude00 \\u00e9\\n\\\"\",\"\\u0041\":1}"));

        doc.RootElement.GetProperty("Username").GetString().ShouldBe("😀 é\n\"");
        doc.RootElement.GetProperty("A").GetInt32().ShouldBe(1);
    }

    [Fact]
    public void Parse_EmptyBody_IsEmptyObject()
    {
        using var doc = JsonBody.Parse([]);

        doc.RootElement.EnumerateObject().ShouldBeEmpty();
    }

    [Fact]
    public void Parse_NestingDeeperThanLimit_ThrowsSerialization()
    {
        var deep = new string('[', JsonBody.MaxDepth + 1) + new string(']', JsonBody.MaxDepth + 1);

        Refusal(Encoding.ASCII.GetBytes("{\"a\":" + deep + "}")).ShouldBe("SerializationException");
    }
}
