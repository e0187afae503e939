// openid-client 6 (panva; certified OpenID relying party) against the hosted login, configured from the issuer alone
// (discovery), with the browser step done by Debian's Chromium on the managed-login pages (lib/hosted-login.js):
// authorization code + PKCE for a public and a confidential client, ID-token validation by the library (iss, aud, nonce,
// exp), userinfo, refresh, revocation, client_credentials, the managed-login session cookie and /logout, sign-up with the
// emailed code, TOTP MFA, and the errors a client meets (wrong verifier, reused code, another client's code, bad redirect_uri,
// wrong password). Tokens, codes and secrets are never printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import {
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  GetUserCommand,
  SetUserPoolMfaConfigCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, PW1, RUN, decodeJwt, getJson, publicClient, rejectsWith } from '../lib/helpers.js';
import { alertText, currentStep, notConfigured, hostedSignIn, hostedSignUp, launchBrowser, newPage, safePath, withPage, totp } from '../lib/hosted-login.js';
import { API, hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT);
// The app's callback and logout URLs: a real listener on loopback, opened as http://localhost:PORT.
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;
const LOGOUT = `${APP?.origin}/signed-out`;

/** openid-client configuration from the issuer's discovery document (http on loopback: insecure requests allowed). */
function discover(poolId, clientId, auth = oidc.None()) {
  return oidc.discovery(new URL(`${ENDPOINT}/${poolId}`), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests], timeout: 5 });
}

/** Rejects with an OAuth error whose `error` member is `code`. */
async function oauthError(promise, code, what) {
  try {
    await promise;
  } catch (err) {
    const got = err?.error ?? err?.cause?.[0]?.parameters?.error;
    assert.equal(got, code, `${what}: expected ${code}, got ${got ?? `${err?.name}: ${String(err?.message).slice(0, 160)}`}`);
    return err;
  }
  assert.fail(`${what}: expected ${code}, call succeeded`);
}

/** Open the authorization URL (code + PKCE S256 + state + nonce) in `page`; returns what the callback must be checked with. */
async function startAuthorization(page, config, { scope = 'openid email profile', ...extra } = {}) {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope, state: expectedState, nonce: expectedNonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256', ...extra,
  });
  await page.goto(url.href);
  return { pkceCodeVerifier, expectedState, expectedNonce };
}

