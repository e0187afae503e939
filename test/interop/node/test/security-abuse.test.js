// Abuse bounds (issue 12) through the AWS SDK for JavaScript v3, against a dedicated Cognate server this file starts with
// small limits: a burst over a request quota gets TooManyRequestsException and the SDK's own retry gets through; 20
// EMAIL_OTP starts for one user send at most the per-user email budget; SignUp with fresh phone numbers cannot pump more
// texts than the pool's SMS budget; a flood of tokens naming random kids does not reload the signing keys each time.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PW1, RUN, adminClient, outbox, publicClient } from '../lib/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const serverDll = join(here, '..', '..', '..', '..', 'src', 'Cognate.Server', 'bin', 'Release', 'net10.0', 'Cognate.Server.dll');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Starts Cognate on a free loopback port with `config` (env names); resolves once /health/ready answers 200. */
async function startServer(config) {
  assert.ok(existsSync(serverDll), `build the server first (dotnet build -c Release): ${serverDll}`);
  const port = await freePort();
  const dir = join(tmpdir(), `cognate-abuse-${RUN}-${port}`);
  const child = spawn('dotnet', [serverDll, '--urls', `http://127.0.0.1:${port}`], {
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: 'Development',
      ConnectionStrings__Cognate: `Data Source=${join(dir, 'cognate.db')}`,
      ...config,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/health/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      assert.fail(`server did not start: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    endpoint,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('abuse bounds (dedicated server with small limits)', { timeout: 240000 }, () => {
  let server, admin, pub, endpoint;

  before(async () => {
    server = await startServer({
      // UserList (ListUsers): 10 requests/s, burst 5. Everything else keeps its default.
      Cognate__RateLimits__Categories__UserList__RequestsPerSecond: '10',
      Cognate__RateLimits__Categories__UserList__Burst: '5',
      Cognate__MessageBudgets__EmailPerUser__PerHour: '5',
      Cognate__MessageBudgets__SmsPerPool__PerHour: '3',
      'Logging__LogLevel__Cognate.Server.RateLimiting': 'Information',
    });
    endpoint = server.endpoint;
    admin = adminClient({ endpoint });
    pub = publicClient({ endpoint });
  });
  after(async () => { await server?.stop(); });

  it('a burst over the UserList quota gets TooManyRequestsException; the SDK retry then succeeds', async () => {
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `abuse-quota-${RUN}` }))).UserPool.Id;
    // 40 concurrent calls on 40 connections, no SDK retries: the bucket holds 5.
    const burst = await Promise.allSettled(Array.from({ length: 40 }, () => adminClient({ endpoint }).send(new ListUsersCommand({ UserPoolId: poolId }))));
    const names = {};
    for (const r of burst) { const n = r.status === 'fulfilled' ? 'ok' : r.reason?.name; names[n] = (names[n] ?? 0) + 1; }
    assert.ok((names.TooManyRequestsException ?? 0) >= 20, `expected throttling, got ${JSON.stringify(names)}`);
    assert.deepEqual(Object.keys(names).sort(), ['TooManyRequestsException', 'ok'], JSON.stringify(names));
    const throttled = burst.find((r) => r.status === 'rejected').reason;
    assert.equal(throttled.message, 'Rate exceeded');
    assert.equal(throttled.$metadata.httpStatusCode, 400);
    // The SDK's standard retry (back-off on TooManyRequestsException) gets 20 calls through at 10/s.
    const retrying = adminClient({ endpoint, maxAttempts: 8 });
    const results = await Promise.all(Array.from({ length: 20 }, () => retrying.send(new ListUsersCommand({ UserPoolId: poolId }))));
    assert.equal(results.length, 20);
    assert.ok(results.some((r) => r.$metadata.attempts > 1), 'some calls needed a retry');
  });

  it('20 EMAIL_OTP starts for one user send at most the per-user budget (5 an hour here)', async () => {
    const poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `abuse-otp-${RUN}`, AutoVerifiedAttributes: ['email'],
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }))).UserPool.Id;
    const clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'otp', ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    const username = `abuse-otp-${RUN}`;
    const email = `${username}@example.com`;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', TemporaryPassword: PW1,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    const outcomes = {};
    for (let i = 0; i < 20; i++) {
      try {
        const r = await pub.send(new InitiateAuthCommand({
          ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'EMAIL_OTP' },
        }));
        outcomes[r.ChallengeName] = (outcomes[r.ChallengeName] ?? 0) + 1;
      } catch (err) {
        outcomes[err.name] = (outcomes[err.name] ?? 0) + 1;
      }
    }
    const sent = await outbox(email, endpoint);
    assert.ok(sent.length <= 5, `emails sent: ${sent.length} (${JSON.stringify(outcomes)})`);
    assert.ok((outcomes.LimitExceededException ?? 0) >= 15, JSON.stringify(outcomes));
  });

  it('SignUp with fresh phone numbers sends no more texts than the pool budget (3 an hour here)', async () => {
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `abuse-sms-${RUN}`, AutoVerifiedAttributes: ['phone_number'] }))).UserPool.Id;
    const clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'sms' }))).UserPoolClient.ClientId;
    const phones = Array.from({ length: 10 }, (_, i) => `+1555${String(Date.now() % 1000000).padStart(6, '0')}${i}`);
    const outcomes = {};
    for (const [i, phone] of phones.entries()) {
      try {
        const r = await pub.send(new SignUpCommand({
          ClientId: clientId, Username: `pump-${RUN}-${i}`, Password: PW1, UserAttributes: [{ Name: 'phone_number', Value: phone }],
        }));
        const k = r.CodeDeliveryDetails?.DeliveryMedium ?? 'none';
        outcomes[k] = (outcomes[k] ?? 0) + 1;
      } catch (err) {
        outcomes[err.name] = (outcomes[err.name] ?? 0) + 1;
      }
    }
    let texts = 0;
    for (const phone of phones) texts += (await outbox(phone, endpoint)).length;
    assert.equal(texts, 3, JSON.stringify(outcomes));
    assert.equal(outcomes.SMS, 3, JSON.stringify(outcomes));
    assert.equal(outcomes.LimitExceededException, 7, JSON.stringify(outcomes));
    // A refused sign-up leaves no half-written (UNCONFIRMED, never confirmable) user behind.
    const listed = await admin.send(new ListUsersCommand({ UserPoolId: poolId }));
    assert.equal(listed.Users.length, 3, listed.Users.map((u) => u.Username).join(','));
  });

  it('200 tokens naming random kids reload the signing keys at most once', async () => {
    const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `abuse-kid-${RUN}` }))).UserPool.Id;
    const clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'kid' }))).UserPoolClient.ClientId;
    // Warm the pool's keys on the server (the JWKS is served from its keys).
    const jwks = await (await fetch(`${endpoint}/${poolId}/.well-known/jwks.json`)).json();
    assert.ok(jwks.keys.length >= 2);
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const forged = () => [
      b64({ alg: 'RS256', kid: randomBytes(16).toString('base64') }),
      b64({ iss: `${endpoint}/${poolId}`, client_id: clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: 'x', exp: Math.floor(Date.now() / 1000) + 600 }),
      randomBytes(256).toString('base64url'),
    ].join('.');
    const before = (server.log().match(/reloaded for a token with an unknown kid/g) ?? []).length;
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => pub.send(new GetUserCommand({ AccessToken: forged() }))));
    const names = new Set(results.map((r) => r.reason?.name));
    assert.deepEqual([...names], ['NotAuthorizedException']);
    await new Promise((r) => setTimeout(r, 300)); // let the log flush
    const reloads = (server.log().match(/reloaded for a token with an unknown kid/g) ?? []).length - before;
    assert.ok(reloads <= 1, `signing keys reloaded ${reloads} times for 200 forged tokens`);
  });
});
