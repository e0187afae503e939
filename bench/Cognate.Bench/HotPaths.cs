using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cognate.Core.Crypto;
using Cognate.Core.Tokens;
using Cognate.Server.Protocol;

/// <summary>
/// The server's hot paths, one operation each (`dotnet run -c Release --project bench/Cognate.Bench -- --hot`):
/// RS256 JWT sign and verify (2048-bit keys, an access token's claims), the SRP exponentiations (password check
/// g^x, the server challenge B = kv + g^b, the server's PASSWORD_VERIFIER check S = (A·v^u)^b, the client's
/// A = g^a and claim), SECRET_HASH, and the X-Amz-Target dispatch around a handler
/// (operation lookup, JSON parse, botocore-model validation, request binding, response serialisation).
/// Every SRP benchmark has a <c>…Reference</c> twin doing the same work through the pre-comb exponentiations
/// (<c>SrpModExp.*Reference</c>: <c>BN_mod_exp_mont_consttime</c> everywhere), so one run shows before and after.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    SigningKey _key = null!;
    string _token = "";
    byte[] _salt = [];
    byte[] _verifier = [];
    ServiceModel _model = null!;
    SrpClient _client = null!;
    byte[] _privateA = [];
    SrpServerChallenge _challenge = null!;
    byte[] _secretBlock = [];
    string _timestamp = "";
    string _claim = "";
    byte[] _body = [];
    object _response = null!;
    const string Pool = "us-east-1_BenchPool";
    const string DeviceGroup = "-BenchGrp1", DeviceKey = "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100", DevicePassword = "Bench-device-password-base64==";
    byte[] _deviceVerifier = [];
    SrpServerChallenge _deviceChallenge = null!;
    string _deviceClaim = "";

    [GlobalSetup]
    public void Setup()
    {
        _key = SigningKey.Create();
        _token = JwtSign();
        var v = Srp.CreateVerifier(Pool, "u0000001", "Bench-Passw0rd!1");
        (_salt, _verifier) = (v.Salt, v.Verifier);
        _privateA = RandomNumberGenerator.GetBytes(Srp.PrivateALength);
        _client = SrpClient.Create(_privateA);
        _challenge = Srp.CreateServerChallenge(_verifier);
        _secretBlock = RandomNumberGenerator.GetBytes(64);
        _timestamp = Srp.FormatTimestamp(DateTimeOffset.UtcNow);
        _claim = SrpClientAnswer();
        if (!SrpServerVerify() || !SrpServerVerifyReference() || SrpClientAnswerReference() != _claim || !SrpPasswordCheckReference())
        {
            throw new InvalidOperationException("SRP benchmark fixture does not verify.");
        }

        var dv = Srp.CreateDeviceVerifier(DeviceGroup, DeviceKey, DevicePassword);
        _deviceVerifier = dv.Verifier;
        _deviceChallenge = Srp.CreateServerChallenge(_deviceVerifier);
        _deviceClaim = _client.ComputeDeviceClaimSignature(DeviceGroup, DeviceKey, DevicePassword, dv.SaltHex, _deviceChallenge.PublicBHex,
            Convert.ToBase64String(_secretBlock), _timestamp);
        if (!DeviceSrpServerVerify())
        {
            throw new InvalidOperationException("Device SRP benchmark fixture does not verify.");
        }

        _model = ServiceModel.Load();
        _body = Encoding.UTF8.GetBytes("""{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"3n4b5urk1ft4fl3mg5e62d9ado","AuthParameters":{"USERNAME":"u0000001","PASSWORD":"Bench-Passw0rd!1"}}""");
        _response = new Cognate.Server.Users.GetUser.Response("u0000001",
            [new("sub", Guid.NewGuid().ToString()), new("email", "u0000001@bench.example"), new("email_verified", "true")], null, null, null);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public string JwtSign() => JwtWriter.Sign(_key, w =>
    {
        w.WriteString("sub", "6a1f3e4c-8f7e-4c1b-9d2a-3b5c7e9f1a2b");
        w.WriteString("iss", "http://127.0.0.1:9229/" + Pool);
        w.WriteString("client_id", "3n4b5urk1ft4fl3mg5e62d9ado");
        w.WriteString("origin_jti", "0d4f6a8c-1e3b-4d5f-8a7c-9e1b3d5f7a9c");
        w.WriteString("token_use", "access");
        w.WriteString("scope", "aws.cognito.signin.user.admin");
        w.WriteNumber("auth_time", 1_790_000_000);
        w.WriteNumber("exp", 4_102_444_800);
        w.WriteNumber("iat", 1_790_000_000);
        w.WriteString("jti", "1f3e5d7c-9b1a-4c3e-8d5f-7a9c1e3b5d7f");
        w.WriteString("username", "u0000001");
    });

    [Benchmark]
    public bool JwtVerify() => JwtReader.Read(_token, _ => _key).IsValid;

    /// <summary>USER_PASSWORD_AUTH's password check: x from the password, g^x mod N (3072-bit), compared with v.</summary>
    [Benchmark]
    public bool SrpPasswordCheck() => Srp.VerifyPassword(Pool, "u0000001", "Bench-Passw0rd!1", _salt, _verifier);

    /// <summary>Baseline: <see cref="SrpPasswordCheck"/> with g^x through <c>BN_mod_exp_mont_consttime</c>.</summary>
    [Benchmark]
    public bool SrpPasswordCheckReference()
    {
        byte[] x = Srp.ComputeX(Srp.GetPoolName(Pool), "u0000001", "Bench-Passw0rd!1", _salt);
        byte[] v = SrpModExp.PowGReference(x);
        byte[] padded = new byte[SrpModExp.ModulusLength];
        v.CopyTo(padded.AsSpan(padded.Length - v.Length));
        return CryptographicOperations.FixedTimeEquals(padded, _verifier);
    }

    /// <summary>USER_SRP_AUTH's first step: b and B = kv + g^b mod N.</summary>
    [Benchmark]
    public object SrpServerChallenge() => Srp.CreateServerChallenge(_verifier);

    /// <summary>Baseline: <see cref="SrpServerChallenge"/> with g^b through <c>BN_mod_exp_mont_consttime</c>.</summary>
    [Benchmark]
    public object SrpServerChallengeReference()
    {
        byte[] b = RandomNumberGenerator.GetBytes(Srp.PrivateBLength);
        return new SrpServerChallenge(b, SrpModExp.ComputeServerPublicReference(Srp.Multiplier, _verifier, b));
    }

    /// <summary>PASSWORD_VERIFIER's server check: u, S = (A·v^u)^b mod N, K = HKDF(S, u), the claim HMAC, compared.</summary>
    [Benchmark]
    public bool SrpServerVerify() => Srp.VerifyPasswordClaim(
        Pool, "u0000001", _client.PublicA, _challenge.PublicB, _challenge.PrivateB, _verifier, _secretBlock, _timestamp, _claim);

    /// <summary>DEVICE_SRP_AUTH's server step (issue 16): B = k·v + g^b for a device verifier; the same comb as <see cref="SrpServerChallenge"/>.</summary>
    [Benchmark]
    public object DeviceSrpServerChallenge() => Srp.CreateServerChallenge(_deviceVerifier);

    /// <summary>DEVICE_PASSWORD_VERIFIER's server check (issue 16): as <see cref="SrpServerVerify"/> with the device group key and key.</summary>
    [Benchmark]
    public bool DeviceSrpServerVerify() => Srp.VerifyDevicePasswordClaim(
        DeviceGroup, DeviceKey, _client.PublicA, _deviceChallenge.PublicB, _deviceChallenge.PrivateB, _deviceVerifier, _secretBlock, _timestamp, _deviceClaim);

    /// <summary>Baseline: <see cref="SrpServerVerify"/> with v^u (as well as the ^b) through <c>BN_mod_exp_mont_consttime</c>.</summary>
    [Benchmark]
    public bool SrpServerVerifyReference()
    {
        if (SrpModExp.IsZeroModN(_client.PublicA))
        {
            return false;
        }

        byte[] u = Srp.ComputeU(_client.PublicA, _challenge.PublicB);
        byte[] s = SrpModExp.ComputeServerPremasterReference(_client.PublicA, _verifier, u, _challenge.PrivateB);
        byte[] key = Srp.DeriveSessionKey(s, u);
        byte[] expected = Srp.ComputeClaimSignature(key, Srp.GetPoolName(Pool), "u0000001", _secretBlock, _timestamp);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromBase64String(_claim));
    }

    /// <summary>The SRP client's first step (our .NET client, the load driver): a (128 bytes) and A = g^a mod N.</summary>
    [Benchmark]
    public object SrpClientStart() => SrpClient.Create();

    /// <summary>Baseline: <see cref="SrpClientStart"/> with g^a through <c>BN_mod_exp_mont_consttime</c>.</summary>
    [Benchmark]
    public object SrpClientStartReference() => SrpModExp.PowGReference(RandomNumberGenerator.GetBytes(Srp.PrivateALength));

    /// <summary>The SRP client's PASSWORD_VERIFIER answer: x, S = (B − k·g^x)^(a + u·x) mod N, K, the claim HMAC.</summary>
    [Benchmark]
    public string SrpClientAnswer() => _client.ComputeClaimSignature(
        Pool, "u0000001", "Bench-Passw0rd!1", Srp.ToHex(_salt), _challenge.PublicBHex, Convert.ToBase64String(_secretBlock), _timestamp);

    /// <summary>Baseline: <see cref="SrpClientAnswer"/> with g^x through <c>BN_mod_exp_mont_consttime</c>.</summary>
    [Benchmark]
    public string SrpClientAnswerReference()
    {
        string poolName = Srp.GetPoolName(Pool);
        byte[] u = Srp.ComputeU(_client.PublicA, _challenge.PublicB);
        byte[] x = Srp.ComputeX(poolName, "u0000001", "Bench-Passw0rd!1", _salt);
        byte[] s = SrpModExp.ComputeClientPremasterReference(_challenge.PublicB, Srp.Multiplier, x, _privateA, u);
        byte[] key = Srp.DeriveSessionKey(s, u);
        return Convert.ToBase64String(Srp.ComputeClaimSignature(key, poolName, "u0000001", _secretBlock, _timestamp));
    }

    [Benchmark]
    public string SecretHashCompute() => SecretHash.Compute("1q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7j8k9l0z1x2c3v4b5n6m7", "u0000001", "3n4b5urk1ft4fl3mg5e62d9ado");

    /// <summary>What the dispatcher does around a handler, for an InitiateAuth body and a GetUser-shaped answer.</summary>
    [Benchmark]
    public int DispatchJson()
    {
        const string target = "AWSCognitoIdentityProviderService.InitiateAuth";
        var op = _model.Operations[target[Dispatcher.TargetPrefix.Length..]];
        using var doc = JsonDocument.Parse(_body, new JsonDocumentOptions { MaxDepth = 32 });
        RequestValidator.Validate(_model, op.InputShape!, doc.RootElement);
        var request = doc.RootElement.Deserialize<Cognate.Server.Auth.InitiateAuth.Request>(CognitoJson.Options)!;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(_response, _response.GetType(), CognitoJson.Options);
        return request.ClientId.Length + bytes.Length;
    }
}
