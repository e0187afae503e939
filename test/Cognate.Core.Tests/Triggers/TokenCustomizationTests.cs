using System.Text.Json.Nodes;
using Cognate.Core.Errors;
using Cognate.Core.Triggers;
using Shouldly;
using Xunit;

namespace Cognate.Core.Tests.Triggers;

/// <summary>The claim, scope and group rules of a PreTokenGeneration answer (AWS developer guide "Pre token generation Lambda trigger").</summary>
public sealed class TokenCustomizationTests
{
    static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void V1_StringClaims_IdTokenOnly()
    {
        var c = TokenCustomization.Parse(Json("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"tenant":"acme","email":"x@example.com"},"claimsToSuppress":["phone_number"]}}"""), 1);
        c.IdToken.ClaimsToAddOrOverride.Keys.ShouldBe(["tenant", "email"]);
        c.IdToken.ClaimsToAddOrOverride["tenant"].GetValue<string>().ShouldBe("acme");
        c.IdToken.ClaimsToSuppress.ShouldBe(["phone_number"]);
        c.IdToken.Keeps("phone_number").ShouldBeFalse();
        c.IdToken.Keeps("email").ShouldBeFalse(); // overridden: the function's value is written instead
        c.IdToken.Keeps("name").ShouldBeTrue();
        c.AccessToken.ShouldBe(TokenClaimChanges.None);
        c.Groups.ShouldBeNull();
    }

    [Fact]
    public void V1_NumberAndBooleanValues_TakenAsText()
    {
        var c = TokenCustomization.Parse(Json("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"n":2,"b":true}}}"""), 1);
        c.IdToken.ClaimsToAddOrOverride["n"].GetValue<string>().ShouldBe("2");
        c.IdToken.ClaimsToAddOrOverride["b"].GetValue<string>().ShouldBe("true");
    }

    [Theory]
    [InlineData("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"roles":["a","b"]}}}""")]
    [InlineData("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"o":{"k":"v"}}}}""")]
    public void V1_ComplexValue_InvalidLambdaResponse(string response)
    {
        var ex = Should.Throw<CognitoException>(() => TokenCustomization.Parse(Json(response), 1));
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
    }

    [Fact]
    public void V1_V2ShapeIgnored()
    {
        TokenCustomization.Parse(Json("""{"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"a":"b"}}}}"""), 1)
            .ShouldBe(TokenCustomization.None);
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("iss")]
    [InlineData("exp")]
    [InlineData("iat")]
    [InlineData("token_use")]
    [InlineData("auth_time")]
    [InlineData("cognito:username")]
    [InlineData("origin_jti")]
    [InlineData("event_id")]
    [InlineData("jti")]
    [InlineData("nonce")]
    [InlineData("at_hash")]
    [InlineData("identities")]
    [InlineData("dev:secret")]
    public void ProtectedClaim_DroppedSilently_OtherChangesKept(string claim)
    {
        var response = new JsonObject
        {
            ["claimsAndScopeOverrideDetails"] = new JsonObject
            {
                ["idTokenGeneration"] = new JsonObject { ["claimsToAddOrOverride"] = new JsonObject { [claim] = "forged", ["ok"] = "yes" }, ["claimsToSuppress"] = new JsonArray(claim) },
                ["accessTokenGeneration"] = new JsonObject { ["claimsToAddOrOverride"] = new JsonObject { [claim] = "forged", ["ok"] = "yes" }, ["claimsToSuppress"] = new JsonArray(claim) },
            },
        };
        var c = TokenCustomization.Parse(response, 2);
        c.IdToken.ClaimsToAddOrOverride.Keys.ShouldBe(["ok"]);
        c.IdToken.ClaimsToSuppress.ShouldBeEmpty();
        c.AccessToken.ClaimsToAddOrOverride.Keys.ShouldBe(["ok"]);
        c.AccessToken.ClaimsToSuppress.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("client_id")]
    [InlineData("scope")]
    [InlineData("username")]
    [InlineData("version")]
    public void AccessOnlyProtectedClaim_AllowedInIdTokenOnly(string claim)
    {
        var c = TokenCustomization.Parse(Json(("""
            {"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"CLAIM":"x"}},
             "accessTokenGeneration":{"claimsToAddOrOverride":{"CLAIM":"x"},"claimsToSuppress":["CLAIM"]}}}
            """).Replace("CLAIM", claim, StringComparison.Ordinal)), 2);
        c.IdToken.ClaimsToAddOrOverride.ContainsKey(claim).ShouldBeTrue();
        c.AccessToken.ClaimsToAddOrOverride.ShouldBeEmpty();
        c.AccessToken.ClaimsToSuppress.ShouldBeEmpty();
    }

