using System.Diagnostics.CodeAnalysis;

namespace Cognate.Client.SigV4;

/// <summary>
/// The outcome of <see cref="SigV4Verifier.VerifyAsync(string, string, string?, Func{string, string?}, ReadOnlyMemory{byte}, CancellationToken)"/>:
/// either success with the caller's <see cref="AccessKeyId"/> and the <see cref="Region"/> of its credential
/// scope, or an <see cref="Error"/> to return to the client.
/// </summary>
public sealed record SigV4VerificationResult
{
    private SigV4VerificationResult(string? accessKeyId, string? region, SigV4Error? error)
    {
        AccessKeyId = accessKeyId;
        Region = region;
        Error = error;
    }

    /// <summary><see langword="true"/> when the signature is valid; then <see cref="AccessKeyId"/> and <see cref="Region"/> are set, otherwise <see cref="Error"/> is.</summary>
    [MemberNotNullWhen(true, nameof(AccessKeyId), nameof(Region))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>The verified access key id; <see langword="null"/> on failure.</summary>
    public string? AccessKeyId { get; }

    /// <summary>The region from the credential scope, e.g. <c>eu-west-1</c> (the region for new pools); <see langword="null"/> on failure.</summary>
    public string? Region { get; }

    /// <summary>Why verification failed; <see langword="null"/> on success.</summary>
    public SigV4Error? Error { get; }

    /// <summary>A successful result.</summary>
    /// <param name="accessKeyId">The verified access key id.</param>
    /// <param name="region">The region of the credential scope.</param>
    /// <returns>The result.</returns>
    public static SigV4VerificationResult Success(string accessKeyId, string region) => new(accessKeyId, region, null);

    /// <summary>A failed result.</summary>
    /// <param name="error">The error to answer with.</param>
    /// <returns>The result.</returns>
    public static SigV4VerificationResult Failure(SigV4Error error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(null, null, error);
    }
}
