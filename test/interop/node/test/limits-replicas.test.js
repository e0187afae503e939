// The actions botocore 1.43 does not know, through the JS SDK v3 (3.1169.0): AdminGetUserAuthFactors and
// AdminDeleteSoftwareToken (a TOTP authenticator registered, then removed by an administrator), GetProvisionedLimit /
// UpdateProvisionedLimit (the rate limiter's real per-category rates), and the four replica actions — with aws-jwt-verify
// checking tokens issued through a replica id against the replica's own issuer and JWKS.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDeleteSoftwareTokenCommand,
  AdminGetUserAuthFactorsCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolReplicaCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolReplicaCommand,
  DescribeUserPoolCommand,
  GetProvisionedLimitCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolReplicasCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateProvisionedLimitCommand,
  UpdateUserPoolReplicaCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { ENDPOINT, PW1, RUN, adminClient, decodeJwt, getJson, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, `offset` seconds from now. */
function totp(secretBase32, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secretBase32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((Date.now() / 1000 + offset) / 30)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const loopbackFetcher = {
  async fetch(uri) {
    const u = new URL(uri);
    assert.ok(u.hostname === '127.0.0.1', 'JWKS must be fetched from the local server');
    const res = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`JWKS fetch ${u.pathname} -> HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('AdminGetUserAuthFactors / AdminDeleteSoftwareToken (JS SDK v3)', { timeout: 120000 }, () => {
  const admin = adminClient();
  const pub = publicClient();
  const username = `totp-${RUN}`;
  let poolId;
  let clientId;

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `factors-${RUN}` }))).UserPool.Id;
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'factors', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
  });
  after(async () => { await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {}); });

  it('AdminGetUserAuthFactors: a password user, then a TOTP user after AssociateSoftwareToken/VerifySoftwareToken', async () => {
    let f = await admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(f.Username, username);
    assert.ok(f.ConfiguredUserAuthFactors.includes('PASSWORD'));
    assert.equal(f.UserMFASettingList, undefined);

    const access = (await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }))).AuthenticationResult.AccessToken;
    const { SecretCode } = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    assert.equal((await pub.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(SecretCode) }))).Status, 'SUCCESS');
    await pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    f = await admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username }));
    assert.deepEqual(f.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(f.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');
    const signIn = await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }));
    assert.equal(signIn.ChallengeName, 'SOFTWARE_TOKEN_MFA');
  });

  it('AdminDeleteSoftwareToken: the factor and its preference are gone, sign-in no longer asks for TOTP; twice is an error', async () => {
    const r = await admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(r.$metadata.httpStatusCode, 200);
    const f = await admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(f.UserMFASettingList, undefined);
    assert.equal(f.PreferredMfaSetting, undefined);
    const signIn = await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }));
    assert.ok(signIn.AuthenticationResult?.AccessToken, 'MFA OPTIONAL and no factor: tokens at once');
    await rejectsWith(admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: username })), 'InvalidParameterException');
    await rejectsWith(admin.send(new AdminDeleteSoftwareTokenCommand({ UserPoolId: poolId, Username: `nobody-${RUN}` })), 'UserNotFoundException');
    await rejectsWith(admin.send(new AdminGetUserAuthFactorsCommand({ UserPoolId: poolId, Username: `nobody-${RUN}` })), 'UserNotFoundException');
  });
});

describe('GetProvisionedLimit / UpdateProvisionedLimit (JS SDK v3)', { timeout: 60000 }, () => {
  const admin = adminClient();
  const def = (Category) => ({ LimitClass: 'API_CATEGORY', Attributes: { Category } });

  before(() => requireEndpoint());

  it('reads the free and enforced rate of a category', async () => {
    const { Limit } = await admin.send(new GetProvisionedLimitCommand({ LimitDefinition: def('UserAuthentication') }));
    assert.equal(Limit.FreeLimitValue, 120);
    assert.ok(Limit.ProvisionedLimitValue >= 120);
    assert.deepEqual(Limit.LimitDefinition, def('UserAuthentication'));
  });

  it('raises a category (and sets it back); refuses below the free rate, above the maximum, unknown categories', async () => {
    // Only raised here: the interop server is shared with the other suites.
    const before = (await admin.send(new GetProvisionedLimitCommand({ LimitDefinition: def('UserPoolClientRead') }))).Limit.ProvisionedLimitValue;
    const up = await admin.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def('UserPoolClientRead'), RequestedLimitValue: before + 1000 }));
    assert.equal(up.Limit.ProvisionedLimitValue, before + 1000);
    assert.equal(up.Limit.FreeLimitValue, 15);
    assert.equal((await admin.send(new GetProvisionedLimitCommand({ LimitDefinition: def('UserPoolClientRead') }))).Limit.ProvisionedLimitValue, before + 1000);
    await admin.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def('UserPoolClientRead'), RequestedLimitValue: before }));

    await rejectsWith(admin.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def('UserCreation'), RequestedLimitValue: 10 })), 'InvalidParameterException');
    await rejectsWith(admin.send(new UpdateProvisionedLimitCommand({ LimitDefinition: def('UserCreation'), RequestedLimitValue: 50_000_000 })), 'ServiceQuotaExceededException');
    await rejectsWith(admin.send(new GetProvisionedLimitCommand({ LimitDefinition: def('NoSuchCategory') })), 'ResourceNotFoundException');
    await rejectsWith(admin.send(new GetProvisionedLimitCommand({ LimitDefinition: { LimitClass: 'API_CATEGORY', Attributes: {} } })), 'InvalidParameterException');
  });
});

describe('user pool replicas (JS SDK v3, aws-jwt-verify)', { timeout: 120000 }, () => {
  const admin = adminClient();
  const username = `rep-${RUN}`;
  let poolId;
  let clientId;
  let replicaId;
  let region;
  const other = 'ap-south-1';

  before(async () => {
    requireEndpoint();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `replicas-${RUN}` }))).UserPool.Id;
    region = poolId.split('_')[0];
    assert.notEqual(region, other);
    replicaId = `${other}_${poolId.split('_')[1]}`;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'rep', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
  });
  after(async () => { await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {}); });

  it('CreateUserPoolReplica / ListUserPoolReplicas: SECONDARY in the new Region, PRIMARY in the pool\'s', async () => {
    const { UserPoolReplica: r } = await admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other }));
    assert.equal(r.RegionName, other);
    assert.equal(r.Role, 'SECONDARY');
    assert.equal(r.Status, 'ACTIVE');
    assert.match(r.UserPoolArn, new RegExp(`^arn:aws:cognito-idp:${other}:\\d{12}:userpool/${replicaId}$`));
    const { UserPoolReplicas } = await admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
    assert.deepEqual(UserPoolReplicas.map((x) => [x.RegionName, x.Role, x.Status]), [[other, 'SECONDARY', 'ACTIVE'], [region, 'PRIMARY', 'ACTIVE']]);
    await rejectsWith(admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other })), 'InvalidParameterException');
    await rejectsWith(admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: region })), 'InvalidParameterException');
    await rejectsWith(admin.send(new CreateUserPoolReplicaCommand({ UserPoolId: replicaId, RegionName: 'eu-west-1' })), 'OperationNotEnabledException');
  });

  it('tokens issued through the replica id carry its issuer and verify against its JWKS (aws-jwt-verify)', async () => {
    assert.equal((await admin.send(new DescribeUserPoolCommand({ UserPoolId: replicaId }))).UserPool.Id, poolId);
    const ar = (await admin.send(new AdminInitiateAuthCommand({
      UserPoolId: replicaId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    }))).AuthenticationResult;
    const discovery = (await getJson(`${ENDPOINT}/${replicaId}/.well-known/openid-configuration`)).json;
    assert.equal(discovery.issuer, `${ENDPOINT}/${replicaId}`);
    assert.equal(decodeJwt(ar.AccessToken).payload.iss, discovery.issuer);
    const verifier = JwtVerifier.create(
      { issuer: discovery.issuer, audience: clientId, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    const claims = await verifier.verify(ar.IdToken);
    assert.equal(claims['cognito:username'], username);
    const access = JwtVerifier.create(
      { issuer: discovery.issuer, audience: null, jwksUri: discovery.jwks_uri },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    assert.equal((await access.verify(ar.AccessToken)).token_use, 'access');
    const primary = JwtVerifier.create(
      { issuer: `${ENDPOINT}/${poolId}`, audience: null, jwksUri: `${ENDPOINT}/${poolId}/.well-known/jwks.json` },
      { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) },
    );
    await rejectsWith(primary.verify(ar.AccessToken), 'JwtInvalidIssuerError', 'primary issuer: ');
    assert.equal((await publicClient().send(new GetUserCommand({ AccessToken: ar.AccessToken }))).Username, username);
  });

  it('UpdateUserPoolReplica INACTIVE hides the replica id; DeleteUserPoolReplica then removes it', async () => {
    await rejectsWith(admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other })), 'InvalidParameterException', 'still ACTIVE: ');
    const { UserPoolReplica: u } = await admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other, Status: 'INACTIVE' }));
    assert.equal(u.Status, 'INACTIVE');
    await sleep(1100); // configuration cache
    await rejectsWith(admin.send(new DescribeUserPoolCommand({ UserPoolId: replicaId })), 'ResourceNotFoundException');
    const { UserPoolReplica: d } = await admin.send(new DeleteUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other }));
    assert.equal(d.Status, 'DELETING');
    const { UserPoolReplicas } = await admin.send(new ListUserPoolReplicasCommand({ UserPoolId: poolId }));
    assert.deepEqual(UserPoolReplicas.map((x) => x.Role), ['PRIMARY']);
    await rejectsWith(admin.send(new UpdateUserPoolReplicaCommand({ UserPoolId: poolId, RegionName: other, Status: 'ACTIVE' })), 'ResourceNotFoundException');
  });
});
