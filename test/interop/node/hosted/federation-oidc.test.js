// Federated sign-in through a real upstream OpenID provider: panva's oidc-provider 9 on 127.0.0.1 (its development login and
// consent pages, a findAccount with known claims incl. a custom `dept`), registered in a Cognate pool with CreateIdentityProvider
// (OIDC, oidc_issuer = the local provider, discovered over loopback http as Development allows). The app is openid-client 6
// (discovery from the pool's issuer, code + PKCE); the browser is Debian's Chromium (playwright-core, never downloaded):
// app → Cognate's login page → "Sign in with CorpOIDC" → oidc-provider login → back in the app with Cognate's tokens.
// Also: the same user on a second sign-in, identity_provider=… skipping Cognate's page, an ID token for another audience and a
// forged or replayed state refused with Cognate's error page; a native user (AWS SDK v3 AdminCreateUser) linked to an upstream
// account with AdminLinkProviderForUser signs in through the upstream as itself, until AdminDisableProviderForUser removes the
// link. Tokens, codes and states are never printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import * as oidc from 'openid-client';
import Provider from 'oidc-provider';
import {
  AdminCreateUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  ListIdentityProvidersCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, PW1, RUN, adminClient } from '../lib/helpers.js';
import { alertText, launchBrowser, newPage, notConfigured } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT) || await idpApiMissing();

/** A skip reason when the server does not know the identity-provider actions yet (a branch without the IdP API), else false. */
async function idpApiMissing() {
  const admin = adminClient({ endpoint: ENDPOINT, region: 'us-east-1' });
  try {
    await admin.send(new ListIdentityProvidersCommand({ UserPoolId: 'us-east-1_probe0000', MaxResults: 1 }));
    return false;
  } catch (err) {
    return ['UnknownOperationException', 'UnsupportedOperationException'].includes(err?.name) ? 'the server has no identity-provider API (CreateIdentityProvider) yet' : false;
  } finally {
    admin.destroy();
  }
}
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;
const IDP = 'CorpOIDC';
const MIXUP = 'MixUp';
const RP = { client_id: 'cognate-rp', client_secret: `rp-secret-${RUN}` };
const OTHER_RP = { client_id: 'other-rp', client_secret: `other-secret-${RUN}` };
const ACCOUNTS = {
  ada: { sub: 'ada', email: 'ada@corp.example.com', email_verified: true, name: 'Ada Lovelace', dept: 'Analytical Engines' },
  bob: { sub: 'bob', email: 'bob@corp.example.com', email_verified: true, name: 'Bob', dept: 'Looms' },
  // Linked to a native user by AdminLinkProviderForUser (the link test only).
  cara: { sub: 'cara', email: 'cara@corp.example.com', email_verified: true, name: 'Cara Upstream', dept: 'Upstream Dept' },
};

