using System.Text.Json.Nodes;
using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Tests.SignIn;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Tests.Triggers;

/// <summary>
/// A fake Lambda transport: one handler per function ARN, every event it received kept for field-by-field checks. A handler
/// returns the whole event (response filled), or throws a CognitoException as the real transport does.
/// </summary>
internal sealed class FakeLambdaInvoker : ILambdaInvoker
{
    readonly Dictionary<string, Func<JsonObject, JsonObject?>> handlers = new(StringComparer.Ordinal);
    public List<LambdaInvocation> Calls { get; } = [];

    public string Register(string arn, Func<JsonObject, JsonObject?> handler)
    {
        handlers[arn] = handler;
        return arn;
    }

    /// <summary>A function that throws: the transport's UserLambdaValidationException "{Trigger} failed with error {message}.".</summary>
    public string RegisterError(string arn, string message) =>
        Register(arn, e => throw CognitoErrors.UserLambdaValidation(TriggerFor(e), message));

    public IReadOnlyList<JsonObject> Events(string arn) => Calls.Where(c => c.FunctionArn == arn).Select(c => c.Event).ToList();

    public ValueTask<JsonObject?> InvokeAsync(LambdaInvocation invocation, CancellationToken ct = default)
    {
        // Record a copy as sent (the handler may fill the response of the original).
        Calls.Add(invocation with { Event = (JsonObject)invocation.Event.DeepClone() });
        if (!handlers.TryGetValue(invocation.FunctionArn, out var handler)) throw CognitoErrors.UnexpectedLambda("No such function.");
        return ValueTask.FromResult(handler(invocation.Event));
    }

    static string TriggerFor(JsonObject e) => ((string)e["triggerSource"]!).Split('_')[0];
}

/// <summary>An IUserStore over FakeUserStore that can also create users (identifier uniqueness like the SQL stores).</summary>
internal sealed class MigrationUserStore(FakeUserStore inner, Func<UserPool> pool) : IUserStore
{
    public int Creates { get; private set; }

    public ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> ids, CancellationToken ct = default)
    {
        foreach (var id in ids)
        {
            var owner = inner.FindByIdentifierAsync(user.UserPoolId, id.Kind, id.Value, ct);
            if (!owner.IsCompleted) throw new InvalidOperationException("FakeUserStore answers synchronously.");
            if (owner.Result is not null) return ValueTask.FromResult(UserWriteResult.IdentifierTaken);
        }
        Creates++;
        inner.Put(pool(), user);
        return ValueTask.FromResult(UserWriteResult.Ok);
    }
    public ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default) => inner.FindByIdentifierAsync(userPoolId, kind, value, ct);
    public ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default) => inner.GetAsync(userPoolId, username, ct);
    public ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default) =>
        inner.GetForAccessTokenAsync(userPoolId, username, originJti, ct);
    public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? ids, CancellationToken ct = default) => inner.UpdateAsync(user, ids, ct);
    public ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default) => inner.DeleteAsync(userPoolId, username, ct);
}

/// <summary>
/// The sign-in engine wired as SignInRegistration wires it, with the auth triggers and user migration over a fake Lambda
/// transport. The managed-login door by default (no tokens); the JSON doors are used where clientMetadata matters.
/// </summary>
internal sealed class AuthTriggerHarness
{
    public static readonly DateTimeOffset T0 = SignInHarness.T0;
    public const string PreAuthArn = "arn:aws:lambda:us-east-1:000000000000:function:pre-auth";
    public const string PostAuthArn = "arn:aws:lambda:us-east-1:000000000000:function:post-auth";
    public const string MigrationArn = "arn:aws:lambda:us-east-1:000000000000:function:migrate";

    public FixedTime Time { get; } = new(T0);
    public FakeUserStore Inner { get; } = new();
    public MigrationUserStore UserStore { get; }
    public FakeUserMfaStore MfaStore { get; } = new();
    public FakeAuthSessionStore SessionStore { get; } = new();
    public RecordingSender Sender { get; } = new();
    public FakeLambdaInvoker Lambda { get; } = new();
    public UserService Users { get; }
    public MfaService Mfa { get; }
    public UserMigrationService Migration { get; }
    public SignInEngine Engine { get; }
    public UserPool Pool { get; set; }
    public AppClient Client { get; set; }

