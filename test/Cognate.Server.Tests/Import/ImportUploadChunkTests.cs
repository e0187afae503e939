using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;
using static Cognate.Server.Tests.Import.UserImportTests;

namespace Cognate.Server.Tests.Import;

/// <summary>
/// The PreSignedUrl upload streamed into the database in 1 MiB chunks (<c>user_import_chunks</c>): the last completed upload is the
/// job's file, an upload cut off mid-body leaves no chunk behind (and the earlier file stays), a body over 100 MB sent without
/// Content-Length answers EntityTooLarge and leaves nothing.
/// </summary>
public sealed class ImportUploadChunkTests(ServerFixture f)
{
    [Fact]
    public async Task Upload_Twice_LastWins_OnlyItsChunksKept()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        // First a 3 MiB file (long names), then a small one that replaces it.
        var big = Csv(header, Enumerable.Range(0, 1600).Select(i =>
        {
            var u = User($"big{i}", $"big{i}@example.com");
            u["name"] = new string('n', 2000);
            return u;
        }));
        Encoding.UTF8.GetByteCount(big).ShouldBeGreaterThan(3 << 20);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(big))).ShouldBe(HttpStatusCode.OK);
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(4);
        var small = Encoding.UTF8.GetBytes(Csv(header, [User("last-wins", ServerFixture.NewEmail())]));
        (await UploadAsync(f.Server.Http, url, small)).ShouldBe(HttpStatusCode.OK);
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(1);
        (await ScalarAsync("SELECT SUM(length(data)) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(small.Length);

        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed");
        ((string?)job["Status"], (long)job["ImportedUsers"]!).ShouldBe(("Succeeded", 1L));
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(0);
    }

    [Fact]
    public async Task Upload_CutOffMidBody_LeavesNoChunks_EarlierFileStays()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        var good = Encoding.UTF8.GetBytes(Csv(header, [User("kept", ServerFixture.NewEmail())]));
        (await UploadAsync(f.Server.Http, url, good)).ShouldBe(HttpStatusCode.OK);

        var uri = new Uri(url);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(uri.Host, uri.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"PUT {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Length: {8 << 20}\r\n\r\n"));
            await stream.WriteAsync(new byte[(3 << 20) + 100]);
            // The chunks are written as they arrive, before the body ends.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId) < 4 && DateTime.UtcNow < deadline) await Task.Delay(50);
            (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(4);
            tcp.Client.LingerState = new LingerOption(true, 0); // reset, as a client that dies
        }
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId) > 1 && DateTime.UtcNow < until) await Task.Delay(50);
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(1);

        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed");
        ((string?)job["Status"], (long)job["ImportedUsers"]!).ShouldBe(("Succeeded", 1L));
    }

    [Fact]
    public async Task Upload_BodyEndsBeforeContentLength_NoChunksLeft_NoFile()
    {
        var pool = await f.CreatePoolAsync();
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        var uri = new Uri(url);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(uri.Host, uri.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"PUT {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Length: {5 << 20}\r\n\r\n"));
            await stream.WriteAsync(new byte[2 << 20]);
            tcp.Client.Shutdown(SocketShutdown.Send); // the body ends 3 MiB early: Kestrel takes the client as gone
            using var reader = new StreamReader(stream, Encoding.ASCII);
            string answer;
            try
            {
                answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (IOException)
            {
                answer = ""; // reset by the server
            }
            if (answer.Length > 0) answer.ShouldContain("<Code>IncompleteBody</Code>"); // never a 200 or a 500
        }
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId) > 0 && DateTime.UtcNow < until) await Task.Delay(50);
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(0);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        ((string?)(await WaitAsync(f.Admin, pool, jobId, "Failed", "Succeeded"))["CompletionMessage"])!.ShouldContain("No CSV file was uploaded");
    }

    [Fact]
    public async Task Upload_ChunkedBodyOver100MB_EntityTooLarge_NothingLeft_JobFails()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(Csv(header, [User("dropped", ServerFixture.NewEmail())])))).ShouldBe(HttpStatusCode.OK);

        // No Content-Length (chunked transfer): the limit is found while streaming.
        using var content = new StreamContent(new ZeroStream(100L * 1024 * 1024 + 1));
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        HttpStatusCode status;
        string body;
        try
        {
            using var response = await f.Server.Http.SendAsync(request);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync();
        }
        catch (HttpRequestException)
        {
            // The server may answer and close before the client finished sending; the outcome is checked below.
            status = HttpStatusCode.BadRequest;
            body = "EntityTooLarge";
        }
        status.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldContain("EntityTooLarge");
        (await ScalarAsync("SELECT COUNT(*) FROM user_import_chunks WHERE job_id = @j", jobId)).ShouldBe(0);

        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Failed", "Succeeded");
        ((string?)job["Status"], (string?)job["CompletionMessage"]).ShouldBe(("Failed", "The CSV file is larger than 100 MB."));
    }

    /// <summary>Runs a scalar query with <c>@j</c> = <paramref name="jobId"/> on the test server's own database (SQLite file or PostgreSQL).</summary>
    async Task<long> ScalarAsync(string sql, string jobId)
    {
        if (f.Server.Environment.TryGetValue("ConnectionStrings__Cognate", out var pg))
        {
            await using var connection = new Npgsql.NpgsqlConnection(pg);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("j", jobId);
            return Convert.ToInt64(await command.ExecuteScalarAsync() is { } v and not DBNull ? v : 0L, System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var sqlite = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(f.Server.DataDirectory, "cognate.db")}");
        await sqlite.OpenAsync();
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = sql.Replace("@j", "$j", StringComparison.Ordinal);
        cmd.Parameters.AddWithValue("$j", jobId);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync() is { } r and not DBNull ? r : 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A read-only stream of <c>length</c> zero bytes, produced as read.</summary>
    sealed class ZeroStream(long length) : Stream
    {
        long _left = length;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, _left);
            Array.Clear(buffer, offset, n);
            _left -= n;
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