describe('openid-client 6: discovery, code + PKCE through the hosted pages, refresh, userinfo, revocation', { skip: PENDING || false, timeout: 300000 }, () => {
  let S, browser, m2m;
  const username = `oc-user-${RUN}`;
  const email = `oc-user-${RUN}@example.com`;

  before(async () => {
    S = await hostedPool({ endpoint: ENDPOINT, region: 'us-east-1', tag: 'oc', callbackUrls: [REDIRECT], logoutUrls: [LOGOUT] });
    await S.createUser(username, email);
    m2m = (await S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: [`${API}/read`, `${API}/write`],
    }))).UserPoolClient;
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await S?.cleanup(); });

  /** Sign in on a fresh browser context and exchange the code; resolves with { tokens, checks, context, page }. */
  async function codeFlow(config, { scope, keep = false } = {}) {
    const { context, page } = await newPage(browser);
    try {
      const checks = await startAuthorization(page, config, { scope });
      const callback = await hostedSignIn(page, { username, password: PW1, redirectUri: REDIRECT });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { ...checks, idTokenExpected: true });
      return { tokens, checks, context, page, callback };
    } finally {
      if (!keep) await context.close();
    }
  }

  it('discovery from the issuer advertises the pool\'s authorize, token, userInfo, revoke and logout endpoints on Cognate\'s URL', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    const m = config.serverMetadata();
    assert.equal(m.issuer, `${ENDPOINT}/${S.poolId}`);
    const paths = {
      authorization_endpoint: '/oauth2/authorize', token_endpoint: '/oauth2/token', userinfo_endpoint: '/oauth2/userInfo',
      revocation_endpoint: '/oauth2/revoke', end_session_endpoint: '/logout',
    };
    for (const [member, path] of Object.entries(paths)) {
      assert.ok(m[member], `${member} advertised`);
      const u = new URL(m[member]);
      assert.equal(u.pathname, path, member);
      assert.equal(u.origin, new URL(ENDPOINT).origin, `${member} resolves for a Node client (Cognate's own URL)`);
    }
    assert.deepEqual(m.response_types_supported, ['code', 'token']);

    // Cognito advertises the domain endpoints only when the pool has a domain.
    const bare = (await S.admin.send(new CreateUserPoolCommand({ PoolName: `node-hosted-nodomain-${RUN}` }))).UserPool.Id;
    try {
      const doc = (await getJson(`${ENDPOINT}/${bare}/.well-known/openid-configuration`)).json;
      assert.equal(doc.issuer, `${ENDPOINT}/${bare}`);
      for (const member of Object.keys(paths)) assert.equal(doc[member], undefined, `${member} absent without a domain`);
    } finally {
      await S.admin.send(new DeleteUserPoolCommand({ UserPoolId: bare })).catch(() => {});
    }
  });

  it('public client: code + PKCE through the sign-in page; the library validates the ID token; userinfo by scope', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    const { tokens, checks, callback } = await codeFlow(config);
    const cb = new URL(callback);
    assert.equal(cb.searchParams.get('state'), checks.expectedState, 'state echoed verbatim');
    assert.ok(cb.searchParams.get('code'), 'a code on the callback');
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.expires_in, 3600);
    assert.ok(tokens.refresh_token, 'a refresh token with the code grant');

    const id = tokens.claims();
    assert.equal(id.iss, `${ENDPOINT}/${S.poolId}`);
    assert.equal(id.aud, S.spa.ClientId);
    assert.equal(id.token_use, 'id');
    assert.equal(id['cognito:username'], username);
    assert.equal(id.email, email);
    assert.equal(id.nonce, checks.expectedNonce);
    assert.equal(typeof id.at_hash, 'string', 'at_hash with an access token');
    assert.equal(typeof id.auth_time, 'number');

    const access = decodeJwt(tokens.access_token).payload;
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, S.spa.ClientId);
    assert.equal(access.username, username);
    assert.equal(access.sub, id.sub);
    assert.deepEqual(access.scope.split(' ').sort(), ['email', 'openid', 'profile']);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, id.sub);
    assert.equal(info.sub, id.sub);
    assert.equal(info.username, username);
    assert.equal(info.email, email);
    assert.equal(info.email_verified, 'true', 'Cognito sends *_verified as strings');

    // Without aws.cognito.signin.user.admin the access token does not open the user API.
    const pub = publicClient();
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: tokens.access_token })), 'NotAuthorizedException');
    pub.destroy();
  });

  it('scope narrowing: openid + email only gives userinfo sub, username, email, email_verified; phone scope alone is refused at authorize', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    const { tokens } = await codeFlow(config, { scope: 'openid email' });
    assert.equal(decodeJwt(tokens.access_token).payload.scope.split(' ').sort().join(' '), 'email openid');
    const info = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims().sub);
    assert.deepEqual(Object.keys(info).sort(), ['email', 'email_verified', 'sub', 'username']);
  });

  it('refresh_token grant, then revocation: refresh is invalid_grant, the refreshed access token dies', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    const { tokens } = await codeFlow(config, { scope: 'openid email aws.cognito.signin.user.admin' });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.access_token && refreshed.id_token, 'refresh returns access and ID tokens');
    assert.equal(refreshed.claims().sub, tokens.claims().sub);
    assert.equal(decodeJwt(refreshed.access_token).payload.scope.split(' ').sort().join(' '), 'aws.cognito.signin.user.admin email openid',
      'the refreshed access token keeps the granted scopes');
    const pub = publicClient();
    const me = await pub.send(new GetUserCommand({ AccessToken: refreshed.access_token }));
    assert.equal(me.Username, username);

    await oidc.tokenRevocation(config, tokens.refresh_token);
    await oauthError(oidc.refreshTokenGrant(config, tokens.refresh_token), 'invalid_grant', 'refresh with a revoked token');
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: refreshed.access_token })), 'NotAuthorizedException');
    await assert.rejects(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims().sub), 'userinfo with a revoked access token');
    pub.destroy();
  });

  it('confidential client (client_secret_basic and client_secret_post): code exchange; wrong PKCE verifier, reused code, another client\'s code: invalid_grant', async () => {
    const config = await discover(S.poolId, S.web.ClientId, oidc.ClientSecretBasic(S.web.ClientSecret));
    const { tokens } = await codeFlow(config);
    assert.equal(tokens.claims().aud, S.web.ClientId);

    // Wrong verifier.
    const { context, page } = await newPage(browser);
    try {
      const checks = await startAuthorization(page, config);
      const callback = new URL(await hostedSignIn(page, { username, password: PW1, redirectUri: REDIRECT }));
      await oauthError(oidc.authorizationCodeGrant(config, callback, { ...checks, pkceCodeVerifier: oidc.randomPKCECodeVerifier() }),
        'invalid_grant', 'wrong code_verifier');

      // A fresh code in the same browser (the session cookie skips the login page): another client cannot redeem it.
      const again = await startAuthorization(page, config);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const cb2 = new URL(page.url());
      const spa = await discover(S.poolId, S.spa.ClientId);
      await oauthError(oidc.authorizationCodeGrant(spa, cb2, again), 'invalid_grant', "another client's code");

      // And a third: redeemed once, then refused.
      const third = await startAuthorization(page, config);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const cb3 = new URL(page.url());
      await oidc.authorizationCodeGrant(config, cb3, third);
      await oauthError(oidc.authorizationCodeGrant(config, cb3, third), 'invalid_grant', 'reused code');

      // client_secret_post redeems a code too.
      const post = await discover(S.poolId, S.web.ClientId, oidc.ClientSecretPost(S.web.ClientSecret));
      const fourth = await startAuthorization(page, post);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const viaPost = await oidc.authorizationCodeGrant(post, new URL(page.url()), fourth);
      assert.equal(viaPost.claims().aud, S.web.ClientId);
    } finally {
      await context.close();
    }

    const wrong = await discover(S.poolId, S.web.ClientId, oidc.ClientSecretBasic(`${S.web.ClientSecret}x`));
    await oauthError(oidc.refreshTokenGrant(wrong, tokens.refresh_token), 'invalid_client', 'wrong client secret');
  });

  it('managed-login session: a second authorize skips the page, prompt=login does not; /logout with logout_uri clears it; the next authorize shows sign-in', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    const { context, page } = await codeFlow(config, { keep: true });
    try {
      await startAuthorization(page, config);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      assert.ok(new URL(page.url()).searchParams.get('code'), 'straight back with a code');

      // prompt=login asks again despite the session.
      await startAuthorization(page, config, { prompt: 'login' });
      assert.equal(await currentStep(page, REDIRECT), 'signin', 'prompt=login shows the sign-in page');

      // Cognito's logout (what AWS's quick starts build by hand): client_id + logout_uri.
      const logout = new URL(config.serverMetadata().end_session_endpoint);
      logout.search = new URLSearchParams({ client_id: S.spa.ClientId, logout_uri: LOGOUT }).toString();
      await page.goto(logout.href);
      assert.equal(safePath(page.url()), LOGOUT);

      await startAuthorization(page, config);
      await page.getByLabel(/^(Username|Email)$/).waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');

      // A logout_uri that is not registered is an error page, never a redirect to it.
      const bad = new URL(logout);
      bad.searchParams.set('logout_uri', `${APP.origin}/not-registered`);
      const res = await page.goto(bad.href);
      assert.notEqual(safePath(page.url()), `${APP.origin}/not-registered`);
      assert.equal(res.status(), 400);
    } finally {
      await context.close();
    }
  });

  it('TOTP MFA: the sign-in page asks for the authenticator code, then returns to the app', async () => {
    const mfaUser = `oc-totp-${RUN}`;
    await S.createUser(mfaUser, `oc-totp-${RUN}@example.com`);
    await S.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: S.poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const auth = (await S.admin.send(new AdminInitiateAuthCommand({
      UserPoolId: S.poolId, ClientId: S.spa.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: mfaUser, PASSWORD: PW1 },
    }))).AuthenticationResult;
    const pub = publicClient();
    const { SecretCode } = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: auth.AccessToken }));
    await pub.send(new VerifySoftwareTokenCommand({ AccessToken: auth.AccessToken, UserCode: totp(SecretCode, Date.now(), 'fresh') }));
    pub.destroy();
    await S.admin.send(new AdminSetUserMFAPreferenceCommand({
      UserPoolId: S.poolId, Username: mfaUser, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }));

    const config = await discover(S.poolId, S.spa.ClientId);
    await withPage(browser, async (page) => {
      const checks = await startAuthorization(page, config);
      const callback = await hostedSignIn(page, { username: mfaUser, password: PW1, redirectUri: REDIRECT, totpSecret: SecretCode });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), checks);
      assert.equal(tokens.claims()['cognito:username'], mfaUser);
    });
  });

  it('errors on the pages: wrong password shows Cognito\'s message; an unregistered redirect_uri, or another pool\'s client on this pool\'s domain, is an error page, not a redirect', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    await withPage(browser, async (page) => {
      await startAuthorization(page, config);
      await assert.rejects(hostedSignIn(page, { username, password: 'Wrong-Pass-9z!', redirectUri: REDIRECT }), /Incorrect username or password\./);
      assert.equal(new URL(page.url()).pathname, '/login');

      const evil = `${APP.origin}/evil`;
      const url = oidc.buildAuthorizationUrl(config, { redirect_uri: evil, scope: 'openid', state: 's' });
      const res = await page.goto(url.href);
      assert.notEqual(safePath(page.url()), evil, 'never redirected to an unregistered redirect_uri');
      assert.equal(res.status(), 400);
      assert.ok(await alertText(page), 'the error page says what went wrong in role=alert');

      // A pool's prefix domain ({prefix}.auth.{region}.localhost, by Host header) serves its own clients only.
      const byDomain = (clientId) => {
        const u = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state: 's' });
        u.host = `${S.domain}.auth.us-east-1.localhost:${new URL(ENDPOINT).port}`;
        u.searchParams.set('client_id', clientId);
        return u.href;
      };
      await page.goto(byDomain(S.spa.ClientId));
      assert.equal(await currentStep(page, REDIRECT), 'signin', "the pool's own client on its domain");
      const other = await hostedPool({ endpoint: ENDPOINT, region: 'us-east-1', tag: 'oc2', callbackUrls: [REDIRECT], confidential: false });
      try {
        const res2 = await page.goto(byDomain(other.spa.ClientId));
        assert.equal(res2.status(), 400, "another pool's client through this pool's domain is an error page");
        assert.notEqual(safePath(page.url()), REDIRECT);
      } finally {
        await other.cleanup();
      }
    });
  });

  it('errors redirected to the app reach openid-client as OAuth errors: PKCE plain → invalid_request, prompt=none without a session → login_required, implicit not allowed → unauthorized_client', async () => {
    const config = await discover(S.poolId, S.spa.ClientId);
    await withPage(browser, async (page) => {
      const expectedState = oidc.randomState();
      const plain = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid', state: expectedState, code_challenge: 'x'.repeat(43), code_challenge_method: 'plain',
      });
      await page.goto(plain.href);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      assert.equal(new URL(page.url()).searchParams.get('state'), expectedState, 'state echoed on the error redirect');
      await oauthError(oidc.authorizationCodeGrant(config, new URL(page.url()), { expectedState, pkceCodeVerifier: 'x'.repeat(43) }),
        'invalid_request', 'code_challenge_method=plain');

      // prompt=none without a managed-login session: back to the app with login_required, no page.
      const none = await startAuthorization(page, config, { prompt: 'none' });
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      await oauthError(oidc.authorizationCodeGrant(config, new URL(page.url()), none), 'login_required', 'prompt=none without a session');

      const implicit = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state: expectedState, response_type: 'token' });
      await page.goto(implicit.href);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const cb = new URL(page.url());
      const params = cb.hash ? new URLSearchParams(cb.hash.slice(1)) : cb.searchParams;
      assert.equal(params.get('error') ?? cb.searchParams.get('error'), 'unauthorized_client', 'implicit grant on a code-only client');
    });
  });

  it('client_credentials through the discovered configuration: custom scopes only', async () => {
    const config = await discover(S.poolId, m2m.ClientId, oidc.ClientSecretBasic(m2m.ClientSecret));
    const t = await oidc.clientCredentialsGrant(config, { scope: `${API}/read` });
    const c = decodeJwt(t.access_token).payload;
    assert.equal(c.scope, `${API}/read`);
    assert.equal(c.iss, `${ENDPOINT}/${S.poolId}`);
    await oauthError(oidc.clientCredentialsGrant(config, { scope: 'openid' }), 'invalid_scope', 'an OIDC scope on client_credentials');
  });
});

