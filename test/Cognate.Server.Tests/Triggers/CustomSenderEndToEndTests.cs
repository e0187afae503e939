using System.Text;
using System.Text.Json.Nodes;
using Cognate.Client;
using Shouldly;
using Xunit;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// SignUp on a pool with a CustomEmailSender: the function gets an <c>Event</c> invocation whose <c>request.code</c> is an AWS
/// Encryption SDK message under the pool's KMSKeyID (data key from KMS GenerateDataKey, context <c>userpool-id</c>); decrypted, it is
/// the code ConfirmSignUp accepts. A dedicated server points <c>Cognate:Lambda:Endpoint</c> and <c>Cognate:Lambda:Kms:ServiceUrl</c>
/// at a loopback <see cref="FakeKms"/> (which also records Lambda invocations).
/// </summary>
public sealed class CustomSenderEndToEndTests : IAsyncLifetime
{
    const string SenderArn = "arn:aws:lambda:us-east-1:123456789012:function:custom-email-sender";
    FakeKms kms = null!;
    CognateServer server = null!;

    public async ValueTask InitializeAsync()
    {
        // The Lambda Invoke API transport (Cognate:Lambda:Endpoint) is the lead's work on main; until it is merged there is nothing to invoke.
        if (typeof(Cognate.Server.Lambda.KmsOptions).Assembly.GetType("Cognate.Server.Lambda.LambdaInvokeTransport") is null)
        {
            Assert.Skip("the Lambda Invoke API transport (Cognate.Server.Lambda.LambdaInvokeTransport) is not in this build yet");
        }
        kms = new FakeKms();
        server = await CognateServer.StartAsync(new Dictionary<string, string>
        {
            ["Cognate__Lambda__Endpoint"] = kms.Url.TrimEnd('/'),
            ["Cognate__Lambda__Kms__ServiceUrl"] = kms.Url.TrimEnd('/'),
            ["Cognate__Lambda__Kms__Region"] = "us-east-1",
            ["Cognate__Lambda__Kms__AccessKeyId"] = "AKIAFAKEKMS",
            ["Cognate__Lambda__Kms__SecretAccessKey"] = "fake-kms-secret",
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
        if (kms is not null) await kms.DisposeAsync();
    }

    [Fact]
    public async Task SignUp_CustomEmailSender_EventCodeDecryptsToTheCodeConfirmSignUpAccepts()
    {
        using var admin = server.Client();
        using var pub = server.AnonymousClient();
        var created = await admin.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = "senders", ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["LambdaConfig"] = new JsonObject
            {
                ["CustomEmailSender"] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = SenderArn },
                ["KMSKeyID"] = FakeKms.KeyArn,
            },
        });
        var pool = (string)created["UserPool"]!["Id"]!;
        var client = (string)(await admin.InvokeAsync("CreateUserPoolClient", new JsonObject { ["UserPoolId"] = pool, ["ClientName"] = "app" }))["UserPoolClient"]!["ClientId"]!;
        var email = $"u{Guid.NewGuid():N}@example.com";

        var signUp = await pub.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = client, ["Username"] = "ana", ["Password"] = "Sender-Passw0rd!",
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = email }),
        });
        ((string?)signUp["CodeDeliveryDetails"]!["DeliveryMedium"]).ShouldBe("EMAIL");

        var (function, type, ev) = await kms.WaitForInvocationAsync(e => (string?)e["userPoolId"] == pool);
        function.ShouldBeOneOf(SenderArn, "custom-email-sender");
        type.ShouldBe("Event");
        ((string?)ev["triggerSource"]).ShouldBe("CustomEmailSender_SignUp");
        ((string?)ev["callerContext"]!["clientId"]).ShouldNotBeNull();
        ((string?)ev["request"]!["type"]).ShouldBe("customEmailSenderRequestV1");
        ((string?)ev["request"]!["userAttributes"]!["email"]).ShouldBe(email);

        var call = kms.Calls.ShouldHaveSingleItem();
        call.KeyId.ShouldBe(FakeKms.KeyArn);
        call.Context["userpool-id"].ShouldBe(pool);
        var message = EsdkTestReader.Decrypt(Convert.FromBase64String((string)ev["request"]!["code"]!), edk => kms.Decrypt(edk.Ciphertext, call.Context));
        message.Suite.ShouldBe((ushort)0x0378);
        message.DataKeys.ShouldHaveSingleItem().ProviderInfo.ShouldBe(FakeKms.KeyArn);
        var code = Encoding.UTF8.GetString(message.Plaintext);
        code.ShouldMatch("^[0-9]{6}$");

        // Nothing went to the outbox: the function is the only one who got the code.
        var outbox = JsonNode.Parse(await server.Http.GetStringAsync(new Uri(server.Endpoint, "_outbox?to=" + Uri.EscapeDataString(email))))!.AsArray();
        outbox.Count.ShouldBe(0);

        await pub.InvokeAsync("ConfirmSignUp", new JsonObject { ["ClientId"] = client, ["Username"] = "ana", ["ConfirmationCode"] = code });
        var user = await admin.InvokeAsync("AdminGetUser", new JsonObject { ["UserPoolId"] = pool, ["Username"] = "ana" });
        ((string?)user["UserStatus"]).ShouldBe("CONFIRMED");
    }
}
