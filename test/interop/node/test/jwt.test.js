// Token verification with aws-jwt-verify:
//  (a) generic JwtVerifier against the default server (issuer http://127.0.0.1:PORT/{poolId}),
//      JWKS fetched from jwks_uri through a custom fetcher (the library's own fetcher is https-only);
//  (b) CognitoJwtVerifier against the server started with the AWS-form issuer, JWKS fed with cacheJwks().
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import {
  AWS_ISSUER_ENDPOINT, ENDPOINT, PW1, RUN, adminClient, decodeJwt, getJson, offlineVerifier, outboxCode, publicClient,
  rejectsWith, requireEndpoint,
} from '../lib/helpers.js';

/** JWKS fetcher for http://127.0.0.1 (aws-jwt-verify's SimpleFetcher only speaks https). */
const loopbackFetcher = {
  async fetch(uri) {
    const u = new URL(uri);
    assert.ok(u.hostname === '127.0.0.1', 'JWKS must be fetched from the local server');
    const res = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`JWKS fetch ${u.pathname} -> HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};

/** CognitoJwtVerifier (its JWKS URI is always on amazonaws.com) fed with cacheJwks(); any fetch fails with OfflineFetchRefused. */
const cognitoVerifier = offlineVerifier;

/** Pool + client + confirmed user on `endpoint` (region from the signing region); returns ids and tokens. */
async function setupPool(endpoint, region, tag) {
  const admin = adminClient({ endpoint, region });
  const pub = publicClient({ endpoint, region });
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-jwt-${tag}-${RUN}`, AutoVerifiedAttributes: ['email'] }))).UserPool.Id;
  const clientId = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'jwt', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient.ClientId;
  const username = `node-jwt-${tag}-${RUN}`;
  const email = `${username}@example.com`;
  const su = await pub.send(new SignUpCommand({
    ClientId: clientId, Username: username, Password: PW1,
    UserAttributes: [{ Name: 'email', Value: email }, { Name: 'name', Value: 'Jay Wt' }],
  }));
  const code = await outboxCode(email, 1, endpoint);
  await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  const ar = (await pub.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
  }))).AuthenticationResult;
  const cleanup = () => admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  return { admin, pub, poolId, clientId, username, email, sub: su.UserSub, tokens: ar, cleanup };
}

function tamper(token) {
  const [h, p, sig] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  payload.sub = '00000000-0000-0000-0000-000000000000';
  return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), sig].join('.');
}

