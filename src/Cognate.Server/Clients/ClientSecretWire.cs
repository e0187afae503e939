namespace Cognate.Server.Clients;

/// <summary>
/// Cognito <c>ClientSecretDescriptorType</c>: ClientSecretId (<c>{clientId}--{epoch milliseconds}</c>), ClientSecretValue (only
/// in AddUserPoolClientSecret's answer, and only for a secret Cognate generated), ClientSecretCreateDate (epoch seconds).
/// </summary>
internal sealed record ClientSecretDescriptorType(string ClientSecretId, string? ClientSecretValue, DateTimeOffset ClientSecretCreateDate);
