// End-to-end trigger journeys through clients nobody here wrote (AWS SDK for JavaScript v3, aws-jwt-verify,
// amazon-cognito-identity-js), once per transport: the functions under serverless-offline (Lambda Invoke API) and the same
// handler modules behind the webhook wrapper. Test ids in [brackets] are what run.sh's PENDING list names.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  acij,
  AdminCreateUserCommand, AdminGetUserCommand, AdminSetUserPasswordCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand,
  ForgotPasswordCommand, InitiateAuthCommand, RespondToAuthChallengeCommand, SignUpCommand,
} from '../../node/lib/sdk.js';
import {
  ENDPOINT, decodeJwt, getJson, offlineVerifier, outbox, outboxCode, publicClient, rejectsWith, requireEndpoint, attrMap,
} from '../../node/lib/helpers.js';
import { RUN, TRANSPORTS, admin, arn, eventsFor, magicCode, pending, poolWith } from './rig.mjs';

requireEndpoint();
const PW = 'Rig-Passw0rd!';
const user = (tag, t) => `${tag}-${t}-${RUN}`;

async function createConfirmedUser(poolId, username, email) {
  const a = admin();
  await a.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email ?? `${username}@rig.test` }, { Name: 'email_verified', Value: 'true' }],
  }));
  await a.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW, Permanent: true }));
}

const passwordSignIn = (clientId, username, password = PW) => publicClient().send(new InitiateAuthCommand({
  ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
}));

async function assertNoUser(poolId, username) {
  await rejectsWith(admin().send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })), 'UserNotFoundException', 'no partial user: ');
}

