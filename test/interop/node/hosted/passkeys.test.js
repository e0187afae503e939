// Passkeys end to end in Debian's Chromium (playwright-core) with a CDP virtual authenticator (ctap2, internal transport,
// resident keys, user verification): a page served from http://localhost:PORT runs @simplewebauthn/browser 14 on the JSON
// the AWS SDK for JavaScript v3 gets from Cognate (StartWebAuthnRegistration → navigator.credentials.create →
// CompleteWebAuthnRegistration; USER_AUTH PREFERRED_CHALLENGE=WEB_AUTHN → navigator.credentials.get → RespondToAuthChallenge
// CREDENTIAL), and the tokens are checked by aws-jwt-verify (server B, AWS-form issuer). Negative cases: another user's
// credential, a replayed assertion (new session and same session), a wrong origin (the browser on 127.0.0.1 refuses
// rpId localhost; an assertion signed with the authenticator's own key for origin http://127.0.0.1:PORT is refused by
// Cognate), a deleted credential.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CompleteWebAuthnRegistrationCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  DeleteUserPoolCommand, DeleteWebAuthnCredentialCommand, InitiateAuthCommand, ListWebAuthnCredentialsCommand, RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand, StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ISSUER_ENDPOINT, PW1, RUN, adminClient, getJson, offlineVerifier, publicClient, rejectsWith } from '../lib/helpers.js';
import { launchBrowser, newPage, notConfigured } from '../lib/hosted-login.js';
import { serveApp } from '../lib/static-app.js';

const PENDING = notConfigured(AWS_ISSUER_ENDPOINT, 'COGNATE_AWS_ISSUER_ENDPOINT');
const REGION = 'eu-west-1';
// The package's browser bundle (UMD, global SimpleWebAuthnBrowser); its exports map does not list the file, so it is read by path.
const BUNDLE = readFileSync(new URL('../node_modules/@simplewebauthn/browser/dist/bundle/index.umd.min.js', import.meta.url), 'utf8');
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>passkeys</title><script src="/swa.js"></script></head><body><p>passkeys</p></body></html>';
const APP = PENDING ? null : await serveApp(PAGE, { '/swa.js': { type: 'text/javascript', body: BUNDLE } });
after(() => APP?.close());

