// Amplify v6 (aws-amplify 6.22.1) signInWithRedirect / signOut in Chromium. Amplify builds https://{domain}/oauth2/… and
// https://{domain}/logout itself, so the domain is Cognate's development HTTPS listener (`--https`, a locally generated
// certificate for localhost; Chromium runs with --ignore-certificate-errors), in two forms: the server's own
// `localhost:PORT`, and the pool's prefix domain `{prefix}.auth.{region}.localhost:PORT` (served by Host header, as
// `{prefix}.auth.{region}.amazoncognito.com` is on AWS). The app is lib/amplify-app.js bundled for the
// browser with esbuild at test time and served on loopback; userPoolEndpoint points Amplify's API calls (RevokeToken on
// sign-out) at Cognate too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import * as oidc from 'openid-client';
import { ENDPOINT, PW1, RUN } from '../lib/helpers.js';
import { currentStep, notConfigured, hostedSignIn, launchBrowser, newPage } from '../lib/hosted-login.js';
import { OIDC_SCOPES, hostedPool } from '../lib/hosted-setup.js';
import { serveApp } from '../lib/static-app.js';

const HTTPS = process.env.COGNATE_HTTPS_ENDPOINT ?? '';
const PENDING = notConfigured(ENDPOINT) || notConfigured(HTTPS, 'COGNATE_HTTPS_ENDPOINT (the development HTTPS listener, --https)');

