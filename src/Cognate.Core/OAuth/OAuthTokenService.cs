using Cognate.Core.Auth;
using Cognate.Core.Clients;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tokens;

namespace Cognate.Core.OAuth;

/// <summary>The JSON body of a successful /oauth2/token answer (RFC 6749 §5.1); null members are left out.</summary>
/// <param name="AccessToken">RS256 JWS.</param>
/// <param name="IdToken">ID token (refresh grant), or null.</param>
/// <param name="RefreshToken">A new refresh token when one is issued, or null.</param>
/// <param name="ExpiresIn">Access token lifetime, seconds.</param>
public sealed record TokenResponse(string AccessToken, string? IdToken, string? RefreshToken, int ExpiresIn)
{
    /// <summary>Always <c>Bearer</c>.</summary>
    public string TokenType => "Bearer";

    /// <summary>Never prints a token.</summary>
    public override string ToString() => $"TokenResponse {{ IdToken = {IdToken is not null}, RefreshToken = {RefreshToken is not null}, ExpiresIn = {ExpiresIn} }}";
}

/// <summary>An app client that passed client authentication, and its pool.</summary>
public sealed record AuthenticatedClient(AppClient Client, UserPool Pool)
{
    /// <summary>Names the client and pool only: the client record holds the secret.</summary>
    public override string ToString() => $"AuthenticatedClient {{ ClientId = {Client.ClientId}, UserPoolId = {Pool.Id} }}";
}