describe('passkeys: @simplewebauthn/browser in Chromium with a virtual authenticator', { skip: PENDING || false, timeout: 240000 }, () => {
  let admin, pub, poolId, clientId, jwks, browser, context, page, cdp, authenticatorId;
  const alice = `pk-alice-${RUN}`;
  const bob = `pk-bob-${RUN}`;
  const tokens = {};

  const register = (optionsJSON) => page.evaluate((o) => SimpleWebAuthnBrowser.startRegistration({ optionsJSON: o }), optionsJSON);
  const authenticate = (optionsJSON) => page.evaluate((o) => SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: o }), optionsJSON);

  async function signIn(username) {
    return pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' } }));
  }
  function answer(username, session, credential) {
    return pub.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'WEB_AUTHN', Session: session, ChallengeResponses: { USERNAME: username, CREDENTIAL: JSON.stringify(credential) },
    }));
  }
  async function registerPasskey(username) {
    const { AuthenticationResult } = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 } }));
    tokens[username] = AuthenticationResult.AccessToken;
    const { CredentialCreationOptions } = await pub.send(new StartWebAuthnRegistrationCommand({ AccessToken: tokens[username] }));
    assert.equal(CredentialCreationOptions.rp.id, 'localhost');
    const credential = await register(CredentialCreationOptions);
    await pub.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: tokens[username], Credential: credential }));
    return credential.id;
  }

  before(async () => {
    admin = adminClient({ endpoint: AWS_ISSUER_ENDPOINT, region: REGION });
    pub = publicClient({ endpoint: AWS_ISSUER_ENDPOINT, region: REGION });
    poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `node-passkeys-${RUN}`, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    }))).UserPool.Id;
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' } }));
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'passkeys', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    for (const u of [alice, bob]) {
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: u, MessageAction: 'SUPPRESS' }));
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: u, Password: PW1, Permanent: true }));
    }
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${poolId}/.well-known/jwks.json`)).json;

    browser = await launchBrowser();
    ({ context, page } = await newPage(browser));
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    }));
    await page.goto(`${APP.origin}/`);
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
    admin?.destroy();
    pub?.destroy();
  });

  let aliceCredential, bobCredential;

  it('registers a passkey from the browser and lists it', async () => {
    aliceCredential = await registerPasskey(alice);
    bobCredential = await registerPasskey(bob);
    const { Credentials } = await pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: tokens[alice] }));
    assert.equal(Credentials.length, 1);
    assert.equal(Credentials[0].CredentialId, aliceCredential);
    assert.equal(Credentials[0].RelyingPartyId, 'localhost');
    assert.ok(Credentials[0].CreatedAt instanceof Date);
  });

  let replay;
  it('signs in with USER_AUTH / WEB_AUTHN; aws-jwt-verify accepts the tokens', async () => {
    const c = await signIn(alice);
    assert.equal(c.ChallengeName, 'WEB_AUTHN');
    assert.deepEqual(c.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'WEB_AUTHN']);
    const options = JSON.parse(c.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    assert.equal(options.rpId, 'localhost');
    assert.equal(options.userVerification, 'required');
    const assertion = await authenticate(options);
    assert.equal(assertion.id, aliceCredential);
    const { AuthenticationResult } = await answer(alice, c.Session, assertion);
    const id = await offlineVerifier({ userPoolId: poolId, tokenUse: 'id', clientId }, jwks).verify(AuthenticationResult.IdToken);
    assert.equal(id['cognito:username'], alice);
    const access = await offlineVerifier({ userPoolId: poolId, tokenUse: 'access', clientId }, jwks).verify(AuthenticationResult.AccessToken);
    assert.equal(access.username, alice);
    replay = { session: c.Session, assertion };
  });

  it('refuses a replayed assertion (same session, and a new session)', async () => {
    await rejectsWith(answer(alice, replay.session, replay.assertion), 'NotAuthorizedException', 'same session');
    const c = await signIn(alice);
    await rejectsWith(answer(alice, c.Session, replay.assertion), 'NotAuthorizedException', 'new session');
  });

  it('refuses another user\'s credential', async () => {
    const c = await signIn(alice);
    const options = JSON.parse(c.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    const assertion = await authenticate({ ...options, allowCredentials: [{ id: bobCredential, type: 'public-key' }] });
    assert.equal(assertion.id, bobCredential);
    await rejectsWith(answer(alice, c.Session, assertion), 'NotAuthorizedException');
  });

  it('refuses a wrong origin: the browser on 127.0.0.1, and an assertion signed for http://127.0.0.1', async () => {
    const c = await signIn(alice);
    const options = JSON.parse(c.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    const wrongOrigin = APP.origin.replace('localhost', '127.0.0.1');
    await page.goto(`${wrongOrigin}/`);
    try {
      await assert.rejects(authenticate(options), /SecurityError|invalid domain|not a valid domain|relying party ID/i);
    } finally {
      await page.goto(`${APP.origin}/`);
    }
    // The same authenticator's key (CDP exports it), signing clientDataJSON with the wrong origin.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    const cred = credentials.find((k) => Buffer.from(k.credentialId, 'base64').toString('base64url') === aliceCredential);
    const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin: wrongOrigin, crossOrigin: false }));
    const authData = Buffer.alloc(37);
    createHash('sha256').update('localhost').digest().copy(authData, 0);
    authData[32] = 0x05; // UP | UV
    authData.writeUInt32BE(cred.signCount + 1, 33);
    const key = createPrivateKey({ key: Buffer.from(cred.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
    const signature = sign('sha256', Buffer.concat([authData, createHash('sha256').update(clientData).digest()]), key);
    const forged = {
      id: aliceCredential, rawId: aliceCredential, type: 'public-key', clientExtensionResults: {}, authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: clientData.toString('base64url'), authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'), userHandle: Buffer.from(cred.userHandle, 'base64').toString('base64url'),
      },
    };
    await rejectsWith(answer(alice, c.Session, forged), 'WebAuthnOriginNotAllowedException');
  });

  it('refuses a deleted credential', async () => {
    const c = await signIn(alice);
    const options = JSON.parse(c.ChallengeParameters.CREDENTIAL_REQUEST_OPTIONS);
    const assertion = await authenticate(options);
    await pub.send(new DeleteWebAuthnCredentialCommand({ AccessToken: tokens[alice], CredentialId: aliceCredential }));
    await rejectsWith(answer(alice, c.Session, assertion), 'NotAuthorizedException');
    const { Credentials } = await pub.send(new ListWebAuthnCredentialsCommand({ AccessToken: tokens[alice] }));
    assert.equal(Credentials.length, 0);
    const again = await signIn(alice);
    assert.equal(again.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual(again.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP']);
  });
});
