// amazon-cognito-identity-js (the library under Amplify v5 and many SPAs), pointed at Cognate with
// its `endpoint` option. Uses USER_PASSWORD_AUTH (no SRP) with a secretless client.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import acij from 'amazon-cognito-identity-js';
import { ENDPOINT, PW1, PW2, RUN, adminClient, outbox, outboxCode, requireEndpoint } from '../lib/helpers.js';

const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = acij;

const cb = (resolve, reject) => (err, res) => (err ? reject(err) : resolve(res));
const withTimeout = (p, ms = 20000) => Promise.race([
  p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref()),
]);

describe('amazon-cognito-identity-js', { timeout: 120000 }, () => {
  let admin, poolId, clientId, userPool, user, session;
  const username = `node-acij-${RUN}`;
  const email = `${username}@example.com`;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-acij-${RUN}`, AutoVerifiedAttributes: ['email'] }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${ENDPOINT}/` });
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('signUp', async () => {
    const attrs = [new CognitoUserAttribute({ Name: 'email', Value: email }), new CognitoUserAttribute({ Name: 'name', Value: 'Ace J' })];
    const r = await withTimeout(new Promise((res, rej) => userPool.signUp(username, PW1, attrs, null, cb(res, rej))));
    assert.equal(r.userConfirmed, false);
    assert.ok(r.userSub);
    user = r.user;
  });

  it('authenticateUser before confirmation fails with UserNotConfirmedException', async () => {
    const u = new CognitoUser({ Username: username, Pool: userPool });
    u.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const err = await withTimeout(new Promise((res) => u.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: PW1 }),
      { onSuccess: () => res(null), onFailure: (e) => res(e) },
    )));
    assert.equal(err?.code ?? err?.name, 'UserNotConfirmedException');
  });

  it('confirmRegistration with the outbox code', async () => {
    assert.ok(user, 'prerequisite: signUp');
    const code = await outboxCode(email);
    const r = await withTimeout(new Promise((res, rej) => user.confirmRegistration(code, true, cb(res, rej))));
    assert.equal(r, 'SUCCESS');
  });

  it('authenticateUser with USER_PASSWORD_AUTH yields a valid session', async () => {
    const u = new CognitoUser({ Username: username, Pool: userPool });
    u.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    session = await withTimeout(new Promise((res, rej) => u.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: PW1 }),
      { onSuccess: res, onFailure: rej, newPasswordRequired: () => rej(new Error('unexpected NEW_PASSWORD_REQUIRED')) },
    )));
    assert.ok(session.isValid(), 'session should be valid');
    assert.equal(session.getIdToken().decodePayload()['cognito:username'], username);
    assert.equal(session.getAccessToken().decodePayload().client_id, clientId);
    user = u;
  });

  it('wrong password fails with NotAuthorizedException', async () => {
    const u = new CognitoUser({ Username: username, Pool: userPool });
    u.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    const err = await withTimeout(new Promise((res) => u.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: 'Wrong-Pass-9z!' }),
      { onSuccess: () => res(null), onFailure: (e) => res(e) },
    )));
    assert.equal(err?.code ?? err?.name, 'NotAuthorizedException');
  });

  it('getUserAttributes and refreshSession', async () => {
    assert.ok(session, 'prerequisite: session');
    const attrs = await withTimeout(new Promise((res, rej) => user.getUserAttributes(cb(res, rej))));
    const m = Object.fromEntries(attrs.map((a) => [a.getName(), a.getValue()]));
    assert.equal(m.email, email);
    assert.equal(m.name, 'Ace J');
    const fresh = await withTimeout(new Promise((res, rej) => user.refreshSession(session.getRefreshToken(), cb(res, rej))));
    assert.ok(fresh.isValid());
    assert.ok(fresh.getRefreshToken().getToken(), 'keeps the refresh token');
  });

  it('getCurrentUser().getSession() restores the cached session', async () => {
    assert.ok(session, 'prerequisite: session');
    const cur = userPool.getCurrentUser();
    assert.ok(cur, 'no current user in storage');
    assert.equal(cur.getUsername(), username);
    const restored = await withTimeout(new Promise((res, rej) => cur.getSession(cb(res, rej))));
    assert.ok(restored.isValid());
  });

  it('updateAttributes and changePassword', async () => {
    assert.ok(session, 'prerequisite: session');
    await withTimeout(new Promise((res, rej) => user.updateAttributes(
      [new CognitoUserAttribute({ Name: 'name', Value: 'Ace Updated' })], cb(res, rej))));
    const attrs = await withTimeout(new Promise((res, rej) => user.getUserAttributes(cb(res, rej))));
    assert.equal(attrs.find((a) => a.getName() === 'name')?.getValue(), 'Ace Updated');
    const r = await withTimeout(new Promise((res, rej) => user.changePassword(PW1, PW2, cb(res, rej))));
    assert.equal(r, 'SUCCESS');
  });

  it('forgotPassword + confirmPassword', async () => {
    const u = new CognitoUser({ Username: username, Pool: userPool });
    const n = (await outbox(email)).length;
    await withTimeout(new Promise((res, rej) => u.forgotPassword({ onSuccess: res, onFailure: rej, inputVerificationCode: res })));
    const code = await outboxCode(email, n + 1);
    await withTimeout(new Promise((res, rej) => u.confirmPassword(code, PW1, { onSuccess: res, onFailure: rej })));
    u.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    session = await withTimeout(new Promise((res, rej) => u.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: PW1 }), { onSuccess: res, onFailure: rej })));
    user = u;
    assert.ok(session.isValid());
  });

  it('globalSignOut, then the old session is refused by the server', async () => {
    assert.ok(session, 'prerequisite: session');
    const old = session.getAccessToken().getJwtToken();
    await withTimeout(new Promise((res, rej) => user.globalSignOut({ onSuccess: res, onFailure: rej })));
    const probe = new CognitoUser({ Username: username, Pool: userPool });
    probe.setSignInUserSession(session);
    const err = await withTimeout(new Promise((res) => probe.getUserAttributes((e) => res(e))));
    assert.equal(err?.code ?? err?.name, 'NotAuthorizedException');
    assert.ok(old, 'had a token');
  });

  it('deleteUser', async () => {
    const u = new CognitoUser({ Username: username, Pool: userPool });
    u.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    await withTimeout(new Promise((res, rej) => u.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: PW1 }), { onSuccess: res, onFailure: rej })));
    const r = await withTimeout(new Promise((res, rej) => u.deleteUser(cb(res, rej))));
    assert.equal(r, 'SUCCESS');
  });
});