    public AuthTriggerHarness()
    {
        Pool = new UserPool { Id = "us-east-1_Trigger001", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig(), Version = 0 };
        Client = new AppClient
        {
            ClientId = "triggerclient0000000000001", UserPoolId = Pool.Id, CreatedAt = T0, ModifiedAt = T0,
            Config = new AppClientConfig { ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
        };
        UserStore = new MigrationUserStore(Inner, () => Pool);
        Users = new UserService(UserStore, null!, null!, null!, Time);
        Mfa = new MfaService(MfaStore, null!, Time);
        var triggers = new UserPoolTriggers(Lambda);
        var auth = new AuthenticationTriggers(triggers);
        Migration = new UserMigrationService(triggers, Users, Mfa);
        var lockout = new LockoutService(new FakeLockoutStore(), new FakeAuthEventStore(), Time);
        var sessions = new SignInSessions(SessionStore, Time);
        var codeKey = new CodeHashKey(new byte[32]);
        var completion = new Completion(null!, Time, auth);
        var codes = new CodeChallenge(new AuthCodeMessenger(Sender), codeKey, lockout);
        var secondFactor = new SecondFactor(Mfa, codes, completion);
        var afterFirstFactor = new AfterFirstFactor(secondFactor, Time);
        var proof = new PasswordProof(lockout);
        var sessionUser = new SessionUser(Users);
        var protector = new MasterKeyProtector(Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));
        var srp = new SrpExchange(sessions, codeKey, protector, Time);
        var firstFactor = new FirstFactor(proof, afterFirstFactor, srp, codes);
        ISignInFlow[] flows =
        [
            new UserPasswordAuth(Users, proof, afterFirstFactor, Migration, auth), new UserSrpAuth(Users, srp, auth),
            new UserAuth(Users, sessions, firstFactor, srp, completion, Migration, auth),
        ];
        IChallenge[] challenges =
        [
            new PasswordVerifier(srp, Users, proof, afterFirstFactor, Time), new SelectChallenge(sessionUser, firstFactor),
            new EmailOtp(sessionUser, codes, Users, Mfa, completion), new SmsMfa(sessionUser, codes, Users, Mfa, completion),
        ];
        Engine = new SignInEngine(flows, challenges, sessions);
    }

    /// <summary>Sets the pool's LambdaConfig (trigger name → ARN).</summary>
    public void Triggers(params (string Trigger, string Arn)[] config)
    {
        var o = new JsonObject();
        foreach (var (t, a) in config) o[t] = a;
        Pool = Pool with { Config = Pool.Config with { LambdaConfig = o } };
    }

    public void HideUsers() => Client = Client with { Config = Client.Config with { PreventUserExistenceErrors = "ENABLED" } };

    public User AddUser(string username = "alice", string? password = "Passw0rd!", Action<User>? configure = null)
    {
        var user = new User { UserPoolId = Pool.Id, Username = username, Sub = Guid.NewGuid().ToString(), Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        user.Attributes["sub"] = user.Sub;
        user.Attributes["email"] = username + "@example.com";
        user.Attributes["email_verified"] = "true";
        if (password is not null) Users.SetPassword(Pool, user, password);
        configure?.Invoke(user);
        Inner.Put(Pool, user);
        return user;
    }

    public SignInRequest Request(string name, Dictionary<string, string> parameters, string? session = null, SignInDoor door = SignInDoor.ManagedLogin,
        Dictionary<string, string>? clientMetadata = null) =>
        new(Pool, Client, door, name, parameters, session, "http://localhost/" + Pool.Id) { ClientMetadata = clientMetadata };

    public ValueTask<SignInResult> PasswordAsync(string username, string password, Dictionary<string, string>? clientMetadata = null) =>
        Engine.StartAsync(Request("USER_PASSWORD_AUTH", new() { ["USERNAME"] = username, ["PASSWORD"] = password }, clientMetadata: clientMetadata));

    /// <summary>A handler that answers the event unchanged (response left empty).</summary>
    public static JsonObject? Echo(JsonObject e) => e;
}
