global using Cognate.Tests.Shared;
global using Microsoft.Playwright;
global using Shouldly;
global using Xunit;
