using Cognate.Core.Codes;
using Cognate.Core.Errors;
using Cognate.Core.Stores;
using Cognate.Core.Tests.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Codes;

/// <summary>
/// <see cref="CodeService"/>'s guessing bounds (issue 12): the per-user window survives re-issue, sends are limited per
/// hour, concurrent guesses never exceed the budget, and a failed write after a match leaves the code usable.
/// </summary>
public sealed class CodeServiceTests
{
    const string Pool = "us-east-1_Codes";
    static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    readonly FakeCodeStore _store = new();
    readonly FixedTime _time = new(T0);
    readonly CodeService _codes;

    public CodeServiceTests() => _codes = new CodeService(_store, new CodeHashKey(new byte[32]), _time);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Wrong(string code) => code == "000000" ? "000001" : "000000";

    async Task<string> ErrorOf(Func<Task> call) => (await Should.ThrowAsync<CognitoException>(call)).Error.Type;

    [Fact]
    public async Task Verify_ReissueCycles_DoNotResetTheGuessBudget()
    {
        var first = await _codes.IssueAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct);
        for (int i = 0; i < CodeService.MaxGuessesPerWindow(CodePurpose.ForgotPassword); i++)
        {
            (await ErrorOf(() => _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, Wrong(first), Ct).AsTask())).ShouldBe("CodeMismatchException");
        }
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, first, Ct).AsTask())).ShouldBe("LimitExceededException");

        // Re-issue: the new code is refused too, even when right, until the window ends.
        var second = await _codes.IssueAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, second, Ct).AsTask())).ShouldBe("LimitExceededException");
        _time.Now = T0 + CodeService.Window - TimeSpan.FromSeconds(1);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, second, Ct).AsTask())).ShouldBe("LimitExceededException");
        _time.Now = T0 + CodeService.Window;
        var third = await _codes.IssueAsync(Pool, "alice", CodePurpose.ForgotPassword, Ct);
        await _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, third, Ct);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "alice", CodePurpose.ForgotPassword, third, Ct).AsTask())).ShouldBe("ExpiredCodeException"); // single use
    }

    [Fact]
    public async Task Verify_PerCodeLimit_SpentAfterFiveThenNewCodeWorksWithinWindow()
    {
        var code = await _codes.IssueAsync(Pool, "bob", CodePurpose.SignUp, Ct);
        for (int i = 0; i < CodeService.MaxFailedAttempts; i++)
        {
            (await ErrorOf(() => _codes.VerifyAsync(Pool, "bob", CodePurpose.SignUp, Wrong(code), Ct).AsTask())).ShouldBe("CodeMismatchException");
        }
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "bob", CodePurpose.SignUp, code, Ct).AsTask())).ShouldBe("LimitExceededException");
        var next = await _codes.IssueAsync(Pool, "bob", CodePurpose.SignUp, Ct); // 15 an hour for sign-up: 10 left
        await _codes.VerifyAsync(Pool, "bob", CodePurpose.SignUp, next, Ct);
    }

    [Fact]
    public async Task Issue_SixthInAnHour_LimitExceededAndNoNewCode()
    {
        string last = "";
        for (int i = 0; i < CodeService.MaxSendsPerWindow; i++) last = await _codes.IssueAsync(Pool, "carol", CodePurpose.VerifyEmail, Ct);
        (await ErrorOf(() => _codes.IssueAsync(Pool, "carol", CodePurpose.VerifyEmail, Ct).AsTask())).ShouldBe("LimitExceededException");
        await _codes.IssueAsync(Pool, "carol", CodePurpose.SignUp, Ct); // other purposes have their own quota
        await _codes.VerifyAsync(Pool, "carol", CodePurpose.VerifyEmail, last, Ct); // the refused send did not replace the live code
        _time.Now = T0 + CodeService.Window;
        await _codes.IssueAsync(Pool, "carol", CodePurpose.VerifyEmail, Ct);
    }

    [Fact]
    public async Task Verify_ConcurrentGuesses_AtMostBudgetCompared()
    {
        var code = await _codes.IssueAsync(Pool, "dave", CodePurpose.ForgotPassword, Ct);
        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(() => ErrorOf(() => _codes.VerifyAsync(Pool, "dave", CodePurpose.ForgotPassword, Wrong(code), Ct).AsTask()), Ct)));
        answers.Count(a => a == "CodeMismatchException").ShouldBe(CodeService.MaxFailedAttempts);
        answers.Count(a => a == "LimitExceededException").ShouldBe(60 - CodeService.MaxFailedAttempts);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "dave", CodePurpose.ForgotPassword, code, Ct).AsTask())).ShouldBe("LimitExceededException");
    }

    [Fact]
    public async Task Verify_ApplyFails_CodeStaysValidAndRetrySucceeds()
    {
        var code = await _codes.IssueAsync(Pool, "erin", CodePurpose.ForgotPassword, Ct);
        await Should.ThrowAsync<InvalidOperationException>(() => _codes.VerifyAsync(Pool, "erin", CodePurpose.ForgotPassword, code,
            () => throw new InvalidOperationException("database down"), Ct).AsTask());
        int applied = 0;
        await _codes.VerifyAsync(Pool, "erin", CodePurpose.ForgotPassword, code, () => { applied++; return ValueTask.CompletedTask; }, Ct);
        applied.ShouldBe(1);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "erin", CodePurpose.ForgotPassword, code, () => ValueTask.CompletedTask, Ct).AsTask())).ShouldBe("ExpiredCodeException");
    }

    [Fact]
    public async Task Verify_NoCodeOrExpired_ExpiredCode()
    {
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "fay", CodePurpose.SignUp, "123456", Ct).AsTask())).ShouldBe("ExpiredCodeException");
        var code = await _codes.IssueAsync(Pool, "fay", CodePurpose.ForgotPassword, Ct);
        _time.Now = T0 + CodeService.LifetimeOf(CodePurpose.ForgotPassword);
        (await ErrorOf(() => _codes.VerifyAsync(Pool, "fay", CodePurpose.ForgotPassword, code, Ct).AsTask())).ShouldBe("ExpiredCodeException");
    }
}
