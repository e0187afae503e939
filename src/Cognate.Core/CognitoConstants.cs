namespace Cognate.Core;

/// <summary>
/// Cognito's names, once: the AuthFlow values, the ChallengeName values, and the keys of AuthParameters /
/// ChallengeResponses and of ChallengeParameters, exactly as the Cognito API spells them (API reference, InitiateAuth and
/// RespondToAuthChallenge). Shape: OpenIddict's <c>OpenIddictConstants</c>.
/// </summary>
public static class CognitoConstants
{
    /// <summary>InitiateAuth / AdminInitiateAuth <c>AuthFlow</c> values.</summary>
    public static class AuthFlows
    {
        /// <summary>Password in the clear over TLS (InitiateAuth).</summary>
        public const string UserPasswordAuth = "USER_PASSWORD_AUTH";
        /// <summary>Password in the clear, admin API only.</summary>
        public const string AdminUserPasswordAuth = "ADMIN_USER_PASSWORD_AUTH";
        /// <summary>The legacy name of <see cref="AdminUserPasswordAuth"/>.</summary>
        public const string AdminNoSrpAuth = "ADMIN_NO_SRP_AUTH";
        /// <summary>SRP-6a (answered by PASSWORD_VERIFIER).</summary>
        public const string UserSrpAuth = "USER_SRP_AUTH";
        /// <summary>Choice-based sign-in (SELECT_CHALLENGE, passwordless factors).</summary>
        public const string UserAuth = "USER_AUTH";
        /// <summary>New access and ID tokens for a refresh token.</summary>
        public const string RefreshTokenAuth = "REFRESH_TOKEN_AUTH";
        /// <summary>The other name of <see cref="RefreshTokenAuth"/>.</summary>
        public const string RefreshToken = "REFRESH_TOKEN";
        /// <summary>Lambda-driven custom challenges (DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse).</summary>
        public const string CustomAuth = "CUSTOM_AUTH";
    }

    /// <summary><c>ChallengeName</c> values (and USER_AUTH's first factors, which share them).</summary>
    public static class ChallengeNames
    {
        /// <summary>The SRP proof.</summary>
        public const string PasswordVerifier = "PASSWORD_VERIFIER";
        /// <summary>USER_AUTH: choose a first factor.</summary>
        public const string SelectChallenge = "SELECT_CHALLENGE";
        /// <summary>USER_AUTH's password factor (also accepted as the ChallengeName answering SELECT_CHALLENGE).</summary>
        public const string Password = "PASSWORD";
        /// <summary>USER_AUTH's SRP factor (also accepted as the ChallengeName answering SELECT_CHALLENGE).</summary>
        public const string PasswordSrp = "PASSWORD_SRP";
        /// <summary>A code by email: passwordless first factor, email MFA, MFA_SETUP's email check.</summary>
        public const string EmailOtp = "EMAIL_OTP";
        /// <summary>A code by SMS as a passwordless first factor.</summary>
        public const string SmsOtp = "SMS_OTP";
        /// <summary>A code by SMS as the second factor.</summary>
        public const string SmsMfa = "SMS_MFA";
        /// <summary>A TOTP code as the second factor.</summary>
        public const string SoftwareTokenMfa = "SOFTWARE_TOKEN_MFA";
        /// <summary>Choose one of several second factors.</summary>
        public const string SelectMfaType = "SELECT_MFA_TYPE";
        /// <summary>MFA is required and the user has no factor yet.</summary>
        public const string MfaSetup = "MFA_SETUP";
        /// <summary>A FORCE_CHANGE_PASSWORD user sets a permanent password.</summary>
        public const string NewPasswordRequired = "NEW_PASSWORD_REQUIRED";
        /// <summary>Passkeys (not built).</summary>
        public const string WebAuthn = "WEB_AUTHN";
        /// <summary>CUSTOM_AUTH: a challenge made by the CreateAuthChallenge trigger, answered with ANSWER.</summary>
        public const string CustomChallenge = "CUSTOM_CHALLENGE";
        /// <summary>CUSTOM_AUTH: the <c>session</c> entry of an InitiateAuth that sent SRP_A (<c>CHALLENGE_NAME: SRP_A</c>).</summary>
        public const string SrpA = "SRP_A";
    }

