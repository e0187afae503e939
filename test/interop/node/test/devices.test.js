// Remembered devices through amazon-cognito-identity-js, a client nobody here wrote: a pool with DeviceConfiguration
// {ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false} and SMS MFA ON. The first sign-in answers
// SMS_MFA and acij confirms the new device by itself (ConfirmDevice with its device verifier); the next sign-in with the stored
// device key goes through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER with no MFA; listDevices, forgetDevice; and acij's retry
// of PASSWORD_VERIFIER with "DEVICE_KEY": null and the same SECRET_BLOCK after "Device does not exist."; a refresh token bound to
// the device: acij's refreshSession sends DEVICE_KEY, the SDK's REFRESH_TOKEN_AUTH without it is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminCreateUserCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  GetDeviceCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import acij from 'amazon-cognito-identity-js';
import { ENDPOINT, PW1, RUN, adminClient, outbox, outboxCode, publicClient, requireEndpoint } from '../lib/helpers.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = acij;

const withTimeout = (p, ms = 30000) => Promise.race([
  p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref()),
]);

/** acij's storage (the device key, group key and random password live here between sign-ins, as in a browser's localStorage). */
class MapStorage {
  constructor() { this.data = new Map(); }
  setItem(k, v) { this.data.set(k, String(v)); }
  getItem(k) { return this.data.has(k) ? this.data.get(k) : null; }
  removeItem(k) { this.data.delete(k); }
  clear() { this.data.clear(); }
}

/** acij authenticateUser; resolves { session } or { challenge, user } (the MFA handler was called). */
function signIn(userPool, username) {
  const user = new CognitoUser({ Username: username, Pool: userPool, Storage: userPool.storage });
  return withTimeout(new Promise((resolve, reject) => user.authenticateUser(
    new AuthenticationDetails({ Username: username, Password: PW1 }),
    {
      onSuccess: (session, confirmationNecessary) => resolve({ session, user, confirmationNecessary }),
      onFailure: reject,
      mfaRequired: (name) => resolve({ challenge: name, user }),
      totpRequired: (name) => resolve({ challenge: name, user }),
      newPasswordRequired: () => resolve({ challenge: 'NEW_PASSWORD_REQUIRED', user }),
    },
  )));
}

const sendMfa = (user, code) => withTimeout(new Promise((resolve, reject) => user.sendMFACode(code, {
  onSuccess: (session, confirmationNecessary) => resolve({ session, confirmationNecessary }), onFailure: reject,
})));
const call = (fn) => withTimeout(new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject })));
const listDevices = (user) => withTimeout(new Promise((resolve, reject) => user.listDevices(10, null, { onSuccess: resolve, onFailure: reject })));
const attr = (device, name) => device.DeviceAttributes.find((a) => a.Name === name)?.Value;

