using System.Text.Json.Nodes;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Tests.SignIn;
using Cognate.Core.Triggers;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>A fake Lambda transport: records every invocation and answers with a handler (the whole event back, like Node).</summary>
internal sealed class FakeInvoker : ILambdaInvoker
{
    public List<LambdaInvocation> Calls { get; } = [];
    public Func<LambdaInvocation, JsonObject?> Handler { get; set; } = i => i.Event;

    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
    {
        // Record a copy: the event the function saw, before the handler fills its response.
        Calls.Add(invocation with { Event = (JsonObject)invocation.Event.DeepClone() });
        return ValueTask.FromResult(Handler(invocation));
    }

    /// <summary>A handler that sets <paramref name="fill"/> on the event's response and returns the event.</summary>
    public static Func<LambdaInvocation, JsonObject?> Respond(Action<JsonObject> fill) => i =>
    {
        fill((JsonObject)i.Event["response"]!);
        return i.Event;
    };
}

/// <summary>An in-memory user store that can create users (unique identifiers, like the SQL stores).</summary>
internal sealed class CreatingUserStore : IUserStore, IUserTokenRevokingStore
{
    public ValueTask<UserWriteResult> UpdateAndRevokeTokensAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default) =>
        UpdateAsync(user, identifiers, ct);

    public Dictionary<string, User> Users { get; } = new(StringComparer.Ordinal);
    readonly Dictionary<(string Kind, string Value), string> ids = new();

    public ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> identifiers, CancellationToken ct = default)
    {
        if (identifiers.Any(i => ids.TryGetValue((i.Kind, i.Value), out var owner) && Users.ContainsKey(owner))) return ValueTask.FromResult(UserWriteResult.IdentifierTaken);
        Users[user.Username] = user;
        foreach (var i in identifiers) ids[(i.Kind, i.Value)] = user.Username;
        return ValueTask.FromResult(UserWriteResult.Ok);
    }

    public ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default) =>
        ValueTask.FromResult(ids.TryGetValue((kind, value), out var name) ? Users.GetValueOrDefault(name) : null);
    public ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(Users.GetValueOrDefault(username));
    public ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default) =>
        ValueTask.FromResult((Users.GetValueOrDefault(username), false));
    public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? identifiers, CancellationToken ct = default)
    {
        foreach (var key in ids.Where(p => p.Value == user.Username).Select(p => p.Key).ToList()) ids.Remove(key);
        Users[user.Username] = user;
        foreach (var i in identifiers ?? []) ids[(i.Kind, i.Value)] = user.Username;
        return ValueTask.FromResult(UserWriteResult.Ok);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default)
    {
        foreach (var key in ids.Where(p => p.Value == username).Select(p => p.Key).ToList()) ids.Remove(key);
        return ValueTask.FromResult(Users.Remove(username));
    }
}

