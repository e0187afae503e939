// oidc-client-ts 3.5.0 in Chromium, configured as AWS's React quick start configures it (react-oidc-context is a thin
// wrapper over this UserManager): authority = the pool's issuer, client_id, redirect_uri = the app's root,
// response_type "code", scope "email openid phone". The library's own browser build (dist/browser, from node_modules, no
// CDN) runs in a one-page app served on loopback. signinRedirect() → the hosted sign-in page → signinCallback() →
// getUser() has the profile's email; sign-out the quick start's way (the /logout URL built by hand with client_id and
// logout_uri) and through signoutRedirect() on the advertised end_session_endpoint (with client_id and logout_uri added).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ENDPOINT, PW1, RUN } from '../lib/helpers.js';
import { currentStep, notConfigured, hostedSignIn, launchBrowser, withPage } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { serveApp } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT);
const require = createRequire(import.meta.url);
const OIDC_BROWSER_BUILD = join(dirname(require.resolve('oidc-client-ts/package.json')), 'dist/browser/oidc-client-ts.min.js');

/**
 * The app: the quick start's configuration, a callback handled on load (as react-oidc-context does when the URL has
 * code/state), and the results in window.appResult for the test. `cognitoDomain` is the domain's base URL (on Cognate:
 * its own URL), used to build the quick start's logout URL.
 */
