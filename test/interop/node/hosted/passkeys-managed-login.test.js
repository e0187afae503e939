// Passkeys on the managed-login pages in Debian's Chromium (playwright-core) with a CDP virtual authenticator (ctap2,
// internal transport, resident keys, user verification), driven by openid-client 6 (code + PKCE, ID token validated by the
// library): sign in with the password → the pages offer /passkeys/add → "Add passkey" runs navigator.credentials.create →
// the redirect with a code; sign out (/logout); sign in again with the "Sign in with passkey" button → the passkey page runs
// navigator.credentials.get → the redirect with a code; the tokens' user is the passkey's. The pages are opened as
// http://localhost:PORT (the relying party id is localhost; Cognate's server listens on 127.0.0.1).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import { ListWebAuthnCredentialsCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, PW1, RUN, publicClient } from '../lib/helpers.js';
import { alertText, fillSignIn, launchBrowser, newPage, notConfigured, safePath } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT);
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;
const LOGOUT = `${APP?.origin}/signed-out`;
/** Cognate's URL as the browser opens it: the passkeys' relying party is localhost. */
const PAGES = ENDPOINT.replace('127.0.0.1', 'localhost');

describe('passkeys on the managed-login pages: /passkeys/add and the passkey button (Chromium, virtual authenticator)', { skip: PENDING || false, timeout: 240000 }, () => {
  let S, browser, context, page, config;
  const username = `pkml-${RUN}`;

  before(async () => {
    S = await hostedPool({
      endpoint: ENDPOINT, region: 'us-east-1', tag: 'pkml', callbackUrls: [REDIRECT], logoutUrls: [LOGOUT], confidential: false,
      explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      pool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
    });
    await S.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: S.poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
    await S.createUser(username, `${username}@example.com`);
    config = await oidc.discovery(new URL(`${ENDPOINT}/${S.poolId}`), S.spa.ClientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser));
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await S?.cleanup();
  });

  /** Opens the authorization URL (code + PKCE + state + nonce) on the pages' localhost origin; returns the checks. */
  async function authorize() {
    const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
    const expectedState = oidc.randomState();
    const expectedNonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid email profile aws.cognito.signin.user.admin', state: expectedState, nonce: expectedNonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256',
    });
    url.hostname = 'localhost';
    await page.goto(url.href);
    return { pkceCodeVerifier, expectedState, expectedNonce };
  }

  /** Clicks `button` and waits for the app's callback; fails with the page's alert text otherwise. */
  async function clickToCallback(button) {
    await page.getByRole('button', { name: button, exact: true }).click();
    try {
      await page.waitForURL((u) => u.href.startsWith(REDIRECT), { timeout: 15000 });
    } catch {
      assert.fail(`no redirect to the app after "${button}" (${safePath(page.url())}): ${await alertText(page)}`);
    }
    return page.url();
  }

  async function tokensFor(callback, checks) {
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { ...checks, idTokenExpected: true });
    assert.equal(tokens.claims()['cognito:username'], username);
    return tokens;
  }

  it('offers /passkeys/add after the password sign-in; "Add passkey" registers one and redirects with a code', async () => {
    const checks = await authorize();
    assert.ok(await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).isVisible(), 'passkey button on the sign-in page');
    await fillSignIn(page, username, PW1);
    await page.waitForURL((u) => u.pathname === '/passkeys/add');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Add a passkey');
    assert.ok(await page.getByRole('link', { name: 'Skip', exact: true }).isVisible());
    const tokens = await tokensFor(await clickToCallback('Add passkey'), checks);

    const pub = publicClient({ endpoint: ENDPOINT, region: 'us-east-1' });
    try {
      const { Credentials } = await pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: tokens.access_token }));
      assert.equal(Credentials.length, 1);
      assert.equal(Credentials[0].RelyingPartyId, 'localhost');
    } finally {
      pub.destroy();
    }
  });

  it('after /logout, "Sign in with passkey" signs in with the passkey: code, tokens validated by openid-client', async () => {
    await page.goto(`${PAGES}/logout?client_id=${S.spa.ClientId}&logout_uri=${encodeURIComponent(LOGOUT)}`);
    await page.waitForURL((u) => u.href.startsWith(LOGOUT));
    const checks = await authorize();
    await page.getByLabel(/^(Username|Email)$/).fill(username);
    await page.getByRole('button', { name: 'Sign in with passkey', exact: true }).click();
    await page.waitForLoadState('domcontentloaded');
    assert.match(await page.getByText(/Use your passkey/).innerText(), new RegExp(username));
    const tokens = await tokensFor(await clickToCallback('Sign in with passkey'), checks);
    assert.ok(tokens.refresh_token, 'a refresh token with the code grant');
  });
});
