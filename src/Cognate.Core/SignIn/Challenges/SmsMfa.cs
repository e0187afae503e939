using Cognate.Core.Mfa;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Users;
using static Cognate.Core.CognitoConstants;

namespace Cognate.Core.SignIn.Challenges;

/// <summary>SMS_MFA: the second-factor code sent by SMS. Response: USERNAME, SMS_MFA_CODE (6 digits).</summary>
public sealed class SmsMfa(SessionUser sessionUser, CodeChallenge codes, UserService users, MfaService mfa, Completion completion)
    : CodeAnswer(sessionUser, codes, users, mfa, completion)
{
    /// <inheritdoc/>
    public override string Name => ChallengeNames.SmsMfa;
    /// <inheritdoc/>
    protected override string CodeParameter => AuthParameters.SmsMfaCode;
}
