[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Cognate.Storage.Tests")]

namespace Cognate.Storage;
