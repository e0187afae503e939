namespace Cognate.Client;
