using Cognate.Core.Branding;
using Cognate.Core.Errors;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Branding;

public sealed class BrandingValidationTests
{
    [Theory]
    [InlineData(".logo-customizable { max-width: 60%; max-height: 30%; }")]
    [InlineData("/* c */ .submitButton-customizable:hover, .submitButton-customizable { background-color: #ff9900 }")]
    [InlineData(".banner-customizable{padding:25px 0 25px 0;background-color:lightgray}")]
    [InlineData("")]
    public void ValidateCss_WhitelistedClasses_Accepted(string css) => BrandingService.ValidateCss(css);

    [Theory]
    [InlineData("body { color: red }")]
    [InlineData(".logo-customizable div { color: red }")]
    [InlineData(".background-customizable { background: url(https://evil.example/x.png) }")]
    [InlineData("@import 'https://evil.example/a.css'; .logo-customizable{}")]
    [InlineData(".logo-customizable { color: red } </style><script>alert(1)</script>")]
    [InlineData(".logo-customizable { width: expression(alert(1)) }")]
    [InlineData(".logo-customizable { color: red ")]
    [InlineData(".logo-customizable { color: red } }")]
    [InlineData(".logo-customizable { content: \"x\" }")]
    [InlineData(".logo-customizable { color: r\\65 d }")]
    public void ValidateCss_AnythingElse_InvalidParameter(string css) =>
        Should.Throw<CognitoException>(() => BrandingService.ValidateCss(css)).Error.Type.ShouldBe("InvalidParameterException");

    [Fact]
    public void ImageTypeOf_PngJpeg_Detected_OthersRefused()
    {
        BrandingService.ImageTypeOf([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]).ShouldBe("png");
        BrandingService.ImageTypeOf([0xFF, 0xD8, 0xFF, 0xE0]).ShouldBe("jpeg");
        Should.Throw<CognitoException>(() => BrandingService.ImageTypeOf("<svg onload=alert(1)>"u8.ToArray()));
        var big = new byte[BrandingService.MaxImageBytes + 1];
        big[0] = 0xFF; big[1] = 0xD8; big[2] = 0xFF;
        Should.Throw<CognitoException>(() => BrandingService.ImageTypeOf(big));
    }
}