public sealed class SignUpTriggersTests : IDisposable
{
    static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);
    const string PreArn = "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up";
    const string PostArn = "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation";
    const string MessageArn = "arn:aws:lambda:us-east-1:123456789012:function:custom-message";

    readonly FakeInvoker invoker = new();
    readonly RecordingSender sender = new();
    readonly CreatingUserStore store = new();
    readonly FakeCodeStore codeStore = new();
    readonly UserPoolTriggers triggers;
    readonly UserService users;

    public SignUpTriggersTests()
    {
        TriggerCaller.Current = null;
        triggers = new UserPoolTriggers(invoker);
        var time = new FixedTime(T0);
        var codes = new CodeService(codeStore, new CodeHashKey(new byte[32]), time);
        users = new UserService(store, null!, codes, new MessageService(sender, triggers), time, triggers);
    }

    public void Dispose() => TriggerCaller.Current = null;

    static UserPool Pool(Action<JsonObject>? lambda = null, Func<UserPoolConfig, UserPoolConfig>? configure = null)
    {
        var config = new JsonObject();
        lambda?.Invoke(config);
        var c = new UserPoolConfig { AutoVerifiedAttributes = ["email"], LambdaConfig = config };
        return new UserPool { Id = "us-east-1_Triggers01", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = configure is null ? c : configure(c), Version = 0 };
    }

    static AppClient Client(UserPool pool) => new()
    {
        ClientId = "triggersclient000000000001", UserPoolId = pool.Id, CreatedAt = T0, ModifiedAt = T0, Config = new AppClientConfig(),
    };

    static IReadOnlyList<KeyValuePair<string, string?>> Attrs(params (string, string)[] pairs) => pairs.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2)).ToList();

    static void SignUpCaller(UserPool pool, Dictionary<string, string>? metadata = null) =>
        TriggerCaller.Current = new TriggerCaller("SignUp", Client(pool).ClientId, metadata, "aws-sdk-js-3.600.0");

    // ---------------- PreSignUp ----------------

    [Fact]
    public async Task PreSignUp_SignUp_EventHasCognitosShape()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        SignUpCaller(pool, new() { ["source"] = "web" });
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"), ("name", "Alice")),
            new Dictionary<string, string> { ["captcha"] = "ok" });

        var call = invoker.Calls.ShouldHaveSingleItem();
        call.FunctionArn.ShouldBe(PreArn);
        call.TriggerName.ShouldBe("PreSignUp");
        call.Type.ShouldBe(LambdaInvocationType.RequestResponse);
        var ev = call.Event;
        ev["version"]!.GetValue<string>().ShouldBe("1");
        ev["triggerSource"]!.GetValue<string>().ShouldBe("PreSignUp_SignUp");
        ev["region"]!.GetValue<string>().ShouldBe("us-east-1");
        ev["userPoolId"]!.GetValue<string>().ShouldBe(pool.Id);
        ev["userName"]!.GetValue<string>().ShouldBe("alice");
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe("triggersclient000000000001");
        ev["callerContext"]!["awsSdkVersion"]!.GetValue<string>().ShouldBe("aws-sdk-js-3.600.0");
        var request = ev["request"]!.AsObject();
        request["userAttributes"]!.ToJsonString().ShouldBe("""{"email":"alice@example.com","name":"Alice"}""");
        request["validationData"]!.ToJsonString().ShouldBe("""{"captcha":"ok"}""");
        request["clientMetadata"]!.ToJsonString().ShouldBe("""{"source":"web"}""");
        ev["response"]!.ToJsonString().ShouldBe("""{"autoConfirmUser":false,"autoVerifyEmail":false,"autoVerifyPhone":false}""");
    }

    [Fact]
    public async Task PreSignUp_WithoutValidationDataOrMetadata_SendsNullValidationDataAndNoClientMetadata()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        SignUpCaller(pool);
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        var request = invoker.Calls.Single().Event["request"]!.AsObject();
        request.ContainsKey("validationData").ShouldBeTrue();
        request["validationData"].ShouldBeNull();
        request.ContainsKey("clientMetadata").ShouldBeFalse();
    }

    [Fact]
    public async Task PreSignUp_AutoConfirmAndVerify_CreatesConfirmedVerifiedUserAndSendsNoCode()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = FakeInvoker.Respond(r => { r["autoConfirmUser"] = true; r["autoVerifyEmail"] = true; });
        var result = await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));

        result.UserConfirmed.ShouldBeTrue();
        result.CodeDeliveryDetails.ShouldBeNull();
        sender.Messages.ShouldBeEmpty();
        codeStore.Codes.ShouldBeEmpty();
        var user = store.Users["alice"];
        user.Status.ShouldBe(UserStatus.Confirmed);
        user.Get("email_verified").ShouldBe("true");
    }

    [Fact]
    public async Task PreSignUp_AutoConfirmOnly_LeavesEmailUnverified()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = FakeInvoker.Respond(r => r["autoConfirmUser"] = "true"); // the guide's syntax block shows booleans as strings
        var result = await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        result.UserConfirmed.ShouldBeTrue();
        store.Users["alice"].IsVerified("email").ShouldBeFalse();
    }

    [Fact]
    public async Task PreSignUp_AnswerLeftUntouched_SignUpAsWithoutTrigger()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        var result = await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        result.UserConfirmed.ShouldBeFalse();
        result.CodeDeliveryDetails!.AttributeName.ShouldBe("email");
        store.Users["alice"].Status.ShouldBe(UserStatus.Unconfirmed);
        sender.Messages.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("autoVerifyEmail", "email", "Email cannot be auto verified")]
    [InlineData("autoVerifyPhone", "phone_number", "Phone number cannot be auto verified")]
    public async Task PreSignUp_AutoVerifyWithoutTheAttribute_InvalidLambdaResponseAndNoUser(string flag, string _, string message)
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = FakeInvoker.Respond(r => { r["autoConfirmUser"] = true; r[flag] = true; });
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "bob", "Passw0rd!", Attrs(("name", "Bob"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        ex.Error.Message.ShouldStartWith(message);
        store.Users.ShouldBeEmpty();
    }

    [Fact]
    public async Task PreSignUp_AutoVerifyWithoutAutoConfirm_InvalidLambdaResponseAndNoUser()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = FakeInvoker.Respond(r => r["autoVerifyEmail"] = true);
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        ex.Error.Message.ShouldBe("Phone or email cannot be auto verified, when user is not being auto confirmed.");
        store.Users.ShouldBeEmpty();
        sender.Messages.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"autoConfirmUser":1}""")]
    [InlineData("""{"autoConfirmUser":"yes"}""")]
    [InlineData("""{"autoVerifyEmail":{}}""")]
    public async Task PreSignUp_NonBooleanFlag_InvalidLambdaResponse(string response)
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = i => { i.Event["response"] = JsonNode.Parse(response); return i.Event; };
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        store.Users.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""[1,2]""")]
    [InlineData("""{"response":"nope"}""")]
    public async Task PreSignUp_GarbageAnswer_InvalidLambdaResponseAndNoUser(string answer)
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = _ => JsonNode.Parse(answer) as JsonObject;
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        store.Users.ShouldBeEmpty();
    }

    [Fact]
    public async Task PreSignUp_FunctionThrows_ErrorPassesThroughAndNoUserWritten()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = i => throw CognitoErrors.UserLambdaValidation(i.TriggerName, "domain not allowed");
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Type.ShouldBe("UserLambdaValidationException");
        ex.Error.Message.ShouldBe("PreSignUp failed with error domain not allowed.");
        store.Users.ShouldBeEmpty();
        sender.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task PreSignUp_AutoVerifyEmailAlias_MovesTheAliasFromItsOwner()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn, c => c with { AliasAttributes = ["email"] });
        var owner = users.NewUser(pool, "owner", Attrs(("email", "shared@example.com"), ("email_verified", "true")), UserStatus.Confirmed);
        await store.CreateAsync(owner, UserIdentifiers.For(pool, owner));
        invoker.Handler = FakeInvoker.Respond(r => { r["autoConfirmUser"] = true; r["autoVerifyEmail"] = true; });

        var result = await users.SignUpAsync(pool, Client(pool), "taker", "Passw0rd!", Attrs(("email", "shared@example.com")));

        result.UserConfirmed.ShouldBeTrue();
        store.Users["owner"].IsVerified("email").ShouldBeFalse();
        (await users.FindAsync(pool, "shared@example.com"))!.Username.ShouldBe("taker");
    }

    [Fact]
    public async Task PreSignUp_AdminCreateUser_AnswerIgnoredAndClientIdNotApplicable()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        TriggerCaller.Current = new TriggerCaller("AdminCreateUser", null, new Dictionary<string, string> { ["k"] = "v" }, null);
        invoker.Handler = FakeInvoker.Respond(r => { r["autoConfirmUser"] = true; r["autoVerifyEmail"] = "garbage"; });

        var user = await users.AdminCreateUserAsync(pool, "carol", Attrs(("email", "carol@example.com")), "Passw0rd!", "SUPPRESS", null, false,
            new Dictionary<string, string> { ["invite"] = "1" });

        user.Status.ShouldBe(UserStatus.ForceChangePassword);
        user.IsVerified("email").ShouldBeFalse();
        var ev = invoker.Calls.Single().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("PreSignUp_AdminCreateUser");
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe("CLIENT_ID_NOT_APPLICABLE");
        ev["callerContext"]!["awsSdkVersion"]!.GetValue<string>().ShouldBe("aws-sdk-unknown-unknown");
        ev["request"]!["validationData"]!.ToJsonString().ShouldBe("""{"invite":"1"}""");
        ev["request"]!["clientMetadata"]!.ToJsonString().ShouldBe("""{"k":"v"}""");
    }

    [Fact]
    public async Task PreSignUp_AdminCreateUserFunctionThrows_NoUserWritten()
    {
        var pool = Pool(l => l["PreSignUp"] = PreArn);
        invoker.Handler = i => throw CognitoErrors.UserLambdaValidation(i.TriggerName, "no");
        var ex = await Should.ThrowAsync<CognitoException>(() =>
            users.AdminCreateUserAsync(pool, "carol", Attrs(("email", "carol@example.com")), null, null, null).AsTask());
        ex.Error.Message.ShouldBe("PreSignUp failed with error no.");
        store.Users.ShouldBeEmpty();
    }

    [Fact]
    public async Task PoolWithoutTriggers_NeverCallsTheInvoker()
    {
        var pool = Pool(l => l["PreAuthentication"] = PreArn); // another trigger only
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        var code = codeStore.Codes.Values.Single();
        invoker.Calls.ShouldBeEmpty();
        sender.Messages.Single().Body.ShouldStartWith("Your verification code is ");
        code.ShouldNotBeNull();
    }

    // ---------------- PostConfirmation ----------------

    [Fact]
    public async Task PostConfirmation_AfterAutoConfirm_FiresWithTheConfirmedUser()
    {
        var pool = Pool(l => { l["PreSignUp"] = PreArn; l["PostConfirmation"] = PostArn; });
        SignUpCaller(pool, new() { ["plan"] = "pro" });
        invoker.Handler = i => i.TriggerName == "PreSignUp" ? FakeInvoker.Respond(r => r["autoConfirmUser"] = true)(i) : i.Event;

        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));

        invoker.Calls.Select(c => c.TriggerName).ShouldBe(["PreSignUp", "PostConfirmation"]);
        var ev = invoker.Calls[1].Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("PostConfirmation_ConfirmSignUp");
        ev["request"]!["userAttributes"]!["cognito:user_status"]!.GetValue<string>().ShouldBe("CONFIRMED");
        ev["request"]!["userAttributes"]!["sub"]!.GetValue<string>().ShouldBe(store.Users["alice"].Sub);
        ev["request"]!["clientMetadata"]!["plan"]!.GetValue<string>().ShouldBe("pro");
        ev["response"]!.ToJsonString().ShouldBe("{}");
    }

    [Fact]
    public async Task PostConfirmation_FailsAfterConfirmSignUp_ErrorReturnedButUserStaysConfirmed()
    {
        var pool = Pool(l => l["PostConfirmation"] = PostArn);
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        var code = sender.Messages.Single().Code!;
        invoker.Handler = i => throw CognitoErrors.UserLambdaValidation(i.TriggerName, "db down");

        var ex = await Should.ThrowAsync<CognitoException>(() => users.ConfirmSignUpAsync(pool, store.Users["alice"], code).AsTask());

        ex.Error.Message.ShouldBe("PostConfirmation failed with error db down.");
        store.Users["alice"].Status.ShouldBe(UserStatus.Confirmed);
        store.Users["alice"].IsVerified("email").ShouldBeTrue();
        invoker.Calls.Single().Event["request"]!["userAttributes"]!["email_verified"]!.GetValue<string>().ShouldBe("true");
    }

    [Fact]
    public async Task PostConfirmation_AdminConfirmSignUp_ClientIdNotApplicable()
    {
        var pool = Pool(l => l["PostConfirmation"] = PostArn);
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        TriggerCaller.Current = new TriggerCaller("AdminConfirmSignUp", null, null, null);
        await users.AdminConfirmSignUpAsync(pool, store.Users["alice"]);
        var ev = invoker.Calls.Single().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("PostConfirmation_ConfirmSignUp");
        ev["callerContext"]!["clientId"]!.GetValue<string>().ShouldBe("CLIENT_ID_NOT_APPLICABLE");
    }

    // ---------------- CustomMessage ----------------

    [Fact]
    public async Task CustomMessage_SignUp_FunctionTextReplacesTemplateAndNeverSeesTheCode()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        SignUpCaller(pool, new() { ["lang"] = "fr" });
        invoker.Handler = FakeInvoker.Respond(r =>
        {
            r["emailSubject"] = "Bienvenue";
            r["emailMessage"] = "Votre code : {####}";
        });

        var result = await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));

        var message = sender.Messages.Single();
        message.Subject.ShouldBe("Bienvenue");
        message.Body.ShouldBe("Votre code : " + message.Code);
        result.CodeDeliveryDetails!.DeliveryMedium.ShouldBe("EMAIL");
        var ev = invoker.Calls.Single().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("CustomMessage_SignUp");
        ev["request"]!["codeParameter"]!.GetValue<string>().ShouldBe("{####}");
        ev["request"]!.AsObject().ContainsKey("usernameParameter").ShouldBeTrue();
        ev["request"]!["usernameParameter"].ShouldBeNull();
        ev["request"]!["clientMetadata"]!["lang"]!.GetValue<string>().ShouldBe("fr");
        ev["request"]!["userAttributes"]!["cognito:user_status"]!.GetValue<string>().ShouldBe("UNCONFIRMED");
        ev["response"]!.ToJsonString().ShouldBe("""{"smsMessage":null,"emailMessage":null,"emailSubject":null}""");
        ev.ToJsonString().ShouldNotContain(message.Code!);
    }

    [Fact]
    public async Task CustomMessage_TextWithoutCodePlaceholder_PoolTemplateSentInstead()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        invoker.Handler = FakeInvoker.Respond(r => { r["emailMessage"] = "no code here"; r["emailSubject"] = "Custom subject"; });
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        var message = sender.Messages.Single();
        message.Body.ShouldBe($"Your verification code is {message.Code}. ");
        message.Subject.ShouldBe("Custom subject");
    }

    [Fact]
    public async Task CustomMessage_FunctionThrowsDuringSignUp_NoUserLeftAndNothingSent()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        invoker.Handler = i => throw CognitoErrors.UserLambdaValidation(i.TriggerName, "template missing");
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Message.ShouldBe("CustomMessage failed with error template missing.");
        store.Users.ShouldBeEmpty();
        sender.Messages.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"emailMessage":42}""")]
    [InlineData("""{"smsMessage":["a"]}""")]
    [InlineData("""{"emailSubject":true}""")]
    public async Task CustomMessage_NonStringMember_InvalidLambdaResponse(string response)
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        invoker.Handler = i => { i.Event["response"] = JsonNode.Parse(response); return i.Event; };
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        store.Users.ShouldBeEmpty();
    }

    [Fact]
    public async Task CustomMessage_SmsOverLimit_InvalidLambdaResponse()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn, c => c with { AutoVerifiedAttributes = ["phone_number"] });
        invoker.Handler = FakeInvoker.Respond(r => r["smsMessage"] = new string('x', 140) + "{####}");
        var ex = await Should.ThrowAsync<CognitoException>(() => users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("phone_number", "+15555550100"))).AsTask());
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
    }

    [Fact]
    public async Task CustomMessage_Sms_FunctionTextUsed()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn, c => c with { AutoVerifiedAttributes = ["phone_number"] });
        invoker.Handler = FakeInvoker.Respond(r => { r["smsMessage"] = "Code {####} for Acme"; r["emailMessage"] = "ignored {####}"; });
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("phone_number", "+15555550100")));
        var message = sender.Messages.Single();
        message.Medium.ShouldBe("SMS");
        message.Body.ShouldBe($"Code {message.Code} for Acme");
    }

    [Fact]
    public async Task CustomMessage_AdminCreateUser_NeedsBothPlaceholders()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        invoker.Handler = FakeInvoker.Respond(r => r["emailMessage"] = "Hi {username}, password {####}");
        await users.AdminCreateUserAsync(pool, "dave", Attrs(("email", "dave@example.com")), "Temp0rary!", null, ["EMAIL"]);
        sender.Messages.Single().Body.ShouldBe("Hi dave, password Temp0rary!");
        var ev = invoker.Calls.Single().Event;
        ev["triggerSource"]!.GetValue<string>().ShouldBe("CustomMessage_AdminCreateUser");
        ev["request"]!["usernameParameter"]!.GetValue<string>().ShouldBe("{username}");

        invoker.Handler = FakeInvoker.Respond(r => r["emailMessage"] = "Password {####}"); // no {username}: Cognito's default message
        await users.AdminCreateUserAsync(pool, "erin", Attrs(("email", "erin@example.com")), "Temp0rary!", null, ["EMAIL"]);
        sender.Messages[1].Body.ShouldBe("Your username is erin and temporary password is Temp0rary!. ");
    }

    [Fact]
    public async Task CustomMessage_AdminCreateUserFunctionThrows_NewUserRemoved()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        invoker.Handler = i => throw CognitoErrors.UserLambdaValidation(i.TriggerName, "boom");
        await Should.ThrowAsync<CognitoException>(() => users.AdminCreateUserAsync(pool, "dave", Attrs(("email", "dave@example.com")), null, null, ["EMAIL"]).AsTask());
        store.Users.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("resend", "CustomMessage_ResendCode")]
    [InlineData("forgot", "CustomMessage_ForgotPassword")]
    [InlineData("adminreset", "CustomMessage_ForgotPassword")]
    [InlineData("verify", "CustomMessage_VerifyUserAttribute")]
    [InlineData("update", "CustomMessage_UpdateUserAttribute")]
    public async Task CustomMessage_EachSource_NamedInTheEvent(string action, string source)
    {
        var pool = Pool(configure: c => c with { AutoVerifiedAttributes = ["email"] });
        await users.SignUpAsync(pool, Client(pool), "alice", "Passw0rd!", Attrs(("email", "alice@example.com")));
        if (action is "forgot" or "adminreset" or "verify" or "update")
        {
            await users.ConfirmSignUpAsync(pool, store.Users["alice"], sender.Messages.Last().Code!);
        }
        pool = pool with { Config = pool.Config with { LambdaConfig = new JsonObject { ["CustomMessage"] = MessageArn } } };
        invoker.Handler = FakeInvoker.Respond(r => r["emailMessage"] = source + " {####}");
        var user = store.Users["alice"];
        switch (action)
        {
            case "resend": await users.ResendConfirmationCodeAsync(pool, user); break;
            case "forgot": await users.ForgotPasswordAsync(pool, user); break;
            case "adminreset": await users.AdminResetPasswordAsync(pool, user); break;
            case "verify": await users.SendAttributeVerificationCodeAsync(pool, user, "email"); break;
            case "update": await users.UpdateAttributesAsync(pool, user, Attrs(("email", "new@example.com")), AttributeWriter.User, null); break;
        }
        invoker.Calls.Single().Event["triggerSource"]!.GetValue<string>().ShouldBe(source);
        var last = sender.Messages.Last();
        last.Body.ShouldBe(source + " " + last.Code);
        if (action == "update") last.To.ShouldBe("new@example.com");
    }

    [Fact]
    public async Task CustomMessage_Authentication_SignInCodeWithoutInitiateAuthMetadata()
    {
        var pool = Pool(l => l["CustomMessage"] = MessageArn);
        var user = users.NewUser(pool, "alice", Attrs(("email", "alice@example.com"), ("email_verified", "true")), UserStatus.Confirmed);
        var messenger = new AuthCodeMessenger(sender, triggers);
        invoker.Handler = FakeInvoker.Respond(r => { r["emailMessage"] = "Sign-in code {####}"; r["emailSubject"] = "Sign in"; });

        TriggerCaller.Current = new TriggerCaller("InitiateAuth", "c1", new Dictionary<string, string> { ["x"] = "y" }, null);
        await messenger.SendAsync(pool, user, "EMAIL", "alice@example.com", "12345678");
        TriggerCaller.Current = new TriggerCaller("RespondToAuthChallenge", "c1", new Dictionary<string, string> { ["x"] = "y" }, null);
        await messenger.SendAsync(pool, user, "EMAIL", "alice@example.com", "87654321");

        sender.Messages[0].Body.ShouldBe("Sign-in code 12345678");
        sender.Messages[0].Subject.ShouldBe("Sign in");
        invoker.Calls[0].Event["triggerSource"]!.GetValue<string>().ShouldBe("CustomMessage_Authentication");
        invoker.Calls[0].Event["request"]!.AsObject().ContainsKey("clientMetadata").ShouldBeFalse();
        invoker.Calls[1].Event["request"]!["clientMetadata"]!["x"]!.GetValue<string>().ShouldBe("y");
    }

    [Fact]
    public void CustomMessageResult_Apply_PicksPerMedium()
    {
        var r = new CustomMessageResult("sms {####}", null, "subj");
        r.Apply("SMS", "", "pool sms {####}", "{####}", null).ShouldBe(("", "sms {####}"));
        r.Apply("EMAIL", "pool subj", "pool {####}", "{####}", null).ShouldBe(("subj", "pool {####}"));
        new CustomMessageResult(null, "", "").Apply("EMAIL", "s", "b {####}", "{####}", null).ShouldBe(("s", "b {####}"));
    }

    [Fact]
    public async Task TriggerCaller_WithClientFromAnAsyncHelper_HoldsForTheRestOfTheAction()
    {
        TriggerCaller.Current = new TriggerCaller("UpdateUserAttributes", null, new Dictionary<string, string> { ["m"] = "1" }, null);
        await TokenHelperAsync();
        TriggerCaller.Current!.ClientId.ShouldBe("tokenclient");
        TriggerCaller.Current.ClientMetadata!["m"].ShouldBe("1");

        static async Task TokenHelperAsync()
        {
            await Task.Yield();
            TriggerCaller.WithClient("tokenclient");
        }
    }

    [Theory]
    [InlineData("aws-sdk-js/3.600.0 ua/2.1 os/linux lang/js", "aws-sdk-js-3.600.0")]
    [InlineData("aws-cli/2.15.0 md/awscrt#0.19 ua/2.0 os/linux", null)]
    [InlineData("Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0", null)]
    [InlineData("aws-sdk-go-v2/1.30.0 os/linux lang/go", "aws-sdk-go-v2-1.30.0")]
    [InlineData(null, null)]
    public void TriggerCaller_SdkVersionFromUserAgent(string? userAgent, string? expected) =>
        TriggerCaller.SdkVersionFromUserAgent(userAgent).ShouldBe(expected);
}
