namespace Cognate.Client.SigV4;

/// <summary>
/// An AWS access key pair, optionally with the session token of temporary credentials, used to sign
/// requests with Signature Version 4 (AWS General Reference, "AWS security credentials").
/// </summary>
/// <param name="AccessKeyId">The access key id, e.g. <c>AKIDEXAMPLE</c>; public, appears in the credential scope.</param>
/// <param name="SecretAccessKey">The secret access key; never logged, never printed by <see cref="ToString"/>.</param>
/// <param name="SessionToken">The session token of temporary credentials, sent as <c>X-Amz-Security-Token</c>; <see langword="null"/> for long-term keys.</param>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null)
{
    /// <summary>Returns the access key id only; the secret and the session token are redacted.</summary>
    /// <returns>A string of the form <c>AwsCredentials { AccessKeyId = AKID, SecretAccessKey = ***, SessionToken = *** }</c>.</returns>
    public override string ToString() =>
        $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = ***, SessionToken = {(SessionToken is null ? "(none)" : "***")} }}";
}
