// SAML 2.0 federation through Cognate as the service provider, against a real SAML IdP: samlify 2.13.1 (schema-validated
// with @authenio/samlify-node-xmllint) serving its metadata, a login form, SSO (HTTP-Redirect in, HTTP-POST out) and single
// logout on a tiny node http server on 127.0.0.1. Cognate gets the IdP by MetadataURL (loopback http is allowed in
// Development); samlify gets Cognate's SP side from GetSigningCertificate (signed AuthnRequests / LogoutRequests are
// verified by samlify) and from the provider's ActiveEncryptionCertificate (encrypted assertions).
// The app is openid-client (discovery, code + PKCE) with the browser step in Debian's Chromium (playwright-core):
// app → /oauth2/authorize?identity_provider=CorpSAML → IdP login form → POST /saml2/idpresponse → app callback → tokens whose
// identities claim names CorpSAML. Also: IdP-initiated sign-in (RelayState = the authorization parameters), a tampered
// assertion (an attribute changed after signing → the error page), encrypted assertions, and SAML single logout.
// Tokens, assertions and keys are never printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import samlify from 'samlify';
import * as xmllint from '@authenio/samlify-node-xmllint';
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, RUN, decodeJwt } from '../lib/helpers.js';
import { alertText, launchBrowser, newPage, notConfigured, safePath } from '../lib/hosted-login.js';
import { hostedPool } from '../lib/hosted-setup.js';
import { callbackServer } from '../lib/static-app.js';

const PENDING = notConfigured(ENDPOINT);
const APP = PENDING ? null : await callbackServer();
after(() => APP?.close());
const REDIRECT = `${APP?.origin}/callback`;
const LOGOUT = `${APP?.origin}/signed-out`;
const ACS = `${ENDPOINT}/saml2/idpresponse`;
const { binding } = samlify.Constants.namespace;
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
samlify.setSchemaValidator(xmllint);

