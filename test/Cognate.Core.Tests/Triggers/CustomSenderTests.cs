using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Cognate.Tests.Shared;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

public sealed class CustomSenderTests
{
    const string KeyArn = "arn:aws:kms:eu-west-1:123456789012:key/8a23102c-9b68-4fed-82ce-5a1e1f7c9b10";
    const string EmailArn = "arn:aws:lambda:eu-west-1:123456789012:function:email-sender";
    const string SmsArn = "arn:aws:lambda:eu-west-1:123456789012:function:sms-sender";

    /// <summary>A KMS that wraps data keys with AES-GCM under one master key, the encryption context as AAD (as KMS binds it).</summary>
    sealed class FakeKms : IKmsDataKeyGenerator
    {
        readonly byte[] master = RandomNumberGenerator.GetBytes(32);
        public List<(string KeyId, Dictionary<string, string> Context, int Bytes)> Calls { get; } = [];

        public ValueTask<KmsDataKey> GenerateDataKeyAsync(string keyId, IReadOnlyDictionary<string, string> encryptionContext, int numberOfBytes, CancellationToken ct = default)
        {
            Calls.Add((keyId, new Dictionary<string, string>(encryptionContext), numberOfBytes));
            var plaintext = RandomNumberGenerator.GetBytes(numberOfBytes);
            var iv = RandomNumberGenerator.GetBytes(12);
            var blob = new byte[12 + numberOfBytes + 16];
            iv.CopyTo(blob, 0);
            using var gcm = new AesGcm(master, 16);
            gcm.Encrypt(iv, plaintext, blob.AsSpan(12, numberOfBytes), blob.AsSpan(12 + numberOfBytes), Aad(encryptionContext));
            return ValueTask.FromResult(new KmsDataKey((byte[])plaintext.Clone(), blob, KeyArn));
        }

        public byte[] Decrypt(byte[] blob, IReadOnlyDictionary<string, string> context)
        {
            var plain = new byte[blob.Length - 28];
            using var gcm = new AesGcm(master, 16);
            gcm.Decrypt(blob.AsSpan(0, 12), blob.AsSpan(12, plain.Length), blob.AsSpan(12 + plain.Length), plain, Aad(context));
            return plain;
        }

        static byte[] Aad(IReadOnlyDictionary<string, string> context) => EncryptionSdkMessage.SerializeContext(context);
    }

    sealed class RecordingInvoker : ILambdaInvoker
    {
        public List<LambdaInvocation> Calls { get; } = [];
        public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
        {
            Calls.Add(invocation);
            return ValueTask.FromResult<JsonObject?>(null);
        }
    }

