// CUSTOM_AUTH with amazon-cognito-identity-js (CognitoUser.initiateAuth + customChallenge → sendCustomChallengeAnswer, and
// authenticateUser with authenticationFlowType CUSTOM_AUTH = CHALLENGE_NAME SRP_A then the custom challenge), against real
// Node Lambda handlers (test/interop/triggers/handlers/custom-auth-*.js) that Cognate invokes through the AWS Lambda Invoke
// API: this file serves POST /2015-03-31/functions/{name}/invocations on COGNATE_LAMBDA_PORT, where run.sh points the
// server's Cognate__Lambda__Endpoint.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import acij from 'amazon-cognito-identity-js';
import { ENDPOINT, PW1, RUN, adminClient, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const require = createRequire(import.meta.url);
const define = require('../../triggers/handlers/custom-auth-define.js');
const create = require('../../triggers/handlers/custom-auth-create.js');
const verify = require('../../triggers/handlers/custom-auth-verify.js');
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = acij;

const LAMBDA_PORT = Number(process.env.COGNATE_LAMBDA_PORT ?? 0);
const ARN = (name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const withTimeout = (p, ms = 20000) => Promise.race([
  p, new Promise((_, rej) => setTimeout(() => rej(new Error(`timed out after ${ms} ms`)), ms).unref()),
]);

/** The Lambda Invoke API, enough for RequestResponse calls: FunctionName is a name or an ARN (URL-encoded, maybe qualified). */
function lambdaService(functions, events) {
  return createServer((req, res) => {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url.split('?')[0]);
    if (req.method !== 'POST' || !m) { res.writeHead(404).end(); return; }
    let name = decodeURIComponent(m[1]);
    if (name.includes(':function:')) name = name.split(':function:')[1].split(':')[0];
    const fn = functions[name];
    if (!fn) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
        .end(JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
      return;
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      events.push({ name, event: structuredClone(event) });
      try {
        const answer = await fn(event);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      } catch (err) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
          .end(JSON.stringify({ errorType: 'Error', errorMessage: err.message, trace: [] }));
      }
    });
  });
}