describe('remembered devices (amazon-cognito-identity-js, device SRP)', () => {
  const admin = adminClient();
  const username = `dev-${RUN}`;
  const phone = `+1555${String(Date.now()).slice(-7)}`;
  let poolId;
  let clientId;
  let userPool;
  let smsCount = 0;
  let deviceKey;

  const mfaCode = async () => { smsCount += 1; return outboxCode(phone, smsCount); };

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `devices-${RUN}`,
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    }))).UserPool.Id;
    await admin.send(new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId, MfaConfiguration: 'ON',
      SmsMfaConfiguration: { SmsAuthenticationMessage: 'Your code is {####}' },
    }));
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa', ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${ENDPOINT}/`, Storage: new MapStorage() });
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  const stored = (name) => userPool.storage.getItem(`CognitoIdentityServiceProvider.${clientId}.${username}.${name}`);

  it('first sign-in: SMS_MFA, then acij confirms the new device (remembered at once: DeviceOnlyRememberedOnUserPrompt false)', async () => {
    const first = await signIn(userPool, username);
    assert.equal(first.challenge, 'SMS_MFA');
    const done = await sendMfa(first.user, await mfaCode());
    assert.ok(done.session.isValid());
    assert.equal(done.confirmationNecessary, undefined, 'UserConfirmationNecessary is false');
    deviceKey = stored('deviceKey');
    assert.match(deviceKey ?? '', /^us-east-1_[0-9a-f-]{36}$/);
    assert.ok(stored('deviceGroupKey'));
    assert.ok(stored('randomPasswordKey'));
    const got = await publicClient().send(new GetDeviceCommand({ AccessToken: done.session.getAccessToken().getJwtToken(), DeviceKey: deviceKey }));
    assert.equal(got.Device.DeviceKey, deviceKey);
    assert.equal(attr(got.Device, 'device_status'), 'remembered');
    assert.ok(attr(got.Device, 'device_name'), 'acij sends its user agent as DeviceName');
    await call((cb) => first.user.setDeviceStatusRemembered(cb));
  });

  it('second sign-in with the stored device key: DEVICE_SRP_AUTH, MFA skipped, no new device', async () => {
    const before = (await outbox(phone)).length;
    const r = await signIn(userPool, username);
    assert.equal(r.challenge, undefined, `no challenge expected, got ${r.challenge}`);
    assert.ok(r.session.isValid());
    assert.equal((await outbox(phone)).length, before, 'no SMS sent');
    assert.equal(stored('deviceKey'), deviceKey, 'the same device (no NewDeviceMetadata)');
    const devices = await listDevices(r.user);
    assert.equal(devices.Devices.length, 1);
    assert.equal(devices.Devices[0].DeviceKey, deviceKey);
    assert.ok(attr(devices.Devices[0], 'last_ip_used'));
    const adminView = await admin.send(new AdminGetDeviceCommand({ UserPoolId: poolId, Username: username, DeviceKey: deviceKey }));
    assert.ok(adminView.Device.DeviceLastAuthenticatedDate instanceof Date);
  });

  it('device-bound refresh: acij\'s refreshSession sends the stored DEVICE_KEY; REFRESH_TOKEN_AUTH without it is "Invalid Refresh Token"', async () => {
    const r = await signIn(userPool, username);
    assert.equal(r.challenge, undefined);
    const refreshToken = r.session.getRefreshToken();
    const refreshed = await withTimeout(new Promise((resolve, reject) => r.user.refreshSession(refreshToken, (err, s) => (err ? reject(err) : resolve(s)))));
    assert.ok(refreshed.isValid());
    assert.equal(refreshed.getAccessToken().decodePayload().username, username);
    const pub = publicClient();
    const bare = { ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken.getToken() } };
    await assert.rejects(pub.send(new InitiateAuthCommand(bare)), (e) => e.name === 'NotAuthorizedException' && /Invalid Refresh Token/.test(e.message));
    const other = { ...bare, AuthParameters: { ...bare.AuthParameters, DEVICE_KEY: 'us-east-1_00000000-0000-4000-8000-000000000000' } };
    await assert.rejects(pub.send(new InitiateAuthCommand(other)), (e) => e.name === 'NotAuthorizedException');
    const ok = await pub.send(new InitiateAuthCommand({ ...bare, AuthParameters: { ...bare.AuthParameters, DEVICE_KEY: deviceKey } }));
    assert.ok(ok.AuthenticationResult.AccessToken);
  });

  it('an unknown device key: acij retries PASSWORD_VERIFIER with DEVICE_KEY null and the same SECRET_BLOCK, then MFA, then a new device', async () => {
    const prefix = `CognitoIdentityServiceProvider.${clientId}.${username}`;
    userPool.storage.setItem(`${prefix}.deviceKey`, 'us-east-1_00000000-0000-4000-8000-000000000000');
    userPool.storage.setItem(`${prefix}.deviceGroupKey`, '-unknown00');
    userPool.storage.setItem(`${prefix}.randomPasswordKey`, 'whatever');
    const r = await signIn(userPool, username);
    assert.equal(r.challenge, 'SMS_MFA', 'the retry reached MFA');
    const done = await sendMfa(r.user, await mfaCode());
    assert.ok(done.session.isValid());
    const fresh = stored('deviceKey');
    assert.ok(fresh && fresh !== deviceKey && !fresh.endsWith('000000000000'));
    const list = await admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(list.Devices.length, 2);
  });

  it('forgetDevice: the device is gone; the next sign-in with it falls back to MFA', async () => {
    const r = await signIn(userPool, username);
    assert.equal(r.challenge, undefined, 'the new device skips MFA too');
    const forgotten = stored('deviceKey');
    await call((cb) => r.user.forgetDevice(cb));
    const devices = await listDevices(r.user);
    assert.equal(devices.Devices.length, 1);
    assert.ok(!devices.Devices.some((d) => d.DeviceKey === forgotten));
    // acij cleared its cache on forgetDevice: put the forgotten key back, as a second tab would still have it.
    const prefix = `CognitoIdentityServiceProvider.${clientId}.${username}`;
    userPool.storage.setItem(`${prefix}.deviceKey`, forgotten);
    userPool.storage.setItem(`${prefix}.deviceGroupKey`, '-gone00000');
    userPool.storage.setItem(`${prefix}.randomPasswordKey`, 'whatever');
    const again = await signIn(userPool, username);
    assert.equal(again.challenge, 'SMS_MFA');
    await sendMfa(again.user, await mfaCode());
  });
});
