namespace Cognate.Storage;
