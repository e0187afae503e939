using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Import;

/// <summary>
/// User import jobs end to end (AWS guide "Importing users into user pools from a CSV file"): GetCSVHeader, CreateUserImportJob,
/// the upload to the PreSignedUrl Cognate serves, StartUserImportJob, the worker's import (RESET_REQUIRED users, per-row failures and
/// skips), StopUserImportJob, ListUserImportJobs paging, files that fail the job, and attacks on the upload URL.
/// </summary>
public sealed class UserImportTests(ServerFixture f)
{
    const string Role = "arn:aws:iam::000000000000:role/CognitoImport";

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    internal static async Task<List<string>> HeaderAsync(CognitoIdentityProviderClient admin, string pool) =>
        (await admin.InvokeAsync("GetCSVHeader", new JsonObject { ["UserPoolId"] = pool }))["CSVHeader"]!.AsArray().Select(x => (string)x!).ToList();

    internal static string Csv(IReadOnlyList<string> header, IEnumerable<Dictionary<string, string>> rows)
    {
        static string Cell(string v) => v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
        var sb = new StringBuilder(string.Join(",", header)).Append('\n');
        foreach (var row in rows) sb.Append(string.Join(",", header.Select(c => Cell(row.GetValueOrDefault(c, ""))))).Append('\n');
        return sb.ToString();
    }

    internal static Dictionary<string, string> User(string name, string email, string verified = "true", string mfa = "false") =>
        new() { ["cognito:username"] = name, ["email"] = email, ["email_verified"] = verified, ["cognito:mfa_enabled"] = mfa };

