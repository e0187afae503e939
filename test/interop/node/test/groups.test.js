// Groups, ListUsers filters and admin lifecycle through @aws-sdk/client-cognito-identity-provider; the
// cognito:groups claim is checked on tokens verified with aws-jwt-verify (JwtVerifier, loopback JWKS).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  paginateListGroups,
  paginateListUsers,
  UpdateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { ENDPOINT, PW1, RUN, adminClient, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const loopbackFetcher = {
  async fetch(uri) {
    assert.ok(new URL(uri).hostname === '127.0.0.1', 'JWKS must be fetched from the local server');
    const res = await fetch(uri, { signal: AbortSignal.timeout(5000) });
    if (res.status !== 200) throw new Error(`JWKS fetch -> HTTP ${res.status}`);
    return res.arrayBuffer();
  },
};

const ROLE_ADMIN = 'arn:aws:iam::123456789012:role/node-admins';
const ROLE_READ = 'arn:aws:iam::123456789012:role/node-readers';

describe('groups, ListUsers and admin lifecycle (AWS SDK v3 + aws-jwt-verify)', { timeout: 120000 }, () => {
  let admin, pub, poolId, clientId, idVerifier, accessVerifier;
  const people = ['amber', 'basil', 'cedar', 'dahlia'].map((n) => `${n}-${RUN}`);
  const email = (u) => `${u}@groups.example`;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-groups-${RUN}` }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'groups',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    for (const [i, u] of people.entries()) {
      await admin.send(new AdminCreateUserCommand({
        UserPoolId: poolId, Username: u, MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: email(u) }, { Name: 'family_name', Value: i % 2 ? 'Odd' : 'Even' }],
      }));
      await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: u, Password: PW1, Permanent: true }));
    }
    const issuer = `${ENDPOINT}/${poolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const cache = () => ({ jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) });
    idVerifier = JwtVerifier.create({ issuer, audience: clientId, jwksUri, customJwtCheck: ({ payload }) => assert.equal(payload.token_use, 'id') }, cache());
    accessVerifier = JwtVerifier.create({ issuer, audience: null, jwksUri, customJwtCheck: ({ payload }) => assert.equal(payload.token_use, 'access') }, cache());
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  const signIn = async (u) => (await pub.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: PW1 },
  }))).AuthenticationResult;

  it('CreateGroup / GetGroup / UpdateGroup / ListGroups (paginated) / GroupExistsException', async () => {
    const g = (await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins', RoleArn: ROLE_ADMIN, Precedence: 1, Description: 'a' }))).Group;
    assert.equal(g.GroupName, 'admins');
    assert.ok(g.CreationDate instanceof Date);
    await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'readers', RoleArn: ROLE_READ, Precedence: 5 }));
    await admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'staff' }));
    await rejectsWith(admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'admins' })), 'GroupExistsException');
    const up = (await admin.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'staff', Precedence: 9 }))).Group;
    assert.equal(up.Precedence, 9);
    assert.equal((await admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Group.RoleArn, ROLE_ADMIN);
    const names = [];
    for await (const page of paginateListGroups({ client: admin, pageSize: 2 }, { UserPoolId: poolId })) {
      names.push(...page.Groups.map((x) => x.GroupName));
    }
    assert.deepEqual(names, ['admins', 'readers', 'staff']);
    await rejectsWith(admin.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nope' })), 'ResourceNotFoundException');
  });

  it('memberships put cognito:groups on verified ID and access tokens, in precedence order', async () => {
    const u = people[0];
    for (const g of ['staff', 'readers', 'admins']) {
      await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: u, GroupName: g }));
    }
    const groups = (await admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: u }))).Groups.map((x) => x.GroupName);
    assert.deepEqual(groups, ['admins', 'readers', 'staff']);
    const members = (await admin.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }))).Users.map((x) => x.Username);
    assert.deepEqual(members, [u]);

    const t = await signIn(u);
    const id = await idVerifier.verify(t.IdToken);
    const access = await accessVerifier.verify(t.AccessToken);
    assert.deepEqual(id['cognito:groups'], ['admins', 'readers', 'staff']);
    assert.deepEqual(access['cognito:groups'], ['admins', 'readers', 'staff']);
    assert.deepEqual(id['cognito:roles'], [ROLE_ADMIN, ROLE_READ]);
    assert.equal(id['cognito:preferred_role'], ROLE_ADMIN);

    // aws-jwt-verify's groups check reads cognito:groups
    const gated = JwtVerifier.create({
      issuer: `${ENDPOINT}/${poolId}`, audience: null, jwksUri: `${ENDPOINT}/${poolId}/.well-known/jwks.json`,
      customJwtCheck: ({ payload }) => { if (!payload['cognito:groups']?.includes('admins')) throw new Error('not an admin'); },
    }, { jwksCache: new SimpleJwksCache({ fetcher: loopbackFetcher }) });
    await gated.verify(t.AccessToken);

    await admin.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: u, GroupName: 'readers' }));
    await admin.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'admins' }));
    const refreshed = (await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: t.RefreshToken },
    }))).AuthenticationResult;
    const after = await idVerifier.verify(refreshed.IdToken);
    assert.deepEqual(after['cognito:groups'], ['staff']);
    assert.equal(after['cognito:preferred_role'], undefined);
    await rejectsWith(gated.verify(refreshed.AccessToken), ['JwtInvalidClaimError', 'Error'], 'gated check: ');
  });

  it('ListUsers: Filter (= and ^=), AttributesToGet, Limit with the paginator', async () => {
    const exact = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: `email = "${email(people[1])}"` }));
    assert.deepEqual(exact.Users.map((x) => x.Username), [people[1]]);
    const odd = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'family_name = "odd"', AttributesToGet: ['family_name'] }));
    assert.deepEqual(odd.Users.map((x) => x.Username).sort(), [people[1], people[3]].sort());
    assert.deepEqual(odd.Users[0].Attributes.map((a) => a.Name), ['family_name']);
    const all = [];
    for await (const page of paginateListUsers({ client: admin, pageSize: 1 }, { UserPoolId: poolId, Filter: `username ^= ""` })) {
      all.push(...page.Users.map((x) => x.Username));
    }
    assert.deepEqual(all, [...people].sort());
    await rejectsWith(admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email ~= "x"' })), 'InvalidParameterException');
    await rejectsWith(admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'custom:x = "x"' })), 'InvalidParameterException');
    const injected = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'email = "x\\" OR \\"1\\"=\\"1"' }));
    assert.equal(injected.Users.length, 0);
  });

  it('AdminDisableUser refuses sign-in with "User is disabled."; AdminEnableUser restores it', async () => {
    const u = people[2];
    await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: u }));
    const disabled = await admin.send(new ListUsersCommand({ UserPoolId: poolId, Filter: 'status = "Disabled"' }));
    assert.deepEqual(disabled.Users.map((x) => x.Username), [u]);
    try {
      await admin.send(new AdminInitiateAuthCommand({ UserPoolId: poolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: PW1 } }));
      assert.fail('disabled user signed in');
    } catch (e) {
      assert.equal(e.name, 'NotAuthorizedException');
      assert.equal(e.message, 'User is disabled.');
    }
    await admin.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: u }));
    assert.ok((await signIn(u)).AccessToken);
  });
});