describe('CUSTOM_AUTH with amazon-cognito-identity-js and Node Lambda handlers', { timeout: 120000 }, () => {
  let admin, poolId, clientId, userPool, server;
  const events = [];
  const sent = new Map(); // username -> the code CreateAuthChallenge "sent"
  const username = `node-custom-${RUN}`;
  const email = `${username}@example.com`;
  const names = { define: `define-${RUN}`, create: `create-${RUN}`, verify: `verify-${RUN}` };

  before(async () => {
    requireEndpoint();
    assert.ok(LAMBDA_PORT > 0, 'COGNATE_LAMBDA_PORT is not set (run via test/interop/run.sh, which points the server at it)');
    create.deliver = (event, code) => sent.set(event.userName, code);
    const functions = {
      [names.define]: (e) => {
        if (e.request.clientMetadata?.explode === 'yes') throw new Error('boom');
        return define.handler(e);
      },
      [names.create]: create.handler,
      [names.verify]: verify.handler,
    };
    server = lambdaService(functions, events);
    await new Promise((res, rej) => server.once('error', rej).listen(LAMBDA_PORT, '127.0.0.1', res));
    admin = adminClient();
    poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `node-custom-${RUN}`,
      LambdaConfig: { DefineAuthChallenge: ARN(names.define), CreateAuthChallenge: ARN(names.create), VerifyAuthChallengeResponse: ARN(names.verify) },
    }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'spa', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${ENDPOINT}/` });
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
    if (server) await new Promise((res) => server.close(res));
  });

  it('initiateAuth → customChallenge → a wrong answer → a new challenge → the right code → tokens', async () => {
    events.length = 0;
    sent.clear();
    const user = new CognitoUser({ Username: username, Pool: userPool });
    let challenges = 0;
    const session = await withTimeout(new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        customChallenge: (parameters) => {
          challenges += 1;
          try {
            assert.equal(parameters.email, email);
            assert.equal(parameters.USERNAME, username);
          } catch (e) { reject(e); return; }
          const code = sent.get(username);
          user.sendCustomChallengeAnswer(challenges === 1 ? '000000' : code, callbacks, { step: `answer-${challenges}` });
        },
      };
      user.initiateAuth(new AuthenticationDetails({ Username: username }), callbacks);
    }));
    assert.equal(challenges, 2);
    assert.ok(session.isValid());
    assert.equal(session.getIdToken().decodePayload()['cognito:username'], username);
    assert.deepEqual(events.map((e) => e.event.triggerSource), [
      'DefineAuthChallenge_Authentication', 'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication', 'DefineAuthChallenge_Authentication', 'CreateAuthChallenge_Authentication',
      'VerifyAuthChallengeResponse_Authentication', 'DefineAuthChallenge_Authentication',
    ]);
    const first = events[0].event;
    assert.equal(first.userPoolId, poolId);
    assert.equal(first.userName, username);
    assert.equal(first.callerContext.clientId, clientId);
    assert.equal(first.request.userAttributes.email, email);
    assert.equal(first.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.deepEqual(first.request.session, []);
    const lastDefine = events[6].event.request;
    assert.deepEqual(lastDefine.session.map((s) => [s.challengeName, s.challengeResult]), [['CUSTOM_CHALLENGE', false], ['CUSTOM_CHALLENGE', true]]);
    assert.deepEqual(lastDefine.clientMetadata, { step: 'answer-2' });
    const firstVerify = events[2].event.request;
    assert.equal(firstVerify.challengeAnswer, '000000');
    assert.ok(firstVerify.privateChallengeParameters.secretLoginCode === sent.get(username), 'private parameters reach Verify');
  });

  it('authenticateUser with CUSTOM_AUTH: SRP_A → PASSWORD_VERIFIER → customChallenge → tokens', async () => {
    events.length = 0;
    sent.clear();
    const user = new CognitoUser({ Username: username, Pool: userPool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    const session = await withTimeout(new Promise((resolve, reject) => {
      const callbacks = {
        onSuccess: resolve,
        onFailure: reject,
        customChallenge: () => user.sendCustomChallengeAnswer(sent.get(username), callbacks),
      };
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PW1 }), callbacks);
    }));
    assert.ok(session.isValid());
    const defines = events.filter((e) => e.name === names.define).map((e) => e.event.request.session.map((s) => s.challengeName));
    assert.deepEqual(defines, [['SRP_A'], ['SRP_A', 'PASSWORD_VERIFIER'], ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE']]);
  });

  it('authenticateUser with CUSTOM_AUTH and a wrong password fails before any custom challenge', async () => {
    events.length = 0;
    const user = new CognitoUser({ Username: username, Pool: userPool });
    user.setAuthenticationFlowType('CUSTOM_AUTH');
    const err = await withTimeout(new Promise((resolve) => user.authenticateUser(
      new AuthenticationDetails({ Username: username, Password: 'Wrong-Pass-9z!' }),
      { onSuccess: () => resolve(null), onFailure: resolve, customChallenge: () => resolve(new Error('unexpected custom challenge')) },
    )));
    assert.equal(err?.code ?? err?.name, 'NotAuthorizedException');
    assert.equal(err.message, 'Incorrect username or password.');
  });

  it('three wrong answers: NotAuthorizedException', async () => {
    const user = new CognitoUser({ Username: username, Pool: userPool });
    const err = await withTimeout(new Promise((resolve) => {
      const callbacks = { onSuccess: () => resolve(null), onFailure: resolve, customChallenge: () => user.sendCustomChallengeAnswer('000000', callbacks) };
      user.initiateAuth(new AuthenticationDetails({ Username: username }), callbacks);
    }));
    assert.equal(err?.code ?? err?.name, 'NotAuthorizedException');
  });

  it('a DefineAuthChallenge that throws: UserLambdaValidationException "DefineAuthChallenge failed with error boom."', async () => {
    const client = publicClient();
    const first = await client.send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username } }));
    assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
    const user = new CognitoUser({ Username: username, Pool: userPool });
    user.Session = first.Session;
    const err = await withTimeout(new Promise((resolve) => user.sendCustomChallengeAnswer('000000',
      { onSuccess: () => resolve(null), onFailure: resolve, customChallenge: () => resolve(new Error('unexpected challenge')) }, { explode: 'yes' })));
    assert.equal(err?.code ?? err?.name, 'UserLambdaValidationException');
    assert.equal(err.message, 'DefineAuthChallenge failed with error boom.');
  });

  it('a pool without the triggers: InvalidParameterException', async () => {
    const other = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-custom-none-${RUN}` }))).UserPool.Id;
    try {
      const otherClient = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: other, ClientName: 'spa', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }))).UserPoolClient.ClientId;
      await rejectsWith(publicClient().send(new InitiateAuthCommand({ AuthFlow: 'CUSTOM_AUTH', ClientId: otherClient, AuthParameters: { USERNAME: username } })),
        'InvalidParameterException');
    } finally {
      await admin.send(new DeleteUserPoolCommand({ UserPoolId: other })).catch(() => {});
    }
  });
});
