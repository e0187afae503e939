// The upstream identity provider and browser pieces of this folder's lockfile, re-exported for suites that live elsewhere
// (test/interop/triggers), as lib/sdk.js does for the AWS clients: panva's oidc-provider (a real OpenID provider on loopback).
export { default as Provider } from 'oidc-provider';
