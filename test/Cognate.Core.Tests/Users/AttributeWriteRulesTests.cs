using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Users;

/// <summary>
/// The attribute rules every write path shares (UpdateUserAttributes, AdminUpdateUserAttributes, NEW_PASSWORD_REQUIRED):
/// changed email / phone_number become unverified, AttributesRequireVerificationBeforeUpdate keeps the verified old value
/// until the new one is verified, and emails are plain addresses.
/// </summary>
public sealed class AttributeWriteRulesTests
{
    static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    static UserPool Pool(bool requireVerification = false, string[]? aliases = null) => new()
    {
        Id = "us-east-1_RulesTest1", Region = "us-east-1", CreatedAt = T0, ModifiedAt = T0, Version = 0,
        Config = new UserPoolConfig
        {
            AutoVerifiedAttributes = ["email", "phone_number"],
            AliasAttributes = aliases is null ? null : [.. aliases],
            UserAttributeUpdateSettings = requireVerification
                ? new UserAttributeUpdateSettingsType { AttributesRequireVerificationBeforeUpdate = ["email", "phone_number"] }
                : null,
        },
    };

    static User Alice() => new()
    {
        UserPoolId = "us-east-1_RulesTest1", Username = "alice", Sub = "s-1", Status = UserStatus.Confirmed, CreatedAt = T0, ModifiedAt = T0,
        Attributes = new(StringComparer.Ordinal) { ["sub"] = "s-1", ["email"] = "alice@example.com", ["email_verified"] = "true" },
    };

    static List<KeyValuePair<string, string?>> Writes(params (string Name, string? Value)[] w) => [.. w.Select(x => new KeyValuePair<string, string?>(x.Name, x.Value))];

    [Fact]
    public void ApplyAttributeWrites_ChangedEmail_BecomesUnverifiedAndNeedsACode()
    {
        var u = Alice();
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(Pool(), u, Writes(("email", "victim@example.com")), changed);
        u.Get("email").ShouldBe("victim@example.com");
        u.Get("email_verified").ShouldBe("false");
        changed.ShouldBe(["email"]);
    }

    [Fact]
    public void ApplyAttributeWrites_UnchangedEmail_StaysVerified()
    {
        var u = Alice();
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(Pool(), u, Writes(("email", "alice@example.com"), ("name", "Alice")), changed);
        u.Get("email_verified").ShouldBe("true");
        changed.ShouldBeEmpty();
    }

    [Fact]
    public void ApplyAttributeWrites_RequireVerificationBeforeUpdate_KeepsOldValueAndPendsNewOne()
    {
        var pool = Pool(requireVerification: true, aliases: ["email"]);
        var u = Alice();
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(pool, u, Writes(("email", "new@example.com")), changed);
        u.Get("email").ShouldBe("alice@example.com");
        u.Get("email_verified").ShouldBe("true");
        u.PendingAttributes["email"].ShouldBe("new@example.com");
        changed.ShouldBe(["email"]);
        // The old, verified address stays the sign-in alias; the pending one is no identifier.
        UserIdentifiers.For(pool, u).ShouldContain(new UserIdentifier("email", "alice@example.com"));
        UserIdentifiers.For(pool, u).ShouldNotContain(i => i.Value == "new@example.com");
    }

    [Fact]
    public void ApplyAttributeWrites_RequireVerification_AdminSetsVerifiedInTheSameCall_AppliesDirectly()
    {
        var u = Alice();
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(Pool(requireVerification: true), u, Writes(("email", "new@example.com"), ("email_verified", "true")), changed);
        u.Get("email").ShouldBe("new@example.com");
        u.Get("email_verified").ShouldBe("true");
        u.PendingAttributes.ShouldBeEmpty();
        changed.ShouldBeEmpty();
    }

    [Fact]
    public void ApplyAttributeWrites_RequireVerification_UnverifiedOldValue_AppliesDirectlyUnverified()
    {
        var u = Alice();
        u.Attributes["email_verified"] = "false";
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(Pool(requireVerification: true), u, Writes(("email", "new@example.com")), changed);
        u.Get("email").ShouldBe("new@example.com");
        u.Get("email_verified").ShouldBe("false");
        u.PendingAttributes.ShouldBeEmpty();
    }

    [Fact]
    public void ApplyAttributeWrites_BackToTheCurrentValue_DropsThePendingOne()
    {
        var pool = Pool(requireVerification: true);
        var u = Alice();
        var changed = new List<string>();
        UserService.ApplyAttributeWrites(pool, u, Writes(("email", "new@example.com")), changed);
        UserService.ApplyAttributeWrites(pool, u, Writes(("email", "alice@example.com")), changed);
        u.PendingAttributes.ShouldBeEmpty();
        u.Get("email_verified").ShouldBe("true");
        changed.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("a.b+tag@sub.example.co.uk")]
    [InlineData("o'brien@example.com")]
    [InlineData("user@localhost")]
    [InlineData("jörg@bücher.example")]
    public void LooksLikeEmail_PlainAddress_True(string email) => AttributeRules.LooksLikeEmail(email).ShouldBeTrue();

    [Theory]
    [InlineData("\"x\"<victim@example.com>")]
    [InlineData("Victim <victim@example.com>")]
    [InlineData("victim@example.com (comment)")]
    [InlineData("\"quoted\"@example.com")]
    [InlineData("a@b@example.com")]
    [InlineData("a,b@example.com")]
    [InlineData(".a@example.com")]
    [InlineData("a..b@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example..com")]
    [InlineData("a @example.com")]
    [InlineData("a@example.com\n")]
    public void LooksLikeEmail_DisplayNameQuotesOrComments_False(string email) => AttributeRules.LooksLikeEmail(email).ShouldBeFalse();

    [Fact]
    public void ValidateWrites_DisplayNameEmail_InvalidEmailAddressFormat()
    {
        var ex = Should.Throw<CognitoException>(() => AttributeRules.ValidateWrites(Pool(), Writes(("email", "\"x\"<victim@example.com>")), AttributeWriter.User, creating: true));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        ex.Error.Message.ShouldBe("Invalid email address format.");
    }

    [Theory]
    [InlineData(false, UserStatus.Confirmed, "NotAuthorizedException")]
    [InlineData(true, UserStatus.ResetRequired, "PasswordResetRequiredException")]
    [InlineData(true, UserStatus.Unconfirmed, "UserNotConfirmedException")]
    public void CannotSignIn_BlockedUser_ItsStateError(bool enabled, string status, string type)
    {
        var u = Alice();
        u.Enabled = enabled;
        u.Status = status;
        Cognate.Core.SignIn.Steps.UserLookup.CannotSignIn(u)!.Type.ShouldBe(type);
    }

    [Fact]
    public void CannotSignIn_ConfirmedEnabledUser_Null() => Cognate.Core.SignIn.Steps.UserLookup.CannotSignIn(Alice()).ShouldBeNull();
}
