using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cognate.Samples.AuthApi;

public sealed record SignUpRequest([property: JsonPropertyName("name")] string? Name, [property: JsonPropertyName("email")] string? Email, [property: JsonPropertyName("password")] string? Password);
public sealed record ConfirmRequest([property: JsonPropertyName("email")] string? Email, [property: JsonPropertyName("code")] string? Code);
public sealed record LoginRequest([property: JsonPropertyName("email")] string? Email, [property: JsonPropertyName("password")] string? Password);
public sealed record RefreshRequest([property: JsonPropertyName("refresh_token")] string? RefreshToken, [property: JsonPropertyName("email")] string? Email);
public sealed record EmailRequest([property: JsonPropertyName("email")] string? Email);
public sealed record VerifyOtpRequest([property: JsonPropertyName("username")] string? Username, [property: JsonPropertyName("otp")] string? Otp, [property: JsonPropertyName("session")] string? Session);

/// <summary>
/// The reference apps' routes: the password journey under <c>/auth</c> (golang-aws-cognito-auth), the passwordless trio
/// (cognito-microservice) and <c>/app/health</c> + <c>/user/profile</c> (the serverless Gin API).
/// </summary>
public static class Endpoints
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/auth");
        auth.MapPost("/signup", SignUpAsync);
        auth.MapPost("/confirm", ConfirmAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/refresh", RefreshAsync);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization();
        auth.MapGet("/user/info", UserInfoAsync).RequireAuthorization();

        app.MapPost("/register", RegisterAsync);
        app.MapPost("/initiate-auth", InitiateAuthAsync);
        app.MapPost("/verify-otp", VerifyOtpAsync);

        app.MapGet("/app/health", () => Envelope.Ok(new { status = "ok" }));
        app.MapGet("/user/profile", Profile).RequireAuthorization();
        return app;
    }

    static bool Missing(params string?[] values) => values.Any(string.IsNullOrWhiteSpace);

    static async Task<IResult> SignUpAsync(SignUpRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Email, body.Password, body.Name)) return Envelope.Error(400, "name, email and password are required");
        var r = await cognito.SignUpAsync(body.Email!.Trim(), body.Password, body.Name, ct);
        return Envelope.Ok(new { message = "User registered successfully.", user_sub = (string?)r["UserSub"], user_confirmed = (bool?)r["UserConfirmed"] ?? false }, 201);
    }

    static async Task<IResult> ConfirmAsync(ConfirmRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Email, body.Code)) return Envelope.Error(400, "email and code are required");
        await cognito.ConfirmSignUpAsync(body.Email!.Trim(), body.Code!.Trim(), ct);
        return Envelope.Ok(new { message = "Account confirmed successfully." });
    }

    static async Task<IResult> LoginAsync(LoginRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Email, body.Password)) return Envelope.Error(400, "email and password are required");
        return TokensOrChallenge(await cognito.PasswordAuthAsync(body.Email!.Trim(), body.Password!, ct));
    }

    static async Task<IResult> RefreshAsync(RefreshRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.RefreshToken)) return Envelope.Error(400, "refresh_token is required");
        return TokensOrChallenge(await cognito.RefreshAsync(body.RefreshToken!, body.Email?.Trim(), ct));
    }

    static async Task<IResult> LogoutAsync(HttpContext http, CognitoAuth cognito, CancellationToken ct)
    {
        // GlobalSignOut revokes the user's refresh tokens; access tokens already handed out stay valid for APIs until they expire (Cognito semantics).
        await cognito.GlobalSignOutAsync(BearerToken(http), ct);
        return Envelope.Ok(new { message = "Signed out." });
    }

    static async Task<IResult> UserInfoAsync(HttpContext http, CognitoAuth cognito, CancellationToken ct)
    {
        var r = await cognito.GetUserAsync(BearerToken(http), ct);
        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var a in r["UserAttributes"]?.AsArray() ?? []) attributes[(string)a!["Name"]!] = (string?)a["Value"] ?? "";
        return Envelope.Ok(new { attributes, username = (string?)r["Username"] });
    }

    static async Task<IResult> RegisterAsync(EmailRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Email)) return Envelope.Error(400, "email is required");
        var r = await cognito.SignUpAsync(body.Email!.Trim(), password: null, name: null, ct);
        var confirmed = (bool?)r["UserConfirmed"] ?? false;
        return Envelope.Ok(new
        {
            message = confirmed ? "User registration successful." : "User registration successful. Please check your email for confirmation.",
            user_sub = (string?)r["UserSub"],
            user_confirmed = confirmed,
        }, 201);
    }

    static async Task<IResult> InitiateAuthAsync(EmailRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Email)) return Envelope.Error(400, "email is required");
        return TokensOrChallenge(await cognito.StartEmailOtpAsync(body.Email!.Trim(), ct));
    }

    static async Task<IResult> VerifyOtpAsync(VerifyOtpRequest? body, CognitoAuth cognito, CancellationToken ct)
    {
        if (body is null || Missing(body.Username, body.Otp, body.Session)) return Envelope.Error(400, "username, otp and session are required");
        return TokensOrChallenge(await cognito.AnswerEmailOtpAsync(body.Username!.Trim(), body.Otp!.Trim(), body.Session!, ct));
    }

    static IResult Profile(ClaimsPrincipal user) => Envelope.Ok(new
    {
        sub = user.FindFirstValue("sub"),
        username = user.Identity?.Name,
        client_id = user.FindFirstValue("client_id"),
        scope = user.FindFirstValue("scope"),
        groups = user.FindAll("cognito:groups").Select(c => c.Value).ToArray(),
        token_use = user.FindFirstValue("token_use"),
        auth_time = long.TryParse(user.FindFirstValue("auth_time"), out var at) ? at : (long?)null,
    });

    static IResult TokensOrChallenge(JsonObject r)
    {
        if (r["AuthenticationResult"] is JsonObject a)
        {
            return Envelope.Ok(new
            {
                access_token = (string?)a["AccessToken"],
                id_token = (string?)a["IdToken"],
                refresh_token = (string?)a["RefreshToken"],
                expires_in = (int?)a["ExpiresIn"] ?? 0,
                token_type = (string?)a["TokenType"] ?? "Bearer",
            });
        }
        return Envelope.Ok(new
        {
            challenge_name = (string?)r["ChallengeName"],
            session = (string?)r["Session"],
            delivery_destination = (string?)r["ChallengeParameters"]?["CODE_DELIVERY_DESTINATION"],
        });
    }

    /// <summary>The bearer token the authentication handler already validated.</summary>
    static string BearerToken(HttpContext http) => http.Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
}
