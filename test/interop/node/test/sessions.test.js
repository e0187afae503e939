// Client-secret rotation and user sessions through the JS SDK v3 (actions botocore 1.43 does not know):
// AddUserPoolClientSecret / ListUserPoolClientSecrets / DeleteUserPoolClientSecret (either secret signs in, a deleted one is
// refused for SECRET_HASH), and the session actions (configuration, sessions listed from real sign-ins, a revoked session's
// refresh token refused, another user's session id not found, the IP address and DeviceType of each session, and a listing
// of 126 sessions paged by NextToken: Cognito's page holds up to 125 and the API has no MaxResults).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AddUserPoolClientSecretCommand,
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminListUserSessionsCommand,
  AdminRevokeUserSessionCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolClientSecretCommand,
  DeleteUserPoolCommand,
  GetUserPoolClientSessionConfigurationCommand,
  GetUserPoolSessionConfigurationCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  ListUserSessionsCommand,
  RevokeUserSessionCommand,
  SetUserPoolClientSessionConfigurationCommand,
  SetUserPoolSessionConfigurationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PW1, RUN, adminClient, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const secretHash = (secret, username, clientId) => createHmac('sha256', secret).update(username + clientId).digest('base64');

async function makeUser(admin, poolId, username) {
  await admin.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  }));
  await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
}

describe('client secret rotation (JS SDK v3)', { timeout: 120000 }, () => {
  const admin = adminClient();
  const pub = publicClient();
  const username = `rot-${RUN}`;
  let poolId;
  let clientId;
  let firstSecret;

  const signIn = (secret) => pub.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: PW1, SECRET_HASH: secretHash(secret, username, clientId) },
  }));

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `secrets-${RUN}` }))).UserPool.Id;
    const client = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'rotating', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    clientId = client.ClientId;
    firstSecret = client.ClientSecret;
    await makeUser(admin, poolId, username);
  });
  after(async () => { await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {}); });

  it('adds a second secret, accepts both, deletes the first and refuses it', async () => {
    const before = (await admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets;
    assert.equal(before.length, 1);
    assert.ok(before[0].ClientSecretId.startsWith(`${clientId}--`));
    assert.equal(before[0].ClientSecretValue, undefined);

    const added = (await admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecretDescriptor;
    assert.ok(added.ClientSecretCreateDate instanceof Date);
    const second = added.ClientSecretValue;
    assert.ok(typeof second === 'string' && second.length >= 24, 'a generated secret is returned once');

    const listed = (await admin.send(new ListUserPoolClientSecretsCommand({ UserPoolId: poolId, ClientId: clientId }))).ClientSecrets;
    assert.deepEqual(listed.map((s) => s.ClientSecretId), [before[0].ClientSecretId, added.ClientSecretId]);
    assert.ok(listed.every((s) => s.ClientSecretValue === undefined), 'values are never listed');

    assert.ok((await signIn(firstSecret)).AuthenticationResult.AccessToken);
    assert.ok((await signIn(second)).AuthenticationResult.AccessToken);
    await rejectsWith(admin.send(new AddUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId })), 'LimitExceededException');

    await admin.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: before[0].ClientSecretId }));
    await rejectsWith(signIn(firstSecret), 'NotAuthorizedException', 'deleted secret');
    assert.ok((await signIn(second)).AuthenticationResult.AccessToken);
    await rejectsWith(admin.send(new DeleteUserPoolClientSecretCommand({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: added.ClientSecretId })),
      'InvalidParameterException', 'last secret');
  });
});

