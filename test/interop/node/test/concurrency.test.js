// 100 concurrent SignUp calls for one username through the JS SDK: exactly one wins.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminGetUserCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PW1, RUN, adminClient, outbox, publicClient, requireEndpoint } from '../lib/helpers.js';

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
