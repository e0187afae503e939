// Drives Cognate's managed-login pages in Debian's Chromium (playwright-core, never a downloaded browser) the way a user
// would: by label text and button name, as fixed by the pages contract (sign in, sign up + the emailed code from the
// development outbox, TOTP MFA, new password). Each flow ends when the browser reaches the app's redirect_uri, and
// returns that URL (with ?code=…&state=… for the code grant).
// Never logs a password, code or token: failures name the page and the visible alert text only.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { ENDPOINT, outbox } from './helpers.js';

/** Debian's chromium (run.sh installs it with apt when missing); COGNATE_CHROMIUM overrides. */
export const CHROMIUM = process.env.COGNATE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/lib/chromium/chromium'].find(existsSync) ?? '/usr/bin/chromium';

/** Every page action and navigation waits at most this long (ms). */
export const STEP_TIMEOUT = 15000;

/**
 * Launch headless Chromium. `localhost` and every `*.localhost` name resolve to 127.0.0.1 (the servers listen there only);
 * `ignoreHttpsErrors` lets the development certificate of `--https` through without trusting it machine-wide.
 */
export async function launchBrowser() {
  assert.ok(existsSync(CHROMIUM), `chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30000,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--ignore-certificate-errors',
      '--host-resolver-rules=MAP localhost 127.0.0.1, MAP *.localhost 127.0.0.1',
    ],
  });
}

/** A fresh browser context (own cookies = a user with no managed-login session) and page, with bounded timeouts. */
export async function newPage(browser) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  return { context, page };
}

/** Runs `fn(page)` on a page of a new browser context (`newPage`), and closes the context however `fn` ends. */
export async function withPage(browser, fn) {
  const { context, page } = await newPage(browser);
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** True once the page is at `prefix` (the app's redirect_uri, compared without its query and fragment). */
function atRedirect(page, prefix) {
  return prefix && page.url().split(/[?#]/)[0] === prefix.split(/[?#]/)[0];
}

/** Visible text of the page's `role="alert"` elements (Cognito's error messages), or ''. */
export async function alertText(page) {
  const alerts = page.getByRole('alert');
  const n = await alerts.count();
  const texts = [];
  for (let i = 0; i < n; i++) {
    const a = alerts.nth(i);
    if (await a.isVisible()) texts.push((await a.innerText()).trim());
  }
  return texts.filter(Boolean).join(' | ');
}

const USERNAME_LABEL = /^(Username|Email)$/;

/**
 * The current step of the hosted flow: 'redirect' (at the app), 'signin', 'signup', 'confirm', 'newPassword', 'mfaSetup',
 * 'code' (TOTP / SMS / email MFA or OTP), 'selectMfa', 'choice' (passwordless), 'error' (/error page) — polled until one is
 * recognisable or STEP_TIMEOUT passes.
 */
export async function currentStep(page, redirectUri, timeout = STEP_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (atRedirect(page, redirectUri)) return 'redirect';
    try {
      const path = new URL(page.url()).pathname;
      if (path === '/error') return 'error';
      if (await page.getByTestId('totp-secret').count()) return 'mfaSetup';
      if (await visible(page.getByLabel('Confirmation code', { exact: true }))) return 'confirm';
      if (await visible(page.getByLabel('New password', { exact: true }))) return 'newPassword';
      if (await visible(page.getByRole('radio', { name: 'Authenticator app' }))) return 'selectMfa';
      if (await visible(page.getByRole('button', { name: 'Email me a code', exact: true }))
        || await visible(page.getByRole('button', { name: 'Sign in with password', exact: true }))) return 'choice';
      if (await visible(page.getByLabel('Code', { exact: true }))) return 'code';
      if (await visible(page.getByRole('button', { name: 'Sign up', exact: true }))) return 'signup';
      if (await visible(page.getByLabel('Password', { exact: true }))) return 'signin';
      if (await visible(page.getByLabel(USERNAME_LABEL))) return 'signin';
    } catch {
      // the page navigated while we looked: look again
    }
    if (Date.now() > deadline) {
      assert.fail(`hosted login: no known step at ${safePath(page.url())}; alert: ${await alertText(page).catch(() => '')}`);
    }
    await page.waitForTimeout(100);
  }
}

async function visible(locator) {
  return (await locator.count()) > 0 && locator.first().isVisible();
}

/** Path of a URL without its query (the query can hold a code or a state). */
export function safePath(url) {
  try { const u = new URL(url); return `${u.origin}${u.pathname}`; } catch { return '(unparseable)'; }
}

async function submit(page, name) {
  await page.getByRole('button', { name, exact: true }).click();
  await page.waitForLoadState('domcontentloaded');
}

/** Fill the sign-in page (label `Username` or `Email`, then `Password`) and press `Sign in`. */
export async function fillSignIn(page, username, password) {
  await page.getByLabel(USERNAME_LABEL).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submit(page, 'Sign in');
}

/**
 * Sign in on the hosted pages from wherever `page` is (usually after `page.goto(authorizeUrl)`), answering the steps that
 * follow: TOTP (`totpSecret`), new password required (`newPassword`, `attributes` = { label: value } for missing ones).
 * Resolves with the app URL the server redirected to; rejects with the page's alert text if a step failed.
 */
export async function hostedSignIn(page, { username, password, redirectUri, totpSecret, newPassword, attributes = {} }) {
  let step = await currentStep(page, redirectUri);
  assert.equal(step, 'signin', `expected the sign-in page, got ${step} at ${safePath(page.url())}`);
  await fillSignIn(page, username, password);
  return finish(page, { redirectUri, totpSecret, newPassword, attributes });
}

/** Answer challenge pages until the redirect; every step is tried once, an unexpected page or an alert fails. */
async function finish(page, { redirectUri, totpSecret, newPassword, attributes = {}, email }) {
  const done = new Set();
  for (let i = 0; i < 6; i++) {
    const step = await currentStep(page, redirectUri);
    if (step === 'redirect') return page.url();
    const alert = await alertText(page);
    if (done.has(step) || step === 'error' || step === 'signin' || step === 'signup') {
      assert.fail(`hosted login stopped at ${step} (${safePath(page.url())})${alert ? `: ${alert}` : ''}`);
    }
    done.add(step);
    if (step === 'code' && totpSecret) {
      await page.getByLabel('Code', { exact: true }).fill(totp(totpSecret, Date.now(), 'fresh'));
      await submit(page, 'Sign in');
    } else if (step === 'newPassword' && newPassword) {
      await page.getByLabel('New password', { exact: true }).fill(newPassword);
      for (const [label, value] of Object.entries(attributes)) await page.getByLabel(label, { exact: true }).fill(value);
      await submit(page, 'Change password');
    } else if (step === 'mfaSetup' && totpSecret === undefined) {
      assert.fail('hosted login: MFA setup page but the test gave no way to answer it');
    } else if (step === 'confirm' && email) {
      await page.getByLabel('Confirmation code', { exact: true }).fill(await newestCode(email));
      await submit(page, 'Confirm account');
    } else {
      assert.fail(`hosted login: step ${step} at ${safePath(page.url())} not answerable with what the test gave${alert ? `: ${alert}` : ''}`);
    }
  }
  assert.fail('hosted login: too many steps');
}

/**
 * Register on the hosted sign-up page from wherever `page` is (the /signup URL or the sign-in page's `Sign up` link):
 * `Username` (or `Email`), `Password`, one input per required attribute (`attributes` = { label: value }), `Sign up`,
 * then the code emailed to `email` (read from the development outbox) into `Confirmation code`, `Confirm account`.
 * Resolves with the app URL the server redirected to (signed in, as Cognito's managed login does after confirmation).
 */
export async function hostedSignUp(page, { username, password, email, attributes = {}, redirectUri }) {
  let step = await currentStep(page, redirectUri);
  if (step === 'signin') {
    await page.getByRole('link', { name: 'Sign up', exact: true }).click();
    await page.waitForLoadState('domcontentloaded');
    step = await currentStep(page, redirectUri);
  }
  assert.equal(step, 'signup', `expected the sign-up page, got ${step} at ${safePath(page.url())}`);
  await page.getByLabel(USERNAME_LABEL).first().fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  for (const [label, value] of Object.entries(attributes)) await page.getByLabel(label, { exact: true }).fill(value);
  await submit(page, 'Sign up');
  return finish(page, { redirectUri, email });
}

/** Newest code the development outbox holds for `email` (waits <= 5 s for one newer than any seen before). */
const seenCodes = new Map();
async function newestCode(email, endpoint = ENDPOINT) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const msgs = await outbox(email, endpoint);
    const before = seenCodes.get(email) ?? 0;
    if (msgs.length > before && msgs[0].code) {
      seenCodes.set(email, msgs.length);
      return msgs[0].code;
    }
    if (Date.now() > deadline) assert.fail(`outbox: no new code for ${email}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const lastStep = new Map();
/**
 * RFC 6238 TOTP (HMAC-SHA1, 30 s steps, 6 digits) from a base32 secret. With `fresh`, never the same time step twice for
 * one secret in this process (Cognito accepts each step's code once): waits for the next step when needed.
 */
export function totp(base32, at = Date.now(), fresh = '') {
  let stepNo = Math.floor(at / 30000);
  if (fresh) {
    const last = lastStep.get(base32);
    if (last !== undefined && stepNo <= last) stepNo = last + 1; // the server accepts the next window too
    lastStep.set(base32, stepNo);
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(stepNo));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/**
 * Why a hosted suite cannot run here, or '' when it can: only a server address missing from the environment (the suite
 * started outside test/interop/run.sh). A server that does not serve the pages or endpoints fails the tests, never skips them.
 */
export function notConfigured(endpoint, variable = 'COGNATE_ENDPOINT') {
  return endpoint ? '' : `${variable} is not set (run via test/interop/run.sh)`;
}
