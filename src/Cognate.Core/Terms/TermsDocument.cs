namespace Cognate.Core.Terms;

/// <summary>
/// One terms document of an app client (CreateTerms, Cognito <c>TermsType</c>): <see cref="TermsName"/> is
/// <c>terms-of-use</c> or <c>privacy-policy</c> and unique per app client; <see cref="TermsId"/> is a version-4 UUID;
/// <see cref="Links"/> maps a managed-login language id (<c>cognito:default</c>, <c>cognito:spanish</c>, …) to a URL.
/// <see cref="TermsSource"/> is <c>LINK</c> and <see cref="Enforcement"/> <c>NONE</c> (the only values Cognito accepts). Times are UTC.
/// </summary>
public sealed record TermsDocument(
    string TermsId,
    string UserPoolId,
    string ClientId,
    string TermsName,
    string TermsSource,
    string Enforcement,
    IReadOnlyDictionary<string, string> Links,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt);

/// <summary>Storage of <see cref="TermsDocument"/> rows, deleted with their pool or app client.</summary>
public interface ITermsStore
{
    /// <summary>Inserts <paramref name="terms"/>; false when the client already has a document of that name, or the pool or the
    /// client is gone.</summary>
    ValueTask<bool> CreateAsync(TermsDocument terms, CancellationToken ct = default);

    /// <summary>The pool's document with that id, or null.</summary>
    ValueTask<TermsDocument?> GetAsync(string userPoolId, string termsId, CancellationToken ct = default);

    /// <summary>The client's document with that name, or null.</summary>
    ValueTask<TermsDocument?> GetByClientAsync(string userPoolId, string clientId, string termsName, CancellationToken ct = default);

    /// <summary>The pool's documents ordered by id, after <paramref name="afterId"/>, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<TermsDocument>> ListAsync(string userPoolId, string? afterId, int limit, CancellationToken ct = default);

    /// <summary>Replaces the stored document with the same id; <see cref="TermsWriteResult.Duplicate"/> when its new name is taken
    /// on the client, <see cref="TermsWriteResult.NotFound"/> when it no longer exists.</summary>
    ValueTask<TermsWriteResult> UpdateAsync(TermsDocument terms, CancellationToken ct = default);

    /// <summary>Deletes the pool's document with that id; false when there is none.</summary>
    ValueTask<bool> DeleteAsync(string userPoolId, string termsId, CancellationToken ct = default);
}

/// <summary>Outcome of <see cref="ITermsStore.UpdateAsync"/>.</summary>
public enum TermsWriteResult
{
    /// <summary>Written.</summary>
    Ok,
    /// <summary>The client already has another document of that name.</summary>
    Duplicate,
    /// <summary>The document is gone.</summary>
    NotFound,
}
