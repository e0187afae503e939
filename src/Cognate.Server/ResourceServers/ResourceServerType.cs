using Cognate.Core.ResourceServers;

namespace Cognate.Server.ResourceServers;

/// <summary>Cognito <c>ResourceServerScopeType</c>.</summary>
internal sealed record ResourceServerScopeType(string ScopeName, string ScopeDescription);

/// <summary>Cognito <c>ResourceServerType</c>.</summary>
internal sealed record ResourceServerType(string UserPoolId, string Identifier, string Name, List<ResourceServerScopeType> Scopes)
{
    public static ResourceServerType From(ResourceServer s) =>
        new(s.UserPoolId, s.Identifier, s.Name, [.. s.Scopes.Select(x => new ResourceServerScopeType(x.ScopeName, x.ScopeDescription))]);

    public static List<ResourceServerScope>? ToScopes(List<ResourceServerScopeType>? scopes) =>
        scopes?.Select(x => new ResourceServerScope(x.ScopeName, x.ScopeDescription)).ToList();
}
