namespace Cognate.Core.Stores;

/// <summary>
/// An OAuth 2.0 authorization code as stored (RFC 6749 §4.1.2; reference §9.2): only its SHA-256, and everything the code is
/// bound to, so <c>/oauth2/token</c> can check the exchange against it.
/// </summary>
/// <param name="CodeHash">SHA-256 of the code string (32 bytes).</param>
/// <param name="UserPoolId">The pool.</param>
/// <param name="ClientId">The client the code was issued to; another client's exchange is <c>invalid_grant</c>.</param>
/// <param name="Username">The user's internal username.</param>
/// <param name="Sub">The user's <c>sub</c> (a new user with a reused username does not inherit the code).</param>
/// <param name="RedirectUri">The redirect_uri of the authorization request; the exchange must send the same.</param>
/// <param name="Scopes">The granted scopes, in order.</param>
/// <param name="Nonce">OIDC nonce for the ID token, or null.</param>
/// <param name="CodeChallenge">PKCE S256 challenge (RFC 7636 §4.2), or null.</param>
/// <param name="OriginJti">The <c>origin_jti</c> the tokens of the exchange get, chosen at issue, so a replay can revoke them.</param>
/// <param name="AuthTime">When the user authenticated (the tokens' <c>auth_time</c>), UTC.</param>
/// <param name="CreatedAt">Issue time, UTC.</param>
/// <param name="ExpiresAt">CreatedAt + 5 minutes, UTC.</param>
public sealed record AuthorizationCodeRecord(
    byte[] CodeHash,
    string UserPoolId,
    string ClientId,
    string Username,
    string Sub,
    string RedirectUri,
    IReadOnlyList<string> Scopes,
    string? Nonce,
    string? CodeChallenge,
    string OriginJti,
    DateTimeOffset AuthTime,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>The SSO session the code was issued from (migration 0022): its tokens' OriginSessionId, or null.</summary>
    public string? OriginSessionId { get; init; }

    /// <summary>Never prints the nonce or the PKCE challenge.</summary>
    public override string ToString() => $"AuthorizationCodeRecord {{ UserPoolId = {UserPoolId}, ClientId = {ClientId}, Username = {Username} }}";
}

/// <summary>What <see cref="IAuthorizationCodeStore.RedeemAsync"/> found.</summary>
public enum CodeRedemptionStatus
{
    /// <summary>No such code, or it expired unused.</summary>
    NotFound,
    /// <summary>This caller redeemed the code: it was unused and live, and is used now. Exactly one caller ever sees this.</summary>
    Redeemed,
    /// <summary>The code had been redeemed before (a replay); it is now marked replayed.</summary>
    Replayed,
}

/// <summary>The answer of <see cref="IAuthorizationCodeStore.RedeemAsync"/>: the status and, unless NotFound, the code's record.</summary>
public sealed record AuthorizationCodeRedemption(CodeRedemptionStatus Status, AuthorizationCodeRecord? Record);

/// <summary>
/// Authorization codes of <c>/oauth2/authorize</c>. The single-use contract is the database's, not the caller's: of any number
/// of concurrent <see cref="RedeemAsync"/> calls for one code, on one node or several sharing the database, exactly one
/// answers <see cref="CodeRedemptionStatus.Redeemed"/>.
/// </summary>
public interface IAuthorizationCodeStore
{
    /// <summary>Stores a new code.</summary>
    /// <exception cref="System.Data.Common.DbException">The hash exists, or the client or user does not.</exception>
    ValueTask CreateAsync(AuthorizationCodeRecord code, CancellationToken ct = default);

    /// <summary>
    /// Redeems the code atomically: <c>UPDATE … SET used WHERE code_hash = ? AND NOT used AND expires_at &gt; now RETURNING …</c>.
    /// When that changes nothing and the code was used before, marks it replayed and answers
    /// <see cref="CodeRedemptionStatus.Replayed"/> with its record (its <c>OriginJti</c> names what to revoke).
    /// </summary>
    /// <param name="codeHash">SHA-256 of the presented code.</param>
    /// <param name="now">The current time (UTC); a code with ExpiresAt at or before it is not redeemed.</param>
    /// <param name="ct">Cancellation.</param>
    ValueTask<AuthorizationCodeRedemption> RedeemAsync(byte[] codeHash, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>
    /// Records that the tokens of a redeemed code now exist (call after storing its refresh token). Answers true when the code
    /// was replayed meanwhile, so the caller revokes what it just issued: a replay that raced the exchange is not lost.
    /// </summary>
    ValueTask<bool> MarkIssuedAsync(byte[] codeHash, CancellationToken ct = default);
}
