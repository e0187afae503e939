// The federation triggers through a real Lambda runtime (serverless-offline's Invoke API and the webhook wrapper): a pool with
// InboundFederation (V1_0) and PreSignUp, an OIDC identity provider that is a real OpenID provider (panva's oidc-provider from
// test/interop/node, on 127.0.0.1, its development login and consent pages) and a browser (Debian's chromium through
// playwright-core, never downloaded) going app → /oauth2/authorize?identity_provider=… → upstream login → Cognate's
// /oauth2/idpresponse → the app's callback; the code is redeemed at the token endpoint with PKCE.
// Shows: InboundFederation_ExternalProvider receives the provider's token response, ID token and userInfo; its
// userAttributesToMap is what lands on the user (AdminGetUser); PreSignUp_ExternalProvider fires once, on the first sign-in,
// with userName `{provider}_{sub}` lowercase in a case-insensitive pool; a PreSignUp refusal leaves no user behind.
// Tokens and codes are never printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  AdminGetUserCommand, CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolDomainCommand,
  DeleteUserPoolDomainCommand, DescribeUserPoolCommand,
} from '../../node/lib/sdk.js';
import { ENDPOINT, attrMap, decodeJwt, rejectsWith, requireEndpoint } from '../../node/lib/helpers.js';
import { launchBrowser, newPage } from '../../node/lib/hosted-login.js';
import { callbackServer } from '../../node/lib/static-app.js';
import { Provider } from '../../node/lib/oidc-upstream.js';
import { RUN, TRANSPORTS, admin, arn, eventsFor, pending, poolWith } from './rig.mjs';

requireEndpoint();
const IDP = 'RigOIDC';
const RP = { client_id: 'cognate-rig', client_secret: `rig-secret-${RUN}` };
// Mixed-case subjects: the federated username is lowercase in a case-insensitive pool, the identities entry keeps the case.
const ACCOUNTS = {
  [`Fed-Ada-${RUN}`]: { email: 'ada@upstream.example.com', email_verified: true, name: 'Ada Lovelace', dept: 'Engines' },
  [`Fed-Eve-${RUN}`]: { email: 'eve@upstream.example.com', email_verified: true, name: 'Eve Blocked', dept: 'Blocked' },
};

