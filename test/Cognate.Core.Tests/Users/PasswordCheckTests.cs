using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Users;

/// <summary>
/// <see cref="PasswordCheck.ThenAsync{T}"/>: the rest of a sign-in runs while the SignIn auth event's write is pending,
/// and the answer waits for that write whatever happens.
/// </summary>
public sealed class PasswordCheckTests
{
    [Fact]
    public async Task ThenAsync_RunsRestWhileTheWriteIsPending_AndAnswersOnlyAfterIt()
    {
        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool restRan = false;
        var answer = new PasswordCheck(true, write.Task).ThenAsync(() => { restRan = true; return ValueTask.FromResult(42); }).AsTask();

        restRan.ShouldBeTrue();
        await Task.Delay(20);
        answer.IsCompleted.ShouldBeFalse();
        write.SetResult();
        (await answer).ShouldBe(42);
    }

    [Fact]
    public async Task ThenAsync_RestThrows_StillWaitsForTheWrite_ThenThrowsTheRestsError()
    {
        var write = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answer = new PasswordCheck(true, write.Task).ThenAsync<int>(() => throw new InvalidOperationException("challenge")).AsTask();

        await Task.Delay(20);
        answer.IsCompleted.ShouldBeFalse();
        write.SetResult();
        (await Should.ThrowAsync<InvalidOperationException>(answer)).Message.ShouldBe("challenge");
    }

    [Fact]
    public async Task ThenAsync_WriteFails_FailsTheSignIn()
    {
        var check = new PasswordCheck(true, Task.FromException(new IOException("disk full")));
        await Should.ThrowAsync<IOException>(check.ThenAsync(() => ValueTask.FromResult(1)).AsTask());
    }
}
