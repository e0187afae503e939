using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cognate.Server.Tests.Triggers;

/// <summary>
/// A KMS JSON API on a loopback port (<c>TrentService.GenerateDataKey</c> / <c>Decrypt</c>): data keys wrapped with AES-256-GCM under
/// one random master key, the encryption context bound as AAD, so <see cref="Decrypt"/> under another context fails as KMS does.
/// Records every GenerateDataKey call. It also answers the Lambda Invoke API path (<c>POST /2015-03-31/functions/{name}/invocations</c>)
/// with 202 and records the event, so one loopback port can stand for both services a custom sender touches.
/// </summary>
public sealed class FakeKms : IAsyncDisposable
{
    public const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/0f6a3c52-7b9e-4c1d-9a55-3e2f1b7c8d90";

    readonly HttpListener listener = new();
    readonly byte[] master = RandomNumberGenerator.GetBytes(32);
    readonly Task loop;
    readonly List<(string KeyId, Dictionary<string, string> Context, int Bytes)> calls = [];
    readonly List<(string Function, string? InvocationType, JsonObject Event)> invocations = [];

    public string Url { get; }

    public FakeKms()
    {
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Clear();
            listener.Prefixes.Add(Url);
            try { listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        loop = Task.Run(ServeAsync);
    }

    public IReadOnlyList<(string KeyId, Dictionary<string, string> Context, int Bytes)> Calls { get { lock (calls) return [.. calls]; } }

    public IReadOnlyList<(string Function, string? InvocationType, JsonObject Event)> Invocations { get { lock (invocations) return [.. invocations]; } }

    /// <summary>The first recorded invocation matching <paramref name="match"/>, waiting up to 15 seconds.</summary>
    public async Task<(string Function, string? InvocationType, JsonObject Event)> WaitForInvocationAsync(Func<JsonObject, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            foreach (var i in Invocations) if (match(i.Event)) return i;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("no matching Lambda invocation arrived");
            await Task.Delay(50);
        }
    }

    static byte[] Aad(IReadOnlyDictionary<string, string> context) =>
        Encoding.UTF8.GetBytes(string.Join("\n", context.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value)));

    /// <summary>Unwraps a data key as KMS Decrypt would (throws for another context).</summary>
    public byte[] Decrypt(byte[] blob, IReadOnlyDictionary<string, string> context)
    {
        var plain = new byte[blob.Length - 28];
        using var gcm = new AesGcm(master, 16);
        gcm.Decrypt(blob.AsSpan(0, 12), blob.AsSpan(12, plain.Length), blob.AsSpan(12 + plain.Length), plain, Aad(context));
        return plain;
    }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; } // stopped
            try
            {
                using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
                var path = ctx.Request.Url!.AbsolutePath;
                if (path.StartsWith("/2015-03-31/functions/", StringComparison.Ordinal) && path.EndsWith("/invocations", StringComparison.Ordinal))
                {
                    var function = Uri.UnescapeDataString(path["/2015-03-31/functions/".Length..^"/invocations".Length]);
                    lock (invocations) invocations.Add((function, ctx.Request.Headers["X-Amz-Invocation-Type"], body));
                    ctx.Response.StatusCode = 202;
                    continue;
                }
                var target = ctx.Request.Headers["X-Amz-Target"];
                JsonObject answer;
                if (target == "TrentService.GenerateDataKey" && (string?)body["KeyId"] == KeyArn)
                {
                    var context = body["EncryptionContext"]?.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!) ?? [];
                    int n = (int?)body["NumberOfBytes"] ?? 32;
                    lock (calls) calls.Add(((string)body["KeyId"]!, context, n));
                    var plaintext = RandomNumberGenerator.GetBytes(n);
                    var blob = new byte[12 + n + 16];
                    RandomNumberGenerator.Fill(blob.AsSpan(0, 12));
                    using (var gcm = new AesGcm(master, 16)) gcm.Encrypt(blob.AsSpan(0, 12), plaintext, blob.AsSpan(12, n), blob.AsSpan(12 + n), Aad(context));
                    answer = new JsonObject { ["KeyId"] = KeyArn, ["Plaintext"] = Convert.ToBase64String(plaintext), ["CiphertextBlob"] = Convert.ToBase64String(blob) };
                    ctx.Response.StatusCode = 200;
                }
                else
                {
                    answer = new JsonObject { ["__type"] = "NotFoundException", ["message"] = "Key does not exist" };
                    ctx.Response.StatusCode = 400;
                }
                ctx.Response.ContentType = "application/x-amz-json-1.1";
                var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
                await ctx.Response.OutputStream.WriteAsync(bytes);
            }
            catch (Exception)
            {
                ctx.Response.StatusCode = 500;
            }
            finally
            {
                ctx.Response.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop; // ServeAsync ends when the listener stops and answers its own errors
    }
}
