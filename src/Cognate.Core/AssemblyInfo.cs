namespace Cognate.Core;
