using System.Text;
using Cognate.Core.Import;
using Cognate.Core.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Import;

/// <summary>
/// The CSV of a user import job (AWS guide "Creating the user import CSV file"): GetCSVHeader's columns in Cognito's order,
/// RFC 4180 records, header checks, strict UTF-8 and the 500,000-row limit, and the per-row rules.
/// </summary>
public sealed class ImportCsvTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    static UserPool Pool(Func<UserPoolConfig, UserPoolConfig>? configure = null)
    {
        var schema = StandardSchema.Merge([
            new SchemaAttributeType { Name = "tier", AttributeDataType = "String", Mutable = true },
            new SchemaAttributeType { Name = "level", AttributeDataType = "Number", Mutable = true, NumberAttributeConstraints = new NumberAttributeConstraintsType { MinValue = "1", MaxValue = "10" } },
        ]);
        var config = new UserPoolConfig { SchemaAttributes = schema, AutoVerifiedAttributes = ["email"] };
        return new UserPool { Id = "us-east-1_ImportCsv1", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Config = configure is null ? config : configure(config) };
    }

    static List<List<string>> Records(string text)
    {
        using var reader = new StringReader(text);
        var list = new List<List<string>>();
        while (ImportCsv.ReadRecord(reader) is { } r) list.Add(r);
        return list;
    }

    static List<string> Row(IReadOnlyList<string> header, params (string Column, string Value)[] values) =>
        header.Select(c => values.FirstOrDefault(v => v.Column == c).Value ?? "").ToList();

    [Fact]
    public void Header_StandardPool_IsCognitosSampleOrderThenCustomThenCognitoColumns()
    {
        var header = ImportCsv.Header(Pool());
        header.Take(21 - 2).ShouldBe(["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
            "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address", "updated_at"]);
        header.Skip(19).ShouldBe(["custom:tier", "custom:level", "cognito:mfa_enabled", "cognito:username"]);
        header.ShouldNotContain("sub");
        header.ShouldNotContain("identities");
    }

    [Fact]
    public void ReadRecord_QuotedFields_KeepCommasQuotesAndLineBreaks()
    {
        var records = Records("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\n\n");
        records.Count.ShouldBe(2);
        records[0].ShouldBe(["a", "b,1", "say \"hi\""]);
        records[1].ShouldBe(["two\nlines", "", "x"]);
    }

    [Fact]
    public void ReadRecord_UnclosedQuote_ThrowsFormatException()
    {
        Should.Throw<FormatException>(() => Records("a,\"never closed\n"));
    }

    [Fact]
    public void CheckHeader_AnyOrder_Accepted_UnknownMissingOrDuplicate_Refused()
    {
        var pool = Pool();
        var header = ImportCsv.Header(pool).Reverse().ToList();
        ImportCsv.CheckHeader(pool, header).ShouldBeNull();
        ImportCsv.CheckHeader(pool, [.. header, "custom:nope"])!.ShouldContain("custom:nope");
        ImportCsv.CheckHeader(pool, header.Where(c => c != "cognito:mfa_enabled").ToList())!.ShouldContain("missing column(s) cognito:mfa_enabled");
        ImportCsv.CheckHeader(pool, [.. header, "email"])!.ShouldContain("appears twice");
    }

    [Fact]
    public void Inspect_BadUtf8_FailsTheJob()
    {
        var pool = Pool();
        var bytes = Encoding.UTF8.GetBytes(string.Join(",", ImportCsv.Header(pool)) + "\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        UserImportProcessor.Inspect(pool, bytes).Problem.ShouldBe("The CSV file is not valid UTF-8.");
    }

    [Fact]
    public void Inspect_WrongHeaderOrEmpty_FailsTheJob_ValidFileCountsRowsAndDropsBom()
    {
        var pool = Pool();
        UserImportProcessor.Inspect(pool, Encoding.UTF8.GetBytes("cognito:username,email\nx,x@example.com\n")).Problem!.ShouldStartWith("The CSV header is invalid");
        UserImportProcessor.Inspect(pool, []).Problem!.ShouldStartWith("The CSV file is empty");
        var text = "\uFEFF" + string.Join(",", ImportCsv.Header(pool)) + "\n" + string.Join(",", ImportCsv.Header(pool).Select(_ => "")) + "\n";
        var (columns, rows, problem) = UserImportProcessor.Inspect(pool, Encoding.UTF8.GetBytes(text));
        problem.ShouldBeNull();
        rows.ShouldBe(1);
        columns![0].ShouldBe("name");
    }

    [Fact]
    public void Inspect_MoreThan500000Rows_FailsTheJob()
    {
        var pool = Pool();
        var sb = new StringBuilder(string.Join(",", ImportCsv.Header(pool))).Append('\n');
        var empty = new string(',', ImportCsv.Header(pool).Count - 1) + "\n";
        for (int i = 0; i <= ImportCsv.MaxRows; i++) sb.Append(empty);
        UserImportProcessor.Inspect(pool, Encoding.UTF8.GetBytes(sb.ToString())).Problem!.ShouldContain("more than 500,000");
    }

    [Fact]
    public void Parse_ValidRow_CanonicalVerifiedFlagsAndEmptyCellsLeftOut()
    {
        var pool = Pool();
        var header = ImportCsv.Header(pool);
        var (row, error, _) = new ImportRowParser(pool, header).Parse(Row(header,
            ("cognito:username", "alice"), ("email", "alice@example.com"), ("email_verified", "TRUE"), ("custom:level", "3"), ("cognito:mfa_enabled", "False")));
        error.ShouldBeNull();
        row!.Username.ShouldBe("alice");
        row.MfaEnabled.ShouldBeFalse();
        row.Attributes.ShouldBe([new("email", "alice@example.com"), new("email_verified", "true"), new("custom:level", "3")], ignoreOrder: true);
    }

    [Theory]
    [InlineData("", "alice@example.com", "true", "false", "", "cognito:username is required.")]
    [InlineData("alice", "alice@example.com", "true", "maybe", "", "cognito:mfa_enabled must be true or false.")]
    [InlineData("alice", "not-an-email", "true", "false", "", "Invalid email address format.")]
    [InlineData("alice", "", "true", "false", "", "email is required when email_verified is true.")]
    [InlineData("alice", "alice@example.com", "false", "false", "", "At least one auto-verified attribute must be verified")]
    [InlineData("alice", "alice@example.com", "true", "true", "", "phone_number is required when cognito:mfa_enabled is true.")]
    [InlineData("alice", "alice@example.com", "true", "false", "11", "Number must be less than or equal to 10")]
    [InlineData("al ice", "alice@example.com", "true", "false", "", "cognito:username must be 1 to 128 characters without spaces.")]
    public void Parse_BadRow_RefusedWithReason(string username, string email, string verified, string mfa, string level, string expected)
    {
        var pool = Pool();
        var header = ImportCsv.Header(pool);
        var (row, error, _) = new ImportRowParser(pool, header).Parse(Row(header,
            ("cognito:username", username), ("email", email), ("email_verified", verified), ("cognito:mfa_enabled", mfa), ("custom:level", level)));
        row.ShouldBeNull();
        error!.ShouldContain(expected);
    }

    [Fact]
    public void Parse_WrongColumnCount_Refused()
    {
        var pool = Pool();
        var header = ImportCsv.Header(pool);
        var (row, error, _) = new ImportRowParser(pool, header).Parse(["alice", "x"]);
        row.ShouldBeNull();
        error!.ShouldContain($"the header has {header.Count} columns");
    }

    [Fact]
    public void Parse_RequiredAttributeMissing_Refused()
    {
        var pool = Pool(c => c with { SchemaAttributes = c.SchemaAttributes!.Select(a => a.Name == "family_name" ? a with { Required = true } : a).ToList() });
        var header = ImportCsv.Header(pool);
        var (_, error, _) = new ImportRowParser(pool, header).Parse(Row(header,
            ("cognito:username", "alice"), ("email", "alice@example.com"), ("email_verified", "true"), ("cognito:mfa_enabled", "false")));
        error!.ShouldContain("family_name: The attribute is required");
    }
}
