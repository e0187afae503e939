using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Users;

/// <summary><see cref="LockoutService"/>: atomic password lockout, quiet auth events while locked, and the second-factor counter.</summary>
public sealed class LockoutServiceTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    static readonly UserPool Pool = new() { Id = "us-east-1_Lockout", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = new UserPoolConfig { PoolName = "p" } };
    static readonly User Alice = new() { UserPoolId = Pool.Id, Username = "alice", Sub = "s", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0 };
    readonly FakeLockoutStore _store = new();
    readonly FakeAuthEventStore _events = new();
    readonly FixedTime _time = new(T0);
    readonly LockoutService _lockout;

    public LockoutServiceTests() => _lockout = new LockoutService(_store, _events, _time);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckPassword_HundredConcurrentWrong_AtMostFiveVerified()
    {
        int verified = 0;
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
        {
            try
            {
                var check = await _lockout.CheckPasswordAsync(Pool, Alice, () => { Interlocked.Increment(ref verified); return false; }, Ct);
                return check.Passed ? "pass" : "wrong";
            }
            catch (CognitoException ex) { return ex.Error.Message; }
        }, Ct)));
        verified.ShouldBe(LockoutService.FreeAttempts);
        results.Count(r => r == "wrong").ShouldBe(5);
        results.Count(r => r == "Password attempts exceeded").ShouldBe(95);
        _events.Events.Count.ShouldBe(5); // refused attempts add no row
    }

    [Fact]
    public async Task CheckPassword_LockExpires_OneMoreCheckThenLongerLock_SuccessResets()
    {
        for (int i = 0; i < 5; i++) (await _lockout.CheckPasswordAsync(Pool, Alice, () => false, Ct)).Passed.ShouldBeFalse();
        await Should.ThrowAsync<CognitoException>(() => _lockout.CheckPasswordAsync(Pool, Alice, () => true, Ct).AsTask());
        _time.Now = T0.AddSeconds(1);
        (await _lockout.CheckPasswordAsync(Pool, Alice, () => false, Ct)).Passed.ShouldBeFalse();
        _time.Now = T0.AddSeconds(2.5);
        await Should.ThrowAsync<CognitoException>(() => _lockout.CheckPasswordAsync(Pool, Alice, () => true, Ct).AsTask()); // locked 2 s
        _time.Now = T0.AddSeconds(3);
        var ok = await _lockout.CheckPasswordAsync(Pool, Alice, () => true, Ct);
        ok.Passed.ShouldBeTrue();
        await ok.Recorded;
        (await _store.GetAsync(Pool.Id, "alice", LockoutKind.Password, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task SecondFactor_WrongCodesAcrossSessions_LockedAndCorrectPasswordDoesNotReset()
    {
        for (int session = 0; session < 5; session++)
        {
            // A correct password between the wrong codes resets only the password counter.
            await (await _lockout.CheckPasswordAsync(Pool, Alice, () => true, Ct)).Recorded;
            var ex = await Should.ThrowAsync<CognitoException>(() => _lockout.GuardSecondFactorAsync(Pool, Alice, () => throw CognitoErrors.CodeMismatch(), Ct).AsTask());
            ex.Error.Type.ShouldBe("CodeMismatchException");
        }
        bool checkedRight = false;
        var locked = await Should.ThrowAsync<CognitoException>(() => _lockout.GuardSecondFactorAsync(Pool, Alice, () => { checkedRight = true; return ValueTask.CompletedTask; }, Ct).AsTask());
        (locked.Error.Type, locked.Error.Message).ShouldBe(("NotAuthorizedException", "Password attempts exceeded"));
        checkedRight.ShouldBeFalse();
        _time.Now = T0.AddSeconds(1);
        await _lockout.GuardSecondFactorAsync(Pool, Alice, () => ValueTask.CompletedTask, Ct); // a right code resets
        (await _store.GetAsync(Pool.Id, "alice", LockoutKind.SecondFactor, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task CheckPassword_PasswordChangeEvent_RecordedWithItsType()
    {
        await (await _lockout.CheckPasswordAsync(Pool, Alice, () => true, "PasswordChange", Ct)).Recorded;
        _events.Events.Single().EventType.ShouldBe("PasswordChange");
    }
}
