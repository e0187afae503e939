using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace Cognate.Server.Protocol;

/// <summary>
/// Maps action names to handlers: every <see cref="CognitoActionAttribute"/> class in this assembly,
/// found once at startup. A handler deserialises its request record, runs, and returns the response
/// object to serialise.
/// </summary>
internal sealed class ActionRegistry
{
    public delegate ValueTask<object> Invoker(ActionContext ctx, JsonElement body);

    public FrozenDictionary<string, Invoker> Handlers { get; }

    public ActionRegistry()
    {
        var map = new Dictionary<string, Invoker>(StringComparer.Ordinal);
        foreach (var type in typeof(ActionRegistry).Assembly.GetTypes())
        {
            var attr = type.GetCustomAttribute<CognitoActionAttribute>();
            if (attr is null) continue;
            var method = type.GetMethod("HandleAsync", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{type.Name} has no static HandleAsync.");
            var reqType = method.GetParameters()[1].ParameterType;
            var respType = method.ReturnType.GetGenericArguments()[0];
            var bind = typeof(ActionRegistry).GetMethod(nameof(Bind), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(reqType, respType);
            map.Add(attr.Name, (Invoker)bind.Invoke(null, [method])!);
        }
        Handlers = map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    static Invoker Bind<TRequest, TResponse>(MethodInfo method) where TResponse : notnull
    {
        var handler = method.CreateDelegate<Func<ActionContext, TRequest, ValueTask<TResponse>>>();
        return async (ctx, body) =>
        {
            TRequest request;
            try
            {
                request = body.Deserialize<TRequest>(CognitoJson.Options)!;
            }
            catch (JsonException)
            {
                throw new Core.Errors.CognitoException(new Core.Errors.CognitoError("SerializationException", "The request body could not be read as the expected structure."));
            }
            return await handler(ctx, request).ConfigureAwait(false);
        };
    }
}
