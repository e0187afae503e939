using Cognate.Server.ManagedLogin;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.ManagedLogin;

/// <summary>Managed login branding Settings → page CSS: what maps, and that nothing else can reach the style element.</summary>
public sealed class BrandingSettingsCssTests
{
    [Fact]
    public void From_ColorsAndRadius_MapToCss()
    {
        var css = BrandingSettingsCss.From("""
            {"components":{"primaryButton":{"lightMode":{"defaults":{"backgroundColor":"ff0000ff","textColor":"ffffff"}}},
             "pageBackground":{"lightMode":{"color":"123456ff"}},"form":{"borderRadius":12,"lightMode":{"backgroundColor":"fafafaff"}}}}
            """)!;
        css.ShouldContain(".btn-primary{background-color:#ff0000ff;color:#ffffff;}");
        css.ShouldContain("body{background-color:#123456ff;}");
        css.ShouldContain("main{background-color:#fafafaff;border-radius:12px;}");
    }

    [Theory]
    [InlineData("""{"components":{"pageBackground":{"lightMode":{"color":"red;}</style><script>"}}}}""")]
    [InlineData("""{"components":{"form":{"borderRadius":"1px;}"}}}""")]
    [InlineData("""{"components":{"form":{"borderRadius":1000}}}""")]
    [InlineData("not json")]
    [InlineData("""{"categories":{}}""")]
    [InlineData(null)]
    public void From_AnythingElse_NoCss(string? settings) => BrandingSettingsCss.From(settings).ShouldBeNull();
}