function listen(handler) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** oidc-provider on loopback with one relying party (Cognate's /oauth2/idpresponse), accounts from ACCOUNTS (subject = login). */
async function startUpstream() {
  let app = (_req, res) => { res.statusCode = 503; res.end(); };
  const { server, origin } = await listen((req, res) => app(req, res));
  const provider = new Provider(origin, {
    clients: [{
      ...RP, redirect_uris: [`${ENDPOINT}/oauth2/idpresponse`], grant_types: ['authorization_code'], response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    }],
    async findAccount(_ctx, id) {
      const account = ACCOUNTS[id] ?? { email: `${id.toLowerCase()}@upstream.example.com`, email_verified: true, name: id, dept: 'Unknown' };
      return { accountId: id, async claims() { return { ...account, sub: id }; } };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'dept'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: [`rig-cookie-key-${RUN}`] },
  });
  app = provider.callback();
  return { server, origin };
}

describe('federation triggers: InboundFederation and PreSignUp_ExternalProvider with a real OIDC upstream', { timeout: 240000 }, () => {
  let upstream, browser, appServer;
  before(async () => {
    upstream = await startUpstream();
    appServer = await callbackServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    appServer?.close();
    upstream?.server.close();
  });

  for (const t of TRANSPORTS) {
    describe(`through ${t}`, () => {
      let p, clientId, endpoints, domain;
      const redirect = () => `${appServer.origin}/callback`;

      before(async () => {
        p = await poolWith(`fed-${t}`, {
          PreSignUp: arn(t, 'preSignUpExternal'),
          InboundFederation: { LambdaVersion: 'V1_0', LambdaArn: arn(t, 'inboundFederation') },
        }, {
          pool: {
            UsernameConfiguration: { CaseSensitive: false },
            Schema: [{ Name: 'dept', AttributeDataType: 'String', Mutable: true }],
          },
        });
        const a = admin();
        domain = `rig-fed-${t}-${RUN}`.toLowerCase();
        await a.send(new CreateUserPoolDomainCommand({ UserPoolId: p.poolId, Domain: domain }));
        await a.send(new CreateIdentityProviderCommand({
          UserPoolId: p.poolId, ProviderName: IDP, ProviderType: 'OIDC',
          // nickname is never sent by the upstream: only the function's userAttributesToMap can supply it.
          AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name', 'custom:dept': 'dept', nickname: 'nickname' },
          ProviderDetails: { ...RP, oidc_issuer: upstream.origin, authorize_scopes: 'openid email profile', attributes_request_method: 'GET' },
        }));
        clientId = (await a.send(new CreateUserPoolClientCommand({
          UserPoolId: p.poolId, ClientName: 'fed', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [redirect()], SupportedIdentityProviders: [IDP],
        }))).UserPoolClient.ClientId;
        // The rig's Cognate issues AWS-form issuers (Cognate:IssuerBaseUrl), so its discovery document names cognito-idp hosts:
        // the browser and the app reach the same paths on the rig's endpoint.
        const res = await fetch(`${ENDPOINT}/${p.poolId}/.well-known/openid-configuration`);
        assert.equal(res.status, 200);
        const doc = await res.json();
        const here = (u) => `${ENDPOINT}${new URL(u).pathname}`;
        endpoints = { authorize: here(doc.authorization_endpoint), token: here(doc.token_endpoint) };
      });
      after(async () => {
        await admin().send(new DeleteUserPoolDomainCommand({ UserPoolId: p.poolId, Domain: domain })).catch(() => {});
        await p?.cleanup();
      });

      /** Recorded events of this pool (both transports' pools see the same subjects). */
      const events = (userName, source) => eventsFor(userName, source).filter((e) => e.userPoolId === p.poolId);

      /** app → authorize (identity_provider) → upstream login and consent as `login` → the app's callback → { id } (the ID token's claims), or { error, description } with `expectError`. */
      async function federatedSignIn(login, { expectError = false } = {}) {
        const verifier = randomBytes(32).toString('base64url');
        const state = randomBytes(16).toString('base64url');
        const url = new URL(endpoints.authorize);
        for (const [k, v] of Object.entries({
          response_type: 'code', client_id: clientId, redirect_uri: redirect(), scope: 'openid email profile', state,
          identity_provider: IDP, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
        })) url.searchParams.set(k, v);
        const { context, page } = await newPage(browser);
        try {
          await page.goto(url.href);
          await page.waitForURL((u) => u.origin === upstream.origin && u.pathname.startsWith('/interaction/'));
          await page.locator('input[name="login"]').fill(login);
          await page.locator('input[name="password"]').fill('any-password');
          await page.getByRole('button', { name: 'Sign-in' }).click();
          await page.waitForURL((u) => u.origin !== upstream.origin || u.pathname.startsWith('/interaction/'));
          if (new URL(page.url()).origin === upstream.origin) await page.getByRole('button', { name: 'Continue' }).click();
          await page.waitForURL((u) => u.href.startsWith(redirect()));
          const back = new URL(page.url());
          assert.equal(back.searchParams.get('state'), state);
          if (!expectError) assert.equal(back.searchParams.get('error'), null, `no error (${back.searchParams.get('error_description')})`);
          else return { error: back.searchParams.get('error'), description: back.searchParams.get('error_description') };
          const code = back.searchParams.get('code');
          assert.ok(code, `the app got a code (error: ${back.searchParams.get('error') ?? 'none'})`);
          const token = await fetch(endpoints.token, {
            method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirect(), code_verifier: verifier }),
          });
          assert.equal(token.status, 200, 'the token endpoint redeems the code');
          return { id: decodeJwt((await token.json()).id_token).payload };
        } finally {
          await context.close();
        }
      }

      it(`[federation-triggers] first sign-in: InboundFederation rewrites the attributes, PreSignUp_ExternalProvider sees {provider}_{sub} lowercase (${t})`,
        pending('federation-triggers'), async () => {
          const described = (await admin().send(new DescribeUserPoolCommand({ UserPoolId: p.poolId }))).UserPool.LambdaConfig;
          assert.deepEqual(described.InboundFederation, { LambdaVersion: 'V1_0', LambdaArn: arn(t, 'inboundFederation') });

          const sub = `Fed-Ada-${RUN}`;
          const userName = `${IDP}_${sub}`.toLowerCase();
          const { id } = await federatedSignIn(sub);
          assert.equal(id['cognito:username'], userName);
          assert.equal(id.name, 'ADA LOVELACE', 'the function\'s upper-cased name, not the upstream\'s');
          assert.equal(id.nickname, `ada-from-${IDP}`, 'an attribute only the function supplied');
          assert.equal(id['custom:dept'], 'Engines');
          assert.equal(id.identities[0].userId, sub, 'the identities entry keeps the subject\'s case');

          const user = await admin().send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: userName }));
          assert.equal(user.UserStatus, 'EXTERNAL_PROVIDER');
          const attrs = attrMap(user.UserAttributes);
          assert.equal(attrs.name, 'ADA LOVELACE');
          assert.equal(attrs.nickname, `ada-from-${IDP}`);
          assert.equal(attrs.email, ACCOUNTS[sub].email);
          assert.equal(attrs['custom:dept'], 'Engines');

          const [inbound] = events(userName, 'InboundFederation_ExternalProvider');
          assert.ok(inbound, 'the function received InboundFederation_ExternalProvider');
          assert.equal(inbound.version, '1');
          assert.equal(inbound.userPoolId, p.poolId);
          assert.equal(inbound.callerContext.clientId, clientId);
          assert.equal(inbound.request.providerName, IDP);
          assert.equal(inbound.request.providerType, 'OIDC');
          const { tokenResponse, idToken, userInfo } = inbound.request.attributes;
          assert.equal(idToken.sub, sub);
          assert.equal(idToken.iss, upstream.origin);
          assert.equal(idToken.aud, RP.client_id);
          assert.equal(userInfo.sub, sub);
          assert.equal(userInfo.dept, 'Engines', 'userInfo (attributes_request_method GET) carries the profile claims');
          assert.equal(userInfo.name, 'Ada Lovelace', 'the upstream\'s own value reaches the function');
          assert.equal(typeof tokenResponse.access_token, 'string');
          assert.equal(typeof tokenResponse.id_token, 'string');
          assert.match(String(tokenResponse.token_type), /^bearer$/i);
          assert.deepEqual(inbound.response, { userAttributesToMap: {} }, 'Cognito sends an empty userAttributesToMap');

          const signUps = events(userName, 'PreSignUp_ExternalProvider');
          assert.equal(signUps.length, 1, 'PreSignUp_ExternalProvider on the first sign-in');
          assert.equal(signUps[0].callerContext.clientId, clientId);
          assert.equal(signUps[0].request.userAttributes.name, 'ADA LOVELACE', 'PreSignUp sees the attributes after InboundFederation');
          assert.equal(signUps[0].request.userAttributes['custom:dept'], 'Engines');

          // A second sign-in: InboundFederation again (mapping applies on every sign-in), no second PreSignUp.
          const again = await federatedSignIn(sub);
          assert.equal(again.id.sub, id.sub, 'the same user');
          assert.equal(events(userName, 'InboundFederation_ExternalProvider').length, 2);
          assert.equal(events(userName, 'PreSignUp_ExternalProvider').length, 1);
        });

      it(`[federation-presignup-deny] PreSignUp_ExternalProvider refusing the sign-up leaves no user (${t})`, pending('federation-presignup-deny'), async () => {
        const sub = `Fed-Eve-${RUN}`;
        const userName = `${IDP}_${sub}`.toLowerCase();
        // Cognito sends the browser back to the app with error=invalid_request and the function's message.
        const { error, description } = await federatedSignIn(sub, { expectError: true });
        assert.equal(error, 'invalid_request');
        assert.match(description, /^PreSignUp failed with error Federated sign-up refused by policy\.?$/);
        assert.equal(events(userName, 'PreSignUp_ExternalProvider').length, 1);
        await rejectsWith(admin().send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: userName })), 'UserNotFoundException');
      });
    });
  }
});