    [Fact]
    public void GroupClaims_OnlyThroughGroupOverride_ButSuppressible()
    {
        var c = TokenCustomization.Parse(Json("""
            {"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"cognito:groups":["admin"],"cognito:other":"x"},"claimsToSuppress":["cognito:roles"]},
             "accessTokenGeneration":{"claimsToSuppress":["cognito:groups"]}}}
            """), 2);
        c.IdToken.ClaimsToAddOrOverride.ShouldBeEmpty();
        c.IdToken.ClaimsToSuppress.ShouldBe(["cognito:roles"]);
        c.AccessToken.ClaimsToSuppress.ShouldBe(["cognito:groups"]);
    }

    [Fact]
    public void SuppressedAndOverridden_IsSuppressed()
    {
        var c = TokenCustomization.Parse(Json("""{"claimsOverrideDetails":{"claimsToAddOrOverride":{"email":"new@example.com"},"claimsToSuppress":["email"]}}"""), 1);
        c.IdToken.ClaimsToAddOrOverride.ShouldBeEmpty();
        c.IdToken.Keeps("email").ShouldBeFalse();
    }

    [Fact]
    public void V2_AnyJsonType_BothTokens()
    {
        var c = TokenCustomization.Parse(Json("""
            {"claimsAndScopeOverrideDetails":{
              "idTokenGeneration":{"claimsToAddOrOverride":{"n":2,"b":false,"s":"x","a":[1,"two",true],"o":{"tenant":{"id":7}}}},
              "accessTokenGeneration":{"claimsToAddOrOverride":{"n":2.5,"o":{"k":["v"]}}}}}
            """), 2);
        c.IdToken.ClaimsToAddOrOverride["n"].ToJsonString().ShouldBe("2");
        c.IdToken.ClaimsToAddOrOverride["b"].ToJsonString().ShouldBe("false");
        c.IdToken.ClaimsToAddOrOverride["a"].ToJsonString().ShouldBe("""[1,"two",true]""");
        c.IdToken.ClaimsToAddOrOverride["o"].ToJsonString().ShouldBe("""{"tenant":{"id":7}}""");
        c.AccessToken.ClaimsToAddOrOverride["n"].ToJsonString().ShouldBe("2.5");
        c.AccessToken.ClaimsToAddOrOverride["o"].ToJsonString().ShouldBe("""{"k":["v"]}""");
    }

    [Theory]
    [InlineData("email_verified")]
    [InlineData("phone_number_verified")]
    [InlineData("updated_at")]
    [InlineData("address")]
    public void V2_ComplexValueForScalarIdClaim_InvalidLambdaResponse(string claim)
    {
        var ex = Should.Throw<CognitoException>(() => TokenCustomization.Parse(Json(("""
            {"claimsAndScopeOverrideDetails":{"idTokenGeneration":{"claimsToAddOrOverride":{"CLAIM":{"x":1}}}}}
            """).Replace("CLAIM", claim, StringComparison.Ordinal)), 2));
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        // The same value in the access token is any JSON type.
        TokenCustomization.Parse(Json(("""
            {"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"claimsToAddOrOverride":{"CLAIM":{"x":1}}}}}
            """).Replace("CLAIM", claim, StringComparison.Ordinal)), 2).AccessToken.ClaimsToAddOrOverride.ContainsKey(claim).ShouldBeTrue();
    }

