// Issue 12, "Nothing unsafe outside Development", through the AWS SDK v3 and aws-jwt-verify:
//  (a) against a Production server (COGNATE_PRODUCTION_ENDPOINT, started by run.sh with Cognate:IssuerBaseUrl
//      COGNATE_PRODUCTION_ISSUER), a sign-in whose requests carry a forged `Host: evil.example` (an SDK middleware
//      rewrites the header, as a hostile proxy or client would) still gets tokens issued by the configured issuer,
//      which aws-jwt-verify accepts, and a verifier trusting the forged issuer refuses; the discovery document ignores
//      the forged Host too;
//  (b) against the Development server, a web page's cross-origin read of the outbox (Origin / DNS rebinding) is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { ENDPOINT, PW1, RUN, adminClient, decodeJwt, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const PROD = process.env.COGNATE_PRODUCTION_ENDPOINT ?? '';
const PROD_ISSUER = process.env.COGNATE_PRODUCTION_ISSUER ?? '';
const PROD_CREDENTIALS = {
  accessKeyId: process.env.COGNATE_PRODUCTION_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.COGNATE_PRODUCTION_SECRET_ACCESS_KEY ?? '',
};
const EVIL = 'evil.example';

/** GET `path` on `endpoint` with extra headers (Host may be forged): { status, headers, body }. */
function rawGet(endpoint, path, headers) {
  const u = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path, method: 'GET', headers, timeout: 5000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => { body += c; });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Fetches the issuer's JWKS from the local Production server instead of the issuer's (fictitious) host. */
const issuerToLocalFetcher = {
  async fetch(uri) {
    assert.ok(uri.startsWith(PROD_ISSUER + '/'), 'JWKS must be requested under the configured issuer');
    const res = await fetch(PROD + uri.slice(PROD_ISSUER.length), { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`JWKS fetch -> HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};

describe('outside Development the Host header never sets the issuer (AWS SDK v3 + aws-jwt-verify)', () => {
  let admin; let forged; let poolId; let clientId; let tokens;

  before(async () => {
    requireEndpoint(PROD);
    assert.ok(PROD_ISSUER && PROD_CREDENTIALS.accessKeyId, 'COGNATE_PRODUCTION_* is not set (run via test/interop/run.sh)');
    admin = adminClient({ endpoint: PROD, credentials: PROD_CREDENTIALS });
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `host-${RUN}` }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: 'hal', MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'hal', Password: PW1, Permanent: true }));

    forged = publicClient({ endpoint: PROD });
    forged.middlewareStack.add(
      (next) => async (args) => {
        args.request.headers.host = EVIL;
        args.request.headers['x-forwarded-host'] = EVIL;
        args.request.headers['x-forwarded-proto'] = 'https';
        return next(args);
      },
      { step: 'finalizeRequest', name: 'forgeHostHeader' },
    );
    tokens = (await forged.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'hal', PASSWORD: PW1 },
    }))).AuthenticationResult;
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('tokens minted for a forged Host carry the configured issuer', () => {
    assert.ok(tokens?.IdToken && tokens?.AccessToken, 'no tokens');
    for (const t of [tokens.IdToken, tokens.AccessToken]) {
      assert.equal(decodeJwt(t).payload.iss, `${PROD_ISSUER}/${poolId}`);
    }
  });

  it('aws-jwt-verify accepts them for the configured issuer and refuses them for the forged one', async () => {
    const verifier = (issuer) => JwtVerifier.create(
      { issuer, audience: clientId, jwksUri: `${PROD_ISSUER}/${poolId}/.well-known/jwks.json` },
      { jwksCache: new SimpleJwksCache({ fetcher: issuerToLocalFetcher }) },
    );
    const claims = await verifier(`${PROD_ISSUER}/${poolId}`).verify(tokens.IdToken);
    assert.equal(claims['cognito:username'], 'hal');
    await rejectsWith(verifier(`http://${EVIL}/${poolId}`).verify(tokens.IdToken), 'JwtInvalidIssuerError', 'forged issuer: ');
    await rejectsWith(verifier(`https://${EVIL}/${poolId}`).verify(tokens.IdToken), 'JwtInvalidIssuerError', 'forged issuer: ');
  });

  it('the discovery document ignores a forged Host: issuer and jwks_uri derive from Cognate:IssuerBaseUrl', async () => {
    const r = await rawGet(PROD, `/${poolId}/.well-known/openid-configuration`, { Host: EVIL, 'X-Forwarded-Host': EVIL });
    assert.equal(r.status, 200);
    const d = JSON.parse(r.body);
    assert.equal(d.issuer, `${PROD_ISSUER}/${poolId}`);
    assert.equal(d.jwks_uri, `${PROD_ISSUER}/${poolId}/.well-known/jwks.json`);
  });

  it('the outbox does not exist outside Development', async () => {
    assert.equal((await rawGet(PROD, '/_outbox', {})).status, 404);
  });
});

describe('in Development the outbox is closed to other web origins', () => {
  before(() => requireEndpoint());

  for (const [what, headers] of [
    ['a page on another origin (Origin)', { Origin: 'https://evil.example' }],
    ['a page on another origin (Sec-Fetch-Site)', { 'Sec-Fetch-Site': 'cross-site' }],
    ['a DNS-rebinding page (its own name as Host)', { Host: 'rebind.evil.example' }],
  ]) {
    it(`refuses ${what} with 403 and no CORS grant`, async () => {
      const r = await rawGet(ENDPOINT, '/_outbox', headers);
      assert.equal(r.status, 403);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
      assert.ok(!r.body.includes('"code"'), 'outbox content leaked');
    });
  }

  it('still answers the developer (same origin, no Origin header)', async () => {
    const u = new URL(ENDPOINT);
    const r = await rawGet(ENDPOINT, '/_outbox', { Origin: `${u.protocol}//${u.host}` });
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(JSON.parse(r.body)));
  });
});
