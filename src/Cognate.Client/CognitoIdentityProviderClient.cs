using System.Collections.Frozen;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;

namespace Cognate.Client;

/// <summary>
/// A small client for the Cognito user-pool API (AWS JSON 1.1: <c>POST /</c> with
/// <c>X-Amz-Target: AWSCognitoIdentityProviderService.{Action}</c>), usable against Cognate or
/// Amazon Cognito (<c>https://cognito-idp.{region}.amazonaws.com/</c>). Public actions (SignUp,
/// InitiateAuth, GetUser, ...) go unsigned; every other action is signed with SigV4 (service
/// <c>cognito-idp</c>) when credentials are given. Errors surface as <see cref="CognitoServiceException"/>.
/// </summary>
public sealed class CognitoIdentityProviderClient : IDisposable
{
    /// <summary>The 32 actions Cognito authorises by client id, token or session instead of SigV4.</summary>
    public static readonly FrozenSet<string> UnsignedActions = new[]
    {
        "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration", "ConfirmDevice", "ConfirmForgotPassword",
        "ConfirmSignUp", "DeleteUser", "DeleteUserAttributes", "DeleteWebAuthnCredential", "ForgetDevice", "ForgotPassword",
        "GetDevice", "GetTokensFromRefreshToken", "GetUser", "GetUserAttributeVerificationCode", "GetUserAuthFactors",
        "GlobalSignOut", "InitiateAuth", "ListDevices", "ListWebAuthnCredentials", "ResendConfirmationCode",
        "RespondToAuthChallenge", "RevokeToken", "SetUserMFAPreference", "SetUserSettings", "SignUp",
        "StartWebAuthnRegistration", "UpdateAuthEventFeedback", "UpdateDeviceStatus", "UpdateUserAttributes",
        "VerifySoftwareToken", "VerifyUserAttribute",
    }.ToFrozenSet(StringComparer.Ordinal);

    static readonly MediaTypeHeaderValue JsonType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");

    readonly HttpClient http;
    readonly bool ownsHttp;
    readonly SigV4Signer? signer;

    /// <summary>Creates a client for <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">Service base URL, e.g. <c>http://localhost:9229/</c>.</param>
    /// <param name="region">Region for SigV4's credential scope (Cognate creates pools in it).</param>
    /// <param name="credentials">Admin credentials for signed actions; null: only public actions work.</param>
    /// <param name="httpClient">Optional HttpClient to use (not disposed by this client).</param>
    public CognitoIdentityProviderClient(Uri endpoint, string region = "us-east-1", AwsCredentials? credentials = null, HttpClient? httpClient = null)
    {
        Endpoint = endpoint;
        Region = region;
        ownsHttp = httpClient is null;
        http = httpClient ?? new HttpClient();
        signer = credentials is null ? null : new SigV4Signer(credentials, region, SigV4Verifier.CognitoIdpService);
    }

    /// <summary>Service base URL.</summary>
    public Uri Endpoint { get; }
    /// <summary>Signing region.</summary>
    public string Region { get; }

    /// <summary>
    /// Calls <paramref name="action"/> with <paramref name="request"/> (the action's input members, AWS names)
    /// and returns the output object (<c>{}</c> for empty outputs).
    /// </summary>
    /// <exception cref="CognitoServiceException">The service answered an error.</exception>
    public async Task<JsonObject> InvokeAsync(string action, JsonObject? request = null, CancellationToken ct = default)
    {
        var body = Encoding.UTF8.GetBytes((request ?? []).ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(body),
        };
        message.Content.Headers.ContentType = JsonType;
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "AWSCognitoIdentityProviderService." + action);
        if (signer is not null && !UnsignedActions.Contains(action))
        {
            signer.Sign(message, body);
        }
        using var response = await http.SendAsync(message, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        response.Headers.TryGetValues("x-amzn-RequestId", out var ids);
        var requestId = ids?.FirstOrDefault();
        if (!response.IsSuccessStatusCode)
        {
            string type = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            string msg = "";
            try
            {
                if (JsonNode.Parse(text) is JsonObject err)
                {
                    type = (string?)err["__type"] ?? type;
                    msg = (string?)(err["message"] ?? err["Message"]) ?? "";
                }
            }
            catch (JsonException)
            {
                msg = "Unparsable error body.";
            }
            type = type.Split(':')[0];
            type = type[(type.LastIndexOf('#') + 1)..];
            throw new CognitoServiceException(type, msg, (int)response.StatusCode, requestId);
        }
        return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsHttp) http.Dispose();
    }
}