    sealed class RecordingSender : IMessageSender
    {
        public List<OutgoingMessage> Sent { get; } = [];
        public ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default) { Sent.Add(message); return ValueTask.CompletedTask; }
    }

    static UserPool Pool(JsonObject? lambdaConfig, string id = "eu-west-1_UVcwvZ1E8") => new()
    {
        Id = id, Region = "eu-west-1", CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch, Version = 0,
        Config = new UserPoolConfig { PoolName = "p", LambdaConfig = lambdaConfig, AliasAttributes = ["email"] },
    };

    static JsonObject SenderConfig(bool email = true, bool sms = false, bool kms = true)
    {
        var o = new JsonObject();
        if (email) o["CustomEmailSender"] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = EmailArn };
        if (sms) o["CustomSMSSender"] = new JsonObject { ["LambdaVersion"] = "V1_0", ["LambdaArn"] = SmsArn };
        if (kms) o["KMSKeyID"] = KeyArn;
        return o;
    }

    static User User(string poolId) => new()
    {
        UserPoolId = poolId, Username = "54cf7eb7-0b96-4304-8d6b-000000000001", Sub = "54cf7eb7-0b96-4304-8d6b-000000000001",
        Status = UserStatus.Unconfirmed, CreatedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch,
        Attributes = new(StringComparer.Ordinal)
        {
            ["sub"] = "54cf7eb7-0b96-4304-8d6b-000000000001", ["email"] = "jane@example.com", ["email_verified"] = "true", ["phone_number"] = "+14325551212",
        },
    };

    static (CustomSenders Senders, FakeKms Kms, RecordingInvoker Invoker) Create()
    {
        var kms = new FakeKms();
        var invoker = new RecordingInvoker();
        return (new CustomSenders(new UserPoolTriggers(invoker), new CustomSenderCodeEncryptor(kms)), kms, invoker);
    }

    static EsdkTestReader Open(FakeKms kms, string base64) =>
        EsdkTestReader.Decrypt(Convert.FromBase64String(base64), edk => kms.Decrypt(edk.Ciphertext, kms.Calls[^1].Context));

    static byte[] Message(byte[] plaintext, out FakeKms kms, byte[]? messageId = null)
    {
        kms = new FakeKms();
        using var signer = EncryptionSdkMessage.NewSigningKey();
        var context = new Dictionary<string, string>
        {
            ["userpool-id"] = "eu-west-1_UVcwvZ1E8",
            [EncryptionSdkMessage.PublicKeyContextKey] = EncryptionSdkMessage.CompressedPublicKey(signer),
        };
        var dk = kms.GenerateDataKeyAsync(KeyArn, context, 32).AsTask().Result;
        return EncryptionSdkMessage.Encrypt(plaintext, context, dk.Plaintext, [new EncryptedDataKey("aws-kms", dk.KeyId, dk.CiphertextBlob)], signer, messageId);
    }

    [Fact]
    public void Encrypt_ShortCode_HeaderAsCognitoWritesIt_AndDecrypts()
    {
        var id = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var message = Message("123456"u8.ToArray(), out var kms, id);

        // The first bytes of every Cognito code: version 1, type 0x80, suite 0x0378 ("AYADe..." in base64).
        message.AsSpan(0, 4).ToArray().ShouldBe(new byte[] { 0x01, 0x80, 0x03, 0x78 });
        Convert.ToBase64String(message).ShouldStartWith("AYADeAECAwQF");
        var r = EsdkTestReader.Decrypt(message, edk => kms.Decrypt(edk.Ciphertext, kms.Calls[0].Context));
        r.MessageId.ShouldBe(id);
        r.Context.Select(c => c.Key).ShouldBe(["aws-crypto-public-key", "userpool-id"]); // sorted by UTF-8 key bytes
        r.Context[0].Value.Length.ShouldBe(68); // base64 of a 49-byte compressed P-384 point
        r.Context[1].Value.ShouldBe("eu-west-1_UVcwvZ1E8");
        r.DataKeys.Count.ShouldBe(1);
        r.DataKeys[0].ProviderId.ShouldBe("aws-kms");
        r.DataKeys[0].ProviderInfo.ShouldBe(KeyArn);
        r.ContentType.ShouldBe((byte)2);
        r.Reserved.ShouldBe(0u);
        r.IvLength.ShouldBe((byte)12);
        r.FrameLength.ShouldBe(4096u);
        r.Frames.ShouldBe(1);
        Encoding.UTF8.GetString(r.Plaintext).ShouldBe("123456");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4095, 1)]
    [InlineData(4096, 1)]
    [InlineData(4097, 2)]
    [InlineData(10_000, 3)]
    [InlineData(8192, 2)]
    public void Encrypt_AnyLength_FramesOf4096AndOneFinalFrame(int length, int frames)
    {
        var plaintext = RandomNumberGenerator.GetBytes(length);
        var message = Message(plaintext, out var kms);
        var r = EsdkTestReader.Decrypt(message, edk => kms.Decrypt(edk.Ciphertext, kms.Calls[0].Context));
        r.Frames.ShouldBe(frames);
        r.Plaintext.ShouldBe(plaintext);
    }

    [Theory]
    [InlineData(30)]   // in the AAD (encryption context)
    [InlineData(-40)]  // in the body
    [InlineData(-20)]  // in the footer signature
    public void Decrypt_AnyByteChanged_Refused(int at)
    {
        var message = Message("123456"u8.ToArray(), out var kms);
        int index = at >= 0 ? at : message.Length + at;
        message[index] ^= 0x01;
        Should.Throw<Exception>(() => EsdkTestReader.Decrypt(message, edk => kms.Decrypt(edk.Ciphertext, kms.Calls[0].Context)));
    }

    [Fact]
    public void Encrypt_ContextWithoutTheSigningKey_Refused()
    {
        using var signer = EncryptionSdkMessage.NewSigningKey();
        Should.Throw<ArgumentException>(() => EncryptionSdkMessage.Encrypt("1"u8, new Dictionary<string, string> { ["userpool-id"] = "x" },
            new byte[32], [new EncryptedDataKey("aws-kms", KeyArn, [1])], signer));
    }

    [Fact]
    public async Task TrySend_EmailSender_EventAsCognitoSendsIt_CodeDecryptsUnderThePoolContext()
    {
        var (senders, kms, invoker) = Create();
        var pool = Pool(SenderConfig());
        var user = User(pool.Id);

        (await senders.TrySendAsync(pool, DeliveryMedium.Email, CustomSenderSources.SignUp, user, "654321", "client123",
            new Dictionary<string, string> { ["k"] = "v" })).ShouldBeTrue();

        kms.Calls.Count.ShouldBe(1);
        kms.Calls[0].KeyId.ShouldBe(KeyArn);
        kms.Calls[0].Bytes.ShouldBe(32);
        kms.Calls[0].Context["userpool-id"].ShouldBe(pool.Id);
        kms.Calls[0].Context.Keys.Order().ShouldBe(["aws-crypto-public-key", "userpool-id"]);

        var call = invoker.Calls.ShouldHaveSingleItem();
        call.Type.ShouldBe(LambdaInvocationType.Event);
        call.FunctionArn.ShouldBe(EmailArn);
        call.TriggerName.ShouldBe("CustomEmailSender");
        var ev = call.Event;
        ev["version"]!.GetValue<string>().ShouldBe("1");
        ev["triggerSource"]!.GetValue<string>().ShouldBe("CustomEmailSender_SignUp");
        ev["region"]!.GetValue<string>().ShouldBe("eu-west-1");
        ev["userPoolId"]!.GetValue<string>().ShouldBe(pool.Id);
        ev["userName"]!.GetValue<string>().ShouldBe(user.Username);
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe("client123");
        ev["response"]!.AsObject().Count.ShouldBe(0);
        var request = ev["request"]!.AsObject();
        request.Select(p => p.Key).ShouldBe(["type", "code", "clientMetadata", "userAttributes"]);
        request["type"]!.GetValue<string>().ShouldBe("customEmailSenderRequestV1");
        request["clientMetadata"]!["k"]!.GetValue<string>().ShouldBe("v");
        request["userAttributes"]!["email"]!.GetValue<string>().ShouldBe("jane@example.com");
        request["userAttributes"]!["cognito:user_status"]!.GetValue<string>().ShouldBe("UNCONFIRMED");
        request["userAttributes"]!["cognito:email_alias"]!.GetValue<string>().ShouldBe("jane@example.com");
        var code = request["code"]!.GetValue<string>();
        code.ShouldStartWith("AYADe");
        code.ShouldNotContain("654321");
        Encoding.UTF8.GetString(Open(kms, code).Plaintext).ShouldBe("654321");
    }

    [Fact]
    public async Task TrySend_SmsSender_SmsEventType_AndNullClientMetadata()
    {
        var (senders, kms, invoker) = Create();
        var pool = Pool(SenderConfig(email: false, sms: true));
        (await senders.TrySendAsync(pool, DeliveryMedium.Sms, "CustomMessage_ForgotPassword", User(pool.Id), "111222")).ShouldBeTrue();
        var ev = invoker.Calls.ShouldHaveSingleItem().Event;
        invoker.Calls[0].FunctionArn.ShouldBe(SmsArn);
        ev["triggerSource"]!.GetValue<string>().ShouldBe("CustomSMSSender_ForgotPassword");
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe("CLIENT_ID_NOT_APPLICABLE");
        ev["request"]!["type"]!.GetValue<string>().ShouldBe("customSMSSenderRequestV1");
        ev["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeTrue();
        ev["request"]!["clientMetadata"].ShouldBeNull();
        Encoding.UTF8.GetString(Open(kms, ev["request"]!["code"]!.GetValue<string>()).Plaintext).ShouldBe("111222");
    }

    [Fact]
    public async Task TrySend_NoSenderForTheMedium_NothingCalled()
    {
        var (senders, kms, invoker) = Create();
        var pool = Pool(SenderConfig(email: true, sms: false));
        (await senders.TrySendAsync(pool, DeliveryMedium.Sms, CustomSenderSources.SignUp, User(pool.Id), "1")).ShouldBeFalse();
        (await senders.TrySendAsync(Pool(null), DeliveryMedium.Email, CustomSenderSources.SignUp, User(pool.Id), "1")).ShouldBeFalse();
        kms.Calls.ShouldBeEmpty();
        invoker.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task TrySend_NoKmsConfigured_UnexpectedLambda_AndTheFunctionNeverSeesTheCode()
    {
        var invoker = new RecordingInvoker();
        var senders = new CustomSenders(new UserPoolTriggers(invoker), new CustomSenderCodeEncryptor(new UnconfiguredKms()));
        var pool = Pool(SenderConfig());
        var ex = await Should.ThrowAsync<CognitoException>(() => senders.TrySendAsync(pool, DeliveryMedium.Email, CustomSenderSources.SignUp, User(pool.Id), "1").AsTask());
        ex.Error.Type.ShouldBe("UnexpectedLambdaException");
        ex.Error.Message.ShouldContain("Cognate:Lambda:Kms:ServiceUrl");
        invoker.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task MessageService_PoolWithSender_CodeGoesToTheFunctionNotToTheMailer()
    {
        var (senders, kms, invoker) = Create();
        var mailer = new RecordingSender();
        var service = new MessageService(mailer, customSenders: senders);
        var pool = Pool(SenderConfig());
        var details = await service.SendCodeAsync(pool, User(pool.Id), "email", "777888", CustomSenderSources.ResendCode);
        details.ShouldBe(new CodeDeliveryDetails("j***@e***", "EMAIL", "email"));
        mailer.Sent.ShouldBeEmpty();
        invoker.Calls.ShouldHaveSingleItem().Event["triggerSource"]!.GetValue<string>().ShouldBe("CustomEmailSender_ResendCode");

        // SMS has no sender on this pool: it goes out as usual.
        await service.SendCodeAsync(pool, User(pool.Id), "phone_number", "999000", CustomSenderSources.ResendCode);
        mailer.Sent.ShouldHaveSingleItem().Medium.ShouldBe("SMS");

        // AdminCreateUser: the temporary password is the code.
        await service.SendInvitationAsync(pool, User(pool.Id), "email", "jane", "Tmp#Pass1");
        var invite = invoker.Calls[^1].Event;
        invite["triggerSource"]!.GetValue<string>().ShouldBe("CustomEmailSender_AdminCreateUser");
        Encoding.UTF8.GetString(Open(kms, invite["request"]!["code"]!.GetValue<string>()).Plaintext).ShouldBe("Tmp#Pass1");
        mailer.Sent.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AuthCodeMessenger_PoolWithSender_AuthenticationSource()
    {
        var (senders, kms, invoker) = Create();
        var mailer = new RecordingSender();
        var pool = Pool(SenderConfig(email: false, sms: true));
        var masked = await new AuthCodeMessenger(mailer, customSenders: senders).SendAsync(pool, User(pool.Id), DeliveryMedium.Sms, "+14325551212", "246810");
        masked.ShouldBe("+*******1212");
        mailer.Sent.ShouldBeEmpty();
        var ev = invoker.Calls.ShouldHaveSingleItem().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("CustomSMSSender_Authentication");
        Encoding.UTF8.GetString(Open(kms, ev["request"]!["code"]!.GetValue<string>()).Plaintext).ShouldBe("246810");
    }

    [Fact]
    public void LambdaConfigValidator_SenderNeedsKmsKeyId()
    {
        Should.Throw<CognitoException>(() => LambdaConfigValidator.Validate(SenderConfig(kms: false))).Error.Type.ShouldBe("InvalidParameterException");
        Should.Throw<CognitoException>(() => LambdaConfigValidator.Validate(SenderConfig(email: false, sms: true, kms: false))).Error.Message
            .ShouldBe(LambdaConfigValidator.SenderWithoutKmsKey);
        LambdaConfigValidator.Validate(SenderConfig());
        LambdaConfigValidator.Validate(null);
        LambdaConfigValidator.Validate(new JsonObject { ["PreSignUp"] = "arn:aws:lambda:eu-west-1:123456789012:function:f" });
    }
}
