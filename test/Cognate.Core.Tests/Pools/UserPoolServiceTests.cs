using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Pools;

public sealed class UserPoolServiceTests
{
    readonly FakeUserPoolStore _store = new();
    readonly FixedTime _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    readonly UserPoolService _svc;

    public UserPoolServiceTests() => _svc = new UserPoolService(_store, _time);

    ValueTask<UserPool> Create(UserPoolConfig? config = null, List<SchemaAttributeType>? schema = null) =>
        _svc.CreateAsync("us-east-1", config ?? new UserPoolConfig { PoolName = "p" }, schema, ct: TestContext.Current.CancellationToken);

    static string ErrorType(CognitoException ex) => ex.Error.Type;

    [Fact]
    public async Task Create_NoOptions_FillsCognitoDefaults()
    {
        var pool = await Create();
        pool.Id.ShouldMatch("^us-east-1_[A-Za-z0-9]{9}$");
        pool.CreatedAt.ShouldBe(_time.Now);
        var c = pool.Config;
        c.Policies!.PasswordPolicy.ShouldBe(new PasswordPolicyType { MinimumLength = 8, RequireUppercase = true, RequireLowercase = true, RequireNumbers = true, RequireSymbols = true, TemporaryPasswordValidityDays = 7 });
        c.AdminCreateUserConfig!.AllowAdminCreateUserOnly.ShouldBe(false);
        c.AdminCreateUserConfig.UnusedAccountValidityDays.ShouldBe(7);
        c.VerificationMessageTemplate!.EmailMessage.ShouldBe("Your verification code is {####}. ");
        c.VerificationMessageTemplate.EmailSubject.ShouldBe("Your verification code");
        c.VerificationMessageTemplate.DefaultEmailOption.ShouldBe("CONFIRM_WITH_CODE");
        c.EmailVerificationMessage.ShouldBe("Your verification code is {####}. ");
        c.EmailConfiguration!.EmailSendingAccount.ShouldBe("COGNITO_DEFAULT");
        c.MfaConfiguration.ShouldBe("OFF");
        c.UserPoolTier.ShouldBe("ESSENTIALS");
        c.DeletionProtection.ShouldBe("INACTIVE");
        c.UsernameConfiguration.ShouldBeNull();
        pool.CaseInsensitive.ShouldBeFalse();
        c.SchemaAttributes!.Select(a => a.Name).ShouldBe(StandardSchema.Attributes.Select(a => a.Name));
        _store.Pools.ShouldContainKey(pool.Id);
    }

    [Fact]
    public async Task Create_StandardAttributeRequired_MergedIntoStandardSchema()
    {
        var pool = await Create(schema: [new() { Name = "email", Required = true, Mutable = false }]);
        var email = pool.Config.SchemaAttributes!.Single(a => a.Name == "email");
        email.Required.ShouldBe(true);
        email.Mutable.ShouldBe(false);
        email.AttributeDataType.ShouldBe("String");
        email.StringAttributeConstraints!.MaxLength.ShouldBe("2048");
    }

    [Fact]
    public async Task Create_CustomAttributes_PrefixedAndDefaulted()
    {
        var pool = await Create(schema:
        [
            new() { Name = "tenant", AttributeDataType = "String", StringAttributeConstraints = new() { MinLength = "1", MaxLength = "64" } },
            new() { Name = "secret", AttributeDataType = "Number", DeveloperOnlyAttribute = true },
        ]);
        var tenant = pool.Config.SchemaAttributes!.Single(a => a.Name == "custom:tenant");
        tenant.Mutable.ShouldBe(true);
        tenant.Required.ShouldBe(false);
        tenant.DeveloperOnlyAttribute.ShouldBe(false);
        tenant.StringAttributeConstraints!.MaxLength.ShouldBe("64");
        pool.Config.SchemaAttributes!.Single(a => a.Name == "dev:custom:secret").DeveloperOnlyAttribute.ShouldBe(true);
    }

