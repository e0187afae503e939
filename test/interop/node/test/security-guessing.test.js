// Issue 12, account takeover by guessing: each attack below runs through the AWS SDK for JavaScript v3 and must fail.
// Codes: re-issuing does not restore the guess budget, concurrent guesses never compare more than the budget, sends are
// limited per hour. Passwords: a burst of 100 wrong passwords verifies at most 5; ChangePassword's previous password goes
// through the same lockout. Second factors: wrong TOTP codes lock the second factor even across correct passwords.
// ConfirmForgotPassword answers alike for existing and unknown users (PreventUserExistenceErrors=ENABLED).
// Bursts stay on loopback, bounded in size (<= 100 requests) and time (SDK timeouts, test timeouts).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminListUserAuthEventsCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  SignUpCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PW1, PW2, RUN, adminClient, outbox, outboxCode, publicClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A six-digit code that differs from `code`. */
const wrongOf = (code) => (code === '000000' ? '000001' : '000000');

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) from a base32 secret, for time step `step`. */
function totpAt(base32, step) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}
const stepNow = () => Math.floor(Date.now() / 1000 / 30);
/** A code that matches none of the steps the server accepts (±1) nor the next one. */
function wrongTotp(secret) {
  const near = new Set([-1, 0, 1, 2].map((d) => totpAt(secret, stepNow() + d)));
  for (let i = 0; ; i++) {
    const c = String(123456 + i * 7919).padStart(6, '0').slice(-6);
    if (!near.has(c)) return c;
  }
}

/** `n` SDK clients: a burst spread over them uses many connections, as an attacker would. */
function clients(n) {
  return Array.from({ length: n }, () => publicClient({ maxAttempts: 1 }));
}