describe('openid-client 6: sign-up on the hosted pages (email as username, code from the outbox)', { skip: PENDING || false, timeout: 180000 }, () => {
  let S, browser;
  before(async () => {
    // The seed 004 web client: code + implicit, scopes email and openid, no explicit auth flows (Cognito's defaults).
    S = await hostedPool({
      endpoint: ENDPOINT, region: 'us-east-1', tag: 'su', callbackUrls: [REDIRECT], emailUsername: true,
      flows: ['code', 'implicit'], scopes: ['email', 'openid'], explicitAuthFlows: null, confidential: false,
    });
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await S?.cleanup(); });

  it('seed 004: Register → code from the outbox → back at the app signed in → Logout → sign in again', async () => {
    const email = `oc-signup-${RUN}@example.com`;
    const config = await discover(S.poolId, S.spa.ClientId);
    await withPage(browser, async (page) => {
      const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
      const expectedState = oidc.randomState();
      // The seed 004 app's "Register" button: straight to /signup with the authorize parameters.
      const authorize = oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, scope: 'openid email', state: expectedState,
        code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256',
      });
      const signup = new URL('/signup', ENDPOINT);
      signup.search = authorize.search;
      await page.goto(signup.href);
      const callback = await hostedSignUp(page, { username: email, password: PW1, email, redirectUri: REDIRECT });
      const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier, expectedState });
      assert.equal(tokens.claims().email, email);
      assert.equal(tokens.claims().email_verified, true);

      // The seed's client also has the implicit grant: with the live session, tokens come straight back in the fragment.
      const implicitState = oidc.randomState();
      const implicitNonce = oidc.randomNonce();
      await page.goto(oidc.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT, response_type: 'token', scope: 'openid email', state: implicitState, nonce: implicitNonce,
      }).href);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const fragment = new URLSearchParams(new URL(page.url()).hash.slice(1));
      assert.equal(fragment.get('state'), implicitState);
      assert.equal(fragment.get('token_type')?.toLowerCase(), 'bearer');
      assert.equal(fragment.get('expires_in'), '3600');
      assert.equal(fragment.get('refresh_token'), null, 'no refresh token with the implicit grant');
      assert.equal(new URL(page.url()).searchParams.get('access_token'), null, 'tokens never in the query');
      assert.equal(decodeJwt(fragment.get('access_token')).payload.client_id, S.spa.ClientId);
      const implicitId = decodeJwt(fragment.get('id_token')).payload;
      assert.equal(implicitId.nonce, implicitNonce);
      assert.equal(implicitId.email, email);

      // The seed's "Logout": /logout with redirect_uri + response_type clears the session and shows sign-in again;
      // the new account signs in there.
      const state2 = oidc.randomState();
      const logout = new URL(config.serverMetadata().end_session_endpoint ?? `${ENDPOINT}/logout`);
      logout.search = new URLSearchParams({ client_id: S.spa.ClientId, redirect_uri: REDIRECT, response_type: 'code', state: state2 }).toString();
      await page.goto(logout.href);
      const again = await hostedSignIn(page, { username: email, password: PW1, redirectUri: REDIRECT });
      const tokens2 = await oidc.authorizationCodeGrant(config, new URL(again), { expectedState: state2 });
      assert.equal(tokens2.claims().sub, tokens.claims().sub);
    });
  });
});
