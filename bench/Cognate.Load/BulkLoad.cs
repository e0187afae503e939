using System.Diagnostics;
using System.Text;
using Cognate.Core.Crypto;
using Cognate.Core.Ids;
using Cognate.Core.Stores;
using Cognate.Core.Users;
using Cognate.Storage;
using Cognate.Storage.Sqlite;
using Cognate.Storage.Stores;

namespace Cognate.Load;

/// <summary>
/// Bench-only bulk path: writes users straight into a (stopped) server's SQLite database through the real store
/// classes (<see cref="SqlUserStore.CreateAsync"/>: the same row, identifiers, search keys and sealed verifier as
/// AdminCreateUser), 16 at a time through the store's group commit as concurrent sign-ups would be. Users u0000000… with email uNNNNNNN@bench.example,
/// CONFIRMED, email verified. Computing a 3072-bit SRP verifier per user would cost ~1 ms each, so only
/// <c>signIn</c> users spread evenly over the range get a real verifier for <see cref="Setup.Password"/>; the
/// others carry a valid verifier of another password (same storage shape and size; their password does not sign in).
/// </summary>
static class BulkLoad
{
    public static int SignInIndex(int k, int size, int signIn) => (int)((long)k * size / signIn);

    public static async Task<int> RunAsync(Options o)
    {
        if (o.Db is null || o.Pool is null) throw new ArgumentException("bulk-load needs --db and --pool");
        await LoadAsync(o.Db, o.Pool, o.Users, Math.Min(o.SignInUsers, o.Users), Console.Out);
        return 0;
    }

    public static async Task LoadAsync(string dbPath, string poolId, int count, int signIn, TextWriter log)
    {
        var db = new SqliteDatabase(new SqliteStoreOptions { ConnectionString = "Data Source=" + dbPath });
        await db.MigrateAsync();
        using var protector = MasterKeyProtector.FromBase64(Harness.MasterKey);
        var sealer = new Sealer(protector);
        var pools = new SqlUserPoolStore(db);
        var users = new SqlUserStore(db, sealer);
        var pool = await pools.GetAsync(poolId) ?? throw new InvalidOperationException("no pool " + poolId);
        var filler = Srp.CreateVerifier(poolId, "bench-filler", "not-the-bench-password-1A!");
        var real = new HashSet<int>(Enumerable.Range(0, signIn).Select(k => SignInIndex(k, count, signIn)));
        var sw = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        long done = 0;
        // 16 writers at a time, as concurrent sign-ups would be: the store's group commit puts their users in shared
        // transactions (each user still in its own savepoint, exactly the rows a SignUp writes).
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            string name = Setup.UserName(i);
            var sub = IdGenerator.NewUuid();
            var user = new User { UserPoolId = poolId, Username = name, Sub = sub, Status = UserStatus.Confirmed, CreatedAt = now, ModifiedAt = now, PasswordSetAt = now };
            user.Attributes["sub"] = sub;
            user.Attributes["email"] = Setup.Email(i);
            user.Attributes["email_verified"] = "true";
            if (real.Contains(i))
            {
                var v = Srp.CreateVerifier(poolId, name, Setup.Password);
                user.PasswordSalt = v.Salt;
                user.PasswordVerifier = v.Verifier;
            }
            else
            {
                user.PasswordSalt = filler.Salt;
                user.PasswordVerifier = filler.Verifier;
            }
            var result = await users.CreateAsync(user, UserIdentifiers.For(pool, user), ct);
            if (result != UserWriteResult.Ok) throw new InvalidOperationException($"user {name}: {result}");
            long n = Interlocked.Increment(ref done);
            if (n % 100_000 == 0) lock (log) log.WriteLine($"   bulk load: {n:N0} users, {n / sw.Elapsed.TotalSeconds:N0}/s");
        });
        log.WriteLine($"   bulk load: {count:N0} users in {sw.Elapsed.TotalSeconds:F0} s ({count / sw.Elapsed.TotalSeconds:N0}/s)");
        db.Dispose();
        // Checkpoint the WAL so the server starts on a settled file, as an operator's import would leave it.
        await using var c = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + dbPath);
        await c.OpenAsync();
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The server's sealing (AES-256-GCM under the master key, associated data as UTF-8).</summary>
    sealed class Sealer(MasterKeyProtector protector) : ISecretSealer
    {
        public byte[] Seal(ReadOnlySpan<byte> plaintext, string associatedData) => protector.Protect(plaintext, Encoding.UTF8.GetBytes(associatedData));
        public byte[] Unseal(ReadOnlySpan<byte> sealedBytes, string associatedData) => protector.Unprotect(sealedBytes, Encoding.UTF8.GetBytes(associatedData));
    }
}