/** Tally of settled results by outcome: `ok` or `ErrorName: message`. */
function tally(results) {
  const t = {};
  for (const r of results) {
    const k = r.status === 'fulfilled' ? 'ok' : `${r.reason?.name}: ${r.reason?.message}`;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

describe('guessing bounds (issue 12)', { timeout: 180000 }, () => {
  let admin, pub, poolId, clientId, hidingClientId;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    pub = publicClient({ maxAttempts: 1 });
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-guess-${RUN}`, AutoVerifiedAttributes: ['email'] }))).UserPool.Id;
    clientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'guess', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
    hidingClientId = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolId, ClientName: 'hiding', PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient.ClientId;
  });
  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  /** A CONFIRMED user with a verified email and password PW1. */
  async function user(name) {
    const username = `${name}-${RUN}`;
    const email = `${username}@example.com`;
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PW1, Permanent: true }));
    return { username, email };
  }

  const signIn = (username, password, client = pub) => client.send(new InitiateAuthCommand({
    ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password },
  }));
  const confirm = (username, code, client = pub, password = PW2) => client.send(new ConfirmForgotPasswordCommand({
    ClientId: clientId, Username: username, ConfirmationCode: code, Password: password,
  }));

  it('ForgotPassword re-issue cycles do not reset the guess budget: the right code is refused once it is spent', async () => {
    const { username, email } = await user('cycles');
    await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const first = await outboxCode(email, 1);
    for (let i = 0; i < 5; i++) await rejectsWith(confirm(username, wrongOf(first)), 'CodeMismatchException', `guess ${i + 1}: `);
    const spent = await rejectsWith(confirm(username, first), 'LimitExceededException', 'right code after 5 wrong: ');
    assert.equal(spent.message, 'Attempt limit exceeded, please try after some time.');
    // Before the fix every new code brought 5 fresh guesses; now the hour's budget is spent whatever is re-issued.
    for (let cycle = 2; cycle <= 3; cycle++) {
      await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
      const code = await outboxCode(email, cycle);
      await rejectsWith(confirm(username, code), 'LimitExceededException', `cycle ${cycle}, right code: `);
    }
    await signIn(username, PW1); // the password never changed
  });

  it('60 concurrent ConfirmForgotPassword guesses on many connections compare at most the budget', async () => {
    const { username, email } = await user('burst');
    await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    const code = await outboxCode(email, 1);
    const many = clients(12);
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => confirm(username, wrongOf(code), many[i % many.length])));
    const t = tally(results);
    const mismatches = t['CodeMismatchException: Invalid verification code provided, please try again.'] ?? 0;
    assert.ok(mismatches <= 5, `compared ${mismatches} guesses: ${JSON.stringify(t)}`);
    assert.equal(mismatches + (t['LimitExceededException: Attempt limit exceeded, please try after some time.'] ?? 0), 60, JSON.stringify(t));
    await rejectsWith(confirm(username, code), 'LimitExceededException', 'right code after the burst: ');
    await signIn(username, PW1);
  });

  it('code sends are limited per user and purpose: the sixth in an hour is LimitExceededException', async () => {
    const { username } = await user('resend');
    for (let i = 0; i < 5; i++) await pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
    await rejectsWith(pub.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username })), 'LimitExceededException', 'sixth ForgotPassword: ');

    const signUpName = `signup-${RUN}`;
    const email = `${signUpName}@example.com`;
    await pub.send(new SignUpCommand({ ClientId: clientId, Username: signUpName, Password: PW1, UserAttributes: [{ Name: 'email', Value: email }] }));
    for (let i = 0; i < 4; i++) await pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: signUpName }));
    await rejectsWith(pub.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: signUpName })), 'LimitExceededException', 'fifth resend: ');
    assert.equal((await outbox(email)).length, 5, 'SignUp + 4 resends delivered, the refused one not');
  });

  it('100 concurrent wrong passwords: at most 5 are checked, the rest answer "Password attempts exceeded", without an event each', async () => {
    const { username } = await user('pwburst');
    const many = clients(20);
    const results = await Promise.allSettled(Array.from({ length: 100 }, (_, i) => signIn(username, 'Wrong-Pass-9z!', many[i % many.length])));
    const t = tally(results);
    const incorrect = t['NotAuthorizedException: Incorrect username or password.'] ?? 0;
    assert.ok(incorrect <= 5, `verified ${incorrect} passwords: ${JSON.stringify(t)}`);
    assert.equal(incorrect + (t['NotAuthorizedException: Password attempts exceeded'] ?? 0), 100, JSON.stringify(t));
    const events = await admin.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username, MaxResults: 60 }));
    assert.equal(events.AuthEvents.length, incorrect, 'one event per checked password, none per refused attempt');
  });

  it('ChangePassword with wrong previous passwords locks like sign-in; then even the right one is refused', async () => {
    const { username } = await user('change');
    const access = (await signIn(username, PW1)).AuthenticationResult.AccessToken;
    const change = (previous) => pub.send(new ChangePasswordCommand({ AccessToken: access, PreviousPassword: previous, ProposedPassword: PW2 }));
    for (let i = 0; i < 5; i++) {
      const e = await rejectsWith(change('Wrong-Pass-9z!'), 'NotAuthorizedException', `wrong ${i + 1}: `);
      assert.equal(e.message, 'Incorrect username or password.');
    }
    await sleep(1100); // the first lock is 1 s; one more failure earns 2 s
    await rejectsWith(change('Wrong-Pass-9z!'), 'NotAuthorizedException');
    const locked = await rejectsWith(change(PW1), 'NotAuthorizedException', 'right previous password while locked: ');
    assert.equal(locked.message, 'Password attempts exceeded');
    const signInLocked = await rejectsWith(signIn(username, PW1), 'NotAuthorizedException');
    assert.equal(signInLocked.message, 'Password attempts exceeded', 'one counter for sign-in and ChangePassword');
  });

  it('wrong TOTP codes over several sessions lock the second factor, and correct passwords do not unlock it', async () => {
    await admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }));
    const { username } = await user('totp');
    const access = (await signIn(username, PW1)).AuthenticationResult.AccessToken;
    const { SecretCode: secret } = await pub.send(new AssociateSoftwareTokenCommand({ AccessToken: access }));
    await pub.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totpAt(secret, stepNow()) }));
    await pub.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }));

    const respond = (session, code) => pub.send(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: session,
      ChallengeResponses: { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: code },
    }));
    const challenge = async () => {
      const r = await signIn(username, PW1); // the right password every time
      assert.equal(r.ChallengeName, 'SOFTWARE_TOKEN_MFA');
      return r.Session;
    };
    // 5 wrong codes over 3 sessions (3 wrong codes end a session), each opened with the right password.
    let failures = 0;
    for (const perSession of [2, 2, 1]) {
      const session = await challenge();
      for (let i = 0; i < perSession; i++, failures++) await rejectsWith(respond(session, wrongTotp(secret)), 'CodeMismatchException', `wrong code ${failures + 1}: `);
    }
    // Locked now (1 s, then 2 s, 4 s ... per further failure). Let two locks pass with one failure each to get a 4 s lock.
    for (const wait of [1100, 2100]) {
      await sleep(wait);
      await rejectsWith(respond(await challenge(), wrongTotp(secret)), 'CodeMismatchException');
    }
    const session = await challenge();
    const locked = await rejectsWith(respond(session, totpAt(secret, stepNow())), 'NotAuthorizedException', 'right TOTP code while locked: ');
    assert.equal(locked.message, 'Password attempts exceeded');
  });

  it('ConfirmForgotPassword answers alike for an existing user without a code and an unknown user (PreventUserExistenceErrors=ENABLED)', async () => {
    const { username } = await user('exists');
    const call = (name, password) => pub.send(new ConfirmForgotPasswordCommand({
      ClientId: hidingClientId, Username: name, ConfirmationCode: '123456', Password: password,
    }));
    for (const password of ['short', PW2]) {
      const known = await rejectsWith(call(username, password), ['InvalidPasswordException', 'CodeMismatchException']);
      const unknown = await rejectsWith(call(`ghost-${RUN}`, password), ['InvalidPasswordException', 'CodeMismatchException']);
      assert.deepEqual([unknown.name, unknown.message], [known.name, known.message], `password ${password === 'short' ? 'weak' : 'valid'}`);
    }
  });
});
