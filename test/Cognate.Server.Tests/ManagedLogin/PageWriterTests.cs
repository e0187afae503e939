using AngleSharp.Html.Parser;
using Cognate.Server.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>The page layout: labelled inputs, encoded values, alert role, lang and viewport, the QR code.</summary>
public sealed class PageWriterTests
{
    [Fact]
    public void Render_Form_LabelsEveryInputAndEncodesValues()
    {
        var html = new PageWriter { Title = "Sign in" }
            .Alert("Incorrect username or password.")
            .FormStart("/login?client_id=a&x=\"<b>", "token")
            .Input("username", "Username", value: "<script>alert(1)</script>")
            .Input("password", "Password", "password")
            .Button("Sign in")
            .FormEnd()
            .Render("en", new PageBranding(".banner-customizable { background-color: red; }", "/managedlogin/logo?client_id=a"));
        var doc = new HtmlParser().ParseDocument(html);
        doc.DocumentElement.GetAttribute("lang").ShouldBe("en");
        doc.QuerySelector("meta[name=viewport]").ShouldNotBeNull();
        doc.QuerySelector("[role=alert]")!.TextContent.ShouldBe("Incorrect username or password.");
        foreach (var input in doc.QuerySelectorAll("input:not([type=hidden])"))
        {
            doc.QuerySelector($"label[for='{input.Id}']").ShouldNotBeNull();
        }
        doc.QuerySelector("#username")!.GetAttribute("value").ShouldBe("<script>alert(1)</script>");
        doc.QuerySelector("script").ShouldBeNull();
        doc.QuerySelector("form")!.GetAttribute("action").ShouldBe("/login?client_id=a&x=\"<b>");
        doc.QuerySelector("input[name=_csrf]")!.GetAttribute("value").ShouldBe("token");
        doc.QuerySelector("button")!.TextContent.ShouldBe("Sign in");
        doc.QuerySelector("img.logo-customizable").ShouldNotBeNull();
        html.ShouldContain(".banner-customizable { background-color: red; }");
    }

    [Fact]
    public void Svg_OtpauthUri_IsInlineSvg()
    {
        var uri = TotpQrCode.Uri("My Pool", "alice", "JBSWY3DPEHPK3PXP");
        uri.ShouldBe("otpauth://totp/My%20Pool:alice?secret=JBSWY3DPEHPK3PXP&issuer=My%20Pool");
        var svg = TotpQrCode.Svg(uri);
        svg.ShouldStartWith("<svg ");
        svg.ShouldContain("role=\"img\"");
        svg.ShouldContain("viewBox");
    }

    [Fact]
    public void CanonicalQuery_KnownParameters_InFixedOrderAndEscaped()
    {
        var query = PageContext.CanonicalQuery(new Dictionary<string, string>
        {
            ["state"] = "a b&c",
            ["client_id"] = "abc",
            ["redirect_uri"] = "https://app.example.com/cb",
        });
        query.ShouldBe("?client_id=abc&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&state=a%20b%26c");
    }

    [Theory]
    [InlineData("https://app.example.com/callback?x=1", "https://app.example.com")]
    [InlineData("http://localhost:3000/callback", "http://localhost:3000")]
    [InlineData("http://[::1]:8080/cb", "http://[::1]:8080")]
    [InlineData("myapp://callback", "myapp:")]
    [InlineData("not a uri", null)]
    public void FormActionSource_RedirectUri_CspSource(string redirectUri, string? expected) =>
        HtmlResult.FormActionSource(redirectUri).ShouldBe(expected);
}