    internal static async Task<(string JobId, string Url)> CreateJobAsync(CognitoIdentityProviderClient admin, string pool, string name = "job")
    {
        var job = (await admin.InvokeAsync("CreateUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobName"] = name, ["CloudWatchLogsRoleArn"] = Role }))["UserImportJob"]!;
        return ((string)job["JobId"]!, (string)job["PreSignedUrl"]!);
    }

    internal static async Task<HttpStatusCode> UploadAsync(HttpClient http, string url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.TryAddWithoutValidation("x-amz-server-side-encryption", "aws:kms");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    internal static async Task<JsonNode> WaitAsync(CognitoIdentityProviderClient admin, string pool, string jobId, params string[] statuses)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = (await admin.InvokeAsync("DescribeUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }))["UserImportJob"]!;
            if (statuses.Contains((string?)job["Status"]) || DateTime.UtcNow > deadline) return job;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Import_GoodSkippedAndBadRows_ImportsResetRequiredUsersAndCountsTheRest()
    {
        var pool = await f.CreatePoolAsync(new JsonObject
        {
            ["Schema"] = new JsonArray(new JsonObject { ["Name"] = "tier", ["AttributeDataType"] = "String", ["Mutable"] = true }),
        });
        var (client, _) = await f.CreateClientAsync(pool);
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "existing", ["MessageAction"] = "SUPPRESS" });
        var header = await HeaderAsync(f.Admin, pool);
        header.ShouldContain("custom:tier");
        header[^2..].ShouldBe(["cognito:mfa_enabled", "cognito:username"]);

        var alice = User("alice", ServerFixture.NewEmail());
        alice["custom:tier"] = "gold";
        alice["name"] = "Alice \"Al\", A.";
        var csv = Csv(header, [alice, User("bob", ServerFixture.NewEmail(), verified: "TRUE"), User("existing", ServerFixture.NewEmail()), User("carol", "not-an-email"), User("dave", ServerFixture.NewEmail(), verified: "false")]);

        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        jobId.ShouldMatch("^import-[0-9A-Za-z]{10}$");
        url.ShouldStartWith(f.Server.Endpoint.ToString().TrimEnd('/') + "/_import/" + pool + "/" + jobId + "?");
        var described = (await f.Admin.InvokeAsync("DescribeUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }))["UserImportJob"]!;
        ((string?)described["Status"]).ShouldBe("Created");
        ((string?)described["PreSignedUrl"]).ShouldBe(url);
        ((string?)described["CloudWatchLogsRoleArn"]).ShouldBe(Role);
        described["CreationDate"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);

        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(csv))).ShouldBe(HttpStatusCode.OK);
        var started = (await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }))["UserImportJob"]!;
        ((string?)started["Status"]).ShouldBeOneOf("Pending", "InProgress", "Succeeded");
        var done = await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed");
        ((string?)done["Status"]).ShouldBe("Succeeded", (string?)done["CompletionMessage"]);
        ((long)done["ImportedUsers"]!, (long)done["SkippedUsers"]!, (long)done["FailedUsers"]!).ShouldBe((2, 1, 2));
        ((string?)done["CompletionMessage"]).ShouldNotBeNullOrEmpty();
        done["CompletionDate"].ShouldNotBeNull();
        done["StartDate"].ShouldNotBeNull();

        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "alice" });
        ((string?)user["UserStatus"]).ShouldBe("RESET_REQUIRED");
        var attrs = user["UserAttributes"]!.AsArray().ToDictionary(a => (string)a!["Name"]!, a => (string)a!["Value"]!);
        attrs["custom:tier"].ShouldBe("gold");
        attrs["name"].ShouldBe("Alice \"Al\", A.");
        attrs["email_verified"].ShouldBe("true");
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob" }))["UserStatus"]).ShouldBe("RESET_REQUIRED");
        await Fails(f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "carol" }), "UserNotFoundException");
        await Fails(f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "dave" }), "UserNotFoundException");
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "existing" }))["UserStatus"]).ShouldBe("FORCE_CHANGE_PASSWORD");

        // Sign-in answers PasswordResetRequiredException until the reset.
        await Fails(f.Public.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = client, ["AuthFlow"] = "USER_PASSWORD_AUTH", ["AuthParameters"] = new JsonObject { ["USERNAME"] = "alice", ["PASSWORD"] = "Whatever1!" },
        }), "PasswordResetRequiredException");

        // Finished: neither start nor stop again, and the URL no longer takes a file.
        await Fails(f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }), "PreconditionNotMetException");
        await Fails(f.Admin.InvokeAsync("StopUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }), "PreconditionNotMetException");
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(csv))).ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Upload_TamperedForeignOrMissingSignature_Refused403_NothingStored()
    {
        var pool = await f.CreatePoolAsync();
        var otherPool = await f.CreatePoolAsync();
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        var (otherJob, _) = await CreateJobAsync(f.Admin, otherPool);
        var body = Encoding.UTF8.GetBytes(Csv(await HeaderAsync(f.Admin, pool), [User("mallory", ServerFixture.NewEmail())]));
        var signature = url[(url.IndexOf("X-Cognate-Signature=", StringComparison.Ordinal) + 20)..];
        var flipped = (signature[0] == 'a' ? "b" : "a") + signature[1..];

        (await UploadAsync(f.Server.Http, url.Replace(signature, flipped, StringComparison.Ordinal), body)).ShouldBe(HttpStatusCode.Forbidden);
        (await UploadAsync(f.Server.Http, url.Replace(pool, otherPool, StringComparison.Ordinal).Replace(jobId, otherJob, StringComparison.Ordinal), body)).ShouldBe(HttpStatusCode.Forbidden);
        (await UploadAsync(f.Server.Http, url[..url.IndexOf('?', StringComparison.Ordinal)], body)).ShouldBe(HttpStatusCode.Forbidden);
        var expires = url[(url.IndexOf("X-Cognate-Expires=", StringComparison.Ordinal) + 18)..url.IndexOf('&', StringComparison.Ordinal)];
        (await UploadAsync(f.Server.Http, url.Replace("X-Cognate-Expires=" + expires, "X-Cognate-Expires=" + (long.Parse(expires, System.Globalization.CultureInfo.InvariantCulture) + 3600), StringComparison.Ordinal), body))
            .ShouldBe(HttpStatusCode.Forbidden);

        // Nothing was stored: starting the job fails it for want of a file.
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Failed", "Succeeded");
        ((string?)job["Status"]).ShouldBe("Failed");
        ((string?)job["CompletionMessage"])!.ShouldContain("No CSV file was uploaded");
    }

    [Fact]
    public async Task Upload_Over100MB_Refused400_JobFailsWithCompletionMessage()
    {
        var pool = await f.CreatePoolAsync();
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        var uri = new Uri(url);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var stream = tcp.GetStream();
        var head = $"PUT {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Length: {100L * 1024 * 1024 + 1}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "cognito:username"));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        answer.ShouldStartWith("HTTP/1.1 400");
        answer.ShouldContain("EntityTooLarge");

        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Failed", "Succeeded");
        ((string?)job["Status"]).ShouldBe("Failed");
        ((string?)job["CompletionMessage"]).ShouldBe("The CSV file is larger than 100 MB.");
    }

    [Theory]
    [InlineData("header")]
    [InlineData("utf8")]
    [InlineData("rows")]
    public async Task BadFile_JobFailsWithCompletionMessage_NoUserWritten(string kind)
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        byte[] body = kind switch
        {
            "header" => Encoding.UTF8.GetBytes("cognito:username,email,shoe_size\nx,x@example.com,9\n"),
            "utf8" => [.. Encoding.UTF8.GetBytes(Csv(header, [User("ok", ServerFixture.NewEmail())])), 0xFF, 0xFE, (byte)'\n'],
            _ => Encoding.UTF8.GetBytes(Csv(header, Enumerable.Range(0, 500_001).Select(i => new Dictionary<string, string>()))),
        };
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, body)).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Failed", "Succeeded");
        ((string?)job["Status"]).ShouldBe("Failed");
        ((string?)job["CompletionMessage"])!.ShouldContain(kind switch { "header" => "shoe_size", "utf8" => "UTF-8", _ => "500,000" });
        ((long)job["ImportedUsers"]!).ShouldBe(0);
        var users = await f.Admin.InvokeAsync("ListUsers", new JsonObject { ["UserPoolId"] = pool });
        users["Users"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Stop_RunningJob_StoppingThenStopped_UsersSoFarKept()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var csv = Csv(header, Enumerable.Range(0, 30_000).Select(i => User($"bulk{i}", $"bulk{i}@example.com")));
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(csv))).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var stopping = (await f.Admin.InvokeAsync("StopUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }))["UserImportJob"]!;
        ((string?)stopping["Status"]).ShouldBe("Stopping");
        var job = await WaitAsync(f.Admin, pool, jobId, "Stopped");
        ((string?)job["Status"]).ShouldBe("Stopped");
        ((long)job["ImportedUsers"]!).ShouldBeLessThan(30_000);
        job["CompletionDate"].ShouldNotBeNull();
        await Fails(f.Admin.InvokeAsync("StopUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }), "PreconditionNotMetException");
    }

    [Fact]
    public async Task PoolChanges_WhileAJobRuns_UserImportInProgress_AfterStopAllowed()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(Csv(header, Enumerable.Range(0, 30_000).Select(i => User($"p{i}", $"p{i}@example.com")))))).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        await Fails(f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = pool }), "UserImportInProgressException");
        await Fails(f.Admin.InvokeAsync("AddCustomAttributes", new JsonObject
        {
            ["UserPoolId"] = pool, ["CustomAttributes"] = new JsonArray(new JsonObject { ["Name"] = "late", ["AttributeDataType"] = "String" }),
        }), "UserImportInProgressException");
        await Fails(f.Admin.InvokeAsync("UpdateUserPool", new JsonObject { ["UserPoolId"] = pool, ["AutoVerifiedAttributes"] = new JsonArray("email") }), "UserImportInProgressException");
        await f.Admin.InvokeAsync("StopUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        ((string?)(await WaitAsync(f.Admin, pool, jobId, "Stopped"))["Status"]).ShouldBe("Stopped");
        await f.Admin.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = pool });
    }

    [Fact]
    public async Task Import_MfaEnabledRow_EnablesSmsMfa()
    {
        var pool = await f.CreatePoolAsync();
        var header = await HeaderAsync(f.Admin, pool);
        var row = User("mfa-user", ServerFixture.NewEmail(), mfa: "TRUE");
        row["phone_number"] = "+15555550100";
        row["phone_number_verified"] = "true";
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(Csv(header, [row])))).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        ((long)(await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed"))["ImportedUsers"]!).ShouldBe(1);
        var user = await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "mfa-user" });
        user["UserMFASettingList"]!.AsArray().Select(x => (string?)x).ShouldContain("SMS_MFA");
    }

    [Fact]
    public async Task Stop_CreatedJob_PreconditionNotMet()
    {
        var pool = await f.CreatePoolAsync();
        var (jobId, _) = await CreateJobAsync(f.Admin, pool);
        await Fails(f.Admin.InvokeAsync("StopUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId }), "PreconditionNotMetException");
    }

    [Fact]
    public async Task List_PagesNewestFirst_MaxResultsBounded_TokenChecked_UnknownJobAndPool()
    {
        var pool = await f.CreatePoolAsync();
        var ids = new List<string>();
        for (int i = 0; i < 3; i++) { ids.Add((await CreateJobAsync(f.Admin, pool, "j" + i)).JobId); await Task.Delay(5); }
        var first = await f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 2 });
        first["UserImportJobs"]!.AsArray().Select(j => (string)j!["JobId"]!).ShouldBe([ids[2], ids[1]]);
        var token = (string)first["PaginationToken"]!;
        var second = await f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 2, ["PaginationToken"] = token });
        second["UserImportJobs"]!.AsArray().Select(j => (string)j!["JobId"]!).ShouldBe([ids[0]]);
        second["PaginationToken"].ShouldBeNull();

        await Fails(f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 0 }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 61 }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("ListUserImportJobs", new JsonObject { ["UserPoolId"] = pool, ["MaxResults"] = 5, ["PaginationToken"] = "x" }), "InvalidParameterException");
        await Fails(f.Admin.InvokeAsync("DescribeUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = "import-NoSuchJob0" }), "ResourceNotFoundException");
        var otherPool = await f.CreatePoolAsync();
        await Fails(f.Admin.InvokeAsync("DescribeUserImportJob", new JsonObject { ["UserPoolId"] = otherPool, ["JobId"] = ids[0] }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("GetCSVHeader", new JsonObject { ["UserPoolId"] = "us-east-1_NoSuchPool" }), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("CreateUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobName"] = "x" }), "InvalidParameterException");
        await Fails(f.Public.InvokeAsync("GetCSVHeader", new JsonObject { ["UserPoolId"] = pool }), "MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task Import_UsernameAttributesPool_NameIsTheEmail_SignsInByIt()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UsernameAttributes"] = new JsonArray("email") });
        var header = await HeaderAsync(f.Admin, pool);
        var email = ServerFixture.NewEmail();
        var (jobId, url) = await CreateJobAsync(f.Admin, pool);
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(Csv(header, [User(email, email), User("not-an-email", ServerFixture.NewEmail())])))).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed");
        ((long)job["ImportedUsers"]!, (long)job["FailedUsers"]!).ShouldBe((1, 1));
        ((string?)(await f.Admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = email }))["UserStatus"]).ShouldBe("RESET_REQUIRED");
    }
}
