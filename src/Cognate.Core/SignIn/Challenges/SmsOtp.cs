using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>SMS_OTP: the code sent by SMS as a passwordless first factor (USER_AUTH). Response: USERNAME, SMS_OTP_CODE (8 digits).</summary>
public sealed class SmsOtp(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => ChallengeNames.SmsOtp;
    /// <inheritdoc/>
    protected override string CodeParameter => AuthParameters.SmsOtpCode;
}
