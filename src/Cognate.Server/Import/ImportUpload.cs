using System.Globalization;
using System.Security;
using Cognate.Core.Import;
using Microsoft.AspNetCore.Http.Features;

namespace Cognate.Server.Import;

/// <summary>
/// <c>PUT /_import/{poolId}/{jobId}?X-Cognate-Expires=…&amp;X-Cognate-Signature=…</c>: the import job's PreSignedUrl, where the client
/// uploads the CSV as the AWS guide shows (<c>curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$PRE_SIGNED_URL"</c>).
/// Answers like S3: 200 with an empty body; 403 <c>AccessDenied</c> XML for a missing, wrong or expired signature; 404
/// <c>NoSuchKey</c> for an unknown job; 409 <c>InvalidRequest</c> once the job has left Created. A body over 100 MB answers 400
/// <c>EntityTooLarge</c> and is recorded on the job, which then fails with that CompletionMessage when started. The body is read
/// with its own limit (100 MB + 1), not the API's 1 MiB, and streamed into the database in 1 MiB chunks as it arrives
/// (<see cref="IUserImportJobStore.AppendUploadChunkAsync"/>); one short transaction at the end makes it the job's file if the job is
/// still Created (<see cref="IUserImportJobStore.CompleteUploadAsync"/>: a second upload replaces the first). An upload that is cut
/// off, fails or is too large leaves no chunks behind.
/// </summary>
internal static class ImportUpload
{
    /// <summary>Bytes per stored chunk of an upload: 1 MiB.</summary>
    public const int ChunkBytes = 1 << 20;

    public static IEndpointRouteBuilder MapUserImportUpload(this IEndpointRouteBuilder app)
    {
        app.MapPut(ImportUploadSigner.PathPrefix + "/{poolId}/{jobId}", HandleAsync).DisableAntiforgery();
        return app;
    }

    static async Task<IResult> HandleAsync(HttpContext http, string poolId, string jobId, ImportUploadSigner signer, IUserImportJobStore jobs, TimeProvider time)
    {
        var query = http.Request.Query;
        if (!long.TryParse(query["X-Cognate-Expires"], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || query["X-Cognate-Signature"].ToString() is not { Length: > 0 } signature
            || !signer.Verify(poolId, jobId, expires, signature))
        {
            return S3Error(403, "AccessDenied", "The request signature we calculated does not match the signature you provided.");
        }
        if (time.GetUtcNow().ToUnixTimeSeconds() > expires) return S3Error(403, "AccessDenied", "Request has expired");
        var job = await jobs.GetAsync(poolId, jobId, http.RequestAborted);
        if (job is null) return S3Error(404, "NoSuchKey", "The specified key does not exist.");
        if (job.Status != ImportJobStatus.Created || job.UploadExpiresAt.ToUnixTimeSeconds() != expires)
        {
            return S3Error(409, "InvalidRequest", $"The user import job {jobId} is {job.Status}: the file can only be uploaded before the job is started.");
        }

        const string tooLarge = "The CSV file is larger than 100 MB.";
        if (http.Request.ContentLength > ImportCsv.MaxBytes)
        {
            await jobs.PutCsvAsync(poolId, jobId, null, tooLarge, CancellationToken.None);
            return S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        // Streamed into the database as it arrives, one chunk of ChunkBytes at a time, so memory stays flat in the file size; the
        // chunks become the job's file only once the whole body has arrived (CompleteUploadAsync), and are deleted otherwise.
        var uploadId = Guid.NewGuid().ToString("N");
        var buffer = new byte[ChunkBytes];
        long total = 0;
        int seq = 0;
        bool completed = false;
        try
        {
            while (true)
            {
                int filled = 0;
                while (filled < buffer.Length)
                {
                    int n = await http.Request.Body.ReadAsync(buffer.AsMemory(filled), http.RequestAborted);
                    if (n == 0) break;
                    filled += n;
                }
                total += filled;
                if (total > ImportCsv.MaxBytes)
                {
                    await jobs.DiscardUploadAsync(jobId, uploadId, CancellationToken.None);
                    await jobs.PutCsvAsync(poolId, jobId, null, tooLarge, CancellationToken.None);
                    completed = true;
                    return S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
                }
                if (filled > 0) await jobs.AppendUploadChunkAsync(jobId, uploadId, seq++, filled == buffer.Length ? buffer : buffer[..filled], http.RequestAborted);
                if (filled < buffer.Length) break;
            }
            // The whole body has arrived: finish even if the client goes now (the upload either becomes the job's file or is deleted).
            var current = await jobs.CompleteUploadAsync(poolId, jobId, uploadId, total, CancellationToken.None);
            completed = true;
            if (!current)
            {
                return S3Error(409, "InvalidRequest", $"The user import job {jobId} was started meanwhile: the file can only be uploaded before.");
            }
        }
        catch (BadHttpRequestException)
        {
            // Framing Kestrel refuses (a body shorter than its Content-Length, a malformed chunk): S3 answers IncompleteBody.
            http.Response.Headers.Connection = "close";
            return S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.");
        }
        catch (Exception e) when (e is IOException || (e is OperationCanceledException && http.RequestAborted.IsCancellationRequested))
        {
            return Results.Empty; // the client closed or reset the connection mid-body: nobody is left to answer
        }
        finally
        {
            // An upload cut off (client gone, bad framing, a failed write) leaves no chunks behind.
            if (!completed) await jobs.DiscardUploadAsync(jobId, uploadId, CancellationToken.None);
        }
        return Results.Ok();
    }

    static IResult S3Error(int status, string code, string message) => Results.Content(
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error>",
        "application/xml", statusCode: status);
}
