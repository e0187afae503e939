// The OAuth 2.0 token and revocation endpoints through clients nobody here wrote:
//  (a) openid-client 6 (panva), configured by hand with the token and revocation endpoints (discovery does not advertise
//      them yet): client_credentials with client_secret_basic and client_secret_post, refresh_token, token revocation,
//      and every error it surfaces;
//  (b) aws-jwt-verify: the client_credentials access token verifies with tokenUse access, clientId and scope checks
//      against the server started with the AWS-form issuer (JWKS fed with cacheJwks(), no network).
// Secrets and tokens are never printed: comparisons use assert.ok with fixed messages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  API, AWS_ISSUER_ENDPOINT, ENDPOINT, PW1, READ, RUN, WRITE, adminClient, createApiResourceServer, decodeJwt, getJson, offlineVerifier,
  publicClient, rejectsWith, requireEndpoint, secretHash,
} from '../lib/helpers.js';

/** A pool with a resource server (read, write), a domain, an M2M client and a confidential user client, on `endpoint`. */
async function setup(endpoint, region, tag) {
  const admin = adminClient({ endpoint, region });
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-oauth-${tag}-${RUN}` }))).UserPool.Id;
  await createApiResourceServer(admin, poolId);
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `node-oauth-${tag}-${RUN}` }));
  const m2m = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [READ, WRITE],
  }))).UserPoolClient;
  const app = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'app', GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }))).UserPoolClient;
  const cleanup = () => admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  return { admin, poolId, m2m, app, cleanup };
}

/**
 * openid-client configuration for Cognate's own issuer and endpoints, built by hand (the discovery document does not list
 * the OAuth endpoints yet). http on loopback, so insecure requests are allowed.
 */
async function configure(poolId, clientId, _unused, auth) {
  const config = new oidc.Configuration(
    { issuer: `${ENDPOINT}/${poolId}`, token_endpoint: `${ENDPOINT}/oauth2/token`, revocation_endpoint: `${ENDPOINT}/oauth2/revoke` },
    clientId, undefined, auth,
  );
  oidc.allowInsecureRequests(config);
  return config;
}

/** Rejects with an OAuth error whose `error` member is `code`. */
async function oauthError(promise, code, what) {
  try {
    await promise;
  } catch (err) {
    // A 401 carries a WWW-Authenticate challenge (RFC 6749 §5.2); openid-client reports it as the challenge's error.
    const got = err?.error ?? err?.cause?.[0]?.parameters?.error;
    assert.equal(got, code, `${what}: expected ${code}, got ${got ?? err?.name}`);
    return err;
  }
  assert.fail(`${what}: expected ${code}, call succeeded`);
}

describe('openid-client 6: /oauth2/token and /oauth2/revoke', { timeout: 120000 }, () => {
  let S;
  before(async () => {
    requireEndpoint();
    S = await setup(ENDPOINT, 'us-east-1', 'oc');
  });
  after(async () => { await S?.cleanup(); S?.admin.destroy(); });

  it('client_credentials with client_secret_basic: custom scopes, sub = client_id, no user claims', async () => {
    const config = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretBasic(S.m2m.ClientSecret));
    const t = await oidc.clientCredentialsGrant(config, { scope: READ });
    assert.equal(t.token_type.toLowerCase(), 'bearer');
    assert.equal(t.expires_in, 3600);
    assert.equal(t.refresh_token, undefined);
    assert.equal(t.id_token, undefined);
    const c = decodeJwt(t.access_token).payload;
    assert.equal(c.scope, READ);
    assert.equal(c.sub, S.m2m.ClientId);
    assert.equal(c.client_id, S.m2m.ClientId);
    assert.equal(c.token_use, 'access');
    assert.equal(c.version, 2);
    assert.equal(c.username, undefined);
  });

  it('client_credentials with client_secret_post and no scope: every custom scope of the client', async () => {
    const config = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretPost(S.m2m.ClientSecret));
    const t = await oidc.clientCredentialsGrant(config);
    assert.deepEqual(decodeJwt(t.access_token).payload.scope.split(' ').sort(), [READ, WRITE].sort());
  });

  it('the client_credentials token is not a user token: GetUser refuses it', async () => {
    const config = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretBasic(S.m2m.ClientSecret));
    const t = await oidc.clientCredentialsGrant(config);
    const pub = publicClient();
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: t.access_token })), 'NotAuthorizedException');
    pub.destroy();
  });

  it('errors: wrong secret, unknown client, scope not allowed, grant not allowed, unsupported grant type, wrong content type', async () => {
    const wrong = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretBasic(`${S.m2m.ClientSecret}x`));
    await oauthError(oidc.clientCredentialsGrant(wrong), 'invalid_client', 'wrong secret (basic)');
    const wrongPost = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretPost('not-the-secret'));
    await oauthError(oidc.clientCredentialsGrant(wrongPost), 'invalid_client', 'wrong secret (post)');
    const unknown = await configure(S.poolId, 'nosuchclient00000000000000', null, oidc.ClientSecretBasic('whatever'));
    await oauthError(oidc.clientCredentialsGrant(unknown), 'invalid_client', 'unknown client');

    const m2m = await configure(S.poolId, S.m2m.ClientId, null, oidc.ClientSecretBasic(S.m2m.ClientSecret));
    await oauthError(oidc.clientCredentialsGrant(m2m, { scope: `${API}/admin` }), 'invalid_scope', 'scope not allowed');
    await oauthError(oidc.clientCredentialsGrant(m2m, { scope: 'openid' }), 'invalid_scope', 'reserved scope');
    await oauthError(oidc.genericGrantRequest(m2m, 'password', { username: 'u', password: 'p' }), 'unsupported_grant_type', 'password grant');

    const app = await configure(S.poolId, S.app.ClientId, null, oidc.ClientSecretBasic(S.app.ClientSecret));
    await oauthError(oidc.clientCredentialsGrant(app), 'unauthorized_client', 'grant not allowed for the client');
    const pubClient = (await S.admin.send(new CreateUserPoolClientCommand({ UserPoolId: S.poolId, ClientName: 'spa' }))).UserPoolClient;
    const spa = await configure(S.poolId, pubClient.ClientId, null, oidc.None());
    await oauthError(oidc.clientCredentialsGrant(spa), 'unauthorized_client', 'public client asking client_credentials');

    const res = await fetch(`${ENDPOINT}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${S.m2m.ClientId}:${S.m2m.ClientSecret}`).toString('base64')}` },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { error: 'invalid_request' });
  });

  it('refresh_token grant, then revocation: the revoked refresh token is invalid_grant and its access token dies', async () => {
    const username = `node-oauth-user-${RUN}`;
    await S.admin.send(new AdminCreateUserCommand({ UserPoolId: S.poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await S.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: S.poolId, Username: username, Password: PW1, Permanent: true }));
    const ar = (await S.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: S.poolId, ClientId: S.app.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: PW1, SECRET_HASH: secretHash(username, S.app.ClientId, S.app.ClientSecret) },
    }))).AuthenticationResult;

    const config = await configure(S.poolId, S.app.ClientId, null, oidc.ClientSecretBasic(S.app.ClientSecret));
    const refreshed = await oidc.refreshTokenGrant(config, ar.RefreshToken);
    assert.ok(refreshed.access_token && refreshed.id_token, 'refresh returns access and ID tokens');
    assert.equal(refreshed.claims().sub, decodeJwt(ar.IdToken).payload.sub);
    assert.equal(decodeJwt(refreshed.access_token).payload.origin_jti, decodeJwt(ar.AccessToken).payload.origin_jti);

    const other = (await S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'other', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    const otherConfig = await configure(S.poolId, other.ClientId, null, oidc.ClientSecretBasic(other.ClientSecret));
    await oauthError(oidc.refreshTokenGrant(otherConfig, ar.RefreshToken), 'invalid_grant', "another client's refresh token");

    await oidc.tokenRevocation(config, ar.RefreshToken);
    await oidc.tokenRevocation(config, ar.RefreshToken); // already revoked: still 200 (RFC 7009 §2.2)
    await oauthError(oidc.refreshTokenGrant(config, ar.RefreshToken), 'invalid_grant', 'refresh with a revoked token');
    const pub = publicClient();
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: refreshed.access_token })), 'NotAuthorizedException');
    pub.destroy();

    await oauthError(oidc.tokenRevocation(config, ar.AccessToken), 'unsupported_token_type', 'revoking an access token');
    const wrong = await configure(S.poolId, S.app.ClientId, null, oidc.ClientSecretBasic('wrong'));
    await oauthError(oidc.tokenRevocation(wrong, ar.RefreshToken), 'invalid_client', 'revocation with a wrong secret');
  });
});

