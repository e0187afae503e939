using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Cognate.Storage.Secrets;

/// <summary>
/// Provider-neutral sealing of the secret columns: the associated-data strings and the byte layout of
/// the sealed password (SRP salt and verifier sealed together).
/// </summary>
internal static class SealedSecrets
{
    private const byte PasswordFormatV1 = 1;

    /// <summary>Associated data of an app client's secret.</summary>
    public static string ClientSecretContext(string clientId) => "client-secret:" + clientId;

    /// <summary>Associated data of an app client's second secret (AddUserPoolClientSecret, migration 0018).</summary>
    public static string SecondClientSecretContext(string clientId) => "client-secret-2:" + clientId;

    /// <summary>Seals an app client's second secret (UTF-8).</summary>
    public static byte[] SealSecondClientSecret(ISecretSealer sealer, string clientId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        try
        {
            return sealer.Seal(plain, SecondClientSecretContext(clientId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Unseals an app client's second secret.</summary>
    public static string UnsealSecondClientSecret(ISecretSealer sealer, string clientId, byte[] sealedSecret)
    {
        var plain = sealer.Unseal(sealedSecret, SecondClientSecretContext(clientId));
        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Associated data of a user's sealed salt+verifier.</summary>
    public static string PasswordContext(string userPoolId, string username) => "password:" + userPoolId + "/" + username;

    /// <summary>
    /// Associated data of a pool's sealed signing key (PKCS#8). TokenService seals those itself with the same string
    /// (UTF-8); it is listed here for <see cref="MasterKeyRotation"/>.
    /// </summary>
    public static string SigningKeyContext(string userPoolId, string kid) => "signing-key:" + userPoolId + "/" + kid;

    /// <summary>
    /// Associated data of an identity provider's sealed secrets (a JSON object of its <c>client_secret</c> and/or
    /// <c>private_key</c> ProviderDetails).
    /// </summary>
    public static string IdentityProviderSecretsContext(string userPoolId, string providerName) => "idp-secrets:" + userPoolId + "/" + providerName;

    /// <summary>Seals a client secret (UTF-8), or returns null for a public client.</summary>
    public static byte[]? SealClientSecret(ISecretSealer sealer, string clientId, string? secret)
    {
        if (secret is null)
        {
            return null;
        }

        var plain = Encoding.UTF8.GetBytes(secret);
        try
        {
            return sealer.Seal(plain, ClientSecretContext(clientId));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Unseals a client secret, or null when none is stored.</summary>
    public static string? UnsealClientSecret(ISecretSealer sealer, string clientId, byte[]? sealedSecret)
    {
        if (sealedSecret is null)
        {
            return null;
        }

        var plain = sealer.Unseal(sealedSecret, ClientSecretContext(clientId));
        try
        {
            return Encoding.UTF8.GetString(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Seals salt and verifier together as <c>[1][u16 BE salt length][salt][verifier]</c>; null when the
    /// user has no password.
    /// </summary>
    /// <exception cref="InvalidOperationException">Exactly one of salt and verifier is null (a bug in the caller).</exception>
    public static byte[]? SealPassword(ISecretSealer sealer, string userPoolId, string username, byte[]? salt, byte[]? verifier)
    {
        if (salt is null && verifier is null)
        {
            return null;
        }

        if (salt is null || verifier is null)
        {
            throw new InvalidOperationException($"User '{username}' has a password salt without verifier or the reverse; both or neither must be set.");
        }

        if (salt.Length > ushort.MaxValue)
        {
            throw new InvalidOperationException("Password salt is too long.");
        }

        var plain = new byte[3 + salt.Length + verifier.Length];
        try
        {
            plain[0] = PasswordFormatV1;
            BinaryPrimitives.WriteUInt16BigEndian(plain.AsSpan(1, 2), (ushort)salt.Length);
            salt.CopyTo(plain, 3);
            verifier.CopyTo(plain, 3 + salt.Length);
            return sealer.Seal(plain, PasswordContext(userPoolId, username));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Unseals a value written by <see cref="SealPassword"/>; (null, null) when none is stored.</summary>
    /// <exception cref="CryptographicException">The blob does not unseal or has an unknown layout.</exception>
    public static (byte[]? Salt, byte[]? Verifier) UnsealPassword(ISecretSealer sealer, string userPoolId, string username, byte[]? sealedPassword)
    {
        if (sealedPassword is null)
        {
            return (null, null);
        }

        var plain = sealer.Unseal(sealedPassword, PasswordContext(userPoolId, username));
        try
        {
            if (plain.Length < 3 || plain[0] != PasswordFormatV1)
            {
                throw new CryptographicException("Sealed password has an unknown format.");
            }

            int saltLength = BinaryPrimitives.ReadUInt16BigEndian(plain.AsSpan(1, 2));
            if (plain.Length < 3 + saltLength)
            {
                throw new CryptographicException("Sealed password is truncated.");
            }

            return (plain.AsSpan(3, saltLength).ToArray(), plain.AsSpan(3 + saltLength).ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
