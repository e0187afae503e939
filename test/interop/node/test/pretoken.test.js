// PreTokenGeneration V2_0 end to end, checked by a verifier nobody here wrote: a pool's Lambda function (a Node handler in the
// AWS guide's style, served by a small local implementation of the Lambda Invoke API on COGNATE_AWS_ISSUER_LAMBDA_PORT, which run.sh gives the
// AWS-issuer server as Cognate__Lambda__Endpoint) adds a custom claim and a custom scope to the access token; aws-jwt-verify's
// CognitoJwtVerifier accepts the token, requires the scope and sees the claim.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AWS_ISSUER_ENDPOINT, PW1, READ, RUN, adminClient, createApiResourceServer, decodeJwt, getJson, offlineVerifier, publicClient,
  rejectsWith, requireEndpoint,
} from '../lib/helpers.js';

const LAMBDA_PORT = Number(process.env.COGNATE_AWS_ISSUER_LAMBDA_PORT ?? 0);
const FUNCTION = `cognate-pretoken-${RUN}`;
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION}`;

/** The function: the AWS guide's V2 example shape (add a claim and a scope to the access token), returning the whole event. */
const handlers = {
  [FUNCTION]: async (event) => {
    event.response = {
      claimsAndScopeOverrideDetails: {
        idTokenGeneration: { claimsToAddOrOverride: { plan: { tier: 'gold', seats: 5 } } },
        accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', roles: ['reader', 'writer'] }, scopesToAdd: [READ] },
      },
    };
    return event;
  },
};

/** Every event received, per function name. */
const events = [];

/** POST /2015-03-31/functions/{FunctionName}/invocations: FunctionName is the name, the ARN or a partial ARN, URL-encoded. */
function startLambdaApi() {
  const server = http.createServer((req, res) => {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(new URL(req.url, 'http://127.0.0.1').pathname);
    if (req.method !== 'POST' || !m) { res.writeHead(404, { 'content-type': 'application/json' }); res.end('{"Message":"not found"}'); return; }
    const name = decodeURIComponent(m[1]).split(':function:').pop().split(':')[0];
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const handler = handlers[name];
      if (!handler) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', Message: `Function not found: ${name}` }));
        return;
      }
      try {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        events.push(structuredClone(event));
        const answer = await handler(event);
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        res.end(JSON.stringify(answer));
      } catch (err) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        res.end(JSON.stringify({ errorType: err?.name ?? 'Error', errorMessage: String(err?.message ?? err) }));
      }
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(LAMBDA_PORT, '127.0.0.1', () => resolve(server));
  });
}

describe('PreTokenGeneration V2_0 + aws-jwt-verify (AWS-form issuer)', { timeout: 120000 }, () => {
  let lambda, admin, poolId, clientId, username, jwks;

  before(async () => {
    requireEndpoint(AWS_ISSUER_ENDPOINT);
    assert.ok(LAMBDA_PORT > 0, 'COGNATE_AWS_ISSUER_LAMBDA_PORT is not set (run via test/interop/run.sh)');
    lambda = await startLambdaApi();
    admin = adminClient({ endpoint: AWS_ISSUER_ENDPOINT });
    poolId = (await admin.send(new CreateUserPoolCommand({
      PoolName: `node-pretoken-${RUN}`, UserPoolTier: 'ESSENTIALS',
      LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: ARN, LambdaVersion: 'V2_0' } },
    }))).UserPool.Id;
    await createApiResourceServer(admin, poolId);
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'pretoken', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    username = `node-pretoken-${RUN}`;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${poolId}/.well-known/jwks.json`)).json;
  });

  after(async () => {
    await admin?.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
    await new Promise((resolve) => (lambda ? lambda.close(resolve) : resolve()));
  });

  it('sign-in: the function gets the V2 event; CognitoJwtVerifier verifies the access token with the added scope and claim', async () => {
    const pub = publicClient({ endpoint: AWS_ISSUER_ENDPOINT });
    const ar = (await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }))).AuthenticationResult;

    const event = events.at(-1);
    assert.equal(event.version, '2');
    assert.equal(event.triggerSource, 'TokenGeneration_Authentication');
    assert.equal(event.userPoolId, poolId);
    assert.equal(event.callerContext.clientId, clientId);
    assert.deepEqual(event.request.scopes, ['aws.cognito.signin.user.admin']);
    assert.equal(event.request.userAttributes.email, `${username}@example.com`);
    assert.deepEqual(event.request.groupConfiguration, { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null });

    const accessVerifier = offlineVerifier({ userPoolId: poolId, tokenUse: 'access', clientId, scope: READ }, jwks);
    const access = await accessVerifier.verify(ar.AccessToken);
    assert.equal(access.tenant, 'acme');
    assert.deepEqual(access.roles, ['reader', 'writer']);
    assert.deepEqual(access.scope.split(' '), ['aws.cognito.signin.user.admin', READ]);

    const id = await offlineVerifier({ userPoolId: poolId, tokenUse: 'id', clientId }, jwks).verify(ar.IdToken);
    assert.deepEqual(id.plan, { tier: 'gold', seats: 5 });
    assert.equal(id['cognito:username'], username);
  });

  it('refresh: TokenGeneration_RefreshTokens, the claim and scope again', async () => {
    const pub = publicClient({ endpoint: AWS_ISSUER_ENDPOINT });
    const first = (await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }))).AuthenticationResult;
    const refreshed = (await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: first.RefreshToken },
    }))).AuthenticationResult;
    assert.equal(events.at(-1).triggerSource, 'TokenGeneration_RefreshTokens');
    const access = await offlineVerifier({ userPoolId: poolId, tokenUse: 'access', clientId, scope: READ }, jwks).verify(refreshed.AccessToken);
    assert.equal(access.tenant, 'acme');
  });

  it('a function that throws: UserLambdaValidationException "PreTokenGeneration failed with error …", no tokens', async () => {
    const original = handlers[FUNCTION];
    handlers[FUNCTION] = async () => { throw new Error('tenant suspended'); };
    try {
      const pub = publicClient({ endpoint: AWS_ISSUER_ENDPOINT });
      const err = await rejectsWith(pub.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
      })), 'UserLambdaValidationException');
      assert.equal(err.message, 'PreTokenGeneration failed with error tenant suspended.');
    } finally {
      handlers[FUNCTION] = original;
    }
  });

  it('the access token without the trigger would not pass the scope check (control)', async () => {
    const original = handlers[FUNCTION];
    handlers[FUNCTION] = async (event) => event; // answers nothing: tokens as Cognito makes them
    try {
      const pub = publicClient({ endpoint: AWS_ISSUER_ENDPOINT });
      const ar = (await pub.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
      }))).AuthenticationResult;
      assert.equal(decodeJwt(ar.AccessToken).payload.tenant, undefined);
      await rejectsWith(offlineVerifier({ userPoolId: poolId, tokenUse: 'access', clientId, scope: READ }, jwks).verify(ar.AccessToken),
        'JwtInvalidScopeError');
    } finally {
      handlers[FUNCTION] = original;
    }
  });
});
