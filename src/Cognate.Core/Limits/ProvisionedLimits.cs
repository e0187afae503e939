namespace Cognate.Core.Limits;

/// <summary>
/// A provisioned request rate for one Cognito quota category (UpdateProvisionedLimit), in requests per second, applying to
/// every user pool of the server; <see cref="ModifiedAt"/> is UTC.
/// </summary>
public sealed record ProvisionedLimit(string Category, int RequestsPerSecond, DateTimeOffset ModifiedAt);

/// <summary>Storage of <see cref="ProvisionedLimit"/>s, one row per category, shared by every node.</summary>
public interface IProvisionedLimitStore
{
    /// <summary>Every stored limit.</summary>
    ValueTask<IReadOnlyList<ProvisionedLimit>> ListAsync(CancellationToken ct = default);

    /// <summary>Inserts or replaces the limit of <paramref name="limit"/>.Category.</summary>
    ValueTask PutAsync(ProvisionedLimit limit, CancellationToken ct = default);
}
