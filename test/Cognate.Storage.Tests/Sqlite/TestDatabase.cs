using Cognate.Core.Clients;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;
using Microsoft.Data.Sqlite;

namespace Cognate.Storage.Tests.Sqlite;

/// <summary>A migrated SQLite file in a fresh temp directory, with helpers to seed rows and read raw columns.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private TestDatabase(string directory, SqliteDatabase database)
    {
        Directory = directory;
        Database = database;
    }

    public string Directory { get; }
    public SqliteDatabase Database { get; private set; }
    public TestSecretSealer Sealer { get; } = new();
    public string ConnectionString => Database.ConnectionString;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public SqlUserPoolStore Pools => new(Database);
    public SqlAppClientStore Clients => new(Database, Sealer);
    public SqlUserStore Users => new(Database, Sealer);
    public SqlCodeStore Codes => new(Database);
    public SqlRefreshTokenStore RefreshTokens => new(Database);
    public SqlSigningKeyStore SigningKeys => new(Database);
    public SqlAuthSessionStore Sessions => new(Database);
    public SqlOutboxStore Outbox => new(Database);

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cognate-storage-tests", Guid.NewGuid().ToString("N"));
        var database = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = $"Data Source={Path.Combine(directory, "db", "cognate.db")}" });
        var test = new TestDatabase(directory, database);
        if (migrate)
        {
            await database.MigrateAsync(Ct);
        }

        return test;
    }

    /// <summary>Drops this instance's <see cref="SqliteDatabase"/> and opens a new one on the same file (as after a restart).</summary>
    public async Task ReopenAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
        Database = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = ConnectionString });
        await Database.MigrateAsync(Ct);
    }

    public static UserPool NewPool(string id = "us-east-1_TestPool1") => new()
    {
        Id = id,
        Region = "us-east-1",
        CreatedAt = T0,
        ModifiedAt = T0,
        Config = new UserPoolConfig
        {
            PoolName = "test pool",
            UsernameConfiguration = new UsernameConfigurationType { CaseSensitive = false },
            AliasAttributes = ["email"],
            UserPoolTags = new Dictionary<string, string> { ["team"] = "identity" },
            LambdaConfig = new System.Text.Json.Nodes.JsonObject { ["PreSignUp"] = "arn:aws:lambda:us-east-1:1:function:x" },
        },
    };

    public static AppClient NewClient(string poolId, string clientId = "client0000000000000000000a", string? secret = "s3cr3t-client-secret-value") => new()
    {
        ClientId = clientId,
        UserPoolId = poolId,
        ClientSecret = secret,
        CreatedAt = T0,
        ModifiedAt = T0,
        Config = new AppClientConfig { ClientName = "web", ExplicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], AuthSessionValidity = 3 },
    };

    public static User NewUser(string poolId, string username, string? email = null) => new()
    {
        UserPoolId = poolId,
        Username = username,
        Sub = Guid.NewGuid().ToString(),
        Status = UserStatus.Confirmed,
        CreatedAt = T0,
        ModifiedAt = T0,
        Attributes = email is null
            ? new(StringComparer.Ordinal)
            : new(StringComparer.Ordinal) { ["email"] = email, ["email_verified"] = "true" },
    };

    public static UserIdentifier[] IdentifiersOf(User user) =>
        user.Get("email") is { } email
            ? [new UserIdentifier("username", user.Username), new UserIdentifier("email", email)]
            : [new UserIdentifier("username", user.Username)];

    public async Task<UserPool> SeedPoolAsync(string id = "us-east-1_TestPool1")
    {
        var pool = NewPool(id);
        (await Pools.CreateAsync(pool, Ct)).ShouldBeTrue();
        return pool;
    }

    public async Task<AppClient> SeedClientAsync(string poolId, string clientId = "client0000000000000000000a")
    {
        var client = NewClient(poolId, clientId);
        (await Clients.CreateAsync(client, Ct)).ShouldBeTrue();
        return client;
    }

    public async Task<User> SeedUserAsync(string poolId, string username, string? email = null)
    {
        var user = NewUser(poolId, username, email);
        (await Users.CreateAsync(user, IdentifiersOf(user), Ct)).ShouldBe(UserWriteResult.Ok);
        return user;
    }

    public async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(Ct);
        return connection;
    }

    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync(Ct);
        return result is DBNull ? null : result;
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await ScalarAsync(sql, parameters), System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(ConnectionString));
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        await Task.CompletedTask;
    }
}
