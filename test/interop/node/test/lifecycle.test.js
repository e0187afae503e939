// Core lifecycle through @aws-sdk/client-cognito-identity-provider (JS v3).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  paginateListUserPools,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  PW1, PW2, REGION, RUN, UUID_RE, adminClient, attrMap, decodeJwt, outbox, outboxCode,
  publicClient, rejectsWith, requireEndpoint, secretHash,
} from '../lib/helpers.js';

describe('JS SDK v3 lifecycle', { timeout: 120000 }, () => {
  let admin, pub, poolId, clientId;
  const username = `node-erin-${RUN}`;
  const email = `node-erin-${RUN}@example.com`;
  const s = {};

  const login = (u, p, cid = clientId) =>
    pub.send(new InitiateAuthCommand({ ClientId: cid, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: p } }));

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient();
    const p = await admin.send(new CreateUserPoolCommand({ PoolName: `node-life-${RUN}`, AutoVerifiedAttributes: ['email'] }));
    poolId = p.UserPool.Id;
    const c = await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'node-app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    clientId = c.UserPoolClient.ClientId;
  });

  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('pool and client are described, listed and paginated', async () => {
    assert.match(poolId, new RegExp(`^${REGION}_[0-9a-zA-Z]+$`));
    const d = await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    assert.equal(d.UserPool.Name, `node-life-${RUN}`);
    assert.ok(d.UserPool.CreationDate instanceof Date, 'CreationDate should deserialize to a Date');
    assert.ok(d.$metadata.requestId, 'x-amzn-RequestId missing');
    const ids = [];
    for await (const page of paginateListUserPools({ client: admin, pageSize: 1 }, { MaxResults: 1 })) {
      ids.push(...page.UserPools.map((x) => x.Id));
      assert.ok(ids.length < 500, 'paginator does not terminate');
    }
    assert.ok(ids.includes(poolId), 'pool missing from ListUserPools pages');
    const l = await admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    assert.ok(l.UserPools.some((x) => x.Id === poolId));
    const cl = await admin.send(new ListUserPoolClientsCommand({ UserPoolId: poolId }));
    assert.deepEqual(cl.UserPoolClients.map((x) => x.ClientId), [clientId]);
    const dc = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    assert.equal(dc.UserPoolClient.ClientSecret, undefined);
    assert.deepEqual([...dc.UserPoolClient.ExplicitAuthFlows].sort(), ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_PASSWORD_AUTH']);
  });

  it('sign-up returns UserSub and masked CodeDeliveryDetails', async () => {
    const r = await pub.send(new SignUpCommand({
      ClientId: clientId, Username: username, Password: PW1,
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'name', Value: 'Erin Node' }],
    }));
    assert.equal(r.UserConfirmed, false);
    assert.match(r.UserSub, UUID_RE);
    assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    assert.equal(r.CodeDeliveryDetails?.AttributeName, 'email');
    assert.notEqual(r.CodeDeliveryDetails?.Destination, email);
    s.sub = r.UserSub;
  });

  it('duplicate sign-up -> UsernameExistsException', async () => {
    await rejectsWith(pub.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: PW1 })), 'UsernameExistsException');
  });

  it('weak password -> InvalidPasswordException', async () => {
    await rejectsWith(pub.send(new SignUpCommand({
      ClientId: clientId, Username: `node-weak-${RUN}`, Password: 'nouppercase1!',
    })), 'InvalidPasswordException');
  });

  it('sign-in before confirmation -> UserNotConfirmedException', async () => {
    await rejectsWith(login(username, PW1), 'UserNotConfirmedException');
  });

  it('resend-confirmation-code sends a new code; wrong code -> CodeMismatchException; confirm', async () => {
    await outboxCode(email, 1);
    const r = await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));
    assert.equal(r.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
    const code = await outboxCode(email, 2);
    assert.match(code, /^\d{6}$/);
    await rejectsWith(pub.send(new ConfirmSignUpCommand({
      ClientId: clientId, Username: username, ConfirmationCode: code === '000000' ? '111111' : '000000',
    })), 'CodeMismatchException');
    await pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
    const u = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(u.UserStatus, 'CONFIRMED');
    assert.equal(attrMap(u.UserAttributes).email_verified, 'true');
    assert.ok(u.UserCreateDate instanceof Date);
  });

  it('wrong password -> NotAuthorizedException; unknown user -> UserNotFoundException', async () => {
    const e = await rejectsWith(login(username, 'Wrong-Pass-9z!'), 'NotAuthorizedException');
    assert.equal(e.message, 'Incorrect username or password.');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    await rejectsWith(login(`node-ghost-${RUN}`, PW1), 'UserNotFoundException');
  });

  it('USER_PASSWORD_AUTH returns tokens; GetUser works', async () => {
    const r = await login(username, PW1);
    const ar = r.AuthenticationResult;
    assert.ok(ar?.AccessToken && ar.IdToken && ar.RefreshToken, 'tokens missing');
    assert.equal(ar.TokenType, 'Bearer');
    assert.equal(ar.ExpiresIn, 3600);
    const u = await pub.send(new GetUserCommand({ AccessToken: ar.AccessToken }));
    assert.equal(u.Username, username);
    const a = attrMap(u.UserAttributes);
    assert.equal(a.sub, s.sub);
    assert.equal(a.name, 'Erin Node');
    assert.equal(a.email, email);
    s.tokens = ar;
  });

  it('REFRESH_TOKEN_AUTH returns new access and id tokens', async () => {
    assert.ok(s.tokens, 'prerequisite: tokens');
    const r = await pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: s.tokens.RefreshToken },
    }));
    const ar = r.AuthenticationResult;
    assert.ok(ar?.AccessToken && ar.IdToken, 'tokens missing');
    assert.equal(ar.RefreshToken, undefined);
    assert.equal(decodeJwt(ar.AccessToken).payload.origin_jti, decodeJwt(s.tokens.AccessToken).payload.origin_jti);
    const u = await pub.send(new GetUserCommand({ AccessToken: ar.AccessToken }));
    assert.equal(u.Username, username);
  });

  it('refresh token is bound to its client', async () => {
    assert.ok(s.tokens, 'prerequisite: tokens');
    const other = await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'node-other', ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    }));
    await rejectsWith(pub.send(new InitiateAuthCommand({
      ClientId: other.UserPoolClient.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: s.tokens.RefreshToken },
    })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new InitiateAuthCommand({
      ClientId: other.UserPoolClient.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: PW1 },
    })), 'InvalidParameterException', 'flow not enabled: ');
  });

  it('UpdateUserAttributes (name) is visible to GetUser and AdminGetUser', async () => {
    assert.ok(s.tokens, 'prerequisite: tokens');
    await pub.send(new UpdateUserAttributesCommand({ AccessToken: s.tokens.AccessToken, UserAttributes: [{ Name: 'name', Value: 'Erin Updated' }] }));
    const u = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    assert.equal(attrMap(u.UserAttributes).name, 'Erin Updated');
  });

  it('ChangePassword: wrong previous, weak new, then success', async () => {
    assert.ok(s.tokens, 'prerequisite: tokens');
    await rejectsWith(pub.send(new ChangePasswordCommand({ AccessToken: s.tokens.AccessToken, PreviousPassword: 'Wrong-Pass-9z!', ProposedPassword: PW2 })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new ChangePasswordCommand({ AccessToken: s.tokens.AccessToken, PreviousPassword: PW1, ProposedPassword: 'short' })), 'InvalidPasswordException');
    await pub.send(new ChangePasswordCommand({ AccessToken: s.tokens.AccessToken, PreviousPassword: PW1, ProposedPassword: PW2 }));
    await rejectsWith(login(username, PW1), 'NotAuthorizedException');
    s.tokens2 = (await login(username, PW2)).AuthenticationResult;
    assert.ok(s.tokens2?.AccessToken);
  });

  it('ForgotPassword / ConfirmForgotPassword with the outbox code', async () => {
    const n = (await outbox(email)).length;
    await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const code = await outboxCode(email, n + 1);
    await rejectsWith(pub.send(new ConfirmForgotPasswordCommand({
      ClientId: clientId, Username: username, ConfirmationCode: code === '000000' ? '111111' : '000000', Password: PW1,
    })), 'CodeMismatchException');
    await pub.send(new ConfirmForgotPasswordCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, Password: PW1 }));
    s.tokens3 = (await login(username, PW1)).AuthenticationResult;
    assert.ok(s.tokens3?.AccessToken);
  });

  it('RevokeToken kills the refresh token and its access token only', async () => {
    assert.ok(s.tokens3 && s.tokens2, 'prerequisite: tokens');
    await rejectsWith(pub.send(new RevokeTokenCommand({ ClientId: clientId, Token: s.tokens3.AccessToken })), 'UnsupportedTokenTypeException');
    await pub.send(new RevokeTokenCommand({ ClientId: clientId, Token: s.tokens3.RefreshToken }));
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: s.tokens3.AccessToken })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: s.tokens3.RefreshToken },
    })), 'NotAuthorizedException');
  });

  it('GlobalSignOut revokes every session of the user', async () => {
    const t = (await login(username, PW1)).AuthenticationResult;
    const t2 = (await login(username, PW1)).AuthenticationResult;
    await pub.send(new GlobalSignOutCommand({ AccessToken: t.AccessToken }));
    for (const x of [t, t2]) {
      const e = await rejectsWith(pub.send(new GetUserCommand({ AccessToken: x.AccessToken })), 'NotAuthorizedException');
      assert.equal(e.message, 'Access Token has been revoked');
      await rejectsWith(pub.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: x.RefreshToken },
      })), 'NotAuthorizedException');
    }
  });

  it('DeleteUser, then GetUser and sign-in fail', async () => {
    const t = (await login(username, PW1)).AuthenticationResult;
    await pub.send(new DeleteUserCommand({ AccessToken: t.AccessToken }));
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: t.AccessToken })), ['NotAuthorizedException', 'UserNotFoundException']);
    await rejectsWith(login(username, PW1), 'UserNotFoundException');
    await rejectsWith(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), 'UserNotFoundException');
  });

  it('AdminCreateUser -> NEW_PASSWORD_REQUIRED -> RespondToAuthChallenge', async () => {
    const u = `node-invited-${RUN}`;
    const cu = await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: u, TemporaryPassword: 'Temp-Pass-0x!', MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${u}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    }));
    assert.equal(cu.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    const ch = await login(u, 'Temp-Pass-0x!');
    assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    assert.ok(ch.Session && ch.Session.length >= 20, 'Session missing or too short');
    const done = await pub.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: ch.Session,
      ChallengeResponses: { USERNAME: u, NEW_PASSWORD: PW2 },
    }));
    assert.ok(done.AuthenticationResult?.IdToken, 'no tokens after NEW_PASSWORD_REQUIRED');
    assert.equal((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u }))).UserStatus, 'CONFIRMED');
    await rejectsWith(pub.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: ch.Session,
      ChallengeResponses: { USERNAME: u, NEW_PASSWORD: PW1 },
    })), ['NotAuthorizedException', 'CodeMismatchException', 'ExpiredCodeException'], 'reused session: ');
  });

  it('Admin confirm, update, set password, delete', async () => {
    const u = `node-admin-${RUN}`;
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: u, Password: PW1, UserAttributes: [{ Name: 'email', Value: `${u}@example.com` }] }));
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: u }));
    await admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: u, UserAttributes: [{ Name: 'nickname', Value: 'nk' }] }));
    const g = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u }));
    assert.equal(g.UserStatus, 'CONFIRMED');
    assert.equal(attrMap(g.UserAttributes).nickname, 'nk');
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: u, Password: PW2, Permanent: true }));
    assert.ok((await login(u, PW2)).AuthenticationResult?.AccessToken);
    await admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: u }));
    await rejectsWith(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u })), 'UserNotFoundException');
  });

  it('SECRET_HASH client: missing/wrong hash refused, right hash accepted', async () => {
    const c = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'node-secret', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    assert.ok(c.ClientSecret, 'ClientSecret missing');
    const u = `node-hash-${RUN}`;
    await rejectsWith(pub.send(new SignUpCommand({ ClientId: c.ClientId, Username: u, Password: PW1 })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new SignUpCommand({ ClientId: c.ClientId, Username: u, Password: PW1, SecretHash: secretHash('x', c.ClientId, c.ClientSecret) })), 'NotAuthorizedException');
    await pub.send(new SignUpCommand({ ClientId: c.ClientId, Username: u, Password: PW1, SecretHash: secretHash(u, c.ClientId, c.ClientSecret) }));
    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: u }));
    const r = await pub.send(new InitiateAuthCommand({
      ClientId: c.ClientId, AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: u, PASSWORD: PW1, SECRET_HASH: secretHash(u, c.ClientId, c.ClientSecret) },
    }));
    assert.ok(r.AuthenticationResult?.AccessToken);
  });

  it('unknown pool/client -> ResourceNotFoundException; bad input -> InvalidParameterException', async () => {
    await rejectsWith(admin.send(new DescribeUserPoolCommand({ UserPoolId: `${REGION}_NoSuchPool0` })), 'ResourceNotFoundException');
    await rejectsWith(pub.send(new SignUpCommand({ ClientId: 'nosuchclient0000000000000', Username: 'x', Password: PW1 })), 'ResourceNotFoundException');
    await rejectsWith(pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'only-username' } })), 'InvalidParameterException', 'missing PASSWORD: ');
    await rejectsWith(admin.send(new ListUserPoolsCommand({ MaxResults: 61 })), 'InvalidParameterException', 'MaxResults 61: ');
  });

  it('admin actions refuse unsigned requests and wrong keys', async () => {
    const refused = ['NotAuthorizedException', 'MissingAuthenticationTokenException', 'UnrecognizedClientException',
      'AccessDeniedException', 'InvalidSignatureException', 'IncompleteSignatureException', 'SignatureDoesNotMatch'];
    const wrong = adminClient({ credentials: { accessKeyId: 'AKIACOGNATEDEVELOPER', secretAccessKey: 'not-the-right-secret' } });
    await rejectsWith(wrong.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), refused, 'wrong secret key: ');
    const unsigned = await fetch(`${requireEndpoint()}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.DescribeUserPool' },
      body: JSON.stringify({ UserPoolId: poolId }),
      signal: AbortSignal.timeout(5000),
    });
    assert.ok(unsigned.status >= 400 && unsigned.status < 500, `unsigned admin call -> HTTP ${unsigned.status}`);
    const body = await unsigned.json();
    assert.ok(refused.includes(String(body.__type).split('#').pop()), `unsigned admin call -> ${body.__type}`);
  });
});
