using Cognate.Core.Terms;

namespace Cognate.Server.Terms;

/// <summary>Cognito <c>TermsType</c>: one terms document with its links and times (epoch seconds on the wire).</summary>
internal sealed record TermsType(string TermsId, string UserPoolId, string ClientId, string TermsName, string TermsSource, string Enforcement,
    IReadOnlyDictionary<string, string> Links, DateTimeOffset CreationDate, DateTimeOffset LastModifiedDate)
{
    public static TermsType From(TermsDocument t) =>
        new(t.TermsId, t.UserPoolId, t.ClientId, t.TermsName, t.TermsSource, t.Enforcement, t.Links, t.CreatedAt, t.ModifiedAt);
}

/// <summary>Cognito <c>TermsDescriptionType</c> (ListTerms item).</summary>
internal sealed record TermsDescriptionType(string TermsId, string TermsName, string Enforcement, DateTimeOffset CreationDate, DateTimeOffset LastModifiedDate)
{
    public static TermsDescriptionType From(TermsDocument t) => new(t.TermsId, t.TermsName, t.Enforcement, t.CreatedAt, t.ModifiedAt);
}
