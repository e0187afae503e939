// Shared helpers for the Node interop suite. Never log tokens, passwords or secrets:
// compare secret values with assert.ok(a === b, 'fixed message'), not assert.equal.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, CreateResourceServerCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

export const ENDPOINT = process.env.COGNATE_ENDPOINT ?? '';
export const AWS_ISSUER_ENDPOINT = process.env.COGNATE_AWS_ISSUER_ENDPOINT ?? '';
export const REGION = process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
export const CREDENTIALS = {
  accessKeyId: process.env.COGNATE_ACCESS_KEY_ID ?? 'AKIACOGNATEDEVELOPER',
  secretAccessKey:
    process.env.COGNATE_SECRET_ACCESS_KEY ?? 'cognate-development-secret-key-not-for-production',
};
export const RUN = randomBytes(4).toString('hex');
export const PW1 = 'Node-Pass-1a!';
export const PW2 = 'Node-Pass-2b!';
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function requireEndpoint(url = ENDPOINT) {
  assert.ok(url, 'COGNATE_ENDPOINT / COGNATE_AWS_ISSUER_ENDPOINT is not set (run via test/interop/run.sh)');
  const u = new URL(url);
  assert.ok(['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname), 'tests only talk to loopback');
  return url;
}

const requestHandler = { connectionTimeout: 5000, requestTimeout: 30000 };

/** SigV4-signed client with the development credentials (admin / pool management). */
export function adminClient({ endpoint = ENDPOINT, region = REGION, maxAttempts = 1, credentials = CREDENTIALS } = {}) {
  return new CognitoIdentityProviderClient({ endpoint, region, credentials, maxAttempts, requestHandler });
}

/** Client with no credentials at all, as a browser or mobile app would have (public actions). */
export function publicClient({ endpoint = ENDPOINT, region = REGION, maxAttempts = 1 } = {}) {
  return new CognitoIdentityProviderClient({
    endpoint,
    region,
    maxAttempts,
    requestHandler,
    credentials: async () => {
      throw new Error('public client must not need credentials');
    },
  });
}

/**
 * Await `promise`; it must reject with an error named one of `names`: `err.name` for AWS SDK
 * service exceptions, the class name for aws-jwt-verify errors (which keep name 'Error').
 */
export async function rejectsWith(promise, names, what = '') {
  const list = Array.isArray(names) ? names : [names];
  try {
    await promise;
  } catch (err) {
    const got = list.includes(err?.name) ? err.name : (err?.constructor?.name ?? err?.name);
    assert.ok(
      list.includes(got),
      `${what}expected ${list.join('|')}, got ${got}: ${String(err?.message).slice(0, 200)}`,
    );
    return err;
  }
  assert.fail(`${what}expected ${list.join('|')}, call succeeded`);
}

/** The resource server of the OAuth suites: identifier `API`, custom scopes `READ` and `WRITE`. */
export const API = 'https://api.example.com';
export const READ = `${API}/read`;
export const WRITE = `${API}/write`;

/** Adds the resource server `API` with the scopes read and write to `poolId`. */
export async function createApiResourceServer(admin, poolId) {
  await admin.send(new CreateResourceServerCommand({
    UserPoolId: poolId, Identifier: API, Name: 'api',
    Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }, { ScopeName: 'write', ScopeDescription: 'write' }],
  }));
}

/** The error of any network fetch aws-jwt-verify attempts in these tests (its class name is what `rejectsWith` sees). */
export class OfflineFetchRefused extends Error {}
const offlineFetcher = {
  async fetch(uri) {
    throw new OfflineFetchRefused(`network fetch refused in tests: ${new URL(uri).hostname}`);
  },
};

/**
 * aws-jwt-verify's CognitoJwtVerifier for `props` (userPoolId, tokenUse, clientId, …). Its JWKS URI is always on
 * amazonaws.com, so the tests never let it fetch: the verifier is fed `jwks` with cacheJwks(), and a fetch fails with
 * OfflineFetchRefused.
 */
export function offlineVerifier(props, jwks) {
  const v = CognitoJwtVerifier.create(props, { jwksCache: new SimpleJwksCache({ fetcher: offlineFetcher }) });
  v.cacheJwks(jwks);
  return v;
}

export function secretHash(username, clientId, clientSecret) {
  return createHmac('sha256', clientSecret).update(username + clientId).digest('base64');
}

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

export async function getJson(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  assert.equal(res.status, 200, `GET ${new URL(url).pathname} -> ${res.status}`);
  return { json: await res.json(), headers: res.headers };
}

export async function outbox(address, endpoint = ENDPOINT) {
  const url = `${endpoint}/_outbox?to=${encodeURIComponent(address)}`;
  return (await getJson(url)).json;
}

/** Newest code sent to `address` once at least `minCount` messages exist (waits <= 5 s). */
export async function outboxCode(address, minCount = 1, endpoint = ENDPOINT) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const msgs = await outbox(address, endpoint);
    if (msgs.length >= minCount) return msgs[0].code;
    if (Date.now() > deadline) assert.fail(`outbox: expected ${minCount} message(s) for ${address}, found ${msgs.length}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function attrMap(list) {
  return Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]));
}