describe('aws-jwt-verify: client_credentials access tokens (AWS-form issuer server)', { timeout: 120000 }, () => {
  let S, jwks, config;
  const region = 'eu-west-1';
  before(async () => {
    requireEndpoint(AWS_ISSUER_ENDPOINT);
    S = await setup(AWS_ISSUER_ENDPOINT, region, 'jv');
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${S.poolId}/.well-known/jwks.json`)).json;
    config = new oidc.Configuration(
      { issuer: `https://cognito-idp.${region}.amazonaws.com/${S.poolId}`, token_endpoint: `${AWS_ISSUER_ENDPOINT}/oauth2/token` },
      S.m2m.ClientId, undefined, oidc.ClientSecretBasic(S.m2m.ClientSecret),
    );
    oidc.allowInsecureRequests(config);
  });
  after(async () => { await S?.cleanup(); S?.admin.destroy(); });

  const verifier = (props) => offlineVerifier({ userPoolId: S.poolId, ...props }, jwks);

  it('verifies with tokenUse access, clientId and a granted scope', async () => {
    const t = await oidc.clientCredentialsGrant(config, { scope: `${READ} ${WRITE}` });
    const claims = await verifier({ tokenUse: 'access', clientId: S.m2m.ClientId, scope: READ }).verify(t.access_token);
    assert.equal(claims.iss, `https://cognito-idp.${region}.amazonaws.com/${S.poolId}`);
    assert.equal(claims.sub, S.m2m.ClientId);
  });

  it('is refused for a scope it was not granted, another client id, or tokenUse id', async () => {
    const t = await oidc.clientCredentialsGrant(config, { scope: READ });
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.m2m.ClientId, scope: WRITE }).verify(t.access_token), 'JwtInvalidScopeError');
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.app.ClientId }).verify(t.access_token), 'CognitoJwtInvalidClientIdError');
    await rejectsWith(verifier({ tokenUse: 'id', clientId: S.m2m.ClientId }).verify(t.access_token), 'CognitoJwtInvalidTokenUseError');
  });
});
