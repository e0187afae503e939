using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cognate.Tests.Shared;

/// <summary>
/// A WebAuthn authenticator in software for tests: one ECDSA P-256 credential (ES256), a signature counter, and the
/// browser's side of the ceremonies (clientDataJSON). <see cref="Create"/> answers creation options with a
/// RegistrationResponseJSON (attestation <c>none</c> or <c>packed</c> self attestation); <see cref="Get"/> answers request
/// options with an AuthenticationResponseJSON whose signature covers authenticatorData ‖ SHA-256(clientDataJSON).
/// </summary>
internal sealed class SoftwareAuthenticator : IDisposable
{
    readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The credential id.</summary>
    public byte[] CredentialId { get; } = RandomNumberGenerator.GetBytes(16);

    /// <summary>The credential id, base64url.</summary>
    public string Id => Base64Url.EncodeToString(CredentialId);

    /// <summary>The next signature counter is this + 1 (set it back to fake a clone).</summary>
    public uint Counter { get; set; }

    /// <summary>The AAGUID reported at registration.</summary>
    public Guid Aaguid { get; } = Guid.Parse("6e1f1b6c-5d7a-4c7e-9f0a-0c0a0f1e2d3c");

    /// <summary>The user handle stored at registration (user.id of the creation options).</summary>
    public string? UserHandle { get; private set; }

    /// <summary>Registration: <paramref name="options"/> is the CredentialCreationOptions JSON.</summary>
    public JsonObject Create(JsonObject options, string origin, string fmt = "none", bool userVerified = true, string? rpIdOverride = null, string type = "webauthn.create")
    {
        ArgumentNullException.ThrowIfNull(options);
        var rpId = rpIdOverride ?? (string)options["rp"]!["id"]!;
        UserHandle = (string?)options["user"]?["id"];
        var clientData = ClientData(type, (string)options["challenge"]!, origin);
        var p = key.ExportParameters(false);
        var cose = Map(new (byte[], byte[])[]
        {
            (Int(1), Int(2)), (Int(3), Int(-7)), (Int(-1), Int(1)), (Int(-2), Bytes(p.Q.X!)), (Int(-3), Bytes(p.Q.Y!)),
        });
        var attested = new List<byte>();
        attested.AddRange(Aaguid.ToByteArray(bigEndian: true));
        attested.Add((byte)(CredentialId.Length >> 8));
        attested.Add((byte)CredentialId.Length);
        attested.AddRange(CredentialId);
        attested.AddRange(cose);
        var authData = AuthData(rpId, (byte)(0x01 | (userVerified ? 0x04 : 0) | 0x40), Counter, [.. attested]);
        byte[] attStmt = fmt == "packed"
            ? Map([(Text("alg"), Int(-7)), (Text("sig"), Bytes(Sign(authData, clientData)))])
            : Map([]);
        var attestationObject = Map([(Text("fmt"), Text(fmt)), (Text("attStmt"), attStmt), (Text("authData"), Bytes(authData))]);
        return new JsonObject
        {
            ["id"] = Id,
            ["rawId"] = Id,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["attestationObject"] = Base64Url.EncodeToString(attestationObject),
                ["transports"] = new JsonArray("internal"),
            },
            ["clientExtensionResults"] = new JsonObject(),
            ["authenticatorAttachment"] = "platform",
        };
    }

    /// <summary>Sign-in: <paramref name="requestOptions"/> is CREDENTIAL_REQUEST_OPTIONS (a JSON string).</summary>
    public string Get(string requestOptions, string origin, bool userVerified = true, string? rpIdOverride = null)
    {
        var options = JsonNode.Parse(requestOptions)!.AsObject();
        var rpId = rpIdOverride ?? (string)options["rpId"]!;
        var clientData = ClientData("webauthn.get", (string)options["challenge"]!, origin);
        Counter++;
        var authData = AuthData(rpId, (byte)(0x01 | (userVerified ? 0x04 : 0)), Counter, []);
        return new JsonObject
        {
            ["id"] = Id,
            ["rawId"] = Id,
            ["type"] = "public-key",
            ["response"] = new JsonObject
            {
                ["clientDataJSON"] = Base64Url.EncodeToString(clientData),
                ["authenticatorData"] = Base64Url.EncodeToString(authData),
                ["signature"] = Base64Url.EncodeToString(Sign(authData, clientData)),
                ["userHandle"] = UserHandle,
            },
            ["clientExtensionResults"] = new JsonObject(),
            ["authenticatorAttachment"] = "platform",
        }.ToJsonString();
    }

    byte[] Sign(byte[] authData, byte[] clientData) =>
        key.SignData([.. authData, .. SHA256.HashData(clientData)], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    static byte[] ClientData(string type, string challenge, string origin) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["type"] = type, ["challenge"] = challenge, ["origin"] = origin, ["crossOrigin"] = false }.ToJsonString());

    static byte[] AuthData(string rpId, byte flags, uint counter, byte[] attested)
    {
        var data = new byte[37 + attested.Length];
        SHA256.HashData(Encoding.UTF8.GetBytes(rpId)).CopyTo(data, 0);
        data[32] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(33), counter);
        attested.CopyTo(data, 37);
        return data;
    }

    // Minimal CBOR (RFC 8949) encoding: unsigned / negative integers, byte and text strings, maps.
    static byte[] Head(int major, ulong value)
    {
        byte m = (byte)(major << 5);
        if (value < 24) return [(byte)(m | (byte)value)];
        if (value <= byte.MaxValue) return [(byte)(m | 24), (byte)value];
        if (value <= ushort.MaxValue) return [(byte)(m | 25), (byte)(value >> 8), (byte)value];
        return [(byte)(m | 26), (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
    }

    static byte[] Int(long v) => v >= 0 ? Head(0, (ulong)v) : Head(1, (ulong)(-1 - v));
    static byte[] Bytes(byte[] b) => [.. Head(2, (ulong)b.Length), .. b];
    static byte[] Text(string s) => [.. Head(3, (ulong)Encoding.UTF8.GetByteCount(s)), .. Encoding.UTF8.GetBytes(s)];
    static byte[] Map((byte[] Key, byte[] Value)[] entries) => [.. Head(5, (ulong)entries.Length), .. entries.SelectMany(e => e.Key.Concat(e.Value))];

    /// <inheritdoc/>
    public void Dispose() => key.Dispose();
}