for (const t of TRANSPORTS) {
  describe(`triggers through ${t}`, () => {
    const pools = [];
    after(async () => { for (const p of pools) await p.cleanup(); });
    const pool = async (...args) => { const p = await poolWith(...args); pools.push(p); return p; };

    it('[presignup-autoconfirm] PreSignUp auto-confirms and auto-verifies on SignUp; another pool is untouched', pending('presignup-autoconfirm'), async () => {
      const p = await pool(`presignup-${t}`, { PreSignUp: arn(t, 'preSignUp') });
      const plain = await pool(`plain-${t}`, {});
      const name = user('auto', t);
      const out = await publicClient().send(new SignUpCommand({
        ClientId: p.clientId, Username: name, Password: PW, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
        ClientMetadata: { journey: 'auto-confirm' },
      }));
      assert.equal(out.UserConfirmed, true);
      const got = await admin().send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: name }));
      assert.equal(got.UserStatus, 'CONFIRMED');
      assert.equal(attrMap(got.UserAttributes).email_verified, 'true');
      assert.ok((await passwordSignIn(p.clientId, name)).AuthenticationResult?.AccessToken, 'signs in at once');
      assert.equal((await outbox(`${name}@example.com`)).length, 0, 'no confirmation code is sent to an auto-confirmed user');
      const [event] = eventsFor(name, 'PreSignUp_SignUp');
      assert.ok(event, 'the function received PreSignUp_SignUp');
      assert.equal(event.callerContext.clientId, p.clientId);
      assert.equal(event.userPoolId, p.poolId);
      assert.deepEqual(event.request.clientMetadata, { journey: 'auto-confirm' });
      // per pool: the same sign-up in a pool without the trigger stays UNCONFIRMED
      const other = await publicClient().send(new SignUpCommand({
        ClientId: plain.clientId, Username: name, Password: PW, UserAttributes: [{ Name: 'email', Value: `${name}@example.com` }],
      }));
      assert.equal(other.UserConfirmed, false);
      assert.equal(eventsFor(name, 'PreSignUp_SignUp').length, 1, 'the trigger of one pool never fires for another');
    });

    it('[preauth-deny] PreAuthentication denies one user with UserLambdaValidationException and lets another in', pending('preauth-deny'), async () => {
      const p = await pool(`preauth-${t}`, { PreAuthentication: arn(t, 'preAuthentication') });
      const blocked = user('blocked', t);
      const ok = user('ok', t);
      await createConfirmedUser(p.poolId, blocked);
      await createConfirmedUser(p.poolId, ok);
      const err = await rejectsWith(passwordSignIn(p.clientId, blocked), 'UserLambdaValidationException');
      assert.equal(err.message, 'PreAuthentication failed with error This user is blocked from signing in.');
      assert.ok((await passwordSignIn(p.clientId, ok)).AuthenticationResult?.IdToken);
      const [event] = eventsFor(ok, 'PreAuthentication_Authentication');
      assert.ok(event, 'the function received PreAuthentication_Authentication');
      assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    });

    it('[pretoken-v2] PreTokenGeneration V2 adds claims of any JSON type and a scope, verified by aws-jwt-verify', pending('pretoken-v2'), async () => {
      const p = await pool(`pretoken-${t}`, { PreTokenGenerationConfig: { LambdaArn: arn(t, 'preTokenGeneration'), LambdaVersion: 'V2_0' } },
        { pool: { UserPoolTier: 'ESSENTIALS' } });
      const name = user('claims', t);
      await createConfirmedUser(p.poolId, name);
      const { AuthenticationResult: r } = await passwordSignIn(p.clientId, name);
      const { json: jwks } = await getJson(`${ENDPOINT}/${p.poolId}/.well-known/jwks.json`);
      const access = offlineVerifier({ userPoolId: p.poolId, tokenUse: 'access', clientId: p.clientId, scope: 'reports/read' }, jwks);
      const a = await access.verify(r.AccessToken);
      assert.equal(a['custom:tier'], 'gold');
      assert.deepEqual(a.entitlements, { reports: true });
      assert.ok(a.scope.split(' ').includes('aws.cognito.signin.user.admin'), 'the granted scope stays');
      const id = offlineVerifier({ userPoolId: p.poolId, tokenUse: 'id', clientId: p.clientId }, jwks);
      const i = await id.verify(r.IdToken);
      assert.deepEqual(i.favorite_numbers, [3, 7]);
      assert.equal(i['custom:tier'], 'gold');
      const [event] = eventsFor(name, 'TokenGeneration_Authentication');
      assert.equal(event?.version, '2');
      assert.ok(event.request.scopes.includes('aws.cognito.signin.user.admin'));
    });

    it('[custom-auth-magic-code] CUSTOM_AUTH magic code: wrong answer, new challenge, right answer → tokens (AWS SDK v3)', pending('custom-auth-magic-code'), async () => {
      const p = await pool(`custom-${t}`, {
        DefineAuthChallenge: arn(t, 'defineAuthChallenge'), CreateAuthChallenge: arn(t, 'createAuthChallenge'),
        VerifyAuthChallengeResponse: arn(t, 'verifyAuthChallenge'),
      });
      const name = user('magic', t);
      await createConfirmedUser(p.poolId, name);
      const c = publicClient();
      const first = await c.send(new InitiateAuthCommand({ ClientId: p.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: name } }));
      assert.equal(first.ChallengeName, 'CUSTOM_CHALLENGE');
      assert.equal(first.ChallengeParameters.hint, 'Enter the code we sent you');
      assert.equal(first.ChallengeParameters.USERNAME, name);
      assert.equal(first.ChallengeParameters.answer, undefined, 'private challenge parameters stay private');
      const code = await magicCode(name);
      const wrong = await c.send(new RespondToAuthChallengeCommand({
        ClientId: p.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: first.Session,
        ChallengeResponses: { USERNAME: name, ANSWER: code === '000000' ? '111111' : '000000' },
      }));
      assert.equal(wrong.ChallengeName, 'CUSTOM_CHALLENGE', 'a wrong answer gets the next challenge');
      const right = await c.send(new RespondToAuthChallengeCommand({
        ClientId: p.clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: wrong.Session,
        ChallengeResponses: { USERNAME: name, ANSWER: code },
      }));
      assert.ok(right.AuthenticationResult?.AccessToken);
      const define = eventsFor(name, 'DefineAuthChallenge_Authentication');
      assert.equal(define.length, 3);
      assert.deepEqual(define[2].request.session.map((s) => [s.challengeName, s.challengeResult]),
        [['CUSTOM_CHALLENGE', false], ['CUSTOM_CHALLENGE', true]]);
      assert.equal(define[2].request.session[0].challengeMetadata, `CODE-${code}`);
    });

    it('[custom-auth-acij] CUSTOM_AUTH with SRP first (CHALLENGE_NAME: SRP_A), driven by amazon-cognito-identity-js', pending('custom-auth-acij'), async () => {
      const p = await pool(`acij-${t}`, {
        DefineAuthChallenge: arn(t, 'defineAuthChallenge'), CreateAuthChallenge: arn(t, 'createAuthChallenge'),
        VerifyAuthChallengeResponse: arn(t, 'verifyAuthChallenge'),
      });
      const name = user('srpmagic', t);
      await createConfirmedUser(p.poolId, name);
      const userPool = new acij.CognitoUserPool({ UserPoolId: p.poolId, ClientId: p.clientId, endpoint: `${ENDPOINT}/` });
      const cu = new acij.CognitoUser({ Username: name, Pool: userPool });
      cu.setAuthenticationFlowType('CUSTOM_AUTH');
      const session = await new Promise((resolve, reject) => {
        const callbacks = {
          onSuccess: resolve,
          onFailure: reject,
          customChallenge: async (params) => {
            try {
              assert.equal(params.hint, 'Enter the code we sent you');
              cu.sendCustomChallengeAnswer(await magicCode(name), callbacks);
            } catch (e) { reject(e); }
          },
        };
        cu.authenticateUser(new acij.AuthenticationDetails({ Username: name, Password: PW }), callbacks);
      });
      assert.ok(session.isValid());
      assert.equal(decodeJwt(session.getAccessToken().getJwtToken()).payload.username, name);
      const define = eventsFor(name, 'DefineAuthChallenge_Authentication');
      assert.deepEqual(define.at(-1).request.session.map((s) => s.challengeName), ['SRP_A', 'PASSWORD_VERIFIER', 'CUSTOM_CHALLENGE']);
    });

    it('[migration-signin] UserMigration on first sign-in: created CONFIRMED with the legacy attributes, signs in in the same call', pending('migration-signin'), async () => {
      const p = await pool(`migrate-${t}`, { UserMigration: arn(t, 'userMigration') });
      const name = `legacy-alice-${t}-${RUN}`;
      const first = await passwordSignIn(p.clientId, name, 'Legacy-Passw0rd!');
      assert.ok(first.AuthenticationResult?.AccessToken, 'tokens in the migrating call');
      const got = await admin().send(new AdminGetUserCommand({ UserPoolId: p.poolId, Username: name }));
      assert.equal(got.UserStatus, 'CONFIRMED');
      assert.equal(attrMap(got.UserAttributes).name, 'Alice Legacy');
      assert.equal(attrMap(got.UserAttributes).email, `${name}@example.com`);
      assert.ok((await passwordSignIn(p.clientId, name, 'Legacy-Passw0rd!')).AuthenticationResult, 'second sign-in from the pool itself');
      assert.equal(eventsFor(name, 'UserMigration_Authentication').length, 1, 'the trigger runs for unknown users only');
      const [event] = eventsFor(name, 'UserMigration_Authentication');
      assert.equal(event.request.password, 'Legacy-Passw0rd!');
      // a wrong legacy password: the function throws, nothing is created
      const bad = `legacy-bob-bad-${t}-${RUN}`;
      const err = await rejectsWith(passwordSignIn(p.clientId, bad, 'not-the-password'), 'UserLambdaValidationException');
      assert.equal(err.message, 'UserMigration failed with error Bad password.');
      await assertNoUser(p.poolId, bad);
    });

    it('[migration-forgot] UserMigration on ForgotPassword: the user is created and the reset code works', pending('migration-forgot'), async () => {
      const p = await pool(`migrate-fp-${t}`, { UserMigration: arn(t, 'userMigration') });
      const name = `legacy-bob-${t}-${RUN}`;
      const c = publicClient();
      const fp = await c.send(new ForgotPasswordCommand({ ClientId: p.clientId, Username: name }));
      assert.equal(fp.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL');
      const code = await outboxCode(`${name}@example.com`);
      await c.send(new ConfirmForgotPasswordCommand({ ClientId: p.clientId, Username: name, ConfirmationCode: code, Password: 'Brand-New-Pass1!' }));
      assert.ok((await passwordSignIn(p.clientId, name, 'Brand-New-Pass1!')).AuthenticationResult);
      const [event] = eventsFor(name, 'UserMigration_ForgotPassword');
      assert.ok(event, 'the function received UserMigration_ForgotPassword');
      assert.equal(event.request.password, undefined, 'no password in the forgot-password event');
    });

    it('[custommessage-email] CustomMessage rewrites the sign-up email; the code in it confirms the user', pending('custommessage-email'), async () => {
      const p = await pool(`message-${t}`, { CustomMessage: arn(t, 'customMessage') });
      const name = user('msg', t);
      const email = `${name}@rig.test`;
      await publicClient().send(new SignUpCommand({ ClientId: p.clientId, Username: name, Password: PW, UserAttributes: [{ Name: 'email', Value: email }] }));
      const code = await outboxCode(email);
      const [msg] = await outbox(email);
      assert.equal(msg.subject, 'Welcome to Cognate Rig');
      assert.equal(msg.body.includes(`Thank you for signing up to Cognate Rig. Your confirmation code is ${code}.`), true, 'the function\'s text with the code in place of {####}');
      await publicClient().send(new ConfirmSignUpCommand({ ClientId: p.clientId, Username: name, ConfirmationCode: code }));
      const [event] = eventsFor(name, 'CustomMessage_SignUp');
      assert.equal(event?.request.codeParameter, '{####}');
    });

    it('[failure-throws] a function that throws: UserLambdaValidationException "{Trigger} failed with error …" and no user', pending('failure-throws'), async () => {
      const p = await pool(`throws-${t}`, { PreSignUp: arn(t, 'throws') });
      const name = user('throws', t);
      const err = await rejectsWith(publicClient().send(new SignUpCommand({ ClientId: p.clientId, Username: name, Password: PW })), 'UserLambdaValidationException');
      assert.equal(err.message, 'PreSignUp failed with error Deliberate failure from the rig.');
      await assertNoUser(p.poolId, name);
    });

    it('[failure-garbage] a function that answers a non-event: InvalidLambdaResponseException and no user', pending('failure-garbage'), async () => {
      const p = await pool(`garbage-${t}`, { PreSignUp: arn(t, 'garbage') });
      const name = user('garbage', t);
      await rejectsWith(publicClient().send(new SignUpCommand({ ClientId: p.clientId, Username: name, Password: PW })), 'InvalidLambdaResponseException');
      await assertNoUser(p.poolId, name);
    });

    it('[failure-unreachable] a function nobody serves: UnexpectedLambdaException and no user', pending('failure-unreachable'), async () => {
      const p = await pool(`missing-${t}`, { PreSignUp: arn(t, 'missing') });
      const name = user('missing', t);
      await rejectsWith(publicClient().send(new SignUpCommand({ ClientId: p.clientId, Username: name, Password: PW })), 'UnexpectedLambdaException');
      await assertNoUser(p.poolId, name);
    });
  });
}
