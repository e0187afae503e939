using Dapper;

namespace Cognate.Storage.Maintenance;

/// <summary>Rows one sweep deleted, per table.</summary>
public sealed record SweepResult(long AuthSessions, long Codes, long RefreshTokens, long AuthEvents)
{
    /// <summary>Expired OAuth 2.0 authorization codes (used or not) deleted.</summary>
    public long AuthorizationCodes { get; init; }

    /// <summary>Sum of all tables.</summary>
    public long Total => AuthSessions + Codes + RefreshTokens + AuthEvents + AuthorizationCodes;
}

/// <summary>
/// Deletes what nothing reads any more, in bounded batches: expired auth sessions (challenge sessions, SRP/OTP sign-ins that
/// were abandoned), expired one-time codes and OAuth 2.0 authorization codes, refresh tokens (revoked or not) whose expiry lies <see cref="SweeperOptions.RefreshTokenRetentionSeconds"/>
/// in the past, expired SSO sessions,
/// and auth events older than <see cref="SweeperOptions.AuthEventRetentionDays"/>.
/// </summary>
/// <remarks>
/// <para>Each statement deletes at most <see cref="SweeperOptions.BatchSize"/> rows chosen by a sub-select on the expiry
/// column (indexed, migration 0007) and is its own write transaction (<see cref="ISqlDatabase.WriteAsync{T}"/>: SQLite group
/// commit, PostgreSQL a short transaction), with a pause between batches; a table is done when a batch deletes fewer rows
/// than the batch size.</para>
/// <para>Several nodes on one PostgreSQL database: every node sweeps; the deletes are idempotent (a row another node deleted
/// first is simply not found again under READ COMMITTED), so concurrent sweeps only cost duplicate scans. Only rows that no
/// reader accepts any more are deleted — an expired session, code or refresh token already answers as expired — so a sweep
/// racing a request changes no answer.</para>
/// </remarks>
public sealed class SqlSweeper
{
    readonly ISqlDatabase _db;
    readonly SweeperOptions _options;
    readonly string _rowId;

    internal SqlSweeper(ISqlDatabase db, SweeperOptions options)
    {
        _db = db;
        _options = options;
        _rowId = db.Provider == "postgres" ? "ctid" : "rowid";
    }

    /// <summary>Sweeps every table once as of <paramref name="now"/>.</summary>
    public async Task<SweepResult> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        long nowMs = UnixTime.ToMs(now);
        var sessions = await DeleteAsync("auth_sessions", "expires_at < @cutoff", nowMs, ct).ConfigureAwait(false);
        var codes = await DeleteAsync("codes", "expires_at < @cutoff", nowMs, ct).ConfigureAwait(false);
        var tokens = await DeleteAsync("refresh_tokens", "expires_at < @cutoff", nowMs - _options.RefreshTokenRetentionSeconds * 1000, ct).ConfigureAwait(false);
        var events = await DeleteAsync("auth_events", "created_at < @cutoff", nowMs - (long)_options.AuthEventRetentionDays * 86_400_000, ct).ConfigureAwait(false);
        // An expired authorization code answers invalid_grant whether or not its row exists; a replay after expiry no longer
        // revokes what the code issued (the code's own 5 minutes bound that window, as RFC 6749 §10.5 intends).
        var authorizationCodes = await DeleteAsync("authorization_codes", "expires_at < @cutoff", nowMs, ct).ConfigureAwait(false);
        // An expired SSO session signs no browser in and is not listed (its cookie expired with it); revoked ones stay until then.
        await DeleteAsync("sso_sessions", "expires_at < @cutoff", nowMs, ct).ConfigureAwait(false);
        // A SAML assertion past its NotOnOrAfter is refused as expired, so its replay record is no longer needed.
        await DeleteAsync("saml_assertions", "expires_at < @cutoff", nowMs, ct).ConfigureAwait(false);
        return new SweepResult(sessions, codes, tokens, events) { AuthorizationCodes = authorizationCodes };
    }

    async Task<long> DeleteAsync(string table, string predicate, long cutoff, CancellationToken ct)
    {
        var sql = $"DELETE FROM {table} WHERE {_rowId} IN (SELECT {_rowId} FROM {table} WHERE {predicate} LIMIT @batch)";
        long total = 0;
        while (true)
        {
            int deleted = await _db.WriteAsync(
                (connection, tx) => connection.ExecuteAsync(new CommandDefinition(sql, new { cutoff, batch = _options.BatchSize }, tx, cancellationToken: ct)),
                ct).ConfigureAwait(false);
            total += deleted;
            if (deleted < _options.BatchSize) return total;
            if (_options.BatchPauseMilliseconds > 0) await Task.Delay(_options.BatchPauseMilliseconds, ct).ConfigureAwait(false);
        }
    }
}
