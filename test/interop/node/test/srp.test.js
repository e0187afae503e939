// SRP, passwordless and MFA sign-in through two SRP clients nobody here wrote:
// amazon-cognito-identity-js (authenticateUser = USER_SRP_AUTH by default) and Amplify v6 (aws-amplify signIn,
// configured with userPoolEndpoint; runs in Node without a browser, tokens kept in its in-memory storage).
// Tokens are verified with aws-jwt-verify. TOTP codes come from an RFC 6238 implementation in this file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import acij from 'amazon-cognito-identity-js';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { Amplify } from 'aws-amplify';
import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { ENDPOINT, PW1, RUN, adminClient, outboxCode, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = acij;

const withTimeout = (p, ms = 30000) => Promise.race([
  p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref()),
]);

const loopbackFetcher = {
  async fetch(uri) {
    assert.equal(new URL(uri).hostname, '127.0.0.1', 'JWKS must come from the local server');
    const res = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`JWKS fetch -> HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};

function verifiers(poolId, clientId) {
  const issuer = `${ENDPOINT}/${poolId}`;
  const jwksUri = `${issuer}/.well-known/jwks.json`;
  const cache = () => ({ jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) });
  return {
    id: JwtVerifier.create({ issuer, audience: clientId, jwksUri, customJwtCheck: ({ payload }) => assert.equal(payload.token_use, 'id') }, cache()),
    access: JwtVerifier.create({ issuer, audience: null, jwksUri, customJwtCheck: ({ payload }) => { assert.equal(payload.token_use, 'access'); assert.equal(payload.client_id, clientId); } }, cache()),
  };
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from a base32 secret. */
function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

function acijSignIn(userPool, username, password, handlers = {}) {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  return {
    user,
    result: withTimeout(new Promise((resolve, reject) => user.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: password }),
      {
        onSuccess: (s) => resolve({ session: s }),
        onFailure: reject,
        newPasswordRequired: () => resolve({ challenge: 'NEW_PASSWORD_REQUIRED' }),
        totpRequired: (name) => resolve({ challenge: name }),
        mfaRequired: (name) => resolve({ challenge: name }),
        ...handlers,
      },
    ))),
  };
}

describe('SRP and passwordless sign-in (amazon-cognito-identity-js, Amplify v6)', { timeout: 180000 }, () => {
  let admin, pub, poolId, clientId, userPool, v;
  const username = `node-srp-${RUN}`;
  const email = `${username}@example.com`;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient();
    poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `node-srp-${RUN}`, AutoVerifiedAttributes: ['email'],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${ENDPOINT}/` });
    v = verifiers(poolId, clientId);
    Amplify.configure({ Auth: { Cognito: { userPoolId: poolId, userPoolClientId: clientId, userPoolEndpoint: ENDPOINT } } });
  });
  after(async () => {
    await signOut().catch(() => {});
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('acij authenticateUser (USER_SRP_AUTH) signs in; aws-jwt-verify accepts both tokens', async () => {
    const { session } = await acijSignIn(userPool, username, PW1).result;
    assert.ok(session.isValid());
    const id = await v.id.verify(session.getIdToken().getJwtToken());
    assert.equal(id['cognito:username'], username);
    assert.equal(id.email, email);
    const ac = await v.access.verify(session.getAccessToken().getJwtToken());
    assert.equal(ac.username, username);
  });

  it('acij SRP with the email alias resolves to the internal username', async () => {
    // Plain pool: email is not an alias here, so signing in by email is an unknown user.
    const err = await acijSignIn(userPool, email, PW1).result.catch((e) => e);
    assert.equal(err.code ?? err.name, 'UserNotFoundException');
  });

  it('acij SRP with a wrong password gets NotAuthorizedException "Incorrect username or password."', async () => {
    const err = await acijSignIn(userPool, username, 'Wrong-Pass-9z!').result.catch((e) => e);
    assert.equal(err.code ?? err.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
  });

  it('a PASSWORD_VERIFIER answer cannot be replayed, and a stale TIMESTAMP is refused', async () => {
    // Capture acij's own RespondToAuthChallenge body, then replay it.
    let captured;
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (url, init) => {
      if (init?.headers?.['X-Amz-Target']?.endsWith('RespondToAuthChallenge')) captured = init.body;
      return realFetch(url, init);
    };
    try {
      await acijSignIn(userPool, username, PW1).result;
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.ok(captured, 'acij sent RespondToAuthChallenge through fetch');
    const body = JSON.parse(captured);
    assert.equal(body.ChallengeName, 'PASSWORD_VERIFIER');
    await rejectsWith(pub.send(new RespondToAuthChallengeCommand(body)), 'NotAuthorizedException', 'replay: ');
    const fresh = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: 'ab'.repeat(64) } }));
    const stale = { ...body.ChallengeResponses, PASSWORD_CLAIM_SECRET_BLOCK: fresh.ChallengeParameters.SECRET_BLOCK, TIMESTAMP: 'Tue Jan 2 03:04:05 UTC 2024' };
    const err = await rejectsWith(pub.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: stale })), 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
  });

  it('Amplify v6 signIn (SRP by default) completes; fetchAuthSession tokens verify', async () => {
    const r = await withTimeout(signIn({ username, password: PW1 }));
    assert.deepEqual(r, { isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const s = await fetchAuthSession();
    const ac = await v.access.verify(s.tokens.accessToken.toString());
    assert.equal(ac.username, username);
    await v.id.verify(s.tokens.idToken.toString());
    await signOut();
  });

  it('Amplify v6 signIn with a wrong password rejects with NotAuthorizedException', async () => {
    const err = await rejectsWith(signIn({ username, password: 'Wrong-Pass-9z!' }), 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
  });

  it('Amplify v6 USER_AUTH with EMAIL_OTP: 8-digit code from the outbox signs in', async () => {
    const r = await withTimeout(signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } }));
    assert.equal(r.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(r.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.notEqual(r.nextStep.codeDeliveryDetails.destination, email, 'destination is masked');
    const code = await outboxCode(email, 1);
    assert.match(code, /^\d{8}$/);
    const done = await confirmSignIn({ challengeResponse: code });
    assert.equal(done.isSignedIn, true);
    await v.access.verify((await fetchAuthSession()).tokens.accessToken.toString());
    await signOut();
  });

  it('Amplify v6 USER_AUTH without a preference: first-factor selection, then PASSWORD_SRP', async () => {
    const r = await withTimeout(signIn({ username, options: { authFlowType: 'USER_AUTH' } }));
    assert.equal(r.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual(r.nextStep.availableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const r2 = await confirmSignIn({ challengeResponse: 'PASSWORD_SRP' });
    assert.equal(r2.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
    const r3 = await confirmSignIn({ challengeResponse: PW1 });
    assert.equal(r3.isSignedIn, true);
    await signOut();
  });

  it('TOTP MFA: Amplify sets it up through MFA_SETUP, then acij and Amplify answer SOFTWARE_TOKEN_MFA', async () => {
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const r = await withTimeout(signIn({ username, password: PW1 }));
    assert.equal(r.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = r.nextStep.totpSetupDetails.sharedSecret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const done = await confirmSignIn({ challengeResponse: totp(secret) });
    assert.equal(done.isSignedIn, true);
    await signOut();
    const got = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(got.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);

    // Next step's code (the setup code is single use), via acij's totpRequired + sendMFACode.
    const next = totp(secret, Date.now() + 30000);
    const { user, result } = acijSignIn(userPool, username, PW1);
    assert.deepEqual(await result, { challenge: 'SOFTWARE_TOKEN_MFA' });
    const session = await withTimeout(new Promise((resolve, reject) => user.sendMFACode(next, { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA')));
    await v.access.verify(session.getAccessToken().getJwtToken());

    // The same code again is refused (one-time use), through Amplify.
    const r2 = await withTimeout(signIn({ username, password: PW1 }));
    assert.equal(r2.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    await rejectsWith(confirmSignIn({ challengeResponse: next }), ['ExpiredCodeException', 'CodeMismatchException']);
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OFF' }));
  });
});
