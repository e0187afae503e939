// GetClientToken (the 2026 machine-to-machine action) through the AWS SDK for JavaScript v3's own GetClientTokenCommand:
//  - the client configured as the developer guide's example (secret, ExplicitAuthFlows = ALLOW_CLIENT_TOKEN_AUTH only,
//    custom scopes, no OAuth flow settings) gets ClientAuthenticationResult {AccessToken, ExpiresIn, TokenType};
//  - the SDK signs the call (it is not in its anonymous list), with keys Cognate does not know: Cognito evaluates no IAM
//    policy for GetClientToken, so the signature is ignored;
//  - the token verifies with aws-jwt-verify (tokenUse access, clientId, scope) on the AWS-form issuer server;
//  - the errors surface as the SDK's named exceptions.
// Secrets and tokens are never printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  GetClientTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  AWS_ISSUER_ENDPOINT, ENDPOINT, READ, REGION, RUN, WRITE, adminClient, createApiResourceServer, decodeJwt, getJson, offlineVerifier,
  rejectsWith, requireEndpoint,
} from '../lib/helpers.js';

async function setup(endpoint, region, tag) {
  const admin = adminClient({ endpoint, region });
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-gct-${tag}-${RUN}` }))).UserPool.Id;
  await createApiResourceServer(admin, poolId);
  const m2m = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'm2m', GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_CLIENT_TOKEN_AUTH'], AllowedOAuthScopes: [READ, WRITE],
  }))).UserPoolClient;
  const user = (await admin.send(new CreateUserPoolClientCommand({
    UserPoolId: poolId, ClientName: 'user', GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AllowedOAuthScopes: [READ],
  }))).UserPoolClient;
  const cleanup = () => admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  return { admin, poolId, m2m, user, cleanup };
}

/** An SDK client with credentials Cognate has never heard of: the SDK signs GetClientToken; nothing may depend on it. */
function m2mClient(endpoint, region) {
  return new CognitoIdentityProviderClient({
    endpoint, region, maxAttempts: 1,
    credentials: { accessKeyId: 'AKIANOTACOGNATEKEY00', secretAccessKey: 'not-a-key-that-cognate-knows-0123456789' },
  });
}

describe('AWS SDK v3 GetClientTokenCommand', { timeout: 120000 }, () => {
  let S, client;
  before(async () => {
    requireEndpoint();
    S = await setup(ENDPOINT, REGION, 'sdk');
    client = m2mClient(ENDPOINT, REGION);
  });
  after(async () => { await S?.cleanup(); S?.admin.destroy(); client?.destroy(); });

  it('returns an access token with the requested custom scope', async () => {
    const r = await client.send(new GetClientTokenCommand({ ClientId: S.m2m.ClientId, Secret: S.m2m.ClientSecret, Scopes: [READ] }));
    const result = r.ClientAuthenticationResult;
    assert.equal(result.TokenType, 'Bearer');
    assert.equal(result.ExpiresIn, 3600);
    const { header, payload } = decodeJwt(result.AccessToken);
    assert.equal(header.alg, 'RS256');
    assert.equal(payload.token_use, 'access');
    assert.equal(payload.client_id, S.m2m.ClientId);
    assert.equal(payload.sub, S.m2m.ClientId);
    assert.equal(payload.scope, READ);
    assert.equal(payload.iss, `${ENDPOINT}/${S.poolId}`);
  });

  it('grants every custom scope of the client when Scopes is omitted', async () => {
    const r = await client.send(new GetClientTokenCommand({ ClientId: S.m2m.ClientId, Secret: S.m2m.ClientSecret }));
    assert.equal(decodeJwt(r.ClientAuthenticationResult.AccessToken).payload.scope, `${READ} ${WRITE}`);
  });

  it('answers the SDK\'s named exceptions', async () => {
    const wrong = S.m2m.ClientSecret.slice(0, -1) + (S.m2m.ClientSecret.endsWith('a') ? 'b' : 'a');
    const err = await rejectsWith(client.send(new GetClientTokenCommand({ ClientId: S.m2m.ClientId, Secret: wrong })), 'NotAuthorizedException', 'wrong secret: ');
    assert.ok(!String(err.message).includes(wrong) && !String(err.message).includes(S.m2m.ClientSecret), 'the message never echoes a secret');
    await rejectsWith(client.send(new GetClientTokenCommand({ ClientId: S.user.ClientId, Secret: S.user.ClientSecret })), 'InvalidParameterException', 'flow not enabled: ');
    await rejectsWith(client.send(new GetClientTokenCommand({ ClientId: S.m2m.ClientId, Secret: S.m2m.ClientSecret, Scopes: ['openid'] })), 'InvalidParameterException', 'reserved scope: ');
    await rejectsWith(client.send(new GetClientTokenCommand({ ClientId: 'nosuchclient0000000000000', Secret: S.m2m.ClientSecret })), 'ResourceNotFoundException', 'unknown client: ');
  });

  it('refuses ALLOW_CLIENT_TOKEN_AUTH beside a user flow at CreateUserPoolClient', async () => {
    await rejectsWith(S.admin.send(new CreateUserPoolClientCommand({
      UserPoolId: S.poolId, ClientName: 'mixed', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_CLIENT_TOKEN_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    })), 'InvalidParameterException', 'mixed flows: ');
  });
});

describe('aws-jwt-verify: GetClientToken access tokens (AWS-form issuer server)', { timeout: 120000 }, () => {
  let S, client, jwks;
  const region = 'eu-west-1';
  before(async () => {
    requireEndpoint(AWS_ISSUER_ENDPOINT);
    S = await setup(AWS_ISSUER_ENDPOINT, region, 'jv');
    client = m2mClient(AWS_ISSUER_ENDPOINT, region);
    jwks = (await getJson(`${AWS_ISSUER_ENDPOINT}/${S.poolId}/.well-known/jwks.json`)).json;
  });
  after(async () => { await S?.cleanup(); S?.admin.destroy(); client?.destroy(); });

  const verifier = (props) => offlineVerifier({ userPoolId: S.poolId, ...props }, jwks);

  it('verifies with tokenUse access, clientId and scope; refuses a scope it was not granted', async () => {
    const r = await client.send(new GetClientTokenCommand({ ClientId: S.m2m.ClientId, Secret: S.m2m.ClientSecret, Scopes: [WRITE] }));
    const token = r.ClientAuthenticationResult.AccessToken;
    const claims = await verifier({ tokenUse: 'access', clientId: S.m2m.ClientId, scope: WRITE }).verify(token);
    assert.equal(claims.iss, `https://cognito-idp.${region}.amazonaws.com/${S.poolId}`);
    await rejectsWith(verifier({ tokenUse: 'access', clientId: S.m2m.ClientId, scope: READ }).verify(token), 'JwtInvalidScopeError');
    await rejectsWith(verifier({ tokenUse: 'id', clientId: S.m2m.ClientId }).verify(token), 'CognitoJwtInvalidTokenUseError');
  });
});