    [Theory]
    [InlineData("tenant", "String", true, null, "Required custom attributes are not supported currently.")]
    [InlineData("tenant", null, false, null, "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")]
    [InlineData("email", "Number", false, null, "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email")]
    [InlineData("tenant", "String", false, "2049", "user.custom:tenant: String attributes cannot have a length of more than 2048")]
    public async Task Create_InvalidSchema_ThrowsInvalidParameter(string name, string? type, bool required, string? maxLength, string message)
    {
        var attr = new SchemaAttributeType { Name = name, AttributeDataType = type, Required = required, StringAttributeConstraints = maxLength is null ? null : new() { MaxLength = maxLength } };
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(schema: [attr]));
        ex.Error.Type.ShouldBe("InvalidParameterException");
        ex.Error.Message.ShouldBe(message);
    }

    [Fact]
    public async Task Create_MoreThan50CustomAttributes_ThrowsInvalidParameter()
    {
        var schema = Enumerable.Range(0, 51).Select(i => new SchemaAttributeType { Name = $"a{i}", AttributeDataType = "String" }).ToList();
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(schema: schema));
        ErrorType(ex).ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_UsernameAndAliasAttributes_ThrowsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(new UserPoolConfig { PoolName = "p", UsernameAttributes = ["email"], AliasAttributes = ["phone_number"] }));
        ex.Error.Message.ShouldBe("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(100)]
    public async Task Create_PasswordMinimumLengthOutOfRange_ThrowsInvalidParameter(int length)
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(new UserPoolConfig { PoolName = "p", Policies = new() { PasswordPolicy = new() { MinimumLength = length } } }));
        ErrorType(ex).ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_AutoVerifiedPreferredUsername_ThrowsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(new UserPoolConfig { PoolName = "p", AutoVerifiedAttributes = ["preferred_username"] }));
        ErrorType(ex).ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Create_LegacyVerificationMessage_FillsTemplate()
    {
        var pool = await Create(new UserPoolConfig { PoolName = "p", EmailVerificationMessage = "Code: {####}", EmailVerificationSubject = "Hi" });
        pool.Config.VerificationMessageTemplate!.EmailMessage.ShouldBe("Code: {####}");
        pool.Config.VerificationMessageTemplate.EmailSubject.ShouldBe("Hi");
    }

    [Fact]
    public async Task Create_TemplateMessage_FillsLegacyFields()
    {
        var pool = await Create(new UserPoolConfig { PoolName = "p", VerificationMessageTemplate = new() { SmsMessage = "{####} sms", EmailMessage = "mail {####}" } });
        pool.Config.SmsVerificationMessage.ShouldBe("{####} sms");
        pool.Config.EmailVerificationMessage.ShouldBe("mail {####}");
    }

    [Fact]
    public async Task Create_MessageWithoutPlaceholder_ThrowsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await Create(new UserPoolConfig { PoolName = "p", VerificationMessageTemplate = new() { EmailMessage = "no code" } }));
        ErrorType(ex).ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Get_UnknownOrMalformedId_ThrowsResourceNotFound()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.GetAsync("us-east-1_nope", TestContext.Current.CancellationToken));
        ex.Error.Message.ShouldBe("User pool us-east-1_nope does not exist.");
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.GetAsync("bad id", TestContext.Current.CancellationToken))).Error.Type.ShouldBe("ResourceNotFoundException");
    }

    [Fact]
    public async Task List_MorePoolsThanPage_PagesWithToken()
    {
        for (int i = 0; i < 5; i++) await Create();
        var first = await _svc.ListAsync(2, null, TestContext.Current.CancellationToken);
        first.Items.Count.ShouldBe(2);
        first.NextToken.ShouldNotBeNull();
        var ids = first.Items.Select(p => p.Id).ToList();
        string? token = first.NextToken;
        while (token is not null)
        {
            var page = await _svc.ListAsync(2, token, TestContext.Current.CancellationToken);
            ids.AddRange(page.Items.Select(p => p.Id));
            token = page.NextToken;
        }
        ids.ShouldBe(_store.Pools.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public async Task List_InvalidToken_ThrowsInvalidParameter()
    {
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.ListAsync(10, "!!!", TestContext.Current.CancellationToken));
        ErrorType(ex).ShouldBe("InvalidParameterException");
    }

    [Fact]
    public async Task Update_OmittedMembers_ResetToDefaultsAndImmutablesKept()
    {
        var pool = await Create(new UserPoolConfig
        {
            PoolName = "p", MfaConfiguration = "OPTIONAL", UsernameAttributes = ["email"], AutoVerifiedAttributes = ["email"],
            UsernameConfiguration = new() { CaseSensitive = false }, Policies = new() { PasswordPolicy = new() { MinimumLength = 12 } },
        }, [new() { Name = "tenant", AttributeDataType = "String" }]);
        _time.Now = _time.Now.AddMinutes(1);

        var updated = await _svc.UpdateAsync(pool.Id, new UserPoolConfig { AutoVerifiedAttributes = ["email"] }, TestContext.Current.CancellationToken);

        var c = _store.Pools[pool.Id].Config;
        c.MfaConfiguration.ShouldBe("OFF");
        c.Policies!.PasswordPolicy!.MinimumLength.ShouldBe(8);
        c.PoolName.ShouldBe("p");
        c.UsernameAttributes.ShouldBe(["email"]);
        c.UsernameConfiguration!.CaseSensitive.ShouldBe(false);
        c.SchemaAttributes!.ShouldContain(a => a.Name == "custom:tenant");
        updated.ModifiedAt.ShouldBe(_time.Now);
        _store.Pools[pool.Id].Version.ShouldBe(1);
    }

    [Fact]
    public async Task Update_OneConflict_Retries()
    {
        var pool = await Create();
        _store.ConflictsToInject = 1;
        await _svc.UpdateAsync(pool.Id, new UserPoolConfig { MfaConfiguration = "OFF" }, TestContext.Current.CancellationToken);
        _store.UpdateCalls.ShouldBe(2);
    }

    [Fact]
    public async Task Update_RepeatedConflicts_ThrowsConcurrentModification()
    {
        var pool = await Create();
        _store.ConflictsToInject = 5;
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.UpdateAsync(pool.Id, new UserPoolConfig(), TestContext.Current.CancellationToken));
        ErrorType(ex).ShouldBe("ConcurrentModificationException");
    }

    [Fact]
    public async Task Delete_DeletionProtectionActive_ThrowsInvalidParameter()
    {
        var pool = await Create(new UserPoolConfig { PoolName = "p", DeletionProtection = "ACTIVE" });
        var ex = await Should.ThrowAsync<CognitoException>(async () => await _svc.DeleteAsync(pool.Id, TestContext.Current.CancellationToken));
        ex.Error.Message.ShouldBe("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.");
        _store.Pools.ShouldContainKey(pool.Id);
    }

    [Fact]
    public async Task Delete_Inactive_RemovesPool()
    {
        var pool = await Create();
        await _svc.DeleteAsync(pool.Id, TestContext.Current.CancellationToken);
        _store.Pools.ShouldBeEmpty();
        (await Should.ThrowAsync<CognitoException>(async () => await _svc.DeleteAsync(pool.Id, TestContext.Current.CancellationToken))).Error.Type.ShouldBe("ResourceNotFoundException");
    }
}
