// 100 concurrent SignUp calls for one username through the JS SDK: exactly one wins.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PW1, RUN, adminClient, outbox, outboxCode, publicClient, requireEndpoint } from '../lib/helpers.js';

describe('concurrent SignUp with one username', { timeout: 120000 }, () => {
  let admin, poolId, clientId, results;
  const username = `node-race-${RUN}`;
  const email = `${username}@example.com`;
  const N = 100;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-race-${RUN}`, AutoVerifiedAttributes: ['email'] }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'race', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    // maxAttempts 1: every call is exactly one HTTP request, no SDK retries hiding 5xx.
    const pub = publicClient({ maxAttempts: 1 });
    results = await Promise.allSettled(Array.from({ length: N }, (_, i) => pub.send(new SignUpCommand({
      ClientId: clientId, Username: username, Password: PW1,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'name', Value: `racer ${i}` }],
    }))));
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('exactly one SignUp succeeds', () => {
    const ok = results.filter((r) => r.status === 'fulfilled');
    assert.equal(ok.length, 1, `successes: ${ok.length}`);
  });

  it('the other 99 get UsernameExistsException', () => {
    const names = {};
    for (const r of results) if (r.status === 'rejected') names[r.reason?.name] = (names[r.reason?.name] ?? 0) + 1;
    assert.deepEqual(names, { UsernameExistsException: N - 1 });
  });

  it('AdminGetUser shows one UNCONFIRMED user with the winner\'s sub', async () => {
    const win = results.find((r) => r.status === 'fulfilled');
    const u = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(u.Username, username);
    assert.equal(u.UserStatus, 'UNCONFIRMED');
    const sub = u.UserAttributes.find((a) => a.Name === 'sub')?.Value;
    assert.ok(win, 'no winner');
    assert.equal(sub, win.value.UserSub);
  });

  it('exactly one confirmation message was sent', async () => {
    const msgs = await outbox(email);
    assert.equal(msgs.length, 1, `messages: ${msgs.length}`);
  });
});

describe('concurrent writes (SQLite contention, id uniqueness)', { timeout: 120000 }, () => {
  let admin, pub, poolId, clientId;
  const extraPools = [];

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient({ maxAttempts: 1 });
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-load-${RUN}` }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'load', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
  });
  after(async () => {
    for (const id of [poolId, ...extraPools]) {
      if (id) await admin.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    }
  });

  it('20 concurrent CreateUserPool calls give 20 distinct pool ids', async () => {
    const a1 = adminClient({ maxAttempts: 1 });
    const rs = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
      a1.send(new CreateUserPoolCommand({ PoolName: `node-many-${RUN}-${i}` }))));
    const ids = rs.filter((r) => r.status === 'fulfilled').map((r) => r.value.UserPool.Id);
    extraPools.push(...ids);
    const errs = rs.filter((r) => r.status === 'rejected').map((r) => r.reason?.name);
    assert.deepEqual(errs, []);
    assert.equal(new Set(ids).size, 20);
  });

  it('50 concurrent SignUps with distinct usernames all succeed', async () => {
    const rs = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => pub.send(new SignUpCommand({
      ClientId: clientId, Username: `node-load-${i}-${RUN}`, Password: PW1,
    }))));
    const errs = rs.filter((r) => r.status === 'rejected').map((r) => r.reason?.name);
    assert.deepEqual(errs, []);
    assert.equal(new Set(rs.map((r) => r.value.UserSub)).size, 50, 'UserSub values must be unique');
  });

  it('50 concurrent sign-ins of one user all succeed with distinct sessions', async () => {
    const u = `node-load-0-${RUN}`;
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: u }));
    const rs = await Promise.allSettled(Array.from({ length: 50 }, () => pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: PW1 },
    }))));
    const errs = rs.filter((r) => r.status === 'rejected').map((r) => r.reason?.name);
    assert.deepEqual(errs, []);
    const refresh = new Set(rs.map((r) => r.value.AuthenticationResult.RefreshToken));
    assert.equal(refresh.size, 50, 'refresh tokens must be distinct');
  });

  it('20 concurrent ConfirmSignUp calls with the right code: exactly one succeeds', async () => {
    const pid = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-conf-${RUN}`, AutoVerifiedAttributes: ['email'] }))).UserPool.Id;
    extraPools.push(pid);
    const cid = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: pid, ClientName: 'conf', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    const u = `node-conf-${RUN}`;
    const email = `${u}@example.com`;
    await pub.send(new SignUpCommand({ ClientId: cid, Username: u, Password: PW1, UserAttributes: [{ Name: 'email', Value: email }] }));
    const code = await outboxCode(email);
    const rs = await Promise.allSettled(Array.from({ length: 20 }, () =>
      pub.send(new ConfirmSignUpCommand({ ClientId: cid, Username: u, ConfirmationCode: code }))));
    assert.equal(rs.filter((r) => r.status === 'fulfilled').length, 1, 'successes');
    const names = new Set(rs.filter((r) => r.status === 'rejected').map((r) => r.reason?.name));
    for (const n of names) assert.ok(['NotAuthorizedException', 'CodeMismatchException', 'ExpiredCodeException'].includes(n), `loser got ${n}`);
  });
});
