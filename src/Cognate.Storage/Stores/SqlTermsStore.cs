using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cognate.Core.Terms;
using Dapper;

namespace Cognate.Storage.Stores;

/// <summary>
/// <see cref="ITermsStore"/> over SQLite or PostgreSQL: <c>terms</c> keyed by the terms id, unique per (client, name) so two
/// concurrent CreateTerms or UpdateTerms calls cannot give a client two documents of one name; links as a JSON object; rows go
/// with the pool and the client by cascade.
/// </summary>
internal sealed class SqlTermsStore(ISqlDatabase db) : ITermsStore
{
    private const string Columns =
        "terms_id AS TermsId, user_pool_id AS UserPoolId, client_id AS ClientId, terms_name AS TermsName, terms_source AS TermsSource, " +
        "enforcement AS Enforcement, links_json AS LinksJson, created_at AS CreatedAt, modified_at AS ModifiedAt";

    /// <inheritdoc />
    public async ValueTask<bool> CreateAsync(TermsDocument terms, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO terms (terms_id, user_pool_id, client_id, terms_name, terms_source, enforcement, links_json, created_at, modified_at)
                VALUES (@TermsId, @UserPoolId, @ClientId, @TermsName, @TermsSource, @Enforcement, @LinksJson, @CreatedAt, @ModifiedAt)
                """,
                Parameters(terms), cancellationToken: ct)) == 1;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e) || db.Dialect.IsForeignKeyViolation(e))
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask<TermsDocument?> GetAsync(string userPoolId, string termsId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM terms WHERE user_pool_id = @userPoolId AND terms_id = @termsId", new { userPoolId, termsId }, cancellationToken: ct));
        return row?.ToTerms();
    }

    /// <inheritdoc />
    public async ValueTask<TermsDocument?> GetByClientAsync(string userPoolId, string clientId, string termsName, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM terms WHERE user_pool_id = @userPoolId AND client_id = @clientId AND terms_name = @termsName",
            new { userPoolId, clientId, termsName }, cancellationToken: ct));
        return row?.ToTerms();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TermsDocument>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM terms
            WHERE user_pool_id = @userPoolId AND (@afterId IS NULL OR terms_id > @afterId)
            ORDER BY terms_id LIMIT @limit
            """,
            new { userPoolId, afterId, limit }, cancellationToken: ct));
        return rows.Select(r => r.ToTerms()).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<TermsWriteResult> UpdateAsync(TermsDocument terms, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(terms);
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        try
        {
            var n = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE terms SET terms_name = @TermsName, terms_source = @TermsSource, enforcement = @Enforcement, links_json = @LinksJson,
                    modified_at = @ModifiedAt
                WHERE user_pool_id = @UserPoolId AND terms_id = @TermsId
                """,
                Parameters(terms), cancellationToken: ct));
            return n == 1 ? TermsWriteResult.Ok : TermsWriteResult.NotFound;
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return TermsWriteResult.Duplicate;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(string userPoolId, string termsId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenWriteConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM terms WHERE user_pool_id = @userPoolId AND terms_id = @termsId", new { userPoolId, termsId }, cancellationToken: ct)) == 1;
    }

    static object Parameters(TermsDocument t) => new
    {
        t.TermsId,
        t.UserPoolId,
        t.ClientId,
        t.TermsName,
        t.TermsSource,
        t.Enforcement,
        LinksJson = JsonSerializer.Serialize(new Dictionary<string, string>(t.Links, StringComparer.Ordinal), TermsJsonContext.Default.DictionaryStringString),
        CreatedAt = UnixTime.ToMs(t.CreatedAt),
        ModifiedAt = UnixTime.ToMs(t.ModifiedAt),
    };

    private sealed class Row
    {
        public string TermsId { get; set; } = "";
        public string UserPoolId { get; set; } = "";
        public string ClientId { get; set; } = "";
        public string TermsName { get; set; } = "";
        public string TermsSource { get; set; } = "";
        public string Enforcement { get; set; } = "";
        public string LinksJson { get; set; } = "{}";
        public long CreatedAt { get; set; }
        public long ModifiedAt { get; set; }

        public TermsDocument ToTerms() => new(TermsId, UserPoolId, ClientId, TermsName, TermsSource, Enforcement,
            JsonSerializer.Deserialize(LinksJson, TermsJsonContext.Default.DictionaryStringString) ?? [],
            UnixTime.FromMs(CreatedAt), UnixTime.FromMs(ModifiedAt));
    }
}

/// <summary>JSON columns of the terms and log delivery stores.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(List<Cognate.Core.LogDelivery.LogConfiguration>))]
internal sealed partial class TermsJsonContext : JsonSerializerContext;
