[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cognate.Storage.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cognate.Load")]

namespace Cognate.Storage;
