using Cognate.Core.Auth;
using Cognate.Core.Clients;
using Cognate.Core.Errors;
using Cognate.Core.Pools;
using Cognate.Core.Tokens;
using Cognate.Core.Users;
using Cognate.Server.Options;
using Cognate.Server.Protocol;
using Microsoft.Extensions.Options;

namespace Cognate.Server.Shared;

/// <summary>How handlers resolve who is calling: a client (public actions), a pool (admin actions) or an access token.</summary>
internal static class Callers
{
    /// <summary>The client and pool named by a public request, with its SECRET_HASH checked.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, NotAuthorizedException.</exception>
    public static async ValueTask<(AppClient Client, UserPool Pool)> ClientAsync(ActionContext ctx, string clientId, string? secretHash = null, bool checkSecret = false, params string?[] usernames)
    {
        var (client, pool) = await ctx.Get<AppClientService>().GetWithPoolAsync(clientId, ctx.Aborted);
        if (checkSecret) Core.SignIn.Steps.UserLookup.CheckSecretHash(client, secretHash, usernames);
        return (client, pool);
    }

    /// <summary>The pool of an admin request.</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException.</exception>
    public static ValueTask<UserPool> PoolAsync(ActionContext ctx, string userPoolId) => ctx.Get<UserPoolService>().GetAsync(userPoolId, ctx.Aborted);

    /// <summary>The user of an admin request (username or alias).</summary>
    /// <exception cref="CognitoException">ResourceNotFoundException, UserNotFoundException.</exception>
    public static async ValueTask<(UserPool Pool, User User)> AdminUserAsync(ActionContext ctx, string userPoolId, string username)
    {
        var pool = await PoolAsync(ctx, userPoolId);
        var user = await ctx.Get<UserService>().GetAsync(pool, username, ctx.Aborted);
        return (pool, user);
    }

    /// <summary>The validated access token of a token-authorised request.</summary>
    /// <exception cref="CognitoException">NotAuthorizedException, UserNotFoundException.</exception>
    /// <remarks>The token's client becomes the trigger caller's client (<c>callerContext.clientId</c> of the triggers the action fires).</remarks>
    public static async ValueTask<AccessTokenContext> TokenAsync(ActionContext ctx, string accessToken)
    {
        var token = await ctx.Get<TokenService>().ValidateAccessTokenAsync(accessToken, ctx.Aborted);
        Core.Triggers.TriggerCaller.WithClient(token.ClientId);
        return token;
    }

    /// <summary>The app client named by a validated access token, or null if it was deleted.</summary>
    public static async ValueTask<AppClient?> TokenClientAsync(ActionContext ctx, AccessTokenContext token)
    {
        try { return (await ctx.Get<AppClientService>().GetWithPoolAsync(token.ClientId, ctx.Aborted)).Client; }
        catch (CognitoException) { return null; }
    }

    /// <summary>
    /// The token issuer for <paramref name="pool"/>: <c>Cognate:IssuerBaseUrl</c> with <c>{region}</c> replaced,
    /// followed by <c>/{poolId}</c>. Only in Development may IssuerBaseUrl be unset; the issuer is then the URL the
    /// request reached the server by (scheme and Host header), which is what a developer on localhost expects.
    /// </summary>
    /// <remarks>A pool reached through a replica id (<see cref="ActionContext.ReplicaId"/>) issues as the replica: <c>{region}</c> is the
    /// replica's Region and the path its id.</remarks>
    public static string Issuer(ActionContext ctx, UserPool pool)
    {
        if (pool.ReplicaId is null && ctx.ReplicaId is { } replica
            && replica == Core.Pools.Replicas.ReplicaService.ReplicaIdOf(pool.Id, replica[..replica.IndexOf('_', StringComparison.Ordinal)]))
        {
            pool = pool with { ReplicaId = replica };
        }
        return IssuerFor(ctx.Get<IOptions<CognateOptions>>().Value, ctx.Http, pool.ServedId, pool.ServedRegion);
    }

    /// <summary>OperationNotEnabledException when the request named a replica's id: <paramref name="action"/> must name the primary pool.</summary>
    /// <exception cref="CognitoException">OperationNotEnabledException.</exception>
    public static void RequirePrimary(ActionContext ctx, string action)
    {
        if (ctx.ReplicaId is not null) throw CognitoErrors.OperationNotEnabled($"{action} must be called with the primary user pool id, not the replica id {ctx.ReplicaId}.");
    }

    /// <summary>
    /// The client and pool of an admin sign-in request (AdminInitiateAuth, AdminRespondToAuthChallenge): the client must belong to
    /// <paramref name="userPoolId"/>, which may be the pool's own id or one of its ACTIVE replicas' ids (the pool then carries
    /// <see cref="UserPool.ReplicaId"/>, so its tokens carry the replica's issuer).
    /// </summary>
    /// <exception cref="CognitoException">ResourceNotFoundException "User pool client {id} does not exist.".</exception>
    public static async ValueTask<(AppClient Client, UserPool Pool)> AdminClientAsync(ActionContext ctx, string userPoolId, string clientId)
    {
        var (client, pool) = await ClientAsync(ctx, clientId);
        if (pool.Id == userPoolId) return (client, pool);
        UserPool? served = null;
        try { served = await PoolAsync(ctx, userPoolId); }
        catch (CognitoException) { }
        if (served is null || served.Id != pool.Id) throw CognitoErrors.ClientNotFound(clientId);
        return (client, served);
    }

    /// <summary>Issuer computation shared with the well-known endpoints and the home page.</summary>
    /// <exception cref="InvalidOperationException">IssuerBaseUrl unset outside Development (options validation prevents it).</exception>
    public static string IssuerFor(CognateOptions options, HttpContext http, string userPoolId, string region)
    {
        string baseUrl;
        if (!string.IsNullOrWhiteSpace(options.IssuerBaseUrl))
        {
            baseUrl = options.IssuerBaseUrl.Trim().Replace("{region}", region, StringComparison.Ordinal);
        }
        else if (http.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        }
        else
        {
            throw new InvalidOperationException("Cognate:IssuerBaseUrl is required outside Development.");
        }

        return baseUrl.TrimEnd('/') + "/" + userPoolId;
    }

    /// <summary>
    /// The user a public code action names (username or alias). Unknown: <c>UserNotFoundException</c> (LEGACY), or
    /// null when the client hides user existence (PreventUserExistenceErrors = ENABLED) and the caller must answer as
    /// Cognito does then (a simulated delivery, or CodeMismatchException).
    /// </summary>
    /// <exception cref="CognitoException">UserNotFoundException.</exception>
    /// <remarks><paramref name="clientCombination"/>: true for ResendConfirmationCode, whose text is then "Username/client id combination not found.".</remarks>
    public static async ValueTask<User?> UserOrHiddenAsync(ActionContext ctx, UserPool pool, AppClient client, string username, bool clientCombination = false) =>
        await ctx.Get<UserService>().FindAsync(pool, username, ctx.Aborted)
            ?? (HidesUsers(client) ? null : throw (clientCombination ? CognitoErrors.UserNotFoundForClient() : CognitoErrors.UserNotFound()));

    /// <summary>True when the client hides user existence (PreventUserExistenceErrors = ENABLED).</summary>
    public static bool HidesUsers(AppClient client) => client.Config.PreventUserExistenceErrors == "ENABLED";
}
