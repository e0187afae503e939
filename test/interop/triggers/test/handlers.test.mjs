// The rig itself: every function answers a documented event through serverless-offline's Lambda Invoke API and through
// the webhook wrapper, the way Cognate calls them (the whole event back with `response` filled; errors as Lambda reports them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const LAMBDA = process.env.RIG_LAMBDA_ENDPOINT;
const WEBHOOK = process.env.RIG_WEBHOOK_URL;
const shape = (name) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', 'shapes', `${name}.json`), 'utf8')).event;

function event(name, request = {}, userName = 'selfcheck-user') {
  const e = structuredClone(shape(name));
  e.userName = userName;
  Object.assign(e.request, request);
  e.response = {};
  return e;
}

async function invoke(fn, payload) {
  const res = await fetch(`${LAMBDA}/2015-03-31/functions/cognate-rig-local-${fn}/invocations`, {
    method: 'POST', headers: { 'x-amz-invocation-type': 'RequestResponse' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, functionError: res.headers.get('x-amz-function-error'), body: await res.json() };
}

async function webhook(route, payload) {
  const res = await fetch(`${WEBHOOK}/${route}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload), signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, body: await res.json() };
}

const cases = [
  ['preSignUp', 'preSignUp/handler', event('PreSignUp_SignUp', { userAttributes: { email: 'a@example.com' } }),
    (r) => assert.deepEqual(r.response, { autoConfirmUser: true, autoVerifyEmail: true })],
  ['preAuthentication', 'preAuthentication/handler', event('PreAuthentication_Authentication'), (r) => assert.deepEqual(r.response, {})],
  ['preTokenGeneration', 'preTokenGeneration/handler', event('TokenGeneration_Authentication'),
    (r) => assert.deepEqual(r.response.claimsAndScopeOverrideDetails.accessTokenGeneration.scopesToAdd, ['reports/read'])],
  ['defineAuthChallenge', 'defineAuthChallenge/handler', event('DefineAuthChallenge_Authentication', { session: [] }),
    (r) => assert.deepEqual(r.response, { issueTokens: false, failAuthentication: false, challengeName: 'CUSTOM_CHALLENGE' })],
  ['createAuthChallenge', 'createAuthChallenge/handler',
    event('CreateAuthChallenge_Authentication', { session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: false, challengeMetadata: 'CODE-424242' }] }),
    (r) => assert.deepEqual(r.response.privateChallengeParameters, { answer: '424242' })],
  ['verifyAuthChallenge', 'verifyAuthChallenge/handler',
    event('VerifyAuthChallengeResponse_Authentication', { privateChallengeParameters: { answer: '424242' }, challengeAnswer: '424242' }),
    (r) => assert.deepEqual(r.response, { answerCorrect: true })],
  ['userMigration', 'userMigration/handler', event('UserMigration_Authentication', {}, 'legacy-alice-selfcheck'),
    (r) => { assert.equal(r.response.finalUserStatus, 'CONFIRMED'); assert.equal(r.response.userAttributes.name, 'Alice Legacy'); }],
  ['inboundFederation', 'inboundFederation/handler', event('InboundFederation_ExternalProvider'),
    (r) => assert.deepEqual(r.response.userAttributesToMap, { email: 'jane@example.com', nickname: 'someone-from-CorpOIDC' })],
  ['preSignUpExternal', 'preSignUpExternal/handler', event('PreSignUp_ExternalProvider'), (r) => assert.deepEqual(r.response, {})],
  ['customMessage', 'customMessage/handler', event('CustomMessage_SignUp'),
    (r) => assert.ok(r.response.emailMessage.includes('{####}'), 'keeps the code placeholder')],
];

describe('rig functions answer documented events', () => {
  for (const [fn, route, payload, check] of cases) {
    it(`${fn} through serverless-offline (Lambda Invoke API)`, async () => {
      const r = await invoke(fn, payload);
      assert.equal(r.status, 200);
      assert.equal(r.functionError, null);
      assert.equal(r.body.triggerSource, payload.triggerSource, 'the whole event comes back');
      check(r.body);
    });
    it(`${fn} through the webhook wrapper`, async () => {
      const r = await webhook(route, payload);
      assert.equal(r.status, 200);
      check(r.body);
    });
  }

  it('a throwing function: serverless-offline answers 200 + X-Amz-Function-Error with a Lambda error body', async () => {
    const r = await invoke('throws', event('PreSignUp_SignUp'));
    assert.equal(r.status, 200);
    assert.equal(r.functionError, 'Unhandled');
    assert.equal(r.body.errorMessage, 'Deliberate failure from the rig');
  });

  it('a throwing function: the webhook wrapper answers 500 with the same error body', async () => {
    const r = await webhook('failing/throws', event('PreSignUp_SignUp'));
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { errorType: 'Error', errorMessage: 'Deliberate failure from the rig' });
  });

  it('an unknown function: serverless-offline answers 404 ResourceNotFoundException', async () => {
    const res = await fetch(`${LAMBDA}/2015-03-31/functions/cognate-rig-local-missing/invocations`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
  });
});
