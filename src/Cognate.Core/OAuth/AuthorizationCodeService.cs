using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;
using Cognate.Core.Users;

namespace Cognate.Core.OAuth;

/// <summary>
/// Authorization codes of the hosted flow (RFC 6749 §4.1; reference §9.2, §9.4): issued at the end of a managed-login sign-in,
/// exchanged once at <c>/oauth2/token</c>. A code is 256 random bits (base64url, 43 characters), stored only as its SHA-256,
/// lives 5 minutes and is bound to the client, redirect_uri, scopes, nonce, PKCE challenge, user and auth_time.
/// A replayed code is refused and revokes the refresh token (and so the access tokens) its first exchange issued (RFC 6749
/// §4.1.2, §10.5).
/// </summary>
public sealed class AuthorizationCodeService(IAuthorizationCodeStore codes, TokenService tokens, IUserStore users, IRefreshTokenStore refreshTokens, TimeProvider time)
{
    /// <summary>How long a code can be exchanged (Cognito: 5 minutes).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>Longest code string looked up; anything longer is no code of ours.</summary>
    const int MaxCodeLength = 256;

    /// <summary>Issues a code for <paramref name="user"/> and the validated <paramref name="request"/>.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="client">The client the request was validated for.</param>
    /// <param name="request">The validated authorization request (<c>response_type=code</c>).</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="authTime">When the user authenticated (UTC).</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>The code string to put in the redirect (never logged).</returns>
    public async ValueTask<string> IssueAsync(UserPool pool, AppClient client, AuthorizationRequest request, User user, DateTimeOffset authTime, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(user);
        var code = Pkce.Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        await codes.CreateAsync(new AuthorizationCodeRecord(Hash(code), pool.Id, client.ClientId, user.Username, user.Sub, request.RedirectUri,
            request.Scopes, request.Nonce, request.CodeChallenge, Ids.IdGenerator.NewUuid(), authTime, now, now + Lifetime)
            {
                OriginSessionId = Sessions.SessionClient.Current?.OriginSessionId, // the SSO session signing the browser in
            }, ct).ConfigureAwait(false);
        return code;
    }

    /// <summary>
    /// The <c>authorization_code</c> grant (RFC 6749 §4.1.3; RFC 7636 §4.6; reference §9.4), for an authenticated client.
    /// Order: parameters present → client allowed the <c>code</c> flow → code redeemed atomically → bound client →
    /// redirect_uri equal → PKCE verifier (required with a challenge, refused without one; S256, constant time) → user
    /// still there, same sub, enabled → tokens (access, ID when <c>openid</c>, refresh).
    /// </summary>
    /// <param name="client">The authenticated client.</param>
    /// <param name="code">The <c>code</c> parameter.</param>
    /// <param name="redirectUri">The <c>redirect_uri</c> parameter.</param>
    /// <param name="codeVerifier">The <c>code_verifier</c> parameter, or null.</param>
    /// <param name="issuer">The pool's issuer.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>Tokens, or <c>invalid_request</c> (missing code or redirect_uri), <c>unauthorized_client</c> (no <c>code</c> flow),
    /// <c>invalid_grant</c> (unknown, expired, used, another client's code, redirect_uri or verifier mismatch, user gone or disabled).</returns>
    public async ValueTask<OAuthOutcome<TokenResponse>> RedeemAsync(AuthenticatedClient client, string? code, string? redirectUri, string? codeVerifier, string issuer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(redirectUri)) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidRequest);
        if (client.Client.Config.AllowedOAuthFlowsUserPoolClient != true || client.Client.Config.AllowedOAuthFlows?.Contains("code", StringComparer.Ordinal) != true)
        {
            return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.UnauthorizedClient);
        }
        if (code.Length > MaxCodeLength) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);

        var hash = Hash(code);
        var redemption = await codes.RedeemAsync(hash, time.GetUtcNow(), ct).ConfigureAwait(false);
        if (redemption.Status == CodeRedemptionStatus.Replayed)
        {
            await RevokeIssuedAsync(redemption.Record!.OriginJti, ct).ConfigureAwait(false);
            return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        }
        if (redemption.Status != CodeRedemptionStatus.Redeemed) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        var record = redemption.Record!;

        if (!string.Equals(record.ClientId, client.Client.ClientId, StringComparison.Ordinal) || !string.Equals(record.UserPoolId, client.Pool.Id, StringComparison.Ordinal))
        {
            return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        }
        if (!string.Equals(record.RedirectUri, redirectUri, StringComparison.Ordinal)) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        if (record.CodeChallenge is { } challenge ? !Pkce.Verify(codeVerifier, challenge) : codeVerifier is not null)
        {
            return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        }

        var user = await users.GetAsync(record.UserPoolId, record.Username, ct).ConfigureAwait(false);
        if (user is null || !string.Equals(user.Sub, record.Sub, StringComparison.Ordinal) || !user.Enabled) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);

        if (record.OriginSessionId is { } sso)
        {
            // The token session comes through the code's SSO session (its OriginSessionId); the client is this request's.
            Sessions.SessionClient.Current = (Sessions.SessionClient.Current ?? new Sessions.SessionClient(null, null)) with { OriginSessionId = sso };
        }
        var issued = await tokens.IssueOAuthAsync(client.Pool, client.Client, user, issuer, record.AuthTime,
            new OAuthTokenClaims(record.Scopes, record.Nonce), record.OriginJti, issueRefreshToken: true, new Triggers.TokenGeneration(Triggers.TokenGenerationSources.HostedAuth), ct).ConfigureAwait(false);
        if (await codes.MarkIssuedAsync(hash, ct).ConfigureAwait(false))
        {
            // A replay of this code arrived while these tokens were being made: they die before anyone sees them.
            await RevokeIssuedAsync(record.OriginJti, ct).ConfigureAwait(false);
            return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
        }
        return OAuthOutcome<TokenResponse>.Ok(issued);
    }

    async ValueTask RevokeIssuedAsync(string originJti, CancellationToken ct)
    {
        var refresh = await refreshTokens.GetByOriginJtiAsync(originJti, ct).ConfigureAwait(false);
        if (refresh is not null && !refresh.Revoked) await refreshTokens.RevokeAsync(refresh.TokenHash, ct).ConfigureAwait(false);
    }

    /// <summary>SHA-256 of the code string: what the store keys on.</summary>
    internal static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));
}
