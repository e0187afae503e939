// Managed-login SSO sessions in Debian's Chromium (playwright-core), driven by openid-client 6 (code + PKCE) and read with the
// JS SDK v3: in a pool with session tracking ENABLED, a sign-in on the pages is listed by AdminListUserSessions as an SSO
// session (client, IP address, the browser's DeviceType) and its tokens' session as a TOKEN session whose OriginSessionId is
// the SSO session; the next authorization request signs the browser in silently; AdminRevokeUserSession on the SSO session
// sends the browser back to the sign-in page while the tokens keep working; SSOSession.MaxValidityMinutes 0 always prompts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import {
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  ListUserSessionsCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, PW1, RUN, publicClient } from '../lib/helpers.js';
import { fillSignIn, launchBrowser, newPage, notConfigured, safePath } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT);
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;

describe('SSO sessions of the managed-login pages: listed, reused, revoked (Chromium, JS SDK v3)', { skip: PENDING || false, timeout: 240000 }, () => {
  let S, browser, context, page, config, firstTokens;
  const username = `sso-${RUN}`;

  before(async () => {
    S = await hostedPool({ endpoint: ENDPOINT, region: 'us-east-1', tag: 'sso', callbackUrls: [REDIRECT], confidential: false });
    await S.admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: S.poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 20 } }));
    await S.createUser(username, `${username}@example.com`);
    config = await oidc.discovery(new URL(`${ENDPOINT}/${S.poolId}`), S.spa.ClientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser));
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await S?.cleanup();
  });

  /** Opens an authorization URL (code + PKCE + state); returns the checks for the code grant. */
  async function authorize() {
    const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
    const expectedState = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid email aws.cognito.signin.user.admin', state: expectedState,
      code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier), code_challenge_method: 'S256',
    });
    await page.goto(url.href);
    await page.waitForLoadState('domcontentloaded');
    return { pkceCodeVerifier, expectedState };
  }

  const atCallback = () => page.url().startsWith(REDIRECT);
  const sessions = async () => (await S.admin.send(new AdminListUserSessionsCommand({ UserPoolId: S.poolId, Username: username }))).Sessions;

  it('lists the sign-in as an SSO session and its tokens as a TOKEN session from it; reuse is silent', async () => {
    const checks = await authorize();
    assert.equal(new URL(page.url()).pathname, '/login', `the sign-in page first (${safePath(page.url())})`);
    await fillSignIn(page, username, PW1);
    await page.waitForURL((u) => u.href.startsWith(REDIRECT));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), checks);
    firstTokens = tokens;

    const listed = await sessions();
    const sso = listed.find((s) => s.SessionType === 'SSO');
    const token = listed.find((s) => s.SessionType === 'TOKEN');
    assert.ok(sso && token, JSON.stringify(listed));
    assert.match(sso.SessionId, /^sso[a-z2-7]{25}$/);
    assert.equal(sso.ClientId, S.spa.ClientId);
    assert.equal(sso.DeviceType, 'Chrome on Linux', "the browser's User-Agent");
    assert.match(sso.LastIPAddress, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    assert.equal(token.OriginSessionId, sso.SessionId);

    const pub = publicClient({ endpoint: ENDPOINT, region: 'us-east-1' });
    try {
      const own = (await pub.send(new ListUserSessionsCommand({ AccessToken: tokens.access_token }))).Sessions;
      assert.deepEqual(own.filter((s) => s.IsCurrentSession).map((s) => s.SessionId), [token.SessionId]);
    } finally {
      pub.destroy();
    }

    const again = await authorize();
    assert.ok(atCallback(), `signed in silently (${safePath(page.url())})`);
    await oidc.authorizationCodeGrant(config, new URL(page.url()), again);
  });

  it('AdminRevokeUserSession on the SSO session: the browser signs in again, the tokens still refresh', async () => {
    const before = await sessions();
    const sso = before.find((s) => s.SessionType === 'SSO');
    const tokenSessions = before.filter((s) => s.SessionType === 'TOKEN');
    await S.admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: S.poolId, Username: username, SessionId: sso.SessionId }));
    const after = await sessions();
    assert.equal(after.filter((s) => s.SessionType === 'SSO').length, 0);
    assert.equal(after.length, tokenSessions.length, 'NONE leaves the token sessions');

    await authorize();
    assert.equal(new URL(page.url()).pathname, '/login', `revoked: the sign-in page again (${safePath(page.url())})`);
    const refreshed = await oidc.refreshTokenGrant(config, firstTokens.refresh_token);
    assert.ok(refreshed.access_token, 'the token session that came through it still refreshes');
  });

  it('MaxValidityMinutes 0: the client always prompts, even with a live SSO session', async () => {
    await fillSignIn(page, username, PW1);
    await page.waitForURL((u) => u.href.startsWith(REDIRECT));
    await S.admin.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: S.poolId, ClientId: S.spa.ClientId, SSOSession: { MaxValidityMinutes: 0 } }));
    await authorize();
    assert.equal(new URL(page.url()).pathname, '/login', `MaxValidityMinutes 0 prompts (${safePath(page.url())})`);
    assert.equal((await sessions()).filter((s) => s.SessionType === 'SSO').length, 1, 'the SSO session itself is still there');
  });
});
