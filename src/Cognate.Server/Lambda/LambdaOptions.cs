using System.ComponentModel.DataAnnotations;

namespace Cognate.Server.Lambda;

/// <summary>
/// <c>Cognate:Lambda:*</c>: where the pools' Lambda triggers run. Cognate calls the AWS Lambda Invoke API
/// (<c>POST {Endpoint}/2015-03-31/functions/{FunctionName}/invocations</c>), so the same function code runs on real AWS Lambda
/// (<c>https://lambda.{region}.amazonaws.com</c>), LocalStack, <c>sam local start-lambda</c> or <c>serverless-offline</c>.
/// No endpoint: every trigger call fails with <c>UnexpectedLambdaException</c>.
/// </summary>
public sealed class LambdaOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "Cognate:Lambda";

    /// <summary>Base URL of the Lambda Invoke API, e.g. <c>http://127.0.0.1:3002</c> (serverless-offline's lambda port) or
    /// <c>https://lambda.us-east-1.amazonaws.com</c>; null: no Invoke API transport.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Signing region; null: the region in the function ARN.</summary>
    public string? Region { get; set; }

    /// <summary>Access key id for SigV4 (service <c>lambda</c>); null: the <c>AWS_ACCESS_KEY_ID</c> environment variable, and when that is
    /// unset too the request goes unsigned (local runtimes do not check signatures).</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>Secret access key (never logged); null: <c>AWS_SECRET_ACCESS_KEY</c>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>Session token for temporary credentials; null: <c>AWS_SESSION_TOKEN</c>.</summary>
    public string? SessionToken { get; set; }

    /// <summary>What goes in the <c>{FunctionName}</c> path segment: <c>Arn</c> (default; real Lambda and LocalStack accept the full
    /// ARN) or <c>Name</c> (the ARN's function-name part, with a version or alias as <c>?Qualifier=</c>; what serverless-offline and
    /// SAM local look functions up by).</summary>
    [RegularExpression("^(Arn|Name)$")]
    public string FunctionNameInPath { get; set; } = "Arn";

    /// <summary>Seconds one attempt may take (Cognito: 5).</summary>
    [Range(1, 30)]
    public int TimeoutSeconds { get; set; } = 5;

    /// <summary>Attempts on an invocation failure (unreachable, timeout, throttled, 5xx; Cognito: 3). Function errors are not retried.</summary>
    [Range(1, 5)]
    public int MaxAttempts { get; set; } = 3;
}
