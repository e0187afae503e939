using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cognate.Core.Crypto;
using Cognate.Core.Tokens;
using Cognate.Server.Protocol;

/// <summary>
/// The server's hot paths, one operation each (`dotnet run -c Release --project bench/Cognate.Bench -- --hot`):
/// RS256 JWT sign and verify (2048-bit keys, an access token's claims), the SRP exponentiations (password check
/// g^x and the server challenge B = kv + g^b), SECRET_HASH, and the X-Amz-Target dispatch around a handler
/// (operation lookup, JSON parse, botocore-model validation, request binding, response serialisation).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    SigningKey _key = null!;
    string _token = "";
    byte[] _salt = [];
    byte[] _verifier = [];
    ServiceModel _model = null!;
    byte[] _body = [];
    object _response = null!;
    const string Pool = "us-east-1_BenchPool";

    [GlobalSetup]
    public void Setup()
    {
        _key = SigningKey.Create();
        _token = JwtSign();
        var v = Srp.CreateVerifier(Pool, "u0000001", "Bench-Passw0rd!1");
        (_salt, _verifier) = (v.Salt, v.Verifier);
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

    /// <summary>USER_SRP_AUTH's first step: b and B = kv + g^b mod N.</summary>
    [Benchmark]
    public object SrpServerChallenge() => Srp.CreateServerChallenge(_verifier);

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
