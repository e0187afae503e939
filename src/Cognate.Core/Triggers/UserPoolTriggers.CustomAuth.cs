using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>
/// One entry of the custom-auth <c>session</c> array the DefineAuthChallenge and CreateAuthChallenge triggers receive
/// (the guide's <c>ChallengeResult</c>), in chronological order.
/// </summary>
/// <param name="ChallengeName"><c>SRP_A</c>, <c>PASSWORD_VERIFIER</c> or <c>CUSTOM_CHALLENGE</c> (Cognate issues no other).</param>
/// <param name="ChallengeResult">True when the user completed the challenge.</param>
/// <param name="ChallengeMetadata">CreateAuthChallenge's <c>challengeMetadata</c> for a CUSTOM_CHALLENGE, otherwise null.</param>
public sealed record ChallengeRound(
    [property: JsonPropertyName("challengeName")] string ChallengeName,
    [property: JsonPropertyName("challengeResult")] bool ChallengeResult,
    [property: JsonPropertyName("challengeMetadata")] string? ChallengeMetadata);

/// <summary>DefineAuthChallenge's answer (<c>response</c>): the next challenge, or tokens, or failure.</summary>
/// <param name="ChallengeName">The next challenge (<c>CUSTOM_CHALLENGE</c>, <c>PASSWORD_VERIFIER</c>, …), or null.</param>
/// <param name="IssueTokens">The user is authenticated.</param>
/// <param name="FailAuthentication">End the sign-in (NotAuthorizedException).</param>
public sealed record DefineAuthChallengeResult(string? ChallengeName, bool IssueTokens, bool FailAuthentication);

/// <summary>CreateAuthChallenge's answer (<c>response</c>).</summary>
/// <param name="PublicChallengeParameters">Returned to the app as ChallengeParameters.</param>
/// <param name="PrivateChallengeParameters">Kept server-side, given to VerifyAuthChallengeResponse.</param>
/// <param name="ChallengeMetadata">The function's name for the challenge; recorded in the next <c>session</c> entry.</param>
public sealed record CreateAuthChallengeResult(
    IReadOnlyDictionary<string, string> PublicChallengeParameters,
    IReadOnlyDictionary<string, string> PrivateChallengeParameters,
    string? ChallengeMetadata);

/// <summary>Who a custom-auth trigger call is about: the user (null when not found) and the name in the event.</summary>
/// <param name="UserName">The event's <c>userName</c>: the internal username, or what was typed for an unknown user.</param>
/// <param name="User">The user, or null when no user has that name (PreventUserExistenceErrors ENABLED only).</param>
/// <param name="HidesExistence">The client has PreventUserExistenceErrors ENABLED: the request carries <c>userNotFound</c>.</param>
public sealed record CustomAuthSubject(string UserName, User? User, bool HidesExistence);

public sealed partial class UserPoolTriggers
{
    /// <summary>The answer Cognito gives when a custom-auth trigger's <c>response</c> has the wrong shape.</summary>
    internal const string UnrecognizableOutput = "Unrecognizable lambda output";

    /// <summary>
    /// True when the pool can run CUSTOM_AUTH: DefineAuthChallenge and CreateAuthChallenge are configured
    /// (otherwise InitiateAuth answers InvalidParameterException "Custom auth lambda trigger is not configured for the user pool.").
    /// </summary>
    public static bool HasCustomAuth(UserPool pool) => Has(pool, TriggerNames.DefineAuthChallenge) && Has(pool, TriggerNames.CreateAuthChallenge);

    /// <summary>
    /// DefineAuthChallenge_Authentication: <c>request = { userAttributes, session, clientMetadata?, userNotFound? }</c>
    /// (AWS guide "Define Auth challenge Lambda trigger"). <c>clientMetadata</c> is sent only when given (Cognito passes
    /// RespondToAuthChallenge's ClientMetadata, never InitiateAuth's).
    /// </summary>
    /// <returns>The decision; null when the pool has no DefineAuthChallenge.</returns>
    /// <exception cref="CognitoException">UserLambdaValidationException, UnexpectedLambdaException; InvalidLambdaResponseException
    /// "Unrecognizable lambda output" when challengeName is not a string or issueTokens / failAuthentication not booleans.</exception>
    public async ValueTask<DefineAuthChallengeResult?> DefineAuthChallengeAsync(UserPool pool, string clientId, CustomAuthSubject subject,
        IReadOnlyList<ChallengeRound> session, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var request = new JsonObject { ["userAttributes"] = Attributes(subject), ["session"] = Session(session) };
        AddCommon(request, subject, clientMetadata);
        var response = await InvokeAsync(pool, TriggerNames.DefineAuthChallenge,
            TriggerEvent.Create(pool, "DefineAuthChallenge_Authentication", subject.UserName, clientId, request), ct).ConfigureAwait(false);
        if (response is null) return null;
        return new DefineAuthChallengeResult(OptionalString(response, "challengeName"), Flag(response, "issueTokens"), Flag(response, "failAuthentication"));
    }

