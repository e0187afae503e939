using Cognate.Core.Errors;

namespace Cognate.Core.Passkeys;

/// <summary>The WebAuthn errors of StartWebAuthnRegistration / CompleteWebAuthnRegistration (botocore's cognito-idp model).</summary>
public static class PasskeyErrors
{
    static CognitoException E(string type, string message) => new(new CognitoError(type, message, 400));

    /// <summary>The pool does not allow WEB_AUTHN as a first factor.</summary>
    public static CognitoException NotEnabled() => E("WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool.");
    /// <summary>The pool has no relying party id (no WebAuthnConfiguration.RelyingPartyId).</summary>
    public static CognitoException ConfigurationMissing() => E("WebAuthnConfigurationMissingException", "The user pool has no WebAuthn relying party configured.");
    /// <summary>No started registration, or another challenge than the one issued.</summary>
    public static CognitoException ChallengeNotFound() => E("WebAuthnChallengeNotFoundException", "The WebAuthn challenge was not found or has expired.");
    /// <summary>The authenticator data names another relying party.</summary>
    public static CognitoException RelyingPartyMismatch() => E("WebAuthnRelyingPartyMismatchException", "The relying party of the credential does not match the user pool.");
    /// <summary>The client data is not a webauthn.create ceremony.</summary>
    public static CognitoException ClientMismatch() => E("WebAuthnClientMismatchException", "The client data does not match the registration.");
    /// <summary>The client data's origin is not the relying party's.</summary>
    public static CognitoException OriginNotAllowed() => E("WebAuthnOriginNotAllowedException", "The origin of the credential is not allowed.");
    /// <summary>The attestation or key type is not supported, or the credential is malformed.</summary>
    public static CognitoException CredentialNotSupported(string why) => E("WebAuthnCredentialNotSupportedException", why);
}
