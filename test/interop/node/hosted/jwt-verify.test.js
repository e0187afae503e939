// aws-jwt-verify 5 (CognitoJwtVerifier: issuer hard-wired to https://cognito-idp.{region}.amazonaws.com/{poolId}) on every
// token the hosted flow issues, against server B (Cognate__IssuerBaseUrl in the AWS form): the ID and access tokens of the
// authorization code grant (browser step on the hosted pages), the implicit grant, the tokens of a refresh, and
// client_credentials access tokens with scope checks. The verifier's JWKS is fed with cacheJwks() from the pool's
// jwks.json; its fetcher refuses the network.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { AdminAddUserToGroupCommand, CreateGroupCommand, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ISSUER_ENDPOINT, PW1, READ, RUN, WRITE, getJson, offlineVerifier, rejectsWith } from '../lib/helpers.js';
import { notConfigured, hostedSignIn, launchBrowser, newPage } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(AWS_ISSUER_ENDPOINT, 'COGNATE_AWS_ISSUER_ENDPOINT');
const REGION = 'eu-west-1';
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;

describe('aws-jwt-verify on the hosted flow\'s tokens (AWS-form issuer server)', { skip: PENDING || false, timeout: 240000 }, () => {
  let S, jwks, browser, config, m2m, tokens, refreshed, implicit;
  const username = `ajv-user-${RUN}`;
  const email = `ajv-user-${RUN}@example.com`;
  const issuer = () => `https://cognito-idp.${REGION}.amazonaws.com/${S.poolId}`;

  const verifier = (props) => offlineVerifier({ userPoolId: S.poolId, ...props }, jwks);

  /** openid-client configured by hand: the issuer is AWS's name, the endpoints are server B's own URL. */
  function configure(clientId, auth) {
    const c = new oidc.Configuration({
      issuer: issuer(),
      authorization_endpoint: `${AWS_ISSUER_ENDPOINT}/oauth2/authorize`,
      token_endpoint: `${AWS_ISSUER_ENDPOINT}/oauth2/token`,
    }, clientId, undefined, auth);
    oidc.allowInsecureRequests(c);
    return c;
  }

  before(async () => {
    S = await hostedPool({ endpoint: AWS_ISSUER_ENDPOINT, region: REGION, tag: 'ajv', callbackUrls: [REDIRECT], flows: ['code', 'implicit'] });
    await S.createUser(username, email);
    await S.admin.send(new CreateGroupCommand({ UserPoolId: S.poolId, GroupName: 'readers' }));
    await S.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: S.poolId, Username: username, GroupName: 'readers' }));
    m2m = (await S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [READ, WRITE],
    }))).UserPoolClient;
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${S.poolId}/.well-known/jwks.json`)).json;

    // One code flow through the hosted pages (public client, PKCE), and one refresh.
    browser = await launchBrowser();
    config = configure(S.spa.ClientId, oidc.None());
    const { context, page } = await newPage(browser);
    try {
      const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
      const expectedState = oidc.randomState();
      const expectedNonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: `openid email ${READ}`, state: expectedState, nonce: expectedNonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256',
      });
      await page.goto(url.href);
      const callback = await hostedSignIn(page, { username, password: PW1, redirectUri: REDIRECT });
      tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true });

      // The implicit grant with the managed-login session: tokens in the fragment.
      await page.goto(oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, response_type: 'token', scope: `openid email ${READ}`, state: oidc.randomState(), nonce: oidc.randomNonce(),
      }).href);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT) && u.hash.includes('access_token='));
      implicit = Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.slice(1)));
    } finally {
      await context.close();
    }
    refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  });
  after(async () => { await browser?.close(); await S?.cleanup(); });

  it('code-flow ID token: tokenUse id, clientId, groups; email and nonce inside', async () => {
    const c = await verifier({ tokenUse: 'id', clientId: S.spa.ClientId, groups: 'readers' }).verify(tokens.id_token);
    assert.equal(c.iss, issuer());
    assert.equal(c.email, email);
    assert.equal(c['cognito:username'], username);
    assert.equal(typeof c.nonce, 'string');
    assert.deepEqual(c['cognito:groups'], ['readers']);
  });

  it('code-flow access token: tokenUse access, clientId, and the granted scopes (OIDC and custom)', async () => {
    const c = await verifier({ tokenUse: 'access', clientId: S.spa.ClientId, scope: READ }).verify(tokens.access_token);
    assert.equal(c.username, username);
    assert.deepEqual(c.scope.split(' ').sort(), ['email', 'openid', READ].sort());
    await verifier({ tokenUse: 'access', clientId: S.spa.ClientId, scope: 'openid' }).verify(tokens.access_token);
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.spa.ClientId, scope: WRITE }).verify(tokens.access_token), 'JwtInvalidScopeError');
  });

  it('code-flow tokens are refused for another client id or the other token use', async () => {
    await rejectsWith(verifier({ tokenUse: 'id', clientId: S.web.ClientId }).verify(tokens.id_token), 'CognitoJwtInvalidClientIdError');
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.web.ClientId }).verify(tokens.access_token), 'CognitoJwtInvalidClientIdError');
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.spa.ClientId }).verify(tokens.id_token), 'CognitoJwtInvalidTokenUseError');
    await rejectsWith(verifier({ tokenUse: 'id', clientId: S.spa.ClientId }).verify(tokens.access_token), 'CognitoJwtInvalidTokenUseError');
  });

  it('tokens from the refresh_token grant verify the same way and keep the scopes', async () => {
    const id = await verifier({ tokenUse: 'id', clientId: S.spa.ClientId }).verify(refreshed.id_token);
    assert.equal(id.email, email);
    const ac = await verifier({ tokenUse: 'access', clientId: S.spa.ClientId, scope: READ }).verify(refreshed.access_token);
    assert.equal(ac.sub, id.sub);
  });

  it('implicit-grant tokens (from the fragment) verify: ID with tokenUse id, access with tokenUse access and the custom scope', async () => {
    const id = await verifier({ tokenUse: 'id', clientId: S.spa.ClientId }).verify(implicit.id_token);
    assert.equal(id.email, email);
    const ac = await verifier({ tokenUse: 'access', clientId: S.spa.ClientId, scope: READ }).verify(implicit.access_token);
    assert.equal(ac.sub, id.sub);
  });

  it('client_credentials access tokens: scope checks pass for granted scopes and fail for others', async () => {
    const m = configure(m2m.ClientId, oidc.ClientSecretBasic(m2m.ClientSecret));
    const t = await oidc.clientCredentialsGrant(m, { scope: READ });
    const c = await verifier({ tokenUse: 'access', clientId: m2m.ClientId, scope: READ }).verify(t.access_token);
    assert.equal(c.sub, m2m.ClientId);
    await rejectsWith(verifier({ tokenUse: 'access', clientId: m2m.ClientId, scope: WRITE }).verify(t.access_token), 'JwtInvalidScopeError');
    await rejectsWith(verifier({ tokenUse: 'access', clientId: m2m.ClientId, scope: 'openid' }).verify(t.access_token), 'JwtInvalidScopeError');
  });
});
