using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>EMAIL_OTP: the code sent by email, as a passwordless first factor (USER_AUTH), as email MFA, or to confirm an
/// email being set up in MFA_SETUP. Response: USERNAME, EMAIL_OTP_CODE (8 digits), SECRET_HASH when the client has a secret.</summary>
public sealed class EmailOtp(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => ChallengeNames.EmailOtp;
    /// <inheritdoc/>
    protected override string CodeParameter => AuthParameters.EmailOtpCode;
}