/** The app page: Hub events recorded before Amplify.configure (the OAuth listener completes the redirect on configure). */
function appHtml(config) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Amplify app</title>
<script src="/amplify-app.js"></script></head><body><p id="status">loading</p><script>
const { Amplify, Hub, fetchAuthSession, getCurrentUser } = window.amplifyApp;
window.events = [];
Hub.listen('auth', ({ payload }) => { window.events.push(payload.event); });
Amplify.configure(${JSON.stringify(config)});
window.appState = async () => {
  try {
    const user = await getCurrentUser();
    const { tokens } = await fetchAuthSession();
    return { signedIn: true, username: user.username, userId: user.userId, email: tokens.idToken.payload.email,
      scope: tokens.accessToken.payload.scope, clientId: tokens.accessToken.payload.client_id };
  } catch (e) {
    return { signedIn: false, error: e.name };
  }
};
</script></body></html>`;
}

/** The app's pages, one per form of the domain Amplify is given: path → 'own' | 'prefix'. */
const DOMAINS = { '/': 'own', '/prefix/': 'prefix' };

describe('Amplify v6 signInWithRedirect / signOut in Chromium over the development HTTPS', { skip: PENDING || false, timeout: 240000 }, () => {
  let S, app, browser;
  const configs = {};
  const username = `amp-user-${RUN}`;
  const email = `amp-user-${RUN}@example.com`;

  before(async () => {
    const bundle = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('../lib/amplify-app.js', import.meta.url))],
      bundle: true, format: 'iife', platform: 'browser', target: 'es2020', write: false, logLevel: 'error',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    app = await serveApp((path) => (configs[path] ? appHtml(configs[path]) : '<!doctype html><title>not found</title>'),
      { '/amplify-app.js': { type: 'text/javascript', body: bundle.outputFiles[0].contents } });
    const urls = Object.keys(DOMAINS).map((path) => `${app.origin}${path}`);
    S = await hostedPool({ endpoint: ENDPOINT, region: 'us-east-1', tag: 'amp', callbackUrls: urls, logoutUrls: urls });
    await S.createUser(username, email);
    const port = new URL(HTTPS).port;
    for (const [path, form] of Object.entries(DOMAINS)) {
      configs[path] = {
        Auth: {
          Cognito: {
            userPoolId: S.poolId,
            userPoolClientId: S.spa.ClientId,
            userPoolEndpoint: HTTPS,
            loginWith: {
              oauth: {
                domain: form === 'own' ? `localhost:${port}` : `${S.domain}.auth.us-east-1.localhost:${port}`,
                scopes: OIDC_SCOPES,
                redirectSignIn: [`${app.origin}${path}`],
                redirectSignOut: [`${app.origin}${path}`],
                responseType: 'code',
              },
            },
          },
        },
      };
    }
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await app?.close(); await S?.cleanup(); });

  async function appState(page) {
    await page.waitForFunction(() => typeof window.appState === 'function', null, { timeout: 15000 });
    return page.evaluate(() => window.appState());
  }

  for (const [path, form] of Object.entries(DOMAINS)) {
    it(`${form === 'own' ? 'domain = Cognate\'s localhost:PORT' : 'domain = the prefix domain {prefix}.auth.us-east-1.localhost:PORT'}: signInWithRedirect → hosted sign-in → back signed in; signOut → /logout → signed out, refresh token revoked`, async () => {
      await journey(path);
    });
  }

  async function journey(path) {
    const appUrl = `${app.origin}${path}`;
    const domain = configs[path].Auth.Cognito.loginWith.oauth.domain;
    const onDomain = (u) => u.host === domain;
    const { context, page } = await newPage(browser);
    try {
      await page.goto(appUrl);
      assert.equal((await appState(page)).signedIn, false);

      await page.evaluate(() => { window.amplifyApp.signInWithRedirect(); });
      await page.waitForURL(onDomain);
      await hostedSignIn(page, { username, password: PW1, redirectUri: appUrl });
      await page.waitForFunction(() => window.events?.some((e) => e.startsWith('signInWithRedirect')), null, { timeout: 15000 });
      const events = await page.evaluate(() => window.events);
      assert.ok(events.includes('signInWithRedirect'), `Hub events: ${events.join(', ')}`);
      assert.ok(!events.includes('signInWithRedirect_failure'), `Hub events: ${events.join(', ')}`);

      const state = await appState(page);
      assert.equal(state.signedIn, true, `signed in (${state.error ?? ''})`);
      assert.equal(state.username, username);
      assert.equal(state.email, email);
      assert.equal(state.clientId, S.spa.ClientId);
      assert.deepEqual(state.scope.split(' ').sort(), [...OIDC_SCOPES].sort());
      assert.ok(!new URL(page.url()).searchParams.has('code'), 'Amplify took the code out of the address bar');

      // Amplify keeps the refresh token in localStorage; signOut revokes it (RevokeToken on userPoolEndpoint).
      const refreshToken = await page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('CognitoIdentityServiceProvider.') && k.endsWith('.refreshToken'));
        return key ? localStorage.getItem(key) : null;
      });
      assert.ok(refreshToken, 'a refresh token in Amplify\'s storage');

      // Amplify revokes, clears its storage and goes to https://{domain}/logout?client_id&logout_uri, which 302s back to the app
      // (at the network level: the address bar never shows /logout, so the response and the next load are awaited).
      const logout = page.waitForResponse((r) => r.url().startsWith(`https://${domain}/logout?`));
      const loaded = page.waitForEvent('load');
      loaded.catch(() => {}); // awaited below; a failure before then must not surface as an unhandled rejection
      await page.evaluate(() => { window.amplifyApp.signOut(); });
      const res = await logout;
      assert.equal(res.status(), 302);
      assert.equal(res.headers().location, appUrl);
      const sent = new URL(res.url()).searchParams;
      assert.equal(sent.get('client_id'), S.spa.ClientId);
      assert.equal(sent.get('logout_uri'), appUrl);
      await loaded;
      assert.equal((await appState(page)).signedIn, false);

      const config = await oidc.discovery(new URL(`${ENDPOINT}/${S.poolId}`), S.spa.ClientId, undefined, oidc.None(),
        { execute: [oidc.allowInsecureRequests], timeout: 5 });
      await assert.rejects(oidc.refreshTokenGrant(config, refreshToken), (e) => e?.error === 'invalid_grant', 'the refresh token was revoked');

      // The managed-login session is gone too: the next signInWithRedirect shows the sign-in page.
      await page.evaluate(() => { window.amplifyApp.signInWithRedirect(); });
      await page.waitForURL(onDomain);
      assert.equal(await currentStep(page, appUrl), 'signin');
    } finally {
      await context.close();
    }
  }
});