    [Fact]
    public void Scopes_AddThenSuppress_BlankScopesDropped()
    {
        var c = TokenCustomization.Parse(Json("""
            {"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{
              "scopesToAdd":["api/read","api/write","two words","","api/read","openid"],
              "scopesToSuppress":["api/write","aws.cognito.signin.user.admin"]}}}
            """), 3);
        c.ScopesToAdd.ShouldBe(["api/read", "api/write", "openid"]);
        c.Scopes(["aws.cognito.signin.user.admin", "openid"]).ShouldBe(["openid", "api/read"]);
    }

    [Fact]
    public void GroupOverride_ReplacesAll_MissingMembersRemoveTheirClaims()
    {
        var c = TokenCustomization.Parse(Json("""
            {"claimsOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":["g1","g2"],"preferredRole":"arn:aws:iam::123456789012:role/r"}}}
            """), 1);
        c.Groups.ShouldNotBeNull();
        c.Groups.Groups.ShouldBe(["g1", "g2"]);
        c.Groups.Roles.ShouldBeEmpty();
        c.Groups.PreferredRole.ShouldBe("arn:aws:iam::123456789012:role/r");
        TokenCustomization.Parse(Json("""{"claimsOverrideDetails":{"groupOverrideDetails":null}}"""), 1).Groups.ShouldBeNull();
        TokenCustomization.Parse(Json("""{"claimsOverrideDetails":{"groupOverrideDetails":{}}}"""), 1).Groups!.Groups.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"claimsOverrideDetails":"x"}""", 1)]
    [InlineData("""{"claimsOverrideDetails":{"claimsToAddOrOverride":[]}}""", 1)]
    [InlineData("""{"claimsOverrideDetails":{"claimsToSuppress":"email"}}""", 1)]
    [InlineData("""{"claimsOverrideDetails":{"claimsToSuppress":[1]}}""", 1)]
    [InlineData("""{"claimsOverrideDetails":{"groupOverrideDetails":{"groupsToOverride":"g"}}}""", 1)]
    [InlineData("""{"claimsOverrideDetails":{"groupOverrideDetails":{"preferredRole":3}}}""", 1)]
    [InlineData("""{"claimsAndScopeOverrideDetails":[]}""", 2)]
    [InlineData("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToAdd":"api/read"}}}""", 2)]
    [InlineData("""{"claimsAndScopeOverrideDetails":{"accessTokenGeneration":{"scopesToSuppress":[null]}}}""", 3)]
    [InlineData("""{"claimsAndScopeOverrideDetails":{"idTokenGeneration":true}}""", 2)]
    public void MalformedShape_InvalidLambdaResponse(string response, int version)
    {
        var ex = Should.Throw<CognitoException>(() => TokenCustomization.Parse(Json(response), version));
        ex.Error.Type.ShouldBe("InvalidLambdaResponseException");
        ex.Error.Message.ShouldBe("Invalid lambda response from PreTokenGeneration.");
    }

    [Theory]
    [InlineData("{}", 1)]
    [InlineData("""{"claimsOverrideDetails":null}""", 1)]
    [InlineData("{}", 2)]
    [InlineData("""{"claimsAndScopeOverrideDetails":{}}""", 3)]
    public void EmptyResponse_NoChange(string response, int version)
    {
        var c = TokenCustomization.Parse(Json(response), version);
        c.IdToken.ShouldBe(TokenClaimChanges.None);
        c.AccessToken.ShouldBe(TokenClaimChanges.None);
        c.Groups.ShouldBeNull();
        c.Scopes(["a"]).ShouldBe(["a"]);
    }
}
