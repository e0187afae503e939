// Issue 12 through the JS SDK v3: SigV4 must cover X-Amz-Target and Content-Type (no replaying a signed call as
// another action), and wire-level bad requests the SDK's serializer cannot produce answer 4xx, never 500.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, RUN, adminClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const TARGET = 'AWSCognitoIdentityProviderService.';

/**
 * An admin client whose SDK signer never sees `header` (removed in the build step, before signing), which is then put
 * back on the wire after signing, with `replace(value)` as its value: a signed request whose signature does not
 * cover the header, as an attacker who captured it could send.
 */
function clientSigningWithout(header, replace) {
  const client = adminClient();
  let stashed;
  client.middlewareStack.add(
    (next) => async (args) => {
      const headers = args.request.headers;
      const key = Object.keys(headers).find((k) => k.toLowerCase() === header);
      stashed = headers[key];
      delete headers[key];
      return next(args);
    },
    { step: 'build', name: `unsign-${header}`, priority: 'low' },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      const auth = args.request.headers.authorization ?? args.request.headers.Authorization;
      assert.ok(auth && !auth.includes(header), `the SDK signed without ${header}`);
      args.request.headers[header] = replace(stashed);
      return next(args);
    },
    { step: 'deserialize', name: `resend-${header}`, priority: 'low' },
  );
  return client;
}

/** An admin client that rewrites X-Amz-Target after the SDK signed it (the signature covers the original). */
function clientRewritingSignedTarget(toAction) {
  const client = adminClient();
  client.middlewareStack.add(
    (next) => async (args) => {
      const key = Object.keys(args.request.headers).find((k) => k.toLowerCase() === 'x-amz-target');
      args.request.headers[key] = TARGET + toAction;
      return next(args);
    },
    { step: 'deserialize', name: 'rewrite-target', priority: 'low' },
  );
  return client;
}

async function raw(action, body, { contentType = 'application/x-amz-json-1.1' } = {}) {
  const res = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { 'X-Amz-Target': TARGET + action, 'Content-Type': contentType },
    body,
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  let json = {};
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, type: json.__type, message: json.message ?? '', headers: res.headers };
}

describe('issue 12: SigV4 coverage and bad requests (JS SDK v3)', { timeout: 60000 }, () => {
  let admin, poolId;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-proto-${RUN}` }))).UserPool.Id;
    await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'secret-app' }));
  });

  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    admin?.destroy();
  });

  it('a legitimately signed call still works (the SDK signs x-amz-target and content-type)', async () => {
    const out = await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(out.UserPool.Id, poolId);
  });

  it('attack: signed DescribeUserPool without x-amz-target, replayed as ListUserPoolClients -> IncompleteSignatureException', async () => {
    const attacker = clientSigningWithout('x-amz-target', () => TARGET + 'ListUserPoolClients');
    try {
      const err = await rejectsWith(attacker.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), 'IncompleteSignatureException');
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /'X-Amz-Target' must be a 'SignedHeader'/);
    } finally {
      attacker.destroy();
    }
  });

  it('attack: same request, target left as signed-over nothing (DescribeUserPool) -> still refused', async () => {
    const attacker = clientSigningWithout('x-amz-target', (original) => original);
    try {
      await rejectsWith(attacker.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), 'IncompleteSignatureException');
    } finally {
      attacker.destroy();
    }
  });

  it('attack: signature without content-type -> IncompleteSignatureException', async () => {
    const attacker = clientSigningWithout('content-type', (original) => original);
    try {
      const err = await rejectsWith(attacker.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), 'IncompleteSignatureException');
      assert.match(err.message, /'Content-Type' must be a 'SignedHeader'/);
    } finally {
      attacker.destroy();
    }
  });

  it('attack: signed DescribeUserPool with its target rewritten to ListUserPoolClients -> InvalidSignatureException', async () => {
    const attacker = clientRewritingSignedTarget('ListUserPoolClients');
    try {
      const err = await rejectsWith(attacker.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), 'InvalidSignatureException');
      assert.equal(err.$metadata.httpStatusCode, 403);
    } finally {
      attacker.destroy();
    }
  });

  it('the replay target itself works when properly signed (the attack would have listed the clients)', async () => {
    const out = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId, MaxResults: 10 }));
    assert.equal(out.UserPoolClients.length, 1);
  });

  it('null inside AuthParameters -> InvalidParameterException, not 500', async () => {
    for (const [flow, params] of [
      ['USER_PASSWORD_AUTH', { USERNAME: null, PASSWORD: 'x' }],
      ['REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: null }],
      ['USER_SRP_AUTH', { USERNAME: 'a', SRP_A: null }],
    ]) {
      const r = await raw('InitiateAuth', JSON.stringify({ ClientId: 'cognatedevelopmentclient01', AuthFlow: flow, AuthParameters: params }));
      assert.equal(r.status, 400, `${flow}: ${r.status} ${r.type}`);
      assert.equal(r.type, 'InvalidParameterException');
      assert.match(r.message, /validation error.*Value null at 'authParameters\.[A-Z_]+' failed to satisfy constraint: Member must not be null/);
    }
    const r = await raw('RespondToAuthChallenge', JSON.stringify({ ClientId: 'cognatedevelopmentclient01', ChallengeName: 'PASSWORD_VERIFIER', ChallengeResponses: { USERNAME: null } }));
    assert.equal(r.type, 'InvalidParameterException');
  });

  it('invalid UTF-8 and unpaired surrogate escapes -> SerializationException, not 500', async () => {
    const bodies = [
      Buffer.concat([Buffer.from('{"ClientId":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('","Username":"u","Password":"Passw0rd!"}')]),
      Buffer.concat([Buffer.from('{"Client'), Buffer.from([0xff]), Buffer.from('Id":"a","Username":"u","Password":"Passw0rd!"}')]),
      Buffer.from('{"ClientId":"a","Username":"\\ud800","Password":"Passw0rd!"}'),
      Buffer.from('{"ClientId":"a","\\udc00":"x","Username":"u","Password":"Passw0rd!"}'),
    ];
    for (const body of bodies) {
      const r = await raw('SignUp', body);
      assert.equal(r.status, 400);
      assert.equal(r.type, 'SerializationException');
    }
    // A paired surrogate escape is fine (an emoji): it reaches validation and the handler.
    const ok = await raw('SignUp', Buffer.from('{"ClientId":"nosuchclient","Username":"\\ud83d\\ude00","Password":"Passw0rd!"}'));
    assert.notEqual(ok.type, 'SerializationException');
    assert.ok(ok.status < 500);
  });

  it('a wrong confirmation code in a validation error is never echoed', async () => {
    const code = 'secret code 123';
    const r = await raw('ConfirmSignUp', JSON.stringify({ ClientId: 'cognatedevelopmentclient01', Username: 'u', ConfirmationCode: code }));
    assert.equal(r.type, 'InvalidParameterException');
    assert.ok(!r.message.includes(code), 'the code must not be echoed');
  });

  it('a body over 1 MiB -> 413 with Connection: close', async () => {
    const r = await raw('SignUp', JSON.stringify({ ClientId: 'a', Padding: 'p'.repeat(1100 * 1024) }));
    assert.equal(r.status, 413);
    assert.equal(r.type, 'RequestEntityTooLargeException');
    assert.equal(r.headers.get('connection'), 'close');
  });
});