/** Listens on 127.0.0.1 (random port); resolves with { server, origin }. */
function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** oidc-provider on loopback, with two registered relying parties whose redirect URI is Cognate's /oauth2/idpresponse. */
async function startUpstream() {
  let app = (_req, res) => { res.statusCode = 503; res.end(); };
  const { server, origin } = await listen((req, res) => app(req, res));
  const redirect_uris = [`${ENDPOINT}/oauth2/idpresponse`];
  const client = (c) => ({ ...c, redirect_uris, grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' });
  const provider = new Provider(origin, {
    clients: [client(RP), client(OTHER_RP)],
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id] ?? { sub: id, email: `${id}@corp.example.com`, email_verified: true, name: id, dept: 'Unknown' };
      return { accountId: id, async claims() { return { ...account, sub: id }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'dept'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [`cookie-key-${RUN}`] },
  });
  app = provider.callback();
  return { provider, server, origin };
}

/**
 * A misbehaving front for the upstream ("mix-up"): Cognate's MixUp provider is configured with client_id other-rp, but this
 * front sends the browser to oidc-provider as cognate-rp and redeems the code as cognate-rp. The ID token that comes back is
 * genuine (signed by the provider, right issuer and nonce) but its audience is cognate-rp, not the other-rp Cognate expects.
 */
async function startMixUpFront(upstreamOrigin) {
  return listen(async (req, res) => {
    const url = new URL(req.url, 'http://front');
    if (req.method === 'GET' && url.pathname === '/auth') {
      url.searchParams.set('client_id', RP.client_id);
      res.writeHead(302, { location: `${upstreamOrigin}/auth?${url.searchParams}` });
      res.end();
      return;
    }
    if (req.method === 'POST' && url.pathname === '/token') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      form.set('client_id', RP.client_id);
      form.set('client_secret', RP.client_secret);
      const r = await fetch(`${upstreamOrigin}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(await r.text());
      return;
    }
    res.writeHead(404);
    res.end();
  });
}

describe('federation: OIDC upstream (oidc-provider) through the managed login', { skip: PENDING || false, timeout: 300000 }, () => {
  let S, browser, upstream, front, fed, config;

  before(async () => {
    upstream = await startUpstream();
    front = await startMixUpFront(upstream.origin);
    S = await hostedPool({
      endpoint: ENDPOINT, region: 'us-east-1', tag: 'fed', callbackUrls: [REDIRECT], confidential: false,
      pool: {
        UsernameConfiguration: { CaseSensitive: true },
        Schema: [{ Name: 'dept', AttributeDataType: 'String', Mutable: true }],
      },
    });
    const mapping = { email: 'email', name: 'name', 'custom:dept': 'dept' };
    await S.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: S.poolId, ProviderName: IDP, ProviderType: 'OIDC', AttributeMapping: mapping, IdpIdentifiers: ['corp.example.com'],
      ProviderDetails: { ...RP, oidc_issuer: upstream.origin, authorize_scopes: 'openid email profile', attributes_request_method: 'GET' },
    }));
    await S.admin.send(new CreateIdentityProviderCommand({
      UserPoolId: S.poolId, ProviderName: MIXUP, ProviderType: 'OIDC', AttributeMapping: mapping,
      ProviderDetails: {
        ...OTHER_RP, oidc_issuer: upstream.origin, authorize_scopes: 'openid email profile', attributes_request_method: 'GET',
        authorize_url: `${front.origin}/auth`, token_url: `${front.origin}/token`,
      },
    }));
    fed = (await S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'fed', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [REDIRECT], SupportedIdentityProviders: ['COGNITO', IDP, MIXUP],
    }))).UserPoolClient;
    config = await oidc.discovery(new URL(`${ENDPOINT}/${S.poolId}`), fed.ClientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await S?.cleanup();
    upstream?.server.close();
    front?.server.close();
  });

  /** Opens the app's authorization URL; resolves with the checks openid-client needs at the callback. */
  async function authorize(page, extra = {}) {
    const checks = { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid email profile', state: checks.expectedState, nonce: checks.expectedNonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.pkceCodeVerifier), code_challenge_method: 'S256', ...extra,
    });
    await page.goto(url.href);
    return checks;
  }

  /** oidc-provider's development login (any password) and consent pages, as a user would fill them. */
  async function upstreamLogin(page, login) {
    await page.waitForURL((u) => u.origin === upstream.origin && u.pathname.startsWith('/interaction/'));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any-password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.waitForURL((u) => u.origin !== upstream.origin || u.pathname.startsWith('/interaction/'));
    if (new URL(page.url()).origin === upstream.origin) {
      await page.getByRole('button', { name: 'Continue' }).click();
    }
  }

  async function atApp(page) {
    await page.waitForURL((u) => u.href.startsWith(REDIRECT));
    return new URL(page.url());
  }

  /** Records the URLs the page requested (every hop of redirect chains included). */
  function recordRequests(page) {
    const urls = [];
    page.on('request', (r) => urls.push(r.url()));
    return urls;
  }

  it('app → Cognate login page → "Sign in with CorpOIDC" → upstream login → tokens naming the provider, mapped attributes incl. custom:dept', async () => {
    const { context, page } = await newPage(browser);
    try {
      const checks = await authorize(page);
      await page.waitForURL((u) => new URL(u).pathname === '/login');
      const button = page.getByRole('link', { name: `Sign in with ${IDP}` });
      assert.equal(await button.count(), 1, 'one button for the OIDC provider');
      assert.equal(await page.getByRole('link', { name: `Sign in with ${MIXUP}` }).count(), 1, 'one button per provider of the client');
      await button.click();
      await upstreamLogin(page, 'ada');
      const callback = await atApp(page);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { ...checks, idTokenExpected: true });
      const id = tokens.claims();
      assert.equal(id['cognito:username'], `${IDP}_ada`);
      assert.equal(id.email, ACCOUNTS.ada.email);
      assert.equal(id.name, ACCOUNTS.ada.name);
      assert.equal(id['custom:dept'], ACCOUNTS.ada.dept, 'custom attribute mapped from the upstream userinfo claim');
      assert.equal(id.nonce, checks.expectedNonce);
      assert.ok(Array.isArray(id.identities) && id.identities.length === 1, 'identities claim');
      const [identity] = id.identities;
      assert.equal(identity.providerName, IDP);
      assert.equal(identity.providerType, 'OIDC');
      assert.equal(identity.userId, 'ada');
      assert.equal(identity.primary, 'true');
      assert.match(identity.dateCreated, /^\d+$/);
      assert.ok(id['cognito:groups']?.includes(`${S.poolId}_${IDP}`), 'the automatic provider group');
    } finally {
      await context.close();
    }
  });

  it('a second sign-in reuses the user; identity_provider=CorpOIDC skips Cognate\'s page', async () => {
    const { context, page } = await newPage(browser);
    try {
      const seen = recordRequests(page);
      const checks = await authorize(page, { identity_provider: IDP });
      await upstreamLogin(page, 'ada');
      const callback = await atApp(page);
      assert.ok(!seen.some((u) => new URL(u).pathname === '/login'), 'Cognate\'s login page was not shown');
      const id = (await oidc.authorizationCodeGrant(config, callback, { ...checks, idTokenExpected: true })).claims();
      assert.equal(id['cognito:username'], `${IDP}_ada`);
      const users = (await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: `username = "${IDP}_ada"` }))).Users;
      assert.equal(users.length, 1, 'one federated user');
      assert.equal(users[0].UserStatus, 'EXTERNAL_PROVIDER');
      assert.equal(users[0].Attributes.find((a) => a.Name === 'sub').Value, id.sub, 'same user as the first sign-in');
    } finally {
      await context.close();
    }
  });

  it('an ID token minted for another audience (mix-up front) is refused with the error page', async () => {
    const { context, page } = await newPage(browser);
    try {
      await authorize(page, { identity_provider: MIXUP });
      await upstreamLogin(page, 'bob');
      await page.waitForURL((u) => new URL(u).pathname === '/oauth2/idpresponse');
      assert.match(await alertText(page), /audience/);
      assert.ok(!page.url().startsWith(REDIRECT), 'never sent to the app');
      const users = (await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: `username = "${MIXUP}_bob"` }))).Users;
      assert.equal(users.length, 0, 'no user created');
    } finally {
      await context.close();
    }
  });

  it('a replayed or forged state is refused with the error page', async () => {
    const { context, page } = await newPage(browser);
    try {
      const seen = recordRequests(page);
      await authorize(page, { identity_provider: IDP });
      await upstreamLogin(page, 'ada');
      await atApp(page);
      const callback = seen.find((u) => new URL(u).pathname === '/oauth2/idpresponse');
      assert.ok(callback, 'the browser went through /oauth2/idpresponse');

      // The same callback again, in the same browser: the state is single-use.
      const replay = await page.goto(callback);
      assert.equal(replay.status(), 400);
      assert.match(await alertText(page), /invalid or has expired/);

      // A state Cognate never sealed.
      const forged = new URL(callback);
      forged.searchParams.set('state', 'forged-state');
      const r = await page.goto(forged.href);
      assert.equal(r.status(), 400);
      assert.match(await alertText(page), /invalid or has expired/);
    } finally {
      await context.close();
    }
    // The victim's callback URL opened in another browser (no binding cookie) is refused too.
    const victim = await newPage(browser);
    const attacker = await newPage(browser);
    try {
      const seen = recordRequests(victim.page);
      await victim.page.route((u) => u.pathname === '/oauth2/idpresponse', (route) => route.abort());
      await authorize(victim.page, { identity_provider: IDP });
      await upstreamLogin(victim.page, 'ada').catch(() => {});
      const callback = seen.find((u) => new URL(u).pathname === '/oauth2/idpresponse');
      assert.ok(callback, 'the upstream sent the victim back to /oauth2/idpresponse');
      const r = await attacker.page.goto(callback);
      assert.equal(r.status(), 400);
      assert.match(await alertText(attacker.page), /invalid or has expired/);
    } finally {
      await victim.context.close();
      await attacker.context.close();
    }
  });

  it('AdminLinkProviderForUser (SDK v3): the upstream account signs in as the native user; AdminDisableProviderForUser unlinks it', async () => {
    const native = `native-${RUN}`;
    const nativeEmail = `${native}@app.example.com`;
    await S.admin.send(new AdminCreateUserCommand({
      UserPoolId: S.poolId, Username: native, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: nativeEmail }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: 'Native Cara' }],
    }));
    await S.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: S.poolId, Username: native, Password: PW1, Permanent: true }));
    const nativeSub = (await S.admin.send(new AdminGetUserCommand({ UserPoolId: S.poolId, Username: native }))).UserAttributes.find((a) => a.Name === 'sub').Value;

    // A source that has already signed up (ada, by the first test) cannot be linked: Cognito does not merge users.
    await assert.rejects(
      S.admin.send(new AdminLinkProviderForUserCommand({
        UserPoolId: S.poolId,
        DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native },
        SourceUser: { ProviderName: IDP, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: 'ada' },
      })),
      (err) => { assert.equal(err.name, 'InvalidParameterException'); assert.match(err.message, /Merging is not currently supported/); return true; },
    );

    await S.admin.send(new AdminLinkProviderForUserCommand({
      UserPoolId: S.poolId,
      DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: native },
      SourceUser: { ProviderName: IDP, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: ACCOUNTS.cara.sub },
    }));
    const linked = await S.admin.send(new AdminGetUserCommand({ UserPoolId: S.poolId, Username: native }));
    assert.equal(linked.UserStatus, 'CONFIRMED', 'the native user stays a native user');
    const stored = JSON.parse(linked.UserAttributes.find((a) => a.Name === 'identities')?.Value ?? '[]');
    assert.equal(stored.length, 1, 'AdminGetUser shows the link in identities');
    assert.equal(stored[0].providerName, IDP);
    assert.equal(stored[0].userId, ACCOUNTS.cara.sub);
    assert.equal(String(stored[0].primary), 'false');

    // The upstream account now signs in as the native user, which keeps its own attributes.
    const signIn = async () => {
      const { context, page } = await newPage(browser);
      try {
        const checks = await authorize(page, { identity_provider: IDP });
        await upstreamLogin(page, 'cara');
        const callback = await atApp(page);
        return (await oidc.authorizationCodeGrant(config, callback, { ...checks, idTokenExpected: true })).claims();
      } finally {
        await context.close();
      }
    };
    const id = await signIn();
    assert.equal(id['cognito:username'], native);
    assert.equal(id.sub, nativeSub);
    assert.equal(id.email, nativeEmail, 'the native user\'s own email, not the upstream\'s');
    assert.equal(id.name, 'Native Cara');
    assert.equal(id['custom:dept'], undefined, 'no upstream attribute mapped onto the native profile');
    assert.ok(Array.isArray(id.identities) && id.identities.length === 1, 'identities claim');
    assert.equal(id.identities[0].providerName, IDP);
    assert.equal(id.identities[0].providerType, 'OIDC');
    assert.equal(id.identities[0].userId, ACCOUNTS.cara.sub);
    assert.equal(id.identities[0].primary, 'false');
    assert.match(id.identities[0].dateCreated, /^\d+$/);
    assert.equal((await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: `username = "${IDP}_cara"` }))).Users.length, 0,
      'no federated user created for the linked account');

    // The status filter lists the suite's federated users, not the native one.
    const external = (await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: 'cognito:user_status = "EXTERNAL_PROVIDER"' }))).Users;
    const names = external.map((u) => u.Username);
    assert.deepEqual(names.sort(), [`${IDP}_ada`], 'the one federated user of the suite so far (MixUp_bob was refused), not the linked native user');
    assert.ok(external.every((u) => u.UserStatus === 'EXTERNAL_PROVIDER'));

    // Unlinked: the next sign-in of that account creates {Provider}_{sub}.
    await S.admin.send(new AdminDisableProviderForUserCommand({
      UserPoolId: S.poolId, User: { ProviderName: IDP, ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: ACCOUNTS.cara.sub },
    }));
    const unlinked = await S.admin.send(new AdminGetUserCommand({ UserPoolId: S.poolId, Username: native }));
    assert.equal(unlinked.UserAttributes.find((a) => a.Name === 'identities'), undefined, 'the link is gone');
    const again = await signIn();
    assert.equal(again['cognito:username'], `${IDP}_cara`);
    assert.notEqual(again.sub, nativeSub);
    assert.equal(again.email, ACCOUNTS.cara.email);
    assert.equal(again['custom:dept'], ACCOUNTS.cara.dept);
    assert.equal(again.identities[0].primary, 'true');
    const created = (await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: `username = "${IDP}_cara"` }))).Users;
    assert.equal(created.length, 1);
    assert.equal(created[0].UserStatus, 'EXTERNAL_PROVIDER');
    const externalNow = (await S.admin.send(new ListUsersCommand({ UserPoolId: S.poolId, Filter: 'cognito:user_status = "EXTERNAL_PROVIDER"' }))).Users;
    assert.deepEqual(externalNow.map((u) => u.Username).sort(), [`${IDP}_ada`, `${IDP}_cara`]);
  });
});
