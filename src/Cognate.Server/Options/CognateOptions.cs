using System.ComponentModel.DataAnnotations;

namespace Cognate.Server.Options;

/// <summary>
/// <c>Cognate:*</c> settings. Region and AccountId go into pool ids and ARNs; IssuerBaseUrl is the
/// base of the token issuer (<c>{base}/{poolId}</c>; <c>{region}</c> is replaced by the pool's region;
/// empty = the server's own URL as the caller sees it, allowed in Development only). MasterKey is base64 of 32 bytes:
/// it seals SRP verifiers, client secrets and signing keys; every environment but Development refuses to start without
/// it (see <see cref="CognateOptionsValidator"/>).
/// </summary>
public sealed class CognateOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate";

    /// <summary>Default region for unsigned calls and the development pool (default us-east-1).</summary>
    [Required, RegularExpression(@"^[a-z]{2}(-gov)?-[a-z]+-\d$")]
    public string Region { get; set; } = "us-east-1";

    /// <summary>12-digit account id used in ARNs (default 000000000000).</summary>
    [Required, RegularExpression(@"^\d{12}$")]
    public string AccountId { get; set; } = "000000000000";

    /// <summary>
    /// Issuer base URL, e.g. <c>https://idp.example.com</c> or <c>https://cognito-idp.{region}.amazonaws.com</c>; required
    /// outside Development. Empty (Development only): the URL the request came in by (scheme and Host header).
    /// </summary>
    public string? IssuerBaseUrl { get; set; }

    /// <summary>Base64 of 32 random bytes. Required outside Development, where the public development key is refused.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Admin credentials for SigV4-signed calls (outside Development: required, not the README's pair, secret ≥ 32 characters).</summary>
    public AdminCredentialsOptions Admin { get; set; } = new();

    /// <summary>Email delivery.</summary>
    public EmailOptions Email { get; set; } = new();

    /// <summary>Where the events of SetLogDeliveryConfiguration destinations are written (<c>Cognate:LogDelivery</c>).</summary>
    public LogDeliveryOptions LogDelivery { get; set; } = new();

    /// <summary>SMS delivery.</summary>
    public SmsOptions Sms { get; set; } = new();
}

/// <summary><c>Cognate:Sms:*</c>: SMS goes to the outbox (when enabled) and, when <see cref="WebhookUrl"/> is set, to that HTTP endpoint.</summary>
public sealed class SmsOptions
{
    /// <summary>URL that receives one JSON <c>POST</c> per SMS (payload in the README); null: no SMS delivery besides the outbox.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>Optional <c>Authorization</c> header value sent with each webhook call (never logged).</summary>
    public string? AuthorizationHeader { get; set; }
    /// <summary>Webhook timeout in seconds (1..60, default 10).</summary>
    public int TimeoutSeconds { get; set; } = 10;
}

/// <summary><c>Cognate:Admin:*</c>: the one access key pair that management and Admin* calls must be signed with.</summary>
public sealed class AdminCredentialsOptions
{
    /// <summary>Access key id.</summary>
    public string? AccessKeyId { get; set; }
    /// <summary>Secret access key (never logged).</summary>
    public string? SecretAccessKey { get; set; }
}

/// <summary><c>Cognate:Email:*</c>: SMTP delivery and the development outbox.</summary>
public sealed class EmailOptions
{
    /// <summary>From address (default <c>no-reply@verificationemail.com</c>, like Cognito's default sender).</summary>
    public string From { get; set; } = "no-reply@verificationemail.com";
    /// <summary>Keep every message in the outbox readable at <c>GET /_outbox</c> (default: on in Development, off otherwise; <c>true</c> is refused outside Development).</summary>
    public bool? Outbox { get; set; }
    /// <summary>SMTP server; null: no SMTP delivery.</summary>
    public SmtpOptions? Smtp { get; set; }
}

/// <summary><c>Cognate:Email:Smtp:*</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name.</summary>
    [Required]
    public string Host { get; set; } = "";
    /// <summary>Port (default 25).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 25;
    /// <summary>Use STARTTLS/SSL.</summary>
    public bool EnableSsl { get; set; }
    /// <summary>Optional user name.</summary>
    public string? UserName { get; set; }
    /// <summary>Optional password (never logged).</summary>
    public string? Password { get; set; }
}

/// <summary>
/// <c>Cognate:LogDelivery</c>: Cognate writes the events a pool's log delivery configuration selects (SetLogDeliveryConfiguration)
/// as JSON lines to <c>{Directory}/{file named after the destination ARN}.jsonl</c> instead of sending them to CloudWatch Logs,
/// S3 or Firehose. Unset: the configuration is stored and returned, and no events are written.
/// </summary>
public sealed class LogDeliveryOptions
{
    /// <summary>The directory of the delivery files (created when missing); unset = no delivery.</summary>
    public string? Directory { get; set; }
}
