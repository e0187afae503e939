// The clients of this folder's lockfile, re-exported for suites that live elsewhere (test/interop/triggers) so that they
// share one copy of each module with lib/helpers.js.
export * from '@aws-sdk/client-cognito-identity-provider';
export { default as acij } from 'amazon-cognito-identity-js';
export { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
