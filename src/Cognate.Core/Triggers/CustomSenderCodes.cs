using System.Security.Cryptography;
using System.Text;
using Cognate.Core.Crypto;
using Cognate.Core.Errors;
using Cognate.Core.Messaging;
using Cognate.Core.Pools;
using Cognate.Core.Users;

namespace Cognate.Core.Triggers;

/// <summary>A data key from AWS KMS <c>GenerateDataKey</c>.</summary>
/// <param name="Plaintext">The plaintext data key (zeroed by the caller after use).</param>
/// <param name="CiphertextBlob">The data key encrypted under the KMS key (what <c>Decrypt</c> takes back).</param>
/// <param name="KeyId">The ARN of the KMS key that encrypted it (KMS answers the full key ARN even for an alias).</param>
public sealed record KmsDataKey(byte[] Plaintext, byte[] CiphertextBlob, string KeyId);

/// <summary>AWS KMS <c>GenerateDataKey</c>: the only KMS call Cognito makes to encrypt a custom sender's code.</summary>
public interface IKmsDataKeyGenerator
{
    /// <summary>
    /// GenerateDataKey with <c>KeyId</c> = <paramref name="keyId"/>, <c>NumberOfBytes</c> = <paramref name="numberOfBytes"/> and
    /// <c>EncryptionContext</c> = <paramref name="encryptionContext"/>.
    /// </summary>
    /// <exception cref="CognitoException">UnexpectedLambdaException when KMS is not configured, unreachable or refuses.</exception>
    ValueTask<KmsDataKey> GenerateDataKeyAsync(string keyId, IReadOnlyDictionary<string, string> encryptionContext, int numberOfBytes, CancellationToken ct = default);
}

/// <summary>
/// The KMS of an installation that configured none: every call is refused with UnexpectedLambdaException, so a code is never sent
/// to a custom sender function in plaintext.
/// </summary>
public sealed class UnconfiguredKms : IKmsDataKeyGenerator
{
    /// <summary>The message of the refusal.</summary>
    public const string Message = "Custom sender triggers need AWS KMS to encrypt the code, and no KMS endpoint is configured (Cognate:Lambda:Kms:ServiceUrl or Cognate:Lambda:Kms:Region).";

    /// <inheritdoc />
    public ValueTask<KmsDataKey> GenerateDataKeyAsync(string keyId, IReadOnlyDictionary<string, string> encryptionContext, int numberOfBytes, CancellationToken ct = default) =>
        throw CognitoErrors.UnexpectedLambda(Message);
}

/// <summary>
/// Encrypts codes and temporary passwords for custom sender triggers exactly as Cognito does: an AWS Encryption SDK message
/// (<see cref="EncryptionSdkMessage"/>, suite 0x0378) whose data key comes from KMS <c>GenerateDataKey</c> under the pool's
/// <c>KMSKeyID</c>, with the encryption context <c>{ "userpool-id": pool id }</c> (plus the SDK's <c>aws-crypto-public-key</c>),
/// base64-encoded. A handler built on the guide's example (<c>@aws-crypto/client-node</c>, KMS keyring) decrypts it unchanged.
/// </summary>
public sealed class CustomSenderCodeEncryptor(IKmsDataKeyGenerator kms)
{
    /// <summary>The encryption-context key Cognito binds each code to its pool with.</summary>
    public const string UserPoolIdContextKey = "userpool-id";

    /// <summary>Encrypts <paramref name="code"/> under the pool's KMSKeyID; returns base64 of the message.</summary>
    /// <exception cref="CognitoException">UnexpectedLambdaException (no KMSKeyID on the pool, KMS not configured or failing).</exception>
    public async ValueTask<string> EncryptAsync(UserPool pool, string code, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(code);
        var keyId = LambdaConfigReader.KmsKeyId(pool)
            ?? throw CognitoErrors.UnexpectedLambda("The user pool has a custom sender trigger but no KMSKeyID.");
        using var signingKey = EncryptionSdkMessage.NewSigningKey();
        var context = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [EncryptionSdkMessage.PublicKeyContextKey] = EncryptionSdkMessage.CompressedPublicKey(signingKey),
            [UserPoolIdContextKey] = pool.Id,
        };
        var dataKey = await kms.GenerateDataKeyAsync(keyId, context, EncryptionSdkMessage.DataKeyLength, ct).ConfigureAwait(false);
        var plaintext = Encoding.UTF8.GetBytes(code);
        try
        {
            if (dataKey.Plaintext.Length != EncryptionSdkMessage.DataKeyLength)
            {
                throw CognitoErrors.UnexpectedLambda("KMS GenerateDataKey answered a data key of the wrong length.");
            }
            var message = EncryptionSdkMessage.Encrypt(plaintext, context, dataKey.Plaintext,
                [new EncryptedDataKey("aws-kms", dataKey.KeyId, dataKey.CiphertextBlob)], signingKey);
            return Convert.ToBase64String(message);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey.Plaintext);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Delivers a code through the pool's CustomEmailSender / CustomSMSSender instead of email or SMS (AWS guide "Custom sender Lambda
/// triggers"): encrypts it (<see cref="CustomSenderCodeEncryptor"/>), builds the event and invokes the function asynchronously. The
/// message never reaches the configured <see cref="IMessageSender"/> (nor the development outbox). A pool without a sender for
/// the medium pays one LambdaConfig lookup.
/// </summary>
public sealed class CustomSenders(UserPoolTriggers triggers, CustomSenderCodeEncryptor encryptor)
{
    /// <summary>
    /// Sends <paramref name="code"/> to <paramref name="user"/> through the pool's sender for <paramref name="medium"/>; false (and
    /// nothing done) when the pool has none, so the caller sends the message itself.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="medium">EMAIL or SMS.</param>
    /// <param name="source">The message event (<see cref="CustomSenderSources"/>, or a CustomMessage source name).</param>
    /// <param name="user">The recipient (attributes as they will be after the action: a pending email is the destination).</param>
    /// <param name="code">The code or temporary password, in plaintext (encrypted before it leaves).</param>
    /// <param name="clientId">The app client, or null.</param>
    /// <param name="clientMetadata">The action's ClientMetadata, or null.</param>
    /// <param name="ct">Cancellation.</param>
    /// <exception cref="CognitoException">UnexpectedLambdaException (KMS or the function unreachable, KMS not configured).</exception>
    public async ValueTask<bool> TrySendAsync(UserPool pool, string medium, string source, User user, string code,
        string? clientId = null, IReadOnlyDictionary<string, string>? clientMetadata = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!UserPoolTriggers.HasCustomSender(pool, medium)) return false;
        var encrypted = await encryptor.EncryptAsync(pool, code, ct).ConfigureAwait(false);
        var ev = UserPoolTriggers.CustomSenderEvent(pool, medium, source, user, encrypted, clientId, clientMetadata);
        return await triggers.CustomSenderAsync(pool, medium, ev, ct).ConfigureAwait(false);
    }
}