describe('aws-jwt-verify JwtVerifier (default issuer)', { timeout: 120000 }, () => {
  let A, B, discovery, jwks;

  before(async () => {
    requireEndpoint();
    A = await setupPool(ENDPOINT, 'us-east-1', 'a');
    B = await setupPool(ENDPOINT, 'us-east-1', 'b');
    discovery = (await getJson(`${ENDPOINT}/${A.poolId}/.well-known/openid-configuration`)).json;
  });
  after(async () => { await A?.cleanup(); await B?.cleanup(); });

  it('discovery: issuer is http://127.0.0.1:PORT/{poolId}, jwks_uri under it', async () => {
    assert.equal(discovery.issuer, `${ENDPOINT}/${A.poolId}`);
    assert.equal(discovery.jwks_uri, `${ENDPOINT}/${A.poolId}/.well-known/jwks.json`);
    assert.ok(discovery.id_token_signing_alg_values_supported?.includes('RS256'));
    assert.ok(discovery.subject_types_supported?.includes('public'));
  });

  it('JWKS: RSA keys with kid, alg RS256, use sig, served as application/json', async () => {
    const r = await getJson(discovery.jwks_uri);
    jwks = r.json;
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(Array.isArray(jwks.keys) && jwks.keys.length >= 1);
    for (const k of jwks.keys) {
      assert.equal(k.kty, 'RSA');
      assert.equal(k.alg, 'RS256');
      assert.equal(k.use, 'sig');
      assert.equal(k.e, 'AQAB');
      assert.ok(typeof k.kid === 'string' && k.kid.length > 0);
      assert.ok(typeof k.n === 'string' && Buffer.from(k.n, 'base64url').length >= 256, 'RSA modulus >= 2048 bits');
      assert.equal(k.d, undefined, 'private key material must not be published');
    }
    const kids = jwks.keys.map((k) => k.kid);
    assert.equal(new Set(kids).size, kids.length, 'duplicate kid');
  });

  it('token headers: RS256 with a kid from the JWKS; ID and access tokens use different keys', async () => {
    const id = decodeJwt(A.tokens.IdToken).header;
    const ac = decodeJwt(A.tokens.AccessToken).header;
    const kids = (await getJson(discovery.jwks_uri)).json.keys.map((k) => k.kid);
    assert.equal(id.alg, 'RS256');
    assert.equal(ac.alg, 'RS256');
    assert.ok(kids.includes(id.kid) && kids.includes(ac.kid), 'token kid not in JWKS');
    assert.notEqual(id.kid, ac.kid, 'Cognito signs ID and access tokens with different keys');
  });

  it('ID token verifies (audience = client id) with Cognito claims', async () => {
    const v = JwtVerifier.create(
      { issuer: discovery.issuer, audience: A.clientId, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    const c = await v.verify(A.tokens.IdToken);
    assert.equal(c.token_use, 'id');
    assert.equal(c.aud, A.clientId);
    assert.equal(c.sub, A.sub);
    assert.equal(c['cognito:username'], A.username);
    assert.equal(c.email, A.email);
    assert.equal(c.email_verified, true);
    assert.equal(c.name, 'Jay Wt');
    assert.equal(c.exp - c.iat, 3600);
    assert.ok(Number.isInteger(c.auth_time) && Math.abs(c.auth_time - c.iat) < 60);
    assert.ok(typeof c.jti === 'string' && typeof c.origin_jti === 'string');
  });

  it('access token verifies (audience null) and carries client_id, username, scope', async () => {
    const v = JwtVerifier.create(
      { issuer: discovery.issuer, audience: null, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    const c = await v.verify(A.tokens.AccessToken);
    assert.equal(c.token_use, 'access');
    assert.equal(c.client_id, A.clientId);
    assert.equal(c.username, A.username);
    assert.equal(c.sub, A.sub);
    assert.equal(c.scope, 'aws.cognito.signin.user.admin');
    assert.equal(c.aud, undefined, 'access tokens have no aud');
  });

  it('rejects a tampered token, a wrong audience and a token of another pool', async () => {
    const mk = (audience = null) => JwtVerifier.create(
      { issuer: discovery.issuer, audience, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    await rejectsWith(mk().verify(tamper(A.tokens.IdToken)), 'JwtInvalidSignatureError', 'tampered: ');
    await rejectsWith(mk('some-other-client').verify(A.tokens.IdToken), 'JwtInvalidAudienceError', 'audience: ');
    await rejectsWith(mk().verify(B.tokens.IdToken), ['JwtInvalidIssuerError', 'ParameterValidationError', 'KidNotFoundInJwksError'], 'other pool: ');
    // pool B's token presented with pool B's issuer but pool A's JWKS: keys are per pool
    const crossKeys = JwtVerifier.create(
      { issuer: `${ENDPOINT}/${B.poolId}`, audience: null, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    await rejectsWith(crossKeys.verify(B.tokens.AccessToken), ['KidNotFoundInJwksError', 'JwtInvalidSignatureError'], 'pool keys: ');
  });
  it('JWKS answers CORS requests from browsers', async () => {
    const res = await fetch(discovery.jwks_uri, { headers: { Origin: 'http://localhost:3000' }, signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200);
    assert.ok(['*', 'http://localhost:3000'].includes(res.headers.get('access-control-allow-origin')), 'no Access-Control-Allow-Origin on JWKS');
  });

  it('claims: iat on both tokens, unique jti, new origin_jti per sign-in, auth_time kept on refresh', async () => {
    const second = (await A.pub.send(new InitiateAuthCommand({
      ClientId: A.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: A.username, PASSWORD: PW1 },
    }))).AuthenticationResult;
    const refreshed = (await A.pub.send(new InitiateAuthCommand({
      ClientId: A.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: A.tokens.RefreshToken },
    }))).AuthenticationResult;
    const p = (t) => decodeJwt(t).payload;
    const [id1, ac1, ac2, acR, idR] = [p(A.tokens.IdToken), p(A.tokens.AccessToken), p(second.AccessToken), p(refreshed.AccessToken), p(refreshed.IdToken)];
    for (const c of [id1, ac1]) assert.ok(Number.isInteger(c.iat) && Number.isInteger(c.exp), 'iat/exp must be integers');
    assert.equal(new Set([id1.jti, ac1.jti, ac2.jti, acR.jti]).size, 4, 'jti must be unique per token');
    assert.notEqual(ac1.origin_jti, ac2.origin_jti, 'each sign-in starts a new origin_jti');
    assert.equal(acR.origin_jti, ac1.origin_jti, 'refresh keeps origin_jti');
    assert.equal(acR.auth_time, ac1.auth_time, 'refresh keeps auth_time');
    assert.equal(idR.auth_time, id1.auth_time, 'refresh keeps auth_time (id)');
    assert.equal(id1.origin_jti, ac1.origin_jti, 'id and access tokens of one sign-in share origin_jti');
  });

  it('revocation does not affect offline verification (GlobalSignOut)', async () => {
    const t = (await A.pub.send(new InitiateAuthCommand({
      ClientId: A.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: A.username, PASSWORD: PW1 },
    }))).AuthenticationResult;
    const { GlobalSignOutCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await A.pub.send(new GlobalSignOutCommand({ AccessToken: t.AccessToken }));
    const v = JwtVerifier.create(
      { issuer: discovery.issuer, audience: null, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    await v.verify(t.AccessToken);
    await v.verify(t.IdToken);
  });
});

describe('aws-jwt-verify CognitoJwtVerifier (AWS-form issuer server)', { timeout: 120000 }, () => {
  let E, F, jwks;
  const region = 'eu-west-1';

  before(async () => {
    requireEndpoint(AWS_ISSUER_ENDPOINT);
    E = await setupPool(AWS_ISSUER_ENDPOINT, region, 'e');
    F = await setupPool(AWS_ISSUER_ENDPOINT, region, 'f');
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${E.poolId}/.well-known/jwks.json`)).json;
  });
  after(async () => { await E?.cleanup(); await F?.cleanup(); });

  it('pool id carries the signing region; iss is https://cognito-idp.{region}.amazonaws.com/{poolId}', async () => {
    assert.match(E.poolId, /^eu-west-1_[0-9a-zA-Z]+$/);
    const expected = `https://cognito-idp.${region}.amazonaws.com/${E.poolId}`;
    assert.equal(decodeJwt(E.tokens.IdToken).payload.iss, expected);
    assert.equal(decodeJwt(E.tokens.AccessToken).payload.iss, expected);
    const d = (await getJson(`${AWS_ISSUER_ENDPOINT}/${E.poolId}/.well-known/openid-configuration`)).json;
    assert.equal(d.issuer, expected);
  });

  it('ID token verifies with tokenUse id + clientId', async () => {
    const v = cognitoVerifier({ userPoolId: E.poolId, tokenUse: 'id', clientId: E.clientId }, jwks);
    const c = await v.verify(E.tokens.IdToken);
    assert.equal(c['cognito:username'], E.username);
    assert.equal(c.email, E.email);
  });

  it('access token verifies with tokenUse access + clientId (and scope)', async () => {
    const v = cognitoVerifier({ userPoolId: E.poolId, tokenUse: 'access', clientId: E.clientId, scope: 'aws.cognito.signin.user.admin' }, jwks);
    const c = await v.verify(E.tokens.AccessToken);
    assert.equal(c.username, E.username);
  });

  it('refreshed tokens verify too', async () => {
    const ar = (await E.pub.send(new InitiateAuthCommand({
      ClientId: E.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: E.tokens.RefreshToken },
    }))).AuthenticationResult;
    const v = cognitoVerifier({ userPoolId: E.poolId, tokenUse: null, clientId: E.clientId }, jwks);
    await v.verify(ar.IdToken);
    await v.verify(ar.AccessToken);
  });

  it('rejects wrong token_use, wrong client, tampered token, and a token of another pool', async () => {
    const idV = cognitoVerifier({ userPoolId: E.poolId, tokenUse: 'id', clientId: E.clientId }, jwks);
    await rejectsWith(idV.verify(E.tokens.AccessToken), 'CognitoJwtInvalidTokenUseError', 'token_use: ');
    await rejectsWith(idV.verify(tamper(E.tokens.IdToken)), 'JwtInvalidSignatureError', 'tampered: ');
    const otherClient = cognitoVerifier({ userPoolId: E.poolId, tokenUse: 'access', clientId: 'someotherclient' }, jwks);
    await rejectsWith(otherClient.verify(E.tokens.AccessToken), 'CognitoJwtInvalidClientIdError', 'client_id: ');
    await rejectsWith(idV.verify(F.tokens.IdToken), ['JwtInvalidIssuerError', 'ParameterValidationError', 'KidNotFoundInJwksError'], 'other pool: ');
    // verifier for pool F but fed pool E's JWKS: F's token must not verify with E's keys
    const fWithEKeys = cognitoVerifier({ userPoolId: F.poolId, tokenUse: 'id', clientId: F.clientId }, jwks);
    await rejectsWith(fWithEKeys.verify(F.tokens.IdToken),
      // (kid not in the cached JWKS -> the library tries to refetch -> OfflineFetchRefused)
      ['KidNotFoundInJwksError', 'JwtInvalidSignatureError', 'WaitPeriodNotYetEndedJwkError', 'OfflineFetchRefused'], 'pool keys: ');
  });
});
