using System.Text.Json.Nodes;
using Cognate.Client;
using Cognate.Server.Tests.Infrastructure;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Pools;

/// <summary>
/// GetLogDeliveryConfiguration / SetLogDeliveryConfiguration: Cognito's validation, and Cognate's local delivery — the selected
/// events appended as JSON lines to one file per destination ARN under <c>Cognate:LogDelivery:Directory</c>.
/// </summary>
public sealed class LogDeliveryTests(ServerFixture f)
{
    const string Password = "Passw0rd!";

    static async Task<CognitoServiceException> Fails(Task t, string type)
    {
        var ex = await Should.ThrowAsync<CognitoServiceException>(t);
        ex.ErrorType.ShouldBe(type, ex.Message);
        return ex;
    }

    static JsonObject Config(string source, string level, string kind, string arn) => new()
    {
        ["EventSource"] = source, ["LogLevel"] = level,
        [kind] = kind switch
        {
            "CloudWatchLogsConfiguration" => new JsonObject { ["LogGroupArn"] = arn },
            "S3Configuration" => new JsonObject { ["BucketArn"] = arn },
            _ => new JsonObject { ["StreamArn"] = arn },
        },
    };

    Task<JsonObject> Set(string pool, params JsonObject[] configs) =>
        f.Admin.InvokeAsync("SetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool, ["LogConfigurations"] = new JsonArray(configs) });

    static string Group(string name) => $"arn:aws:logs:us-east-1:123456789012:log-group:/aws/cognito/{name}";

    [Fact]
    public async Task LogDelivery_SetGetReplaceClear()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UserPoolTier"] = "PLUS" });
        var empty = (await f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool }))["LogDeliveryConfiguration"]!;
        ((string?)empty["UserPoolId"]).ShouldBe(pool);
        empty["LogConfigurations"]!.AsArray().Count.ShouldBe(0);

        var set = (await Set(pool, Config("userNotification", "ERROR", "CloudWatchLogsConfiguration", Group("notify")),
            Config("userAuthEvents", "INFO", "S3Configuration", "arn:aws:s3:::my-auth-logs")))["LogDeliveryConfiguration"]!;
        set["LogConfigurations"]!.AsArray().Count.ShouldBe(2);
        var got = (await f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool }))["LogDeliveryConfiguration"]!;
        got.ToJsonString().ShouldBe(set.ToJsonString());
        ((string?)got["LogConfigurations"]![1]!["S3Configuration"]!["BucketArn"]).ShouldBe("arn:aws:s3:::my-auth-logs");
        got["LogConfigurations"]![1]!["CloudWatchLogsConfiguration"].ShouldBeNull();

        await Set(pool, Config("userAuthEvents", "INFO", "FirehoseConfiguration", "arn:aws:firehose:us-east-1:123456789012:deliverystream/auth"));
        got = (await f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool }))["LogDeliveryConfiguration"]!;
        got["LogConfigurations"]!.AsArray().Count.ShouldBe(1);
        await Set(pool);
        (await f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool }))["LogDeliveryConfiguration"]!["LogConfigurations"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task SetLogDeliveryConfiguration_InvalidCombinations_Rejected()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UserPoolTier"] = "PLUS" });
        var essentials = await f.CreatePoolAsync();
        await Fails(Set(pool, Config("userNotification", "INFO", "CloudWatchLogsConfiguration", Group("a"))), "InvalidParameterException");
        await Fails(Set(pool, Config("userNotification", "ERROR", "S3Configuration", "arn:aws:s3:::bucket-a")), "InvalidParameterException");
        await Fails(Set(pool, Config("userAuthEvents", "ERROR", "CloudWatchLogsConfiguration", Group("a"))), "InvalidParameterException");
        await Fails(Set(pool, Config("userAuthEvents", "INFO", "CloudWatchLogsConfiguration", "arn:aws:sqs:us-east-1:123456789012:queue")), "InvalidParameterException");
        await Fails(Set(pool, Config("userAuthEvents", "INFO", "FirehoseConfiguration", Group("a"))), "InvalidParameterException");
        await Fails(Set(pool, Config("userNotification", "ERROR", "CloudWatchLogsConfiguration", Group("a")),
            Config("userNotification", "ERROR", "CloudWatchLogsConfiguration", Group("b"))), "InvalidParameterException");
        var two = Config("userAuthEvents", "INFO", "S3Configuration", "arn:aws:s3:::bucket-a");
        two["CloudWatchLogsConfiguration"] = new JsonObject { ["LogGroupArn"] = Group("a") };
        await Fails(Set(pool, two), "InvalidParameterException");
        await Fails(Set(pool, new JsonObject { ["EventSource"] = "userAuthEvents", ["LogLevel"] = "INFO" }), "InvalidParameterException");
        await Fails(Set(essentials, Config("userAuthEvents", "INFO", "CloudWatchLogsConfiguration", Group("a"))), "FeatureUnavailableInTierException");
        var region = pool[..pool.IndexOf('_', StringComparison.Ordinal)];
        await Fails(Set(region + "_Missing0"), "ResourceNotFoundException");
        await Fails(f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = region + "_Missing0" }), "ResourceNotFoundException");
        (await Should.ThrowAsync<CognitoServiceException>(Set(pool, Config("userNotification", "DEBUG", "CloudWatchLogsConfiguration", Group("a"))))).StatusCode.ShouldBe(400);
        (await Should.ThrowAsync<CognitoServiceException>(Set(pool, Config("a", "ERROR", "CloudWatchLogsConfiguration", Group("a")),
            Config("b", "ERROR", "CloudWatchLogsConfiguration", Group("a")), Config("c", "ERROR", "CloudWatchLogsConfiguration", Group("a"))))).StatusCode.ShouldBe(400);
        await Fails(f.Public.InvokeAsync("SetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool, ["LogConfigurations"] = new JsonArray() }), "MissingAuthenticationTokenException");
        // Nothing was stored by the refused calls.
        (await f.Admin.InvokeAsync("GetLogDeliveryConfiguration", new JsonObject { ["UserPoolId"] = pool }))["LogDeliveryConfiguration"]!["LogConfigurations"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task UserAuthEvents_WithThreatProtection_CarryTheRiskVerdictAndSourceAddress()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UserPoolTier"] = "PLUS", ["UserPoolAddOns"] = new JsonObject { ["AdvancedSecurityMode"] = "AUDIT" } });
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "bea", Password, ServerFixture.NewEmail());
        var arn = Group("risk-" + Guid.NewGuid().ToString("N")[..8]);
        await Set(pool, Config("userAuthEvents", "INFO", "CloudWatchLogsConfiguration", arn));
        await f.SignInAsync(client, "bea", Password);

        var file = Directory.GetFiles(f.LogDeliveryDirectory).Single(p => Path.GetFileName(p).Contains(arn[^8..], StringComparison.Ordinal));
        var line = JsonNode.Parse((await File.ReadAllLinesAsync(file)).Single())!;
        ((string?)line["eventResponse"]).ShouldBe("Pass");
        ((string?)line["eventRisk"]!["riskDecision"]).ShouldBe("NoRisk");
        ((bool?)line["eventRisk"]!["compromisedCredentialsDetected"]).ShouldBe(false);
        ((string?)line["eventContextData"]!["ipAddress"]).ShouldBe("127.0.0.1");
        line.ToJsonString().Contains(Password, StringComparison.Ordinal).ShouldBeFalse();
    }

    [Fact]
    public async Task UserAuthEvents_SignIns_WrittenAsJsonLines_ToTheDestinationsFile()
    {
        var pool = await f.CreatePoolAsync(new JsonObject { ["UserPoolTier"] = "PLUS" });
        var (client, _) = await f.CreateClientAsync(pool);
        await f.CreateConfirmedUserAsync(client, "ada", Password, ServerFixture.NewEmail());
        // A path-like ARN: the file name keeps no separator, so it lands inside the directory.
        var arn = Group("../../etc/" + Guid.NewGuid().ToString("N")[..8]);
        await Set(pool, Config("userAuthEvents", "INFO", "CloudWatchLogsConfiguration", arn));
        await f.SignInAsync(client, "ada", Password);
        await Should.ThrowAsync<CognitoServiceException>(f.SignInAsync(client, "ada", "Wrong-Passw0rd!"));

        var files = Directory.GetFiles(f.LogDeliveryDirectory).Where(p => Path.GetFileName(p).Contains(arn[^8..], StringComparison.Ordinal)).ToList();
        files.Count.ShouldBe(1);
        Path.GetDirectoryName(files[0]).ShouldBe(Path.GetFullPath(f.LogDeliveryDirectory).TrimEnd(Path.DirectorySeparatorChar));
        var lines = (await File.ReadAllLinesAsync(files[0])).Select(l => JsonNode.Parse(l)!).ToList();
        lines.Count.ShouldBe(2);
        lines.ShouldAllBe(l => (string?)l["userPoolId"] == pool && (string?)l["eventSource"] == "userAuthEvents" && (string?)l["logLevel"] == "INFO" && (string?)l["userName"] == "ada");
        lines.Select(l => (string?)l["eventResponse"]).ShouldBe(["Pass", "Fail"]);
        lines.ShouldAllBe(l => l.ToJsonString().Contains(Password) == false);
        lines.ShouldAllBe(l => l["eventRisk"] == null); // threat protection is OFF in this pool: no verdict

        // Turned off: nothing more is written.
        await Set(pool);
        await f.SignInAsync(client, "ada", Password);
        (await File.ReadAllLinesAsync(files[0])).Length.ShouldBe(2);
    }

    [Fact]
    public async Task UserNotification_DeliveryErrors_WrittenWithoutAddressOrCode()
    {
        var pool = await f.CreatePoolAsync();
        var arn = Group("notify-" + Guid.NewGuid().ToString("N")[..8]);
        await Set(pool, Config("userNotification", "ERROR", "CloudWatchLogsConfiguration", arn));
        var email = ServerFixture.NewEmail();
        await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject
        {
            ["UserPoolId"] = pool, ["Username"] = "bob", ["DesiredDeliveryMediums"] = new JsonArray("EMAIL"),
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }, new JsonObject { ["Name"] = "email_verified", ["Value"] = "true" }),
        });
        CognitoServiceException? refused = null;
        for (int i = 0; i < 15 && refused is null; i++)
        {
            try
            {
                await f.Admin.InvokeAsync("AdminCreateUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "bob", ["MessageAction"] = "RESEND", ["DesiredDeliveryMediums"] = new JsonArray("EMAIL") });
            }
            catch (CognitoServiceException e) { refused = e; }
        }
        refused.ShouldNotBeNull();
        refused.ErrorType.ShouldBe("LimitExceededException");

        var file = Path.Combine(f.LogDeliveryDirectory, Directory.GetFiles(f.LogDeliveryDirectory).Select(Path.GetFileName).Single(n => n!.Contains(arn[^8..], StringComparison.Ordinal))!);
        var text = await File.ReadAllTextAsync(file);
        text.ShouldNotContain(email);
        var line = JsonNode.Parse(text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0])!;
        ((string?)line["eventSource"]).ShouldBe("userNotification");
        ((string?)line["logLevel"]).ShouldBe("ERROR");
        ((string?)line["error"]).ShouldBe("LimitExceededException");
        ((string?)line["eventType"]).ShouldBe("EMAIL_DELIVERY_FAILURE");
        ((string?)line["userPoolId"]).ShouldBe(pool);
    }
}