function appHtml({ authority, clientId, cognitoDomain }) {
  const cfg = JSON.stringify({ authority, clientId, cognitoDomain });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>oidc-client-ts app</title>
<script src="/oidc-client-ts.min.js"></script></head><body><main><p id="status">loading</p></main>
<script>
const cfg = ${cfg};
const cognitoAuthConfig = {
  authority: cfg.authority,
  client_id: cfg.clientId,
  redirect_uri: location.origin + '/',
  response_type: 'code',
  scope: 'email openid phone',
};
const mgr = new oidc.UserManager(cognitoAuthConfig);
window.mgr = mgr;
// The quick start's signOutRedirect: Cognito's /logout wants client_id and logout_uri, so it builds the URL by hand.
window.signOutRedirect = async () => {
  await mgr.removeUser();
  location.href = cfg.cognitoDomain + '/logout?client_id=' + cfg.clientId + '&logout_uri=' + encodeURIComponent(location.origin + '/');
};
(async () => {
  const p = new URLSearchParams(location.search);
  if (p.has('error')) throw new Error('authorization error: ' + p.get('error'));
  if (p.has('code') && p.has('state')) {
    await mgr.signinCallback();
    history.replaceState({}, document.title, location.pathname);
  }
  const user = await mgr.getUser();
  document.getElementById('status').textContent = user ? 'Hello ' + user.profile.email : 'Signed out';
  return user
    ? { signedIn: true, email: user.profile.email, sub: user.profile.sub, iss: user.profile.iss, aud: user.profile.aud,
        scope: user.scope, tokenType: user.token_type, hasAccess: !!user.access_token, hasId: !!user.id_token,
        hasRefresh: !!user.refresh_token, expired: user.expired }
    : { signedIn: false };
})().then((r) => { window.appResult = r; }, (e) => { window.appResult = { error: String(e && e.message || e) }; });
</script></body></html>`;
}

describe('oidc-client-ts 3.5.0 in Chromium (AWS React quick start configuration)', { skip: PENDING || false, timeout: 240000 }, () => {
  let S, app, browser;
  const username = `ots-user-${RUN}`;
  const email = `ots-user-${RUN}@example.com`;

  before(async () => {
    // The app's origin (its port) is in the callback URL, so the app is up before the client is created.
    let html = '';
    app = await serveApp(() => html, {
      '/oidc-client-ts.min.js': { type: 'text/javascript', body: readFileSync(OIDC_BROWSER_BUILD) },
    });
    S = await hostedPool({
      endpoint: ENDPOINT, region: 'us-east-1', tag: 'ots', callbackUrls: [`${app.origin}/`], logoutUrls: [`${app.origin}/`],
    });
    await S.createUser(username, email);
    html = appHtml({ authority: `${ENDPOINT}/${S.poolId}`, clientId: S.spa.ClientId, cognitoDomain: ENDPOINT });
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await app?.close(); await S?.cleanup(); });

  /** Load the app and wait for its start-up (callback handling included); resolves with window.appResult. */
  async function appState(page) {
    await page.waitForFunction(() => window.appResult !== undefined, null, { timeout: 15000 });
    const r = await page.evaluate(() => window.appResult);
    assert.equal(r.error, undefined, `app error: ${r.error}`);
    return r;
  }

  /** Wait until signinRedirect() has taken the browser away from the app (the app's root is also its redirect_uri). */
  async function leftApp(page) {
    await page.waitForURL((u) => u.origin !== app.origin);
  }

  /**
   * Run `action` (a navigation to Cognate's /logout) and wait for the app to load again: the 302 back to the app happens
   * at the network level, so the address never shows /logout; the request and the next load event are what can be seen.
   */
  async function backFromLogout(page, action) {
    const logout = page.waitForResponse((r) => new URL(r.url()).pathname === '/logout' && new URL(r.url()).origin === new URL(ENDPOINT).origin);
    const loaded = page.waitForEvent('load');
    loaded.catch(() => {}); // awaited below; a failure before then must not surface as an unhandled rejection
    await action();
    const res = await logout;
    if (res.status() !== 302) {
      const sent = [...new URL(res.url()).searchParams.keys()].join(', ');
      assert.fail(`/logout answered ${res.status()} to a request with ${sent}: ${(await res.text().catch(() => '')).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
    }
    assert.equal(res.headers().location, `${app.origin}/`, 'to the logout_uri');
    await loaded;
    assert.equal(page.url(), `${app.origin}/`);
  }

  /** signinRedirect() from the app, then the hosted sign-in page; resolves with the app's state after the callback. */
  async function signIn(page) {
    await page.goto(`${app.origin}/`);
    assert.equal((await appState(page)).signedIn, false);
    await page.evaluate(() => { window.mgr.signinRedirect(); });
    await leftApp(page);
    await hostedSignIn(page, { username, password: PW1, redirectUri: `${app.origin}/` });
    return appState(page);
  }

  it('signinRedirect → hosted sign-in → signinCallback → getUser() has the profile email', async () => {
    await withPage(browser, async (page) => {
      const user = await signIn(page);
      assert.equal(user.signedIn, true);
      assert.equal(user.email, email);
      assert.equal(user.iss, `${ENDPOINT}/${S.poolId}`);
      assert.equal(user.aud, S.spa.ClientId);
      assert.deepEqual(user.scope.split(' ').sort(), ['email', 'openid', 'phone']);
      assert.equal(user.tokenType.toLowerCase(), 'bearer');
      assert.ok(user.hasAccess && user.hasId && user.hasRefresh, 'access, ID and refresh tokens kept by the library');
      assert.equal(user.expired, false);
      assert.match(await page.locator('#status').innerText(), new RegExp(`Hello ${email.replace(/[.+]/g, '\\$&')}`));
      // The code and state are gone from the address bar; the app reloads signed in from its storage.
      await page.reload();
      assert.equal((await appState(page)).signedIn, true);
    });
  });

  it('signinSilent() refreshes through the token endpoint with the refresh_token grant', async () => {
    await withPage(browser, async (page) => {
      await signIn(page);
      const r = await page.evaluate(async () => {
        const before = await window.mgr.getUser();
        const after = await window.mgr.signinSilent();
        return { same: before.profile.sub === after.profile.sub, newAccess: before.access_token !== after.access_token, email: after.profile.email };
      });
      assert.ok(r.same, 'same subject after refresh');
      assert.ok(r.newAccess, 'a new access token');
      assert.equal(r.email, email);
    });
  });

  it('sign-out the quick start\'s way: /logout?client_id&logout_uri clears the session; the next signinRedirect shows the sign-in page', async () => {
    await withPage(browser, async (page) => {
      await signIn(page);
      await backFromLogout(page, () => page.evaluate(() => { window.signOutRedirect(); }));
      assert.equal((await appState(page)).signedIn, false);
      await page.evaluate(() => { window.mgr.signinRedirect(); });
      await leftApp(page);
      assert.equal(await currentStep(page, `${app.origin}/`), 'signin', 'the managed-login session is gone');
    });
  });

  it('signoutRedirect() on the advertised end_session_endpoint (client_id and logout_uri as extra parameters, as Cognito needs)', async () => {
    await withPage(browser, async (page) => {
      await signIn(page);
      const endSession = await page.evaluate(async () => (await window.mgr.metadataService.getEndSessionEndpoint()) ?? null);
      assert.equal(endSession, `${ENDPOINT}/logout`, 'end_session_endpoint advertised');
      // With a user, the library sends id_token_hint and no client_id; Cognito's /logout requires client_id (and answers
      // "Required String parameter 'client_id' is not present" without it), so both go in as extra parameters.
      await backFromLogout(page, () => page.evaluate(() => {
        window.mgr.signoutRedirect({ extraQueryParams: { client_id: window.mgr.settings.client_id, logout_uri: `${location.origin}/` } });
      }));
      assert.equal((await appState(page)).signedIn, false);
      await page.evaluate(() => { window.mgr.signinRedirect(); });
      await leftApp(page);
      assert.equal(await currentStep(page, `${app.origin}/`), 'signin', 'the managed-login session is gone');
    });
  });
});
