using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client.SigV4;
using Cognate.Server.Tests.Infrastructure;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;
using static Cognate.Server.Tests.Import.UserImportTests;

namespace Cognate.Server.Tests.Import;

/// <summary>
/// Import results through the CloudWatch Logs subset (<c>Logs_20140328.*</c>, SigV4 service <c>logs</c>): the log group
/// <c>/aws/cognito/userpools/POOL_ID/POOL_NAME</c>, the stream <c>JOB_ID/JOB_NAME</c>, [SKIPPED] and [FAILED] lines with the file's
/// line numbers (header = line 1), GetLogEvents paging with forward/backward tokens (same token back at the end), DescribeLogStreams,
/// FilterLogEvents, and the errors: unknown group or stream, bad parameters, a signature for another service or none.
/// </summary>
public sealed class ImportLogsTests(ServerFixture f)
{
    static readonly MediaTypeHeaderValue JsonType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");

    Task<(HttpStatusCode Status, JsonNode Body)> LogsAsync(string target, JsonObject body, string service = "logs", bool sign = true) =>
        LogsAsync(f.Server, target, body, service, sign);

    /// <summary>Sends one CloudWatch Logs request (JSON 1.1, <c>Logs_20140328.</c><paramref name="target"/>) to <paramref name="server"/>, signed for <paramref name="service"/>.</summary>
    internal static async Task<(HttpStatusCode Status, JsonNode Body)> LogsAsync(CognateServer server, string target, JsonObject body, string service = "logs", bool sign = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = JsonType;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Logs_20140328." + target);
        if (sign) new SigV4Signer(new AwsCredentials(CognateServer.AccessKeyId, CognateServer.SecretAccessKey), "us-east-1", service).Sign(request, bytes);
        using var response = await server.Http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    async Task<JsonNode> OkAsync(string target, JsonObject body)
    {
        var (status, answer) = await LogsAsync(target, body);
        status.ShouldBe(HttpStatusCode.OK, answer.ToJsonString());
        return answer;
    }

    async Task FailsAsync(string target, JsonObject body, string type, string? message = null)
    {
        var (status, answer) = await LogsAsync(target, body);
        status.ShouldBe(HttpStatusCode.BadRequest, answer.ToJsonString());
        ((string?)answer["__type"]).ShouldBe(type);
        if (message is not null) ((string?)answer["message"]).ShouldBe(message);
    }

    static List<string> Messages(JsonNode answer) => answer["events"]!.AsArray().Select(e => (string)e!["message"]!).ToList();

    /// <summary>A pool (with a user named "existing") and a finished job over good, existing and bad rows; returns group, stream, times.</summary>
    async Task<(string Pool, string Group, string Stream, string JobId, long Started, long Completed)> RunJobAsync()
    {
        var name = "logs-" + Guid.NewGuid().ToString("N")[..8];
        var pool = await f.CreatePoolAsync(new JsonObject { ["PoolName"] = name });
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "existing", ["MessageAction"] = "SUPPRESS" });
        var header = await HeaderAsync(f.Admin, pool);
        // Rows 1..5 are file lines 2..6: line 3 skipped, line 5 failed.
        var csv = Csv(header, [User("a1", ServerFixture.NewEmail()), User("existing", ServerFixture.NewEmail()), User("a2", ServerFixture.NewEmail()),
            User("bad", "not-an-email"), User("a3", ServerFixture.NewEmail())]);
        var (jobId, url) = await CreateJobAsync(f.Admin, pool, "nightly");
        (await UploadAsync(f.Server.Http, url, Encoding.UTF8.GetBytes(csv))).ShouldBe(HttpStatusCode.OK);
        await f.Admin.InvokeAsync("StartUserImportJob", new JsonObject { ["UserPoolId"] = pool, ["JobId"] = jobId });
        var job = await WaitAsync(f.Admin, pool, jobId, "Succeeded", "Failed");
        ((long)job["ImportedUsers"]!, (long)job["SkippedUsers"]!, (long)job["FailedUsers"]!).ShouldBe((3, 1, 1));
        return (pool, $"/aws/cognito/userpools/{pool}/{name}", jobId + "/nightly", jobId,
            (long)Math.Floor((double)job["StartDate"]! * 1000), (long)Math.Ceiling((double)job["CompletionDate"]! * 1000));
    }

    [Fact]
    public async Task GetLogEvents_SkippedAndFailedLines_WithFileLineNumbers_PagedBothWays()
    {
        var (_, group, stream, _, started, completed) = await RunJobAsync();
        var all = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true });
        var messages = Messages(all);
        messages.Count.ShouldBe(2);
        messages[0].ShouldBe("[SKIPPED] Line Number 3 - The user already exists.");
        messages[1].ShouldStartWith("[FAILED] Line Number 5 - ");
        messages[1].ShouldNotContain("not-an-email");
        foreach (var e in all["events"]!.AsArray())
        {
            ((long)e!["timestamp"]!).ShouldBeInRange(started, completed);
            ((long)e["ingestionTime"]!).ShouldBe((long)e["timestamp"]!);
        }

        // Forward one at a time, then the end: no events and the same token back.
        var first = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startFromHead"] = true, ["limit"] = 1 });
        Messages(first).ShouldBe([messages[0]]);
        var second = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["nextToken"] = (string)first["nextForwardToken"]!, ["limit"] = 1 });
        Messages(second).ShouldBe([messages[1]]);
        var end = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["nextToken"] = (string)second["nextForwardToken"]!, ["limit"] = 1 });
        Messages(end).ShouldBeEmpty();
        ((string?)end["nextForwardToken"]).ShouldBe((string?)second["nextForwardToken"]);

        // Backward from the second page finds the first, then the start.
        var back = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["nextToken"] = (string)second["nextBackwardToken"]!, ["limit"] = 1 });
        Messages(back).ShouldBe([messages[0]]);
        var start = await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["nextToken"] = (string)back["nextBackwardToken"]! });
        Messages(start).ShouldBeEmpty();
        ((string?)start["nextBackwardToken"]).ShouldBe((string?)back["nextBackwardToken"]);

        // Without startFromHead the newest events come first; a time window past the job is empty.
        Messages(await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["limit"] = 1 })).ShouldBe([messages[1]]);
        Messages(await OkAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["startTime"] = completed + 1 })).ShouldBeEmpty();
        // The group may be named by its ARN too.
        Messages(await OkAsync("GetLogEvents", new JsonObject
        {
            ["logGroupIdentifier"] = $"arn:aws:logs:us-east-1:000000000000:log-group:{group}", ["logStreamName"] = stream, ["startFromHead"] = true,
        })).ShouldBe(messages);
    }

    [Fact]
    public async Task DescribeLogStreams_OneStreamPerStartedJob_FilterLogEvents_ByTerm()
    {
        var (pool, group, stream, jobId, started, _) = await RunJobAsync();
        await CreateJobAsync(f.Admin, pool, "never-started");
        var answer = await OkAsync("DescribeLogStreams", new JsonObject { ["logGroupName"] = group });
        var streams = answer["logStreams"]!.AsArray();
        streams.Count.ShouldBe(1);
        ((string?)streams[0]!["logStreamName"]).ShouldBe(stream);
        ((long)streams[0]!["creationTime"]!).ShouldBeInRange(started - 1000, started + 1000);
        ((long)streams[0]!["firstEventTimestamp"]!).ShouldBeGreaterThanOrEqualTo(started);
        ((string?)streams[0]!["arn"]).ShouldBe($"arn:aws:logs:us-east-1:000000000000:log-group:{group}:log-stream:{stream}");
        answer["nextToken"].ShouldBeNull();
        (await OkAsync("DescribeLogStreams", new JsonObject { ["logGroupName"] = group, ["logStreamNamePrefix"] = "import-nope" }))["logStreams"]!.AsArray().ShouldBeEmpty();
        await FailsAsync("DescribeLogStreams", new JsonObject { ["logGroupName"] = group, ["logStreamNamePrefix"] = "i", ["orderBy"] = "LastEventTime" }, "InvalidParameterException");

        var filtered = await OkAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["filterPattern"] = "SKIPPED" });
        var events = filtered["events"]!.AsArray();
        events.Count.ShouldBe(1);
        ((string?)events[0]!["logStreamName"]).ShouldBe(stream);
        ((string?)events[0]!["message"]).ShouldBe("[SKIPPED] Line Number 3 - The user already exists.");
        (await OkAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamNames"] = new JsonArray(stream), ["filterPattern"] = "-SKIPPED" }))["events"]!.AsArray().Count.ShouldBe(1);
        jobId.ShouldStartWith("import-");
    }

    [Fact]
    public async Task Errors_UnknownGroupOrStream_BadParameters_WrongOrNoSignature()
    {
        var (pool, group, stream, _, _, _) = await RunJobAsync();
        const string noGroup = "The specified log group does not exist.";
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = "/aws/cognito/userpools/us-east-1_NoSuchPool/x", ["logStreamName"] = stream }, "ResourceNotFoundException", noGroup);
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group + "-other", ["logStreamName"] = stream }, "ResourceNotFoundException", noGroup);
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = "/aws/lambda/x", ["logStreamName"] = stream }, "ResourceNotFoundException", noGroup);
        await FailsAsync("DescribeLogStreams", new JsonObject { ["logGroupName"] = "/aws/cognito/userpools/" + pool }, "ResourceNotFoundException", noGroup);
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = "import-AAAAAAAAAA/nightly" }, "ResourceNotFoundException", "The specified log stream does not exist.");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream.Replace("nightly", "daily", StringComparison.Ordinal) }, "ResourceNotFoundException", "The specified log stream does not exist.");
        // A pool whose jobs never ran has no log group.
        var (created, _) = await CreateJobAsync(f.Admin, pool = await f.CreatePoolAsync(new JsonObject { ["PoolName"] = "idle" }), "idle");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = $"/aws/cognito/userpools/{pool}/idle", ["logStreamName"] = created + "/idle" }, "ResourceNotFoundException", noGroup);

        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["nextToken"] = "f/123" }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["limit"] = 0 }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream, ["limit"] = 10_001 }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logStreamName"] = stream }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logGroupIdentifier"] = group, ["logStreamName"] = stream }, "InvalidParameterException");
        await FailsAsync("DescribeLogStreams", new JsonObject { ["logGroupName"] = group, ["limit"] = 51 }, "InvalidParameterException");
        await FailsAsync("FilterLogEvents", new JsonObject { ["logGroupName"] = group, ["filterPattern"] = "{ $.x = 1 }" }, "InvalidParameterException");
        await FailsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = 5 }, "SerializationException");
        await FailsAsync("PutLogEvents", new JsonObject { ["logGroupName"] = group }, "UnsupportedOperationException");

        // Signed for cognito-idp, or not signed at all: refused before anything is read.
        var (status, answer) = await LogsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream }, service: "cognito-idp");
        (status, (string?)answer["__type"]).ShouldBe((HttpStatusCode.Forbidden, "InvalidSignatureException"));
        (status, answer) = await LogsAsync("GetLogEvents", new JsonObject { ["logGroupName"] = group, ["logStreamName"] = stream }, sign: false);
        (status, (string?)answer["__type"]).ShouldBe((HttpStatusCode.Forbidden, "MissingAuthenticationTokenException"));
    }
}