/// <summary>
/// The domain side of the OAuth 2.0 token and revocation endpoints: client authentication, the client_credentials grant
/// (shared with GetClientToken), the refresh_token grant (the REFRESH_TOKEN_AUTH flow, <see cref="SignIn.Flows.RefreshTokenAuth"/>)
/// and revocation (<see cref="AuthService.RevokeTokenAsync"/>). Every answer is a value; nothing here throws for a bad request.
/// </summary>
public sealed class OAuthTokenService(AppClientService clients, TokenService tokens, AuthService auth, SignIn.Flows.RefreshTokenAuth refreshFlow)
{
    /// <summary>
    /// Looks the client up (its id names the pool) and checks the presented secret in constant time.
    /// Rate limiting of Cognito's <c>ClientAuthentication</c> category (150 RPS, reference §11.1) belongs in front of this call.
    /// </summary>
    /// <returns>The client, or <c>invalid_client</c> (<paramref name="failureStatus"/>) for an unknown client or a missing/wrong/unexpected secret.</returns>
    public async ValueTask<OAuthOutcome<AuthenticatedClient>> AuthenticateAsync(PresentedClient presented, int failureStatus = 400, CancellationToken ct = default)
    {
        AppClient client;
        UserPool pool;
        // A client id outside the model's shape ([\w+]+, at most 128) names no client and never reaches the store (a NUL,
        // for one, is an error in PostgreSQL).
        bool wellFormed = presented.ClientId is { Length: > 0 and <= 128 } id && id.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '+');
        try
        {
            if (!wellFormed) throw CognitoErrors.ResourceNotFound("User pool client does not exist.");
            (client, pool) = await clients.GetWithPoolAsync(presented.ClientId!, ct).ConfigureAwait(false);
        }
        catch (CognitoException ex) when (ex.Error.Type == "ResourceNotFoundException")
        {
            // Spend the same hashing work as a known client, so an unknown id does not answer faster.
            _ = ClientAuthentication.SecretsEqual("unknown-client", presented.ClientSecret ?? "");
            return OAuthOutcome<AuthenticatedClient>.Fail(OAuthErrors.InvalidClient, failureStatus);
        }
        if (!ClientAuthentication.Verify(client, presented.ClientSecret)) return OAuthOutcome<AuthenticatedClient>.Fail(OAuthErrors.InvalidClient, failureStatus);
        return OAuthOutcome<AuthenticatedClient>.Ok(new AuthenticatedClient(client, pool));
    }

    /// <summary>
    /// client_credentials (RFC 6749 §4.4): checks <see cref="GrantRules.CheckClientCredentialsAllowed"/> and
    /// <see cref="GrantRules.ClientCredentialsScopes"/>, then signs the access token.
    /// </summary>
    /// <param name="client">An authenticated client.</param>
    /// <param name="scope">The space-separated <c>scope</c> parameter, or null for all of the client's custom scopes.</param>
    /// <param name="issuer">The pool's issuer.</param>
    /// <param name="clientMetadata">The <c>aws_client_metadata</c> parameter, decoded (for a PreTokenGeneration V3_0 function), or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>Access token only, or <c>unauthorized_client</c> / <c>invalid_scope</c>.</returns>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration V3_0 function failed (see <see cref="TokenService.IssueClientAccessTokenAsync"/>).</exception>
    public async ValueTask<OAuthOutcome<TokenResponse>> ClientCredentialsAsync(AuthenticatedClient client, string? scope, string issuer, IReadOnlyDictionary<string, string>? clientMetadata = null, CancellationToken ct = default)
    {
        if (GrantRules.CheckClientCredentialsAllowed(client.Client) is { } notAllowed) return notAllowed;
        return await IssueClientTokenAsync(client, scope, issuer, clientMetadata, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// GetClientToken (the Cognito API's machine-to-machine action): the client_credentials grant with
    /// <see cref="GrantRules.CheckClientTokenAllowed"/> (a secret and <c>ALLOW_CLIENT_TOKEN_AUTH</c>) in place of the OAuth flow
    /// settings; the same scope rules and the same access token.
    /// </summary>
    /// <param name="client">A client whose secret has been checked.</param>
    /// <param name="scopes">The requested <c>Scopes</c>; null or empty for all of the client's custom scopes.</param>
    /// <param name="issuer">The pool's issuer.</param>
    /// <param name="clientMetadata">GetClientToken's <c>ClientMetadata</c> (for a PreTokenGeneration V3_0 function), or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <returns>Access token only, or <c>unauthorized_client</c> / <c>invalid_scope</c>.</returns>
    /// <exception cref="CognitoException">The pool's PreTokenGeneration V3_0 function failed (see <see cref="TokenService.IssueClientAccessTokenAsync"/>).</exception>
    public async ValueTask<OAuthOutcome<TokenResponse>> ClientTokenAsync(AuthenticatedClient client, IReadOnlyList<string>? scopes, string issuer, IReadOnlyDictionary<string, string>? clientMetadata = null, CancellationToken ct = default)
    {
        if (GrantRules.CheckClientTokenAllowed(client.Client) is { } notAllowed) return notAllowed;
        // A scope never holds a space (ScopeType is %x21 / %x23-5B / %x5D-7E), so joining is lossless.
        return await IssueClientTokenAsync(client, scopes is { Count: > 0 } ? string.Join(' ', scopes) : null, issuer, clientMetadata, ct).ConfigureAwait(false);
    }

    /// <summary>The scope rules and the signature shared by client_credentials and GetClientToken.</summary>
    async ValueTask<OAuthOutcome<TokenResponse>> IssueClientTokenAsync(AuthenticatedClient client, string? scope, string issuer, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct)
    {
        var scopes = GrantRules.ClientCredentialsScopes(client.Client, scope);
        if (!scopes.Succeeded) return scopes.Error!;
        var (token, expiresIn) = await tokens.IssueClientAccessTokenAsync(client.Pool, client.Client, scopes.Value!, issuer, clientMetadata, ct).ConfigureAwait(false);
        return OAuthOutcome<TokenResponse>.Ok(new TokenResponse(token, null, null, expiresIn));
    }

    /// <summary>
    /// refresh_token (RFC 6749 §6) through the checks of REFRESH_TOKEN_AUTH (<see cref="SignIn.Flows.RefreshTokenAuth.RedeemAsync"/>).
    /// The client has been authenticated by its secret, which stands in for SECRET_HASH. New ID and access tokens (a hosted-flow
    /// refresh token keeps its OAuth scopes); on a client with refresh-token rotation also a new refresh token, the presented one
    /// working on for the client's RetryGracePeriodSeconds (<see cref="RefreshTokenRotation"/>).
    /// </summary>
    /// <returns>Tokens, or <c>invalid_request</c> (no token), <c>unauthorized_client</c> (ALLOW_REFRESH_TOKEN_AUTH off on a
    /// non-rotating client), <c>invalid_grant</c> (unknown, expired, revoked, rotated past its grace period, another client's
    /// token, user disabled or deleted).</returns>
    public async ValueTask<OAuthOutcome<TokenResponse>> RefreshAsync(AuthenticatedClient client, string? refreshToken, string issuer, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(refreshToken)) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidRequest);
        if (!AppClientService.CanRefresh(client.Client)) return OAuthOutcome<TokenResponse>.Fail(OAuthErrors.UnauthorizedClient);
        var outcome = await refreshFlow.RedeemAsync(new SignIn.Flows.RefreshRedemption(client.Pool, client.Client, refreshToken, issuer)
        {
            Rotate = RefreshTokenRotation.IsEnabled(client.Client),
            KeepOAuthScopes = true,
        }, ct).ConfigureAwait(false);
        // NotAuthorizedException (unknown, revoked, expired, disabled) and RefreshTokenReuseException alike.
        return outcome.Error is null ? OAuthOutcome<TokenResponse>.Ok(outcome.Tokens!) : OAuthOutcome<TokenResponse>.Fail(OAuthErrors.InvalidGrant);
    }

    /// <summary>
    /// /oauth2/revoke (RFC 7009 §2) through RevokeToken's code: the refresh token and every token minted from it.
    /// An unknown token is a success (RFC 7009 §2.2).
    /// </summary>
    /// <returns>Success, or <c>invalid_request</c> (no token, revocation disabled), <c>unsupported_token_type</c> (a JWT),
    /// <c>unauthorized_client</c> (another client's token).</returns>
    public async ValueTask<OAuthError?> RevokeAsync(AuthenticatedClient client, string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token)) return new OAuthError(OAuthErrors.InvalidRequest);
        try
        {
            await auth.RevokeTokenAsync(client.Client, token, client.Client.ClientSecret, ct).ConfigureAwait(false);
            return null;
        }
        catch (CognitoException ex)
        {
            return ex.Error.Type switch
            {
                "UnsupportedTokenTypeException" => new OAuthError(OAuthErrors.UnsupportedTokenType),
                "UnauthorizedException" => new OAuthError(OAuthErrors.UnauthorizedClient),
                "NotAuthorizedException" => new OAuthError(OAuthErrors.InvalidClient, 401),
                _ => new OAuthError(OAuthErrors.InvalidRequest),
            };
        }
    }
}