describe('user sessions (JS SDK v3)', { timeout: 120000 }, () => {
  const admin = adminClient();
  const pub = publicClient();
  const alice = `alice-${RUN}`;
  const bob = `bob-${RUN}`;
  let poolId;
  let clientId;

  const signIn = async (username) => (await pub.send(new InitiateAuthCommand({
    AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: PW1 },
  }))).AuthenticationResult;
  const refresh = (token) => pub.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: token } }));

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `sessions-${RUN}` }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'sessions', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await makeUser(admin, poolId, alice);
    await makeUser(admin, poolId, bob);
  });
  after(async () => { await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {}); });

  it('stores the pool and client session configuration', async () => {
    const initial = await admin.send(new GetUserPoolSessionConfigurationCommand({ UserPoolId: poolId }));
    assert.equal(initial.UserSessionTracking, 'DISABLED');
    assert.equal(initial.TokenSession.MaxPerUser, 20);
    const tokens = await signIn(alice);
    await rejectsWith(pub.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken })), 'OperationNotEnabledException');

    const set = await admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 10 } }));
    assert.equal(set.UserSessionTracking, 'ENABLED');
    assert.equal(set.TokenSession.MaxPerUser, 10);
    await rejectsWith(admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 0 } })),
      'InvalidParameterException');

    assert.equal((await admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).SSOSession.MaxValidityMinutes, 60);
    await admin.send(new SetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId, SSOSession: { MaxValidityMinutes: 43200 } }));
    assert.equal((await admin.send(new GetUserPoolClientSessionConfigurationCommand({ UserPoolId: poolId, ClientId: clientId }))).SSOSession.MaxValidityMinutes, 43200);
  });

  it('lists sign-ins as sessions and revokes one; its refresh token is refused', async () => {
    const phone = await signIn(alice);
    const laptop = await signIn(alice);
    const sessions = (await pub.send(new ListUserSessionsCommand({ AccessToken: laptop.AccessToken }))).Sessions;
    assert.ok(sessions.length >= 2);
    for (const s of sessions) {
      assert.match(s.SessionId, /^tkn[a-z0-9]{25}$/);
      assert.equal(s.SessionType, 'TOKEN');
      assert.equal(s.ClientId, clientId);
      assert.ok(s.CreateDate instanceof Date && s.LastActiveDate instanceof Date);
    }
    const current = sessions.filter((s) => s.IsCurrentSession);
    assert.equal(current.length, 1);
    await rejectsWith(pub.send(new RevokeUserSessionCommand({ AccessToken: laptop.AccessToken, SessionId: current[0].SessionId })), 'InvalidParameterException');

    // Find the phone's session: the one that disappears from the list after revocation is checked by its refresh token.
    const others = sessions.filter((s) => !s.IsCurrentSession).map((s) => s.SessionId);
    for (const id of others) await pub.send(new RevokeUserSessionCommand({ AccessToken: laptop.AccessToken, SessionId: id, RevokeAssociatedSessions: 'NONE' }));
    await rejectsWith(refresh(phone.RefreshToken), 'NotAuthorizedException', 'revoked session');
    assert.ok((await refresh(laptop.RefreshToken)).AuthenticationResult.AccessToken);
    const left = (await admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: alice }))).Sessions;
    assert.deepEqual(left.map((s) => s.SessionId), [current[0].SessionId]);
    assert.ok(left.every((s) => s.IsCurrentSession === false));
  });

  it("cannot revoke another user's session through the public action", async () => {
    const a = await signIn(alice);
    const b = await signIn(bob);
    const bobSessions = (await admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: bob }))).Sessions;
    assert.equal(bobSessions.length, 1);
    await rejectsWith(pub.send(new RevokeUserSessionCommand({ AccessToken: a.AccessToken, SessionId: bobSessions[0].SessionId })), 'ResourceNotFoundException');
    assert.ok((await refresh(b.RefreshToken)).AuthenticationResult.AccessToken);
    await admin.send(new AdminRevokeUserSessionCommand({ UserPoolId: poolId, Username: bob, SessionId: bobSessions[0].SessionId }));
    await rejectsWith(refresh(b.RefreshToken), 'NotAuthorizedException', 'admin-revoked session');
  });
});

describe('session client and paging (JS SDK v3)', { timeout: 180000 }, () => {
  const admin = adminClient();
  const pub = publicClient();
  const carol = `carol-${RUN}`;
  let poolId;
  let clientId;

  const adminSignIn = (contextData) => admin.send(new AdminInitiateAuthCommand({
    UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: carol, PASSWORD: PW1 },
    ...(contextData ? { ContextData: contextData } : {}),
  }));

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `session-pages-${RUN}` }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'pages', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await makeUser(admin, poolId, carol);
  });
  after(async () => { await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {}); });

  it('records the IP address and DeviceType: the SDK\'s own, then the end user\'s from ContextData', async () => {
    await admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 100 } }));
    const tokens = (await pub.send(new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: carol, PASSWORD: PW1 },
    }))).AuthenticationResult;
    let [own] = (await pub.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken }))).Sessions;
    assert.equal(own.IsCurrentSession, true);
    assert.match(own.DeviceType, /^aws-sdk-js( on \w+)?$/, 'this SDK names itself in its User-Agent');
    assert.match(own.LastIPAddress, /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    assert.equal(own.LastLocation, undefined);

    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    await adminSignIn({ IpAddress: '198.51.100.23', ServerName: 'app.example.com', ServerPath: '/signin', HttpHeaders: [{ headerName: 'User-Agent', headerValue: ua }] });
    const listed = (await admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: carol }))).Sessions;
    const fromApp = listed.find((s) => s.LastIPAddress === '198.51.100.23');
    assert.ok(fromApp, 'the session signed in through AdminInitiateAuth carries ContextData.IpAddress');
    assert.equal(fromApp.DeviceType, 'Chrome on macOS');

    // A refresh is the session's latest activity: its client replaces the sign-in's.
    await pub.send(new InitiateAuthCommand({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: clientId, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }));
    [own] = (await pub.send(new ListUserSessionsCommand({ AccessToken: tokens.AccessToken }))).Sessions.filter((s) => s.IsCurrentSession);
    assert.match(own.DeviceType, /^aws-sdk-js/);
    assert.ok(own.LastActiveDate >= own.CreateDate);
  });

  it('pages 126 sessions as 125 + 1 with an opaque NextToken; a bad token is InvalidParameterException', async () => {
    // Sessions made while tracking is off are not evicted by MaxPerUser (at most 100): 126 of them, one more than a page.
    await admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 100 } }));
    await admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: carol }));
    for (let i = 0; i < 126; i++) await adminSignIn();
    await admin.send(new SetUserPoolSessionConfigurationCommand({ UserPoolId: poolId, UserSessionTracking: 'ENABLED', TokenSession: { MaxPerUser: 100 } }));

    const first = await admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: carol }));
    assert.equal(first.Sessions.length, 125);
    assert.equal(typeof first.NextToken, 'string');
    const second = await admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: carol, NextToken: first.NextToken }));
    assert.equal(second.Sessions.length, 1);
    assert.equal(second.NextToken, undefined);
    assert.equal(new Set([...first.Sessions, ...second.Sessions].map((s) => s.SessionId)).size, 126);

    await rejectsWith(admin.send(new AdminListUserSessionsCommand({ UserPoolId: poolId, Username: carol, NextToken: 'bm90LWEtdG9rZW4' })), 'InvalidParameterException');
  });
});