/** A throwaway RSA key and self-signed certificate for the IdP (openssl; nothing is written outside a temp directory). */
function idpKeyPair() {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-saml-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2', '-subj', '/CN=samlify-test-idp',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const pem = (base64Der) => `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An HTML page that POSTs `fields` to `action` at once (the HTTP-POST binding). */
function autoPost(action, fields) {
  const inputs = Object.entries(fields).filter(([, v]) => v != null)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Posting</title></head><body>`
    + `<form method="post" action="${esc(action)}">${inputs}<noscript><button>Continue</button></noscript></form>`
    + `<script>document.forms[0].submit()</script></body></html>`;
}

/**
 * The samlify IdP server: one IdP per prefix (`plain`, `enc`), each with its own entity id, SSO and SLO endpoints; a login
 * form whose username becomes the NameID; `tamper` changes the `department` attribute after signing; `/{prefix}/idp-init`
 * starts an IdP-initiated sign-in with a given RelayState. `sps[prefix]` is set once the pool exists.
 */
async function samlIdpServer() {
  const { key, cert } = idpKeyPair();
  const pending = new Map();
  const logoutRequests = [];
  const posted = [];
  let base;
  const idps = {};
  const sps = {};

  function makeIdp(prefix, encrypted) {
    return samlify.IdentityProvider({
      entityID: `${base}/${prefix}/metadata`,
      privateKey: key,
      signingCert: cert,
      wantAuthnRequestsSigned: true,
      isAssertionEncrypted: encrypted,
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [{ Binding: binding.redirect, Location: `${base}/${prefix}/sso` }],
      singleLogoutService: [{ Binding: binding.redirect, Location: `${base}/${prefix}/slo` }],
    });
  }

  /** A signed (and, for `enc`, encrypted) Response for `user`; InResponseTo only when answering an AuthnRequest. */
  async function loginResponse(prefix, requestInfo, user, relayState, tamper) {
    const idp = idps[prefix];
    const sp = sps[prefix];
    const now = new Date();
    const later = new Date(now.getTime() + 5 * 60000);
    const attributes = { email: user, department: 'engineering', groups: ['staff', 'saml-users'] };
    const attributeXml = `<saml:AttributeStatement>${Object.entries(attributes).map(([name, value]) =>
      `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${[value].flat().map((v) =>
        `<saml:AttributeValue xsi:type="xs:string">${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`).join('')}</saml:AttributeStatement>`;
    const authn = `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="_s${randomBytes(8).toString('hex')}">`
      + '<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>';
    const fill = (template) => {
      const id = `_${randomBytes(16).toString('hex')}`;
      const withStatements = template.replace('{AuthnStatement}', authn).replace('{AttributeStatement}', attributeXml);
      const context = samlify.SamlLib.replaceTagsByValue(withStatements, {
        ID: id, AssertionID: `_${randomBytes(16).toString('hex')}`, Destination: ACS, Audience: sp.entityMeta.getEntityID(),
        SubjectRecipient: ACS, Issuer: idp.entityMeta.getEntityID(), IssueInstant: now.toISOString(), StatusCode: SUCCESS,
        ConditionsNotBefore: now.toISOString(), ConditionsNotOnOrAfter: later.toISOString(),
        SubjectConfirmationDataNotOnOrAfter: later.toISOString(), NameIDFormat: EMAIL_FORMAT, NameID: user,
        InResponseTo: requestInfo?.extract?.request?.id ?? null,
      });
      return { id, context };
    };
    let { context } = await idp.createLoginResponse(sp, requestInfo, 'post', { email: user }, { relayState, customTagReplacement: fill });
    if (tamper) {
      const xml = Buffer.from(context, 'base64').toString('utf8');
      const changed = xml.replace('>engineering<', '>executive<');
      assert.notEqual(changed, xml, 'the attribute to tamper with is in the signed assertion');
      context = Buffer.from(changed, 'utf8').toString('base64');
    }
    posted.push({ SAMLResponse: context, RelayState: relayState });
    return autoPost(ACS, { SAMLResponse: context, RelayState: relayState });
  }

  /** samlify's redirect-binding request envelope: decoded query values and the signed octet string. */
  function redirectRequest(url) {
    const raw = url.search.slice(1);
    const cut = raw.indexOf('&Signature=');
    return { query: Object.fromEntries(url.searchParams), octetString: cut < 0 ? raw : raw.slice(0, cut) };
  }

  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/html; charset=utf-8') => { res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }); res.end(body); };
    try {
      const url = new URL(req.url, base);
      const [, prefix, action] = url.pathname.split('/');
      const idp = idps[prefix];
      if (!idp) return send(404, 'no such IdP');
      if (action === 'metadata') return send(200, idp.getMetadata(), 'application/samlmetadata+xml');
      if (action === 'sso' && req.method === 'GET') {
        const requestInfo = await idp.parseLoginRequest(sps[prefix], 'redirect', redirectRequest(url));
        const ticket = randomBytes(12).toString('hex');
        pending.set(ticket, { requestInfo, relayState: url.searchParams.get('RelayState') });
        return send(200, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corp IdP sign-in</title></head><body><main>`
          + `<h1>Corp IdP</h1><form method="post" action="/${prefix}/login"><input type="hidden" name="ticket" value="${ticket}">`
          + '<label>Corporate username <input name="username" autocomplete="username"></label>'
          + '<label><input type="checkbox" name="tamper" value="1"> tamper</label>'
          + '<button type="submit">Sign in to Corp</button></form></main></body></html>');
      }
      if (action === 'login' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const form = new URLSearchParams(body);
        const flow = pending.get(form.get('ticket'));
        if (!flow) return send(400, 'unknown ticket');
        pending.delete(form.get('ticket'));
        return send(200, await loginResponse(prefix, flow.requestInfo, form.get('username'), flow.relayState, form.get('tamper') === '1'));
      }
      if (action === 'idp-init') {
        return send(200, await loginResponse(prefix, null, url.searchParams.get('user'), url.searchParams.get('relay'), false));
      }
      if (action === 'slo') {
        const parsed = await idp.parseLogoutRequest(sps[prefix], 'redirect', redirectRequest(url));
        logoutRequests.push({ nameId: parsed.extract?.nameID, sessionIndex: parsed.extract?.sessionIndex });
        const out = await idp.createLogoutResponse(sps[prefix], parsed, 'post', url.searchParams.get('RelayState'));
        return send(200, autoPost(out.entityEndpoint, { SAMLResponse: out.context, RelayState: out.relayState ?? url.searchParams.get('RelayState') }));
      }
      return send(404, 'not found');
    } catch (err) {
      return send(500, `IdP error: ${esc(err?.message ?? err)}`, 'text/plain; charset=utf-8');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  idps.plain = makeIdp('plain', false);
  idps.enc = makeIdp('enc', true);
  return {
    base, sps, logoutRequests, posted,
    metadataUrl: (prefix) => `${base}/${prefix}/metadata`,
    entityId: (prefix) => idps[prefix].entityMeta.getEntityID(),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe('SAML 2.0 federation: samlify IdP → Cognate (SP) → openid-client app', { skip: PENDING || false, timeout: 300000 }, () => {
  let S, IDP, browser, client, config;
  const user = `alice-${RUN}@corp.example`;

  before(async () => {
    IDP = await samlIdpServer();
    S = await hostedPool({ endpoint: ENDPOINT, region: 'us-east-1', tag: 'saml', callbackUrls: [REDIRECT], logoutUrls: [LOGOUT], confidential: false });
    for (const [name, prefix, extra] of [['CorpSAML', 'plain', { IDPSignout: 'true', IDPInit: 'true' }], ['CorpSAMLEnc', 'enc', { EncryptedResponses: 'true' }]]) {
      await S.admin.send(new CreateIdentityProviderCommand({
        UserPoolId: S.poolId, ProviderName: name, ProviderType: 'SAML',
        ProviderDetails: { MetadataURL: IDP.metadataUrl(prefix), RequestSigningAlgorithm: 'rsa-sha256', ...extra },
        AttributeMapping: { email: 'email' },
        IdpIdentifiers: [`${prefix}.corp-${RUN}.example`],
      }));
    }
    client = (await S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'saml-app', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [REDIRECT], LogoutURLs: [LOGOUT],
      SupportedIdentityProviders: ['CorpSAML', 'CorpSAMLEnc'],
    }))).UserPoolClient;

    // samlify's view of Cognate: the SP entity id, the ACS, the pool's signing certificate, and per provider the encryption one.
    const signing = (await S.admin.send(new GetSigningCertificateCommand({ UserPoolId: S.poolId }))).Certificate;
    const enc = (await S.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: S.poolId, ProviderName: 'CorpSAMLEnc' }))).IdentityProvider;
    const sp = (encryptCert) => samlify.ServiceProvider({
      entityID: `urn:amazon:cognito:sp:${S.poolId}`,
      authnRequestsSigned: true,
      wantAssertionsSigned: true,
      signingCert: pem(signing),
      ...(encryptCert ? { encryptCert: pem(encryptCert) } : {}),
      assertionConsumerService: [{ Binding: binding.post, Location: ACS }],
      singleLogoutService: [{ Binding: binding.post, Location: `${ENDPOINT}/saml2/logout` }],
    });
    IDP.sps.plain = sp(null);
    IDP.sps.enc = sp(enc.ProviderDetails.ActiveEncryptionCertificate);
    config = await oidc.discovery(new URL(`${ENDPOINT}/${S.poolId}`), client.ClientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests], timeout: 5 });
    browser = await launchBrowser();
  });
  after(async () => { await browser?.close(); await S?.cleanup(); await IDP?.close(); });

  /** app → Cognate → IdP login form (as `username`) → back through the ACS; resolves with the page and the checks. */
  async function spInitiated(page, provider, username, { tamper = false } = {}) {
    const checks = { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: oidc.randomState(), expectedNonce: oidc.randomNonce() };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: 'openid email profile', state: checks.expectedState, nonce: checks.expectedNonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.pkceCodeVerifier), code_challenge_method: 'S256', identity_provider: provider,
    });
    await page.goto(url.href);
    assert.equal(new URL(page.url()).origin, IDP.base, `at the IdP's login form, not ${safePath(page.url())}`);
    await page.getByLabel('Corporate username').fill(username);
    if (tamper) await page.getByLabel('tamper').check();
    await page.getByRole('button', { name: 'Sign in to Corp' }).click();
    if (!tamper) await page.waitForURL((u) => u.href.startsWith(REDIRECT));
    else await page.waitForURL((u) => u.href.startsWith(ACS));
    return checks;
  }

  function assertIdentity(idToken, provider, prefix) {
    // Cognito's ID token carries identities as a JSON array of objects whose primary / dateCreated are strings.
    const identities = idToken.identities;
    assert.ok(Array.isArray(identities), 'identities is a JSON array');
    assert.equal(identities.length, 1);
    assert.equal(identities[0].providerName, provider);
    assert.equal(identities[0].providerType, 'SAML');
    assert.equal(identities[0].userId, user);
    assert.equal(identities[0].issuer, IDP.entityId(prefix));
    assert.equal(identities[0].primary, 'true');
    assert.match(identities[0].dateCreated, /^\d+$/);
    assert.equal(idToken['cognito:username'].toLowerCase(), `${provider}_${user}`.toLowerCase());
    assert.equal(idToken.email, user);
  }

  it('SP-initiated: signed AuthnRequest to samlify, signed assertion back, the app gets tokens whose identities claim names CorpSAML', async () => {
    const { context, page } = await newPage(browser);
    try {
      const checks = await spInitiated(page, 'CorpSAML', user);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { ...checks, idTokenExpected: true });
      const id = tokens.claims();
      assert.equal(id.aud, client.ClientId);
      assert.equal(id.nonce, checks.expectedNonce);
      assertIdentity(id, 'CorpSAML', 'plain');
      assert.ok(id['cognito:groups'].includes(`${S.poolId}_CorpSAML`), 'member of the automatic group');
      assert.equal(decodeJwt(tokens.access_token).payload.username.toLowerCase(), `corpsaml_${user}`.toLowerCase());

      // Single logout: /logout sends a signed LogoutRequest to the IdP, whose LogoutResponse returns to /saml2/logout.
      await page.goto(`${ENDPOINT}/logout?client_id=${client.ClientId}&logout_uri=${encodeURIComponent(LOGOUT)}`);
      await page.waitForURL((u) => u.href.startsWith(LOGOUT));
      assert.equal(IDP.logoutRequests.length, 1, 'the IdP received one LogoutRequest');
      assert.equal(IDP.logoutRequests[0].nameId, user);
    } finally {
      await context.close();
    }
  });

  it('an assertion changed after signing is refused with the error page (no redirect to the app)', async () => {
    const { context, page } = await newPage(browser);
    try {
      const response = page.waitForResponse((r) => r.url().startsWith(ACS));
      await spInitiated(page, 'CorpSAML', user, { tamper: true });
      assert.equal((await response).status(), 400);
      assert.match(await alertText(page), /Invalid SAML response received: SAML Assertion signature is invalid\./);
      assert.ok(!page.url().startsWith(REDIRECT));
    } finally {
      await context.close();
    }
  });

  it('encrypted assertions: samlify encrypts to the provider\'s ActiveEncryptionCertificate; Cognate decrypts', async () => {
    const { context, page } = await newPage(browser);
    try {
      const checks = await spInitiated(page, 'CorpSAMLEnc', user);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { ...checks, idTokenExpected: true });
      assertIdentity(tokens.claims(), 'CorpSAMLEnc', 'enc');
    } finally {
      await context.close();
    }
  });

  it('IdP-initiated (IDPInit=true): RelayState carries the authorization parameters; a code for the app, once', async () => {
    const relay = new URLSearchParams({ identity_provider: 'CorpSAML', client_id: client.ClientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email' }).toString();
    const { context, page } = await newPage(browser);
    try {
      await page.goto(`${IDP.base}/plain/idp-init?user=${encodeURIComponent(user)}&relay=${encodeURIComponent(relay)}`);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      const code = new URL(page.url()).searchParams.get('code');
      assert.ok(code, 'a code on the callback');
      const res = await fetch(`${ENDPOINT}/oauth2/token`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: client.ClientId, code, redirect_uri: REDIRECT }),
      });
      assert.equal(res.status, 200);
      const id = decodeJwt((await res.json()).id_token).payload;
      assertIdentity(id, 'CorpSAML', 'plain');

      // The same assertion presented again is refused (each assertion ID is accepted once).
      const replay = await fetch(ACS, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(IDP.posted.at(-1)) });
      assert.equal(replay.status, 400);
      assert.match(await replay.text(), /already been used/);

      // The RelayState may name the provider by one of its IdpIdentifiers instead.
      const byIdentifier = new URLSearchParams({ idp_identifier: `plain.corp-${RUN}.example`, client_id: client.ClientId, redirect_uri: REDIRECT, response_type: 'code' }).toString();
      await page.goto(`${IDP.base}/plain/idp-init?user=${encodeURIComponent(user)}&relay=${encodeURIComponent(byIdentifier)}`);
      await page.waitForURL((u) => u.href.startsWith(REDIRECT));
      assert.ok(new URL(page.url()).searchParams.get('code'), 'a code on the callback (idp_identifier)');

      // The encrypted-responses provider does not allow IdP-initiated sign-in.
      const refused = new URLSearchParams({ identity_provider: 'CorpSAMLEnc', client_id: client.ClientId, redirect_uri: REDIRECT, response_type: 'code' }).toString();
      const response = page.waitForResponse((r) => r.url().startsWith(ACS));
      await page.goto(`${IDP.base}/enc/idp-init?user=${encodeURIComponent(user)}&relay=${encodeURIComponent(refused)}`);
      assert.equal((await response).status(), 400);
      assert.match(await alertText(page), /IdP-initiated sign-in is not enabled/);
    } finally {
      await context.close();
    }
  });
});
