using System.Collections.Frozen;

namespace Cognate.Server.RateLimiting;

/// <summary>
/// Amazon Cognito's request-rate quota categories (reference §11.1, "Quotas in Amazon Cognito") and the
/// category of every action of the service model, with Cognito's default requests per second.
/// </summary>
/// <remarks>
/// Confirmed by the Cognito developer guide: the UserAuthentication, UserCreation, UserAccountRecovery, UserRead
/// and UserUpdate operations it lists. Our mapping, <b>unconfirmed</b>: RevokeToken and GetTokensFromRefreshToken
/// (UserToken), GetUserAttributeVerificationCode and ResendConfirmationCode (UserResourceRead), the WebAuthn
/// credential, terms, managed-login-branding, client-secret and log-delivery actions, and every action not listed in
/// the table, which falls back by its verb to UserPoolRead (Describe/Get/List) or UserPoolUpdate (everything else).
/// </remarks>
public static class QuotaCategories
{
    /// <summary>Category names.</summary>
    public const string UserAuthentication = nameof(UserAuthentication), UserCreation = nameof(UserCreation),
        UserAccountRecovery = nameof(UserAccountRecovery), UserRead = nameof(UserRead), UserUpdate = nameof(UserUpdate),
        UserToken = nameof(UserToken), UserResourceRead = nameof(UserResourceRead), UserResourceUpdate = nameof(UserResourceUpdate),
        UserList = nameof(UserList), UserPoolRead = nameof(UserPoolRead), UserPoolUpdate = nameof(UserPoolUpdate),
        UserPoolResourceRead = nameof(UserPoolResourceRead), UserPoolResourceUpdate = nameof(UserPoolResourceUpdate),
        UserPoolClientRead = nameof(UserPoolClientRead), UserPoolClientUpdate = nameof(UserPoolClientUpdate),
        ClientAuthentication = nameof(ClientAuthentication);

    /// <summary>Cognito's default rate of each category, in requests per second (per account and Region).</summary>
    public static readonly FrozenDictionary<string, int> CognitoDefaultRps = new Dictionary<string, int>
    {
        [UserAuthentication] = 120, [UserCreation] = 50, [UserAccountRecovery] = 30, [UserRead] = 120, [UserUpdate] = 25,
        [UserToken] = 120, [UserResourceRead] = 50, [UserResourceUpdate] = 25, [UserList] = 30, [UserPoolRead] = 15,
        [UserPoolUpdate] = 15, [UserPoolResourceRead] = 20, [UserPoolResourceUpdate] = 15, [UserPoolClientRead] = 15,
        [UserPoolClientUpdate] = 15, [ClientAuthentication] = 150,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    static readonly FrozenDictionary<string, string> Map = Build();

    static FrozenDictionary<string, string> Build()
    {
        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string category, params string[] actions) { foreach (var a in actions) m[a] = category; }
        Add(UserAuthentication, "AdminInitiateAuth", "InitiateAuth", "AdminRespondToAuthChallenge", "RespondToAuthChallenge");
        Add(UserCreation, "SignUp", "ConfirmSignUp", "AdminCreateUser", "AdminConfirmSignUp");
        Add(UserAccountRecovery, "ForgotPassword", "ConfirmForgotPassword", "ChangePassword", "AdminResetUserPassword", "AdminSetUserPassword");
        Add(UserRead, "GetUser", "AdminGetUser", "GetUserAuthFactors", "AdminGetUserAuthFactors", "ListWebAuthnCredentials");
        Add(UserUpdate, "UpdateUserAttributes", "AdminUpdateUserAttributes", "DeleteUserAttributes", "AdminDeleteUserAttributes",
            "AdminDeleteUser", "DeleteUser", "AdminDisableUser", "AdminEnableUser", "AdminUserGlobalSignOut", "GlobalSignOut",
            "VerifyUserAttribute", "SetUserSettings", "AdminSetUserSettings", "SetUserMFAPreference", "AdminSetUserMFAPreference",
            "AdminLinkProviderForUser", "AdminDisableProviderForUser", "AssociateSoftwareToken", "VerifySoftwareToken", "AdminDeleteSoftwareToken",
            "StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "DeleteWebAuthnCredential");
        Add(UserToken, "RevokeToken", "GetTokensFromRefreshToken");
        Add(UserResourceRead, "AdminGetDevice", "AdminListDevices", "GetDevice", "ListDevices", "AdminListGroupsForUser",
            "AdminListUserAuthEvents", "GetUserAttributeVerificationCode", "ResendConfirmationCode");
        Add(UserResourceUpdate, "AdminAddUserToGroup", "AdminRemoveUserFromGroup", "ConfirmDevice", "ForgetDevice", "AdminForgetDevice",
            "UpdateDeviceStatus", "AdminUpdateDeviceStatus", "UpdateAuthEventFeedback", "AdminUpdateAuthEventFeedback");
        Add(UserList, "ListUsers", "ListUsersInGroup");
        Add(UserPoolRead, "DescribeUserPool", "ListUserPools", "GetUserPoolMfaConfig", "DescribeRiskConfiguration", "DescribeUserImportJob",
            "ListUserImportJobs", "GetCSVHeader", "GetUICustomization", "GetSigningCertificate", "ListTagsForResource", "GetLogDeliveryConfiguration");
        Add(UserPoolUpdate, "CreateUserPool", "UpdateUserPool", "DeleteUserPool", "SetUserPoolMfaConfig", "SetRiskConfiguration",
            "AddCustomAttributes", "CreateUserImportJob", "StartUserImportJob", "StopUserImportJob", "SetUICustomization", "TagResource",
            "UntagResource", "SetLogDeliveryConfiguration");
        Add(UserPoolResourceRead, "GetGroup", "ListGroups", "DescribeIdentityProvider", "ListIdentityProviders", "GetIdentityProviderByIdentifier",
            "DescribeResourceServer", "ListResourceServers", "DescribeUserPoolDomain");
        Add(UserPoolResourceUpdate, "CreateGroup", "UpdateGroup", "DeleteGroup", "CreateIdentityProvider", "UpdateIdentityProvider",
            "DeleteIdentityProvider", "CreateResourceServer", "UpdateResourceServer", "DeleteResourceServer", "CreateUserPoolDomain",
            "UpdateUserPoolDomain", "DeleteUserPoolDomain");
        Add(UserPoolClientRead, "DescribeUserPoolClient", "ListUserPoolClients", "ListUserPoolClientSecrets", "DescribeManagedLoginBranding",
            "DescribeManagedLoginBrandingByClient", "DescribeTerms", "ListTerms");
        Add(UserPoolClientUpdate, "CreateUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient", "AddUserPoolClientSecret",
            "DeleteUserPoolClientSecret", "CreateManagedLoginBranding", "UpdateManagedLoginBranding", "DeleteManagedLoginBranding",
            "CreateTerms", "UpdateTerms", "DeleteTerms");
        // Cognito counts the token endpoint's client authentication here; GetClientToken is its API twin (our mapping, unconfirmed).
        Add(ClientAuthentication, "GetClientToken");
        return m.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The quota category of <paramref name="action"/>; an action missing from the table falls back by its verb.</summary>
    public static string Of(string action) =>
        Map.TryGetValue(action, out var c) ? c
        : action.StartsWith("Describe", StringComparison.Ordinal) || action.StartsWith("Get", StringComparison.Ordinal) || action.StartsWith("List", StringComparison.Ordinal)
            ? UserPoolRead : UserPoolUpdate;
}