    /// <summary>
    /// CreateAuthChallenge_Authentication: <c>request = { userAttributes, challengeName, session, clientMetadata?, userNotFound? }</c>
    /// (AWS guide "Create Auth challenge Lambda trigger").
    /// </summary>
    /// <returns>The challenge; null when the pool has no CreateAuthChallenge.</returns>
    /// <exception cref="CognitoException">UserLambdaValidationException, UnexpectedLambdaException; InvalidLambdaResponseException
    /// "Unrecognizable lambda output" when a parameter map is not an object of scalars or challengeMetadata not a string.</exception>
    public async ValueTask<CreateAuthChallengeResult?> CreateAuthChallengeAsync(UserPool pool, string clientId, CustomAuthSubject subject,
        string challengeName, IReadOnlyList<ChallengeRound> session, IReadOnlyDictionary<string, string>? clientMetadata, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var request = new JsonObject { ["userAttributes"] = Attributes(subject), ["challengeName"] = challengeName, ["session"] = Session(session) };
        AddCommon(request, subject, clientMetadata);
        var response = await InvokeAsync(pool, TriggerNames.CreateAuthChallenge,
            TriggerEvent.Create(pool, "CreateAuthChallenge_Authentication", subject.UserName, clientId, request), ct).ConfigureAwait(false);
        if (response is null) return null;
        return new CreateAuthChallengeResult(StringMap(response, "publicChallengeParameters"), StringMap(response, "privateChallengeParameters"),
            OptionalString(response, "challengeMetadata"));
    }

    /// <summary>
    /// VerifyAuthChallengeResponse_Authentication: <c>request = { userAttributes, privateChallengeParameters, challengeAnswer,
    /// clientMetadata?, userNotFound? }</c> (AWS guide "Verify Auth challenge response Lambda trigger").
    /// </summary>
    /// <returns><c>answerCorrect</c> (absent or null: false); null when the pool has no VerifyAuthChallengeResponse.</returns>
    /// <exception cref="CognitoException">UserLambdaValidationException, UnexpectedLambdaException; InvalidLambdaResponseException
    /// "Unrecognizable lambda output" when answerCorrect is not a boolean.</exception>
    public async ValueTask<bool?> VerifyAuthChallengeResponseAsync(UserPool pool, string clientId, CustomAuthSubject subject,
        IReadOnlyDictionary<string, string> privateChallengeParameters, string challengeAnswer, IReadOnlyDictionary<string, string>? clientMetadata,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var request = new JsonObject
        {
            ["userAttributes"] = Attributes(subject),
            ["privateChallengeParameters"] = TriggerEvent.Map(privateChallengeParameters),
            ["challengeAnswer"] = challengeAnswer,
        };
        AddCommon(request, subject, clientMetadata);
        var response = await InvokeAsync(pool, TriggerNames.VerifyAuthChallengeResponse,
            TriggerEvent.Create(pool, "VerifyAuthChallengeResponse_Authentication", subject.UserName, clientId, request), ct).ConfigureAwait(false);
        return response is null ? null : Flag(response, "answerCorrect");
    }

    static JsonObject Attributes(CustomAuthSubject subject) =>
        subject.User is { } user ? TriggerEvent.UserAttributes(user.Attributes, user.Status) : [];

    static JsonArray Session(IReadOnlyList<ChallengeRound> session)
    {
        var array = new JsonArray();
        foreach (var round in session)
        {
            array.Add(new JsonObject
            {
                ["challengeName"] = round.ChallengeName,
                ["challengeResult"] = round.ChallengeResult,
                ["challengeMetadata"] = round.ChallengeMetadata,
            });
        }
        return array;
    }

    static void AddCommon(JsonObject request, CustomAuthSubject subject, IReadOnlyDictionary<string, string>? clientMetadata)
    {
        if (clientMetadata is not null) request["clientMetadata"] = TriggerEvent.Map(clientMetadata);
        if (subject.HidesExistence) request["userNotFound"] = subject.User is null;
    }

    static bool Flag(JsonObject response, string name) => response[name] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() is JsonValueKind.False => false,
        _ => throw CognitoErrors.InvalidLambdaResponse(UnrecognizableOutput),
    };

    static string? OptionalString(JsonObject response, string name) => response[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.String => v.GetValue<string>(),
        _ => throw CognitoErrors.InvalidLambdaResponse(UnrecognizableOutput),
    };

    /// <summary>A string map of the answer: absent / null is empty; numbers and booleans become their JSON text (as a
    /// Map&lt;String,String&gt; deserializer would read them); nested objects or arrays are refused.</summary>
    static Dictionary<string, string> StringMap(JsonObject response, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (response[name])
        {
            case null:
                return map;
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (value is null) continue;
                    if (value is not JsonValue v) throw CognitoErrors.InvalidLambdaResponse(UnrecognizableOutput);
                    map[key] = v.GetValueKind() switch
                    {
                        JsonValueKind.String => v.GetValue<string>(),
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
                        _ => throw CognitoErrors.InvalidLambdaResponse(UnrecognizableOutput),
                    };
                }
                return map;
            default:
                throw CognitoErrors.InvalidLambdaResponse(UnrecognizableOutput);
        }
    }
}
