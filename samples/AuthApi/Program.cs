using Cognate.Samples.AuthApi;

var app = AuthApiApp.Build(args);
await app.RunAsync();
