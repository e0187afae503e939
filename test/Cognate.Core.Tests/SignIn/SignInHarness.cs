using Cognate.Core.Clients;
using Cognate.Core.Codes;
using Cognate.Core.Crypto;
using Cognate.Core.Messaging;
using Cognate.Core.Mfa;
using Cognate.Core.Pools;
using Cognate.Core.SignIn;
using Cognate.Core.SignIn.Challenges;
using Cognate.Core.SignIn.Flows;
using Cognate.Core.SignIn.Steps;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Triggers;
using Cognate.Core.Users;

namespace Cognate.Core.Tests.SignIn;

/// <summary>
/// The sign-in engine over in-memory stores and a fixed clock, wired as ServiceRegistration wires it. Requests use the
/// managed-login door by default, so no TokenService (signing keys) is needed: a completed sign-in is SignedIn without tokens.
/// </summary>
internal sealed class SignInHarness
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    public FixedTime Time { get; } = new(T0);
    public FakeUserStore UserStore { get; } = new();
    public FakeUserMfaStore MfaStore { get; } = new();
    public FakeAuthSessionStore SessionStore { get; } = new();
    public RecordingSender Sender { get; } = new();
    public FakeLockoutStore Lockouts { get; } = new();
    public FakeAuthEventStore Events { get; } = new();

    public UserService Users { get; }
    public MfaService Mfa { get; }
    public SignInSessions Sessions { get; }
    public CodeChallenge Codes { get; }
    public SecondFactor SecondFactor { get; }
    public AfterFirstFactor AfterFirstFactor { get; }
    public SignInEngine Engine { get; }
    public MfaSetup MfaSetup { get; }
    public UserPasswordAuth PasswordFlow { get; }

    public FakeUserPoolStore PoolStore { get; } = new();

    /// <summary>Passkeys at rest, and the service over them.</summary>
    public FakeWebAuthnStore PasskeyStore { get; } = new();
    public Cognate.Core.Passkeys.PasskeyService Passkeys { get; }

    /// <summary>The Lambda transport of the triggers (CUSTOM_AUTH): scripted functions by ARN.</summary>
    public ScriptedLambda Lambda { get; } = new();

    /// <summary>The master key protector (SECRET_BLOCK, sealed private challenge parameters).</summary>
    public MasterKeyProtector Protector { get; } = new(Convert.FromBase64String(MasterKeyProtector.DevelopmentMasterKeyBase64));

    /// <summary>The pool (setting it also stores it, for the steps that read the pool by id).</summary>
    public UserPool Pool
    {
        get => pool;
        set { pool = value; PoolStore.Pools[value.Id] = value; }
    }

    UserPool pool = null!;
    public AppClient Client { get; set; }

    public SignInHarness()
    {
        Pool = new UserPool { Id = "us-east-1_Engine0001", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig(), Version = 0 };
        Client = new AppClient
        {
            ClientId = "engineclient00000000000001", UserPoolId = Pool.Id, CreatedAt = T0, ModifiedAt = T0,
            Config = new AppClientConfig { ExplicitAuthFlows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
        };
        Users = new UserService(UserStore, null!, null!, null!, Time);
        Mfa = new MfaService(MfaStore, null!, Time);
        var lockout = new LockoutService(Lockouts, Events, Time);
        Sessions = new SignInSessions(SessionStore, Time);
        var codeKey = new CodeHashKey(new byte[32]);
        var completion = new Completion(null!, Time);
        Codes = new CodeChallenge(new AuthCodeMessenger(Sender), codeKey, lockout);
        SecondFactor = new SecondFactor(Mfa, Codes, completion);
        AfterFirstFactor = new AfterFirstFactor(SecondFactor, Time);
        var proof = new PasswordProof(lockout);
        var sessionUser = new SessionUser(Users);
        var srp = new SrpExchange(Sessions, codeKey, Protector, Time);
        var triggers = new UserPoolTriggers(Lambda);
        var customLoop = new CustomChallengeLoop(triggers, Users, srp, completion, Protector);
        Passkeys = new Cognate.Core.Passkeys.PasskeyService(PasskeyStore, Time);
        var firstFactor = new FirstFactor(proof, AfterFirstFactor, srp, Codes, Passkeys);
        MfaSetup = new MfaSetup(sessionUser, Sessions, Codes, Mfa, new UserPoolService(PoolStore, Time), Users, completion);
        PasswordFlow = new UserPasswordAuth(Users, proof, AfterFirstFactor);
        ISignInFlow[] flows = [PasswordFlow, new UserSrpAuth(Users, srp), new UserAuth(Users, Sessions, firstFactor, srp, completion), new CustomAuth(Users, customLoop)];
        IChallenge[] challenges =
        [
            new PasswordVerifier(srp, Users, proof, AfterFirstFactor, Time, customLoop), new SelectChallenge(sessionUser, firstFactor),
            new EmailOtp(sessionUser, Codes, Users, Mfa, completion), new SmsOtp(sessionUser, Codes, Users, Mfa, completion),
            new SmsMfa(sessionUser, Codes, Users, Mfa, completion), new SoftwareTokenMfa(sessionUser, Codes, Mfa, completion),
            new SelectMfaType(sessionUser, SecondFactor, Mfa), MfaSetup, new NewPasswordRequired(sessionUser, Users, SecondFactor), new WebAuthn(sessionUser, Passkeys, completion),
            new CustomChallenge(sessionUser, triggers, customLoop),
        ];
        Engine = new SignInEngine(flows, challenges, Sessions);
    }

    /// <summary>Pool MFA settings: mode OFF / OPTIONAL / ON and which factors the pool offers.</summary>
    public void PoolMfa(string mode, bool sms = false, bool totp = false, bool email = false) =>
        Pool = Pool with
        {
            Config = Pool.Config with
            {
                MfaConfiguration = mode,
                SmsMfaConfiguration = sms ? new SmsMfaConfigType() : null,
                SoftwareTokenMfaConfiguration = totp ? new SoftwareTokenMfaConfigType { Enabled = true } : null,
                EmailMfaConfiguration = email ? new EmailMfaConfigType() : null,
            },
        };

    /// <summary>Adds a CONFIRMED, enabled user with <paramref name="password"/> (null: no password).</summary>
    public User AddUser(string username = "alice", string? password = "Passw0rd!", Action<User>? configure = null)
    {
        var user = new User { UserPoolId = Pool.Id, Username = username, Sub = Guid.NewGuid().ToString(), Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
        if (password is not null) Users.SetPassword(Pool, user, password);
        configure?.Invoke(user);
        UserStore.Put(Pool, user);
        return user;
    }

    public void SetMfa(User user, Action<UserMfa> configure)
    {
        var m = new UserMfa();
        configure(m);
        MfaStore.State[(Pool.Id, user.Username)] = m;
    }

    public SignInRequest Request(string name, Dictionary<string, string> parameters, string? session = null, SignInDoor door = SignInDoor.ManagedLogin) =>
        new(Pool, Client, door, name, parameters, session, "http://localhost/" + Pool.Id);

    /// <summary>A stored session's state without consuming it (taken and put back unchanged).</summary>
    public async Task<TakenSession?> PeekAsync(string session)
    {
        var taken = await Sessions.TryTakeAsync(session);
        if (taken is not null) await Sessions.PutBackAsync(taken, taken.State);
        return taken;
    }

    /// <summary>Stores a session for <paramref name="state"/> as the engine would for an issued challenge.</summary>
    public ValueTask<string> NewSessionAsync(SignInState state) => Sessions.CreateAsync(Pool, Client, state);

    public string LastCode => Sender.Messages[^1].Code!;
}

/// <summary>In-memory IUserStore keyed by the identifiers UserIdentifiers.For computes (one pool per store).</summary>
internal sealed class FakeUserStore : IUserStore
{
    readonly Dictionary<string, User> byName = new(StringComparer.Ordinal);
    readonly Dictionary<(string Kind, string Value), string> identifiers = new();

    public void Put(UserPool pool, User user)
    {
        byName[user.Username] = user;
        foreach (var i in UserIdentifiers.For(pool, user)) identifiers[(i.Kind, i.Value)] = user.Username;
    }

    public ValueTask<UserWriteResult> CreateAsync(User user, IReadOnlyCollection<UserIdentifier> ids, CancellationToken ct = default) => throw new NotSupportedException();
    public ValueTask<User?> FindByIdentifierAsync(string userPoolId, string kind, string value, CancellationToken ct = default) =>
        ValueTask.FromResult(identifiers.TryGetValue((kind, value), out var name) ? byName.GetValueOrDefault(name) : null);
    public ValueTask<User?> GetAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(byName.GetValueOrDefault(username));
    public ValueTask<(User? User, bool Revoked)> GetForAccessTokenAsync(string userPoolId, string username, string? originJti, CancellationToken ct = default) =>
        ValueTask.FromResult((byName.GetValueOrDefault(username), false));
    public ValueTask<UserWriteResult> UpdateAsync(User user, IReadOnlyCollection<UserIdentifier>? ids, CancellationToken ct = default)
    {
        byName[user.Username] = user;
        foreach (var i in ids ?? []) identifiers[(i.Kind, i.Value)] = user.Username;
        user.Version++;
        return ValueTask.FromResult(UserWriteResult.Ok);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(byName.Remove(username));
}

/// <summary>In-memory IWebAuthnCredentialStore.</summary>
internal sealed class FakeWebAuthnStore : Cognate.Core.Passkeys.IWebAuthnCredentialStore
{
    public Dictionary<(string, string), Cognate.Core.Passkeys.PendingWebAuthnRegistration> Pending { get; } = new();
    public Dictionary<(string, string), Cognate.Core.Passkeys.WebAuthnCredential> Credentials { get; } = new();

    public ValueTask PutRegistrationAsync(Cognate.Core.Passkeys.PendingWebAuthnRegistration registration, CancellationToken ct = default)
    {
        Pending[(registration.UserPoolId, registration.Username)] = registration;
        return ValueTask.CompletedTask;
    }
    public ValueTask<Cognate.Core.Passkeys.PendingWebAuthnRegistration?> TakeRegistrationAsync(string userPoolId, string username, CancellationToken ct = default) =>
        ValueTask.FromResult(Pending.Remove((userPoolId, username), out var p) ? p : null);
    public ValueTask<bool> AddAsync(Cognate.Core.Passkeys.WebAuthnCredential credential, CancellationToken ct = default) =>
        ValueTask.FromResult(Credentials.TryAdd((credential.UserPoolId, credential.CredentialId), credential));
    public ValueTask<Cognate.Core.Passkeys.WebAuthnCredential?> GetAsync(string userPoolId, string credentialId, CancellationToken ct = default) =>
        ValueTask.FromResult(Credentials.GetValueOrDefault((userPoolId, credentialId)));
    public ValueTask<IReadOnlyList<Cognate.Core.Passkeys.WebAuthnCredential>> ListAsync(string userPoolId, string username, CancellationToken ct = default) =>
        ValueTask.FromResult<IReadOnlyList<Cognate.Core.Passkeys.WebAuthnCredential>>(Credentials.Values.Where(c => c.UserPoolId == userPoolId && c.Username == username).ToList());
    public ValueTask<bool> UpdateSignCountAsync(string userPoolId, string credentialId, uint previous, uint next, CancellationToken ct = default)
    {
        if (!Credentials.TryGetValue((userPoolId, credentialId), out var c) || c.SignCount != previous) return ValueTask.FromResult(false);
        Credentials[(userPoolId, credentialId)] = c with { SignCount = next };
        return ValueTask.FromResult(true);
    }
    public ValueTask<bool> DeleteAsync(string userPoolId, string username, string credentialId, CancellationToken ct = default) =>
        ValueTask.FromResult(Credentials.TryGetValue((userPoolId, credentialId), out var c) && c.Username == username && Credentials.Remove((userPoolId, credentialId)));
}

/// <summary>In-memory IUserMfaStore.</summary>
internal sealed class FakeUserMfaStore : IUserMfaStore
{
    public Dictionary<(string, string), UserMfa> State { get; } = new();
    public ValueTask<UserMfa?> GetAsync(string userPoolId, string username, CancellationToken ct = default) => ValueTask.FromResult(State.GetValueOrDefault((userPoolId, username)));
    public ValueTask<bool> PutAsync(string userPoolId, string username, UserMfa mfa, CancellationToken ct = default)
    {
        mfa.Version++;
        State[(userPoolId, username)] = mfa;
        return ValueTask.FromResult(true);
    }
}

/// <summary>In-memory IAuthSessionStore (take = remove).</summary>
internal sealed class FakeAuthSessionStore : IAuthSessionStore
{
    public Dictionary<string, AuthSessionRecord> ByHash { get; } = new(StringComparer.Ordinal);
    public ValueTask CreateAsync(AuthSessionRecord session, CancellationToken ct = default) { ByHash[Convert.ToHexString(session.SessionHash)] = session; return ValueTask.CompletedTask; }
    public ValueTask<AuthSessionRecord?> TakeAsync(byte[] sessionHash, CancellationToken ct = default) =>
        ValueTask.FromResult(ByHash.Remove(Convert.ToHexString(sessionHash), out var s) ? s : null);
}

/// <summary>An IMessageSender that records what it sends (codes included) and can be told to fail.</summary>
internal sealed class RecordingSender : IMessageSender
{
    public List<OutgoingMessage> Messages { get; } = [];
    public bool Fail { get; set; }
    public ValueTask SendAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        if (Fail) throw Errors.CognitoErrors.CodeDeliveryFailure("Unable to deliver the message.");
        Messages.Add(message);
        return ValueTask.CompletedTask;
    }
}
