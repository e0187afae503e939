using Cognate.Samples.HostedLogin;

var app = HostedLoginApp.Build(args);
await app.RunAsync();
