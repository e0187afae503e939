global using Cognate.Tests.Shared;
