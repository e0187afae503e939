namespace Cognate.Core.SignIn;

/// <summary>
/// Which front door a sign-in comes through. The steps are the same for every door; the door decides only
/// which flow names are allowed and how a completed sign-in ends (tokens, or an authenticated user for the
/// managed-login pages, whose tokens come later from <c>/oauth2/token</c>).
/// </summary>
public enum SignInDoor
{
    /// <summary>InitiateAuth / RespondToAuthChallenge: the client's ExplicitAuthFlows apply; a completed sign-in issues tokens.</summary>
    JsonApi,
    /// <summary>AdminInitiateAuth / AdminRespondToAuthChallenge (SigV4): ADMIN_* flows allowed, USER_PASSWORD_AUTH refused.</summary>
    JsonAdminApi,
    /// <summary>
    /// The managed-login pages (<c>/login</c> and its challenge pages). The client's ExplicitAuthFlows are not checked
    /// (the hosted UI signs in whatever ALLOW_* flows the client has); a completed sign-in returns
    /// <see cref="SignInResult.SignedIn"/> without tokens.
    /// </summary>
    ManagedLogin,
}