    /// <summary>Keys of AuthParameters and ChallengeResponses (USERNAME and SECRET_HASH appear in both).</summary>
    public static class AuthParameters
    {
        /// <summary>The username or an alias.</summary>
        public const string Username = "USERNAME";
        /// <summary>The password (USER_PASSWORD_AUTH, USER_AUTH's PASSWORD).</summary>
        public const string Password = "PASSWORD";
        /// <summary>Base64 HMAC-SHA256(client secret, username + client id).</summary>
        public const string SecretHash = "SECRET_HASH";
        /// <summary>The client's SRP public value A (hex).</summary>
        public const string SrpA = "SRP_A";
        /// <summary>The refresh token (REFRESH_TOKEN_AUTH).</summary>
        public const string RefreshToken = "REFRESH_TOKEN";
        /// <summary>USER_AUTH: the first factor to try.</summary>
        public const string PreferredChallenge = "PREFERRED_CHALLENGE";
        /// <summary>SELECT_CHALLENGE / SELECT_MFA_TYPE: the choice; CUSTOM_CHALLENGE: the user's answer.</summary>
        public const string Answer = "ANSWER";
        /// <summary>CUSTOM_AUTH: <c>SRP_A</c> starts with password verification (with SRP_A), anything else with DefineAuthChallenge.</summary>
        public const string ChallengeName = "CHALLENGE_NAME";
        /// <summary>NEW_PASSWORD_REQUIRED: the permanent password.</summary>
        public const string NewPassword = "NEW_PASSWORD";
        /// <summary>MFA_SETUP: the address to set up as email MFA.</summary>
        public const string Email = "EMAIL";
        /// <summary>EMAIL_OTP's code.</summary>
        public const string EmailOtpCode = "EMAIL_OTP_CODE";
        /// <summary>SMS_OTP's code.</summary>
        public const string SmsOtpCode = "SMS_OTP_CODE";
        /// <summary>SMS_MFA's code.</summary>
        public const string SmsMfaCode = "SMS_MFA_CODE";
        /// <summary>SOFTWARE_TOKEN_MFA's code.</summary>
        public const string SoftwareTokenMfaCode = "SOFTWARE_TOKEN_MFA_CODE";
        /// <summary>PASSWORD_VERIFIER: the SECRET_BLOCK given back.</summary>
        public const string PasswordClaimSecretBlock = "PASSWORD_CLAIM_SECRET_BLOCK";
        /// <summary>PASSWORD_VERIFIER: the proof.</summary>
        public const string PasswordClaimSignature = "PASSWORD_CLAIM_SIGNATURE";
        /// <summary>PASSWORD_VERIFIER: the client's time (<c>Tue Jan 2 03:04:05 UTC 2024</c>).</summary>
        public const string Timestamp = "TIMESTAMP";
    }

    /// <summary>Keys of ChallengeParameters.</summary>
    public static class ChallengeParameters
    {
        /// <summary>WEB_AUTHN: the PublicKeyCredentialRequestOptionsJSON, as a JSON string.</summary>
        public const string CredentialRequestOptions = "CREDENTIAL_REQUEST_OPTIONS";
        /// <summary>WEB_AUTHN's answer (ChallengeResponses): the AuthenticationResponseJSON, as a JSON string.</summary>
        public const string Credential = "CREDENTIAL";
        /// <summary>The internal username (every MFA challenge, PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED).</summary>
        public const string UserIdForSrp = "USER_ID_FOR_SRP";
        /// <summary>PASSWORD_VERIFIER: the internal username.</summary>
        public const string Username = "USERNAME";
        /// <summary>PASSWORD_VERIFIER: the user's salt (hex).</summary>
        public const string Salt = "SALT";
        /// <summary>PASSWORD_VERIFIER: the server's SRP public value B (hex).</summary>
        public const string SrpB = "SRP_B";
        /// <summary>PASSWORD_VERIFIER: the sealed server state (base64).</summary>
        public const string SecretBlock = "SECRET_BLOCK";
        /// <summary>A sent code's medium (EMAIL or SMS).</summary>
        public const string CodeDeliveryDeliveryMedium = "CODE_DELIVERY_DELIVERY_MEDIUM";
        /// <summary>A sent code's masked destination.</summary>
        public const string CodeDeliveryDestination = "CODE_DELIVERY_DESTINATION";
        /// <summary>MFA_SETUP: the factors that can be set up (JSON array).</summary>
        public const string MfasCanSetup = "MFAS_CAN_SETUP";
        /// <summary>SELECT_MFA_TYPE: the factors to choose from (JSON array).</summary>
        public const string MfasCanChoose = "MFAS_CAN_CHOOSE";
        /// <summary>SOFTWARE_TOKEN_MFA: the authenticator's name.</summary>
        public const string FriendlyDeviceName = "FRIENDLY_DEVICE_NAME";
        /// <summary>NEW_PASSWORD_REQUIRED: required attributes the user lacks (JSON array of <c>userAttributes.{name}</c>).</summary>
        public const string RequiredAttributes = "requiredAttributes";
        /// <summary>NEW_PASSWORD_REQUIRED: the user's current attributes (JSON object).</summary>
        public const string UserAttributes = "userAttributes";
    }
}
