using Cognate.Core.Import;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Import;

/// <summary>
/// The result-log line of an import row as Cognito writes it to CloudWatch Logs (AWS guide "Viewing the user pool import results in
/// the CloudWatch console"): <c>[OUTCOME] Line Number N - reason</c>, N the file line with the header as line 1.
/// </summary>
public sealed class ImportLogEventTests
{
    static readonly DateTimeOffset T = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Text_SkippedRow_IsCognitosLineWithTheHeaderCounted()
    {
        var e = new ImportLogEvent(3, ImportLogOutcome.Skipped, ImportLogOutcome.SkippedMessage, T);
        e.LineNumber.ShouldBe(4);
        e.Text.ShouldBe("[SKIPPED] Line Number 4 - The user already exists.");
    }

    [Fact]
    public void Text_FailedRow_CarriesTheReasonOnly()
    {
        var e = new ImportLogEvent(1, ImportLogOutcome.Failed, "Invalid email address format.", T);
        e.Text.ShouldBe("[FAILED] Line Number 2 - Invalid email address format.");
    }
}
