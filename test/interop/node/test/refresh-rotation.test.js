// Refresh-token rotation through clients nobody here wrote:
//  (a) the AWS SDK for JavaScript v3's GetTokensFromRefreshTokenCommand, on a client without rotation (no new refresh token)
//      and with RefreshTokenRotation ENABLED (a new refresh token; the old one refused with RefreshTokenReuseException
//      once its grace period is over; InitiateAuth REFRESH_TOKEN_AUTH not available; RevokeToken kills the family);
//  (b) openid-client 6: the /oauth2/token refresh_token grant on a rotating client answers with a new refresh token.
// Tokens and secrets are never printed: comparisons use assert.ok with fixed messages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ENDPOINT, PW1, RUN, adminClient, decodeJwt, publicClient, rejectsWith, requireEndpoint, secretHash } from '../lib/helpers.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** The secret with its last character changed: well-formed (the model's length bounds), but wrong. */
const wrongSecret = (secret) => secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');

describe('GetTokensFromRefreshToken and refresh-token rotation (AWS SDK v3, openid-client)', { timeout: 120000 }, () => {
  let admin, pub, poolId;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient();
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-rotation-${RUN}` }))).UserPool.Id;
  });

  after(async () => {
    await admin?.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
    admin?.destroy();
    pub?.destroy();
  });

  /** A client (rotating when `rotation` is given) and a signed-in user; returns the client and the first AuthenticationResult. */
  async function signedIn(tag, { rotation, secret = false } = {}) {
    const client = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: tag, GenerateSecret: secret,
      ExplicitAuthFlows: rotation ? ['ALLOW_ADMIN_USER_PASSWORD_AUTH'] : ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...(rotation ? { RefreshTokenRotation: rotation } : {}),
    }))).UserPoolClient;
    const username = `${tag}-${RUN}`;
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    const AuthParameters = { USERNAME: username, PASSWORD: PW1 };
    if (secret) AuthParameters.SECRET_HASH = secretHash(username, client.ClientId, client.ClientSecret);
    const first = (await admin.send(new AdminInitiateAuthCommand({
      UserPoolId: poolId, ClientId: client.ClientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters,
    }))).AuthenticationResult;
    return { client, first };
  }

  it('a client without rotation: new ID and access tokens, no refresh token; a bad token is NotAuthorizedException', async () => {
    const { client, first } = await signedIn('plain');
    const r = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: first.RefreshToken }))).AuthenticationResult;
    assert.ok(r.AccessToken && r.IdToken, 'ID and access tokens');
    assert.equal(r.RefreshToken, undefined);
    assert.equal(r.TokenType, 'Bearer');
    assert.equal(decodeJwt(r.AccessToken).payload.origin_jti, decodeJwt(first.AccessToken).payload.origin_jti);
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: `${first.RefreshToken}x` })), 'NotAuthorizedException');
  });

  it('a rotating client: a new refresh token, the old one works during the grace period, then RefreshTokenReuseException', async () => {
    const { client, first } = await signedIn('rotating', { rotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 1 } });
    const described = (await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }))).UserPoolClient;
    assert.deepEqual(described.RefreshTokenRotation, { Feature: 'ENABLED', RetryGracePeriodSeconds: 1 });

    const r = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: first.RefreshToken }))).AuthenticationResult;
    assert.ok(r.RefreshToken && r.RefreshToken !== first.RefreshToken, 'a new refresh token');
    assert.equal(decodeJwt(r.AccessToken).payload.auth_time, decodeJwt(first.AccessToken).payload.auth_time);
    await pub.send(new GetUserCommand({ AccessToken: r.AccessToken }));

    // Within the grace period: a retry with the old token still succeeds.
    const retry = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: first.RefreshToken }))).AuthenticationResult;
    assert.ok(retry.RefreshToken, 'the retry rotates too');
    await sleep(1300);
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: first.RefreshToken })), 'RefreshTokenReuseException');

    // REFRESH_TOKEN_AUTH is not available on a rotating client.
    await rejectsWith(pub.send(new InitiateAuthCommand({
      ClientId: client.ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: r.RefreshToken },
    })), 'InvalidParameterException');

    // RevokeToken on any token of the family revokes all of it.
    const next = (await pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: r.RefreshToken }))).AuthenticationResult;
    await pub.send(new RevokeTokenCommand({ ClientId: client.ClientId, Token: r.RefreshToken }));
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: next.RefreshToken })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new GetUserCommand({ AccessToken: next.AccessToken })), 'NotAuthorizedException');
  });

  it('a confidential rotating client sends ClientSecret in clear; openid-client refreshes and gets a new refresh token', async () => {
    const { client, first } = await signedIn('secret', { rotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 }, secret: true });
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({ ClientId: client.ClientId, RefreshToken: first.RefreshToken })), 'NotAuthorizedException');
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({
      ClientId: client.ClientId, ClientSecret: wrongSecret(client.ClientSecret), RefreshToken: first.RefreshToken,
    })), 'NotAuthorizedException');
    const r = (await pub.send(new GetTokensFromRefreshTokenCommand({
      ClientId: client.ClientId, ClientSecret: client.ClientSecret, RefreshToken: first.RefreshToken,
    }))).AuthenticationResult;
    assert.ok(r.RefreshToken && r.RefreshToken !== first.RefreshToken, 'a new refresh token');
    // No grace period: the rotated-out token is refused at once.
    await rejectsWith(pub.send(new GetTokensFromRefreshTokenCommand({
      ClientId: client.ClientId, ClientSecret: client.ClientSecret, RefreshToken: first.RefreshToken,
    })), 'RefreshTokenReuseException');

    const config = new oidc.Configuration(
      { issuer: `${ENDPOINT}/${poolId}`, token_endpoint: `${ENDPOINT}/oauth2/token` },
      client.ClientId, undefined, oidc.ClientSecretBasic(client.ClientSecret),
    );
    oidc.allowInsecureRequests(config);
    const refreshed = await oidc.refreshTokenGrant(config, r.RefreshToken);
    assert.ok(refreshed.access_token && refreshed.id_token, 'access and ID tokens');
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== r.RefreshToken, 'the refresh_token grant rotates too');
    try {
      await oidc.refreshTokenGrant(config, r.RefreshToken);
      assert.fail('the rotated-out token must be refused');
    } catch (err) {
      assert.equal(err?.error, 'invalid_grant');
    }
  });
});
