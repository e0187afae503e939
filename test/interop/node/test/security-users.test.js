// Issue 12 attacks through @aws-sdk/client-cognito-identity-provider (JS v3): claiming someone else's email through
// NEW_PASSWORD_REQUIRED and the other attribute write paths, AttributesRequireVerificationBeforeUpdate, user-existence
// oracles with PreventUserExistenceErrors=ENABLED, and display-name emails. Each attack must now fail.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  PW1, PW2, RUN, adminClient, attrMap, decodeJwt, outbox, outboxCode, publicClient, rejectsWith, requireEndpoint,
} from '../lib/helpers.js';

const FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];
const DISPLAY_NAME_EMAIL = (who) => `"x"<${who}>`;

/** The error a call rejects with, as { type, message } (type is the wire `__type`). */
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    return { type: err.name, message: err.message };
  }
  return { type: 'success', message: '' };
}

/** Cognito's TIMESTAMP format: `Fri Dec 4 17:39:34 UTC 2026` (English names, day not zero-padded). */
function srpTimestamp(d = new Date()) {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

describe('issue 12: attribute writes and user existence (JS SDK v3)', { timeout: 180000 }, () => {
  let admin, pub;
  const pools = [];

  async function newPool(name, extra = {}, clientExtra = {}) {
    const p = await admin.send(new CreateUserPoolCommand({
      PoolName: `${name}-${RUN}`, AutoVerifiedAttributes: ['email'], AliasAttributes: ['email'], ...extra,
    }));
    pools.push(p.UserPool.Id);
    const c = await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: p.UserPool.Id, ClientName: 'app', ExplicitAuthFlows: FLOWS, PreventUserExistenceErrors: 'ENABLED', ...clientExtra,
    }));
    return { poolId: p.UserPool.Id, clientId: c.UserPoolClient.ClientId };
  }

  /** A CONFIRMED user with a permanent password and, optionally, a verified email. */
  async function confirmedUser(poolId, username, email) {
    const attrs = email ? [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] : [];
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: attrs, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
  }

  const login = (clientId, u, p) =>
    pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: u, PASSWORD: p } }));

  before(() => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient();
  });

  after(async () => {
    for (const id of pools) await admin.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
  });

  describe('NEW_PASSWORD_REQUIRED and the other write paths cannot claim an address as verified', () => {
    let poolId, clientId;
    const victim = `victim-${RUN}@example.com`;

    before(async () => {
      ({ poolId, clientId } = await newPool('sec-claim'));
      await confirmedUser(poolId, `victim-${RUN}`, victim);
    });

    it('an invited user answering NEW_PASSWORD_REQUIRED with the victim email gets email_verified false and no alias', async () => {
      const attacker = `mallory-${RUN}`;
      const temp = `Temp-${randomBytes(4).toString('hex')}-1a!`;
      await admin.send(new AdminCreateUserCommand({
        UserPoolId: poolId, Username: attacker, TemporaryPassword: temp, MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: `mallory-${RUN}@example.com` }, { Name: 'email_verified', Value: 'true' }],
      }));
      const ch = await login(clientId, attacker, temp);
      assert.equal(ch.ChallengeName, 'NEW_PASSWORD_REQUIRED');
      const victimMailsBefore = (await outbox(victim)).length;
      const done = await pub.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: ch.Session,
        ChallengeResponses: { USERNAME: attacker, NEW_PASSWORD: PW2, 'userAttributes.email': victim },
      }));
      const id = decodeJwt(done.AuthenticationResult.IdToken).payload;
      assert.equal(id.email, victim);
      assert.equal(id.email_verified, false, 'a claimed address must not be verified');
      // The pool auto-verifies email: the new address gets a code (as UpdateUserAttributes does).
      await outboxCode(victim, victimMailsBefore + 1);
      // The victim keeps the verified address and the alias: the attacker's password does not sign in with it.
      const v = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `victim-${RUN}` }))).UserAttributes);
      assert.equal(v.email_verified, 'true');
      await rejectsWith(login(clientId, victim, PW2), 'NotAuthorizedException', 'alias sign-in with the attacker password: ');
    });

    it('UpdateUserAttributes and AdminUpdateUserAttributes unverify a changed email and phone number', async () => {
      const u = `paul-${RUN}`;
      await confirmedUser(poolId, u, `paul-${RUN}@example.com`);
      await admin.send(new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId, Username: u, UserAttributes: [{ Name: 'phone_number', Value: '+15555550100' }, { Name: 'phone_number_verified', Value: 'true' }],
      }));
      const tokens = (await login(clientId, u, PW1)).AuthenticationResult;
      await pub.send(new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: 'email', Value: `other-${RUN}@example.com` }, { Name: 'phone_number', Value: '+15555550199' }],
      }));
      let a = attrMap((await pub.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).UserAttributes);
      assert.equal(a.email_verified, 'false');
      assert.equal(a.phone_number_verified, 'false');
      await admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: u, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }));
      await admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: u, UserAttributes: [{ Name: 'email', Value: `third-${RUN}@example.com` }] }));
      a = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u }))).UserAttributes);
      assert.equal(a.email, `third-${RUN}@example.com`);
      assert.equal(a.email_verified, 'false');
    });

    it('SignUp and AdminCreateUser with the victim email leave it unverified and do not take the alias', async () => {
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: `sam-${RUN}`, Password: PW1, UserAttributes: [{ Name: 'email', Value: victim }] }));
      let a = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `sam-${RUN}` }))).UserAttributes);
      assert.notEqual(a.email_verified, 'true');
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `ada-${RUN}`, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: victim }] }));
      a = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: `ada-${RUN}` }))).UserAttributes);
      assert.notEqual(a.email_verified, 'true');
      const v = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: victim }))).UserAttributes);
      assert.equal(v.email_verified, 'true', 'the alias still resolves to the victim');
    });

    it('a display-name email "x"<victim@example.com> is refused on every write path', async () => {
      const bad = DISPLAY_NAME_EMAIL(victim);
      const expect = { type: 'InvalidParameterException', message: 'Invalid email address format.' };
      assert.deepEqual(await failure(pub.send(new SignUpCommand({ ClientId: clientId, Username: `dn1-${RUN}`, Password: PW1, UserAttributes: [{ Name: 'email', Value: bad }] }))), expect);
      assert.deepEqual(await failure(admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: `dn2-${RUN}`, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: bad }] }))), expect);
      const u = `dn3-${RUN}`;
      await confirmedUser(poolId, u, `dn3-${RUN}@example.com`);
      assert.deepEqual(await failure(admin.send(new AdminUpdateUserAttributesCommand({ UserPoolId: poolId, Username: u, UserAttributes: [{ Name: 'email', Value: bad }] }))), expect);
      const tokens = (await login(clientId, u, PW1)).AuthenticationResult;
      assert.deepEqual(await failure(pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: [{ Name: 'email', Value: bad }] }))), expect);
      const invited = `dn4-${RUN}`;
      const temp = `Temp-${randomBytes(4).toString('hex')}-1a!`;
      await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: invited, TemporaryPassword: temp, MessageAction: 'SUPPRESS' }));
      const ch = await login(clientId, invited, temp);
      assert.deepEqual(await failure(pub.send(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: ch.Session,
        ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: PW2, 'userAttributes.email': bad },
      }))), expect);
    });
  });

  describe('AttributesRequireVerificationBeforeUpdate', () => {
    it('keeps the old email (and its alias) until the new one is verified with the code sent to it', async () => {
      const { poolId, clientId } = await newPool('sec-arvbu', { UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } });
      const u = `vera-${RUN}`;
      const oldEmail = `vera-${RUN}@example.com`;
      const newEmail = `vera-new-${RUN}@example.com`;
      await confirmedUser(poolId, u, oldEmail);
      const tokens = (await login(clientId, u, PW1)).AuthenticationResult;
      const upd = await pub.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributes: [{ Name: 'email', Value: newEmail }] }));
      assert.equal(upd.CodeDeliveryDetailsList?.[0]?.AttributeName, 'email');
      let a = attrMap((await pub.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).UserAttributes);
      assert.equal(a.email, oldEmail);
      assert.equal(a.email_verified, 'true');
      a = attrMap((await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: u }))).UserAttributes);
      assert.equal(a.email, oldEmail);
      assert.ok((await login(clientId, oldEmail, PW1)).AuthenticationResult, 'the old address still signs in');
      await rejectsWith(login(clientId, newEmail, PW1), 'NotAuthorizedException', 'the pending address must not sign in: ');
      const code = await outboxCode(newEmail);
      await pub.send(new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: 'email', Code: code }));
      a = attrMap((await pub.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).UserAttributes);
      assert.equal(a.email, newEmail);
      assert.equal(a.email_verified, 'true');
      assert.ok((await login(clientId, newEmail, PW1)).AuthenticationResult, 'the verified new address signs in');
      await rejectsWith(login(clientId, oldEmail, PW1), 'NotAuthorizedException', 'the old address no longer signs in: ');
    });
  });

  describe('PreventUserExistenceErrors=ENABLED: every user state answers like an unknown user', () => {
    let poolId, clientId;
    const n = (k) => `${k}-${RUN}`;
    const states = ['confirmed', 'unconfirmed', 'disabled', 'reset', 'nochannel', 'unknown'];

    before(async () => {
      ({ poolId, clientId } = await newPool('sec-exist'));
      await confirmedUser(poolId, n('confirmed'), `${n('confirmed')}@example.com`);
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: n('unconfirmed'), Password: PW1, UserAttributes: [{ Name: 'email', Value: `${n('unconfirmed')}@example.com` }] }));
      await confirmedUser(poolId, n('disabled'), `${n('disabled')}@example.com`);
      await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: n('disabled') }));
      await confirmedUser(poolId, n('reset'), `${n('reset')}@example.com`);
      await admin.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: n('reset') }));
      await confirmedUser(poolId, n('nochannel'));
    });

    async function sameFailureForAll(call, list = states) {
      const got = {};
      for (const s of list) got[s] = await failure(call(n(s)));
      for (const s of list) assert.deepEqual(got[s], got.unknown, `${s} answers differently from an unknown user`);
      return got.unknown;
    }

    it('USER_PASSWORD_AUTH with a wrong password: "Incorrect username or password." for every state', async () => {
      const f = await sameFailureForAll((u) => login(clientId, u, 'Wrong-Pass-9z!'));
      assert.deepEqual(f, { type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('USER_AUTH PREFERRED_CHALLENGE=PASSWORD with a wrong password: the same answer for every state', async () => {
      const f = await sameFailureForAll((u) => pub.send(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: u, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong-Pass-9z!' },
      })));
      assert.deepEqual(f, { type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    });

    it('USER_SRP_AUTH: a PASSWORD_VERIFIER for every state, and a wrong proof answers the same for all', async () => {
      const srpA = '1' + randomBytes(64).toString('hex');
      for (const s of states) {
        const ch = await pub.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: n(s), SRP_A: srpA } }));
        assert.equal(ch.ChallengeName, 'PASSWORD_VERIFIER', `${s}: challenge`);
        assert.deepEqual(Object.keys(ch.ChallengeParameters).sort(), ['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP'], `${s}: parameters`);
        const f = await failure(pub.send(new RespondToAuthChallengeCommand({
          ClientId: clientId, ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeResponses: {
            USERNAME: ch.ChallengeParameters.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: ch.ChallengeParameters.SECRET_BLOCK,
            PASSWORD_CLAIM_SIGNATURE: randomBytes(32).toString('base64'), TIMESTAMP: srpTimestamp(),
          },
        })));
        assert.deepEqual(f, { type: 'NotAuthorizedException', message: 'Incorrect username or password.' }, `${s}: verifier answer`);
      }
    });

    it('a user state is reported only once the password is proven', async () => {
      assert.deepEqual(await failure(login(clientId, n('disabled'), PW1)), { type: 'NotAuthorizedException', message: 'User is disabled.' });
      assert.deepEqual(await failure(login(clientId, n('unconfirmed'), PW1)), { type: 'UserNotConfirmedException', message: 'User is not confirmed.' });
    });

    it('ForgotPassword: disabled, no verified channel and unknown users get the same simulated CodeDeliveryDetails shape', async () => {
      const shapes = {};
      for (const s of ['disabled', 'nochannel', 'unknown']) {
        const r = await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: n(s) }));
        shapes[s] = { medium: r.CodeDeliveryDetails.DeliveryMedium, attr: r.CodeDeliveryDetails.AttributeName, dest: r.CodeDeliveryDetails.Destination.replace(/[^*@.]/g, 'x') };
      }
      assert.deepEqual(shapes.disabled, shapes.unknown);
      assert.deepEqual(shapes.nochannel, shapes.unknown);
      assert.equal((await outbox(`${n('disabled')}@example.com`)).length, 0, 'no code is sent to a disabled user');
    });

    it('ResendConfirmationCode: a confirmed user answers like an unknown one', async () => {
      const shapes = {};
      for (const s of ['confirmed', 'unknown']) {
        const r = await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: n(s) }));
        shapes[s] = { medium: r.CodeDeliveryDetails.DeliveryMedium, attr: r.CodeDeliveryDetails.AttributeName, dest: r.CodeDeliveryDetails.Destination.replace(/[^*@.]/g, 'x') };
      }
      assert.deepEqual(shapes.confirmed, shapes.unknown);
    });

    it('ConfirmSignUp: confirmed, unconfirmed and unknown users answer CodeMismatchException alike', async () => {
      const f = await sameFailureForAll((u) => pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: u, ConfirmationCode: '000000' })), ['confirmed', 'unconfirmed', 'unknown']);
      assert.equal(f.type, 'CodeMismatchException');
    });

    it('ConfirmSignUp with a wrong code does not reveal that another account owns the email (AliasExists only after the code)', async () => {
      const taken = `${n('confirmed')}@example.com`;
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: n('probe1'), Password: PW1, UserAttributes: [{ Name: 'email', Value: taken }] }));
      await pub.send(new SignUpCommand({ ClientId: clientId, Username: n('probe2'), Password: PW1, UserAttributes: [{ Name: 'email', Value: `free-${RUN}@example.com` }] }));
      const probeTaken = await failure(pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: n('probe1'), ConfirmationCode: '000000' })));
      const probeFree = await failure(pub.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: n('probe2'), ConfirmationCode: '000000' })));
      assert.deepEqual(probeTaken, probeFree);
      assert.equal(probeTaken.type, 'CodeMismatchException');
    });
  });
});
