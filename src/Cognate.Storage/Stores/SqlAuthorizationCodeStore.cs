using Cognate.Core.Stores;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="IAuthorizationCodeStore"/> over SQLite or PostgreSQL (migration 0009), keyed by the code's SHA-256.
/// </summary>
/// <remarks>
/// Concurrency contract: redemption is one <c>UPDATE … SET used = TRUE WHERE code_hash = @h AND used = FALSE AND expires_at &gt; @now
/// RETURNING …</c>. SQLite serialises writers; PostgreSQL's row lock makes a second UPDATE re-check <c>used</c> after the first
/// commits (READ COMMITTED re-evaluation), so on both exactly one caller gets the row. The replay path and
/// <see cref="MarkIssuedAsync"/> are single-row UPDATEs too: whichever of "replayed" and "issued" is set second sees the other,
/// so a replay racing the first exchange still revokes what the exchange issued.
/// </remarks>
internal sealed class SqlAuthorizationCodeStore : IAuthorizationCodeStore
{
    private const string Columns =
        "code_hash AS CodeHash, user_pool_id AS UserPoolId, client_id AS ClientId, username AS Username, sub AS Sub, " +
        "redirect_uri AS RedirectUri, scopes AS Scopes, nonce AS Nonce, code_challenge AS CodeChallenge, origin_jti AS OriginJti, " +
        "auth_time AS AuthTime, created_at AS CreatedAt, expires_at AS ExpiresAt, origin_session_id AS OriginSessionId";

    private readonly ISqlDatabase _db;

    /// <summary>Creates the store over <paramref name="database"/>.</summary>
    public SqlAuthorizationCodeStore(ISqlDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _db = database;
    }

    /// <inheritdoc />
    public async ValueTask CreateAsync(AuthorizationCodeRecord code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _db.WriteAsync((connection, tx) => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO authorization_codes (code_hash, user_pool_id, client_id, username, sub, redirect_uri, scopes, nonce,
                                             code_challenge, origin_jti, auth_time, created_at, expires_at, used, issued, replayed, origin_session_id)
            VALUES (@CodeHash, @UserPoolId, @ClientId, @Username, @Sub, @RedirectUri, @Scopes, @Nonce,
                    @CodeChallenge, @OriginJti, @AuthTime, @CreatedAt, @ExpiresAt, FALSE, FALSE, FALSE, @OriginSessionId)
            """,
            new
            {
                code.CodeHash,
                code.UserPoolId,
                code.ClientId,
                code.Username,
                code.Sub,
                code.RedirectUri,
                Scopes = string.Join(' ', code.Scopes),
                code.Nonce,
                code.CodeChallenge,
                code.OriginJti,
                AuthTime = UnixTime.ToMs(code.AuthTime),
                CreatedAt = UnixTime.ToMs(code.CreatedAt),
                ExpiresAt = UnixTime.ToMs(code.ExpiresAt),
                code.OriginSessionId,
            },
            tx,
            cancellationToken: ct)), ct);
    }

    /// <inheritdoc />
    public async ValueTask<AuthorizationCodeRedemption> RedeemAsync(byte[] codeHash, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        long nowMs = UnixTime.ToMs(now);
        var redeemed = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
            $"UPDATE authorization_codes SET used = TRUE WHERE code_hash = @codeHash AND used = FALSE AND expires_at > @nowMs RETURNING {Columns}",
            new { codeHash, nowMs },
            tx,
            cancellationToken: ct)), ct);
        if (redeemed is not null) return new AuthorizationCodeRedemption(CodeRedemptionStatus.Redeemed, redeemed.ToRecord());
        var replayed = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<CodeRow>(new CommandDefinition(
            $"UPDATE authorization_codes SET replayed = TRUE WHERE code_hash = @codeHash AND used = TRUE RETURNING {Columns}",
            new { codeHash },
            tx,
            cancellationToken: ct)), ct);
        return replayed is null
            ? new AuthorizationCodeRedemption(CodeRedemptionStatus.NotFound, null)
            : new AuthorizationCodeRedemption(CodeRedemptionStatus.Replayed, replayed.ToRecord());
    }

    /// <inheritdoc />
    public async ValueTask<bool> MarkIssuedAsync(byte[] codeHash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(codeHash);
        var replayed = await _db.WriteAsync((connection, tx) => connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
            "UPDATE authorization_codes SET issued = TRUE WHERE code_hash = @codeHash RETURNING replayed",
            new { codeHash },
            tx,
            cancellationToken: ct)), ct);
        return replayed == true;
    }

    private sealed class CodeRow
    {
        public byte[] CodeHash { get; set; } = [];
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string Username { get; set; } = "";
        public string Sub { get; set; } = "";
        public string RedirectUri { get; set; } = "";
        public string Scopes { get; set; } = "";
        public string? Nonce { get; set; }
        public string? CodeChallenge { get; set; }
        public string OriginJti { get; set; } = "";
        public long AuthTime { get; set; }
        public long CreatedAt { get; set; }
        public long ExpiresAt { get; set; }
        public string? OriginSessionId { get; set; }

        public AuthorizationCodeRecord ToRecord() => new(
            CodeHash, UserPoolId, ClientId, Username, Sub, RedirectUri,
            Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), Nonce, CodeChallenge, OriginJti,
            UnixTime.FromMs(AuthTime), UnixTime.FromMs(CreatedAt), UnixTime.FromMs(ExpiresAt)) { OriginSessionId = OriginSessionId };
    }
}
