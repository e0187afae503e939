using System.ComponentModel.DataAnnotations;

namespace Cognate.Storage.Maintenance;

/// <summary><c>Cognate:Sweeper:*</c>: the background deletion of expired rows (<see cref="SqlSweeper"/>).</summary>
public sealed class SweeperOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Sweeper";

    /// <summary>Off switch (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Seconds between two sweeps of a node (default 300).</summary>
    [Range(0.05, 86_400)]
    public double IntervalSeconds { get; set; } = 300;

    /// <summary>Rows deleted by one statement (default 1,000): bounds each transaction and the time a SQLite write turn is held.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Pause between two batches of a sweep, in milliseconds (default 50), so requests' writes interleave.</summary>
    [Range(0, 60_000)]
    public int BatchPauseMilliseconds { get; set; } = 50;

    /// <summary>Days an auth event (AdminListUserAuthEvents) is kept (default 90).</summary>
    [Range(1, 36_500)]
    public int AuthEventRetentionDays { get; set; } = 90;

    /// <summary>
    /// Seconds a refresh token's row is kept after it expired (default 86,700 = 1 day + 5 minutes): access tokens minted from it
    /// live at most one day and are checked against its revocation flag (<c>origin_jti</c>) until they expire, so the row of a
    /// revoked token must outlive them.
    /// </summary>
    [Range(86_400, 315_360_000)]
    public long RefreshTokenRetentionSeconds { get; set; } = 86_700;
}
