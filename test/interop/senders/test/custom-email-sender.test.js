// Custom sender triggers end to end, checked by an implementation nobody here wrote: Cognate encrypts the code under the pool's
// KMSKeyID (AWS Encryption SDK message, KMS GenerateDataKey against a local fake KMS) and invokes the CustomEmailSender function
// through the Lambda Invoke API (a local fake); the test then decrypts `request.code` the way the Cognito guide's example handler
// does — @aws-crypto/client-node, buildClient(REQUIRE_ENCRYPT_ALLOW_DECRYPT), a KmsKeyringNode — and confirms the user with it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CommitmentPolicy, KMS, KmsKeyringNode, buildClient, getClient } from '@aws-crypto/client-node';
import {
  AdminCreateUserCommand, AdminGetUserCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, CreateUserPoolClientCommand,
  CreateUserPoolCommand, ForgotPasswordCommand, SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { KEY_ARN, startFakeAws } from '../lib/fake-aws.js';
import { startCognate } from '../lib/cognate.js';

const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'AKIACOGNATEDEVELOPER', secretAccessKey: 'cognate-development-secret-key-not-for-production' };
const SENDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:custom-email-sender';
const RUN = randomBytes(4).toString('hex');

let aws, cognate, idp, decryptCode;

before(async () => {
  aws = await startFakeAws();
  cognate = await startCognate({
    Cognate__Lambda__Endpoint: aws.url,
    Cognate__Lambda__Kms__ServiceUrl: aws.url,
    Cognate__Lambda__Kms__Region: REGION,
    Cognate__Lambda__Kms__AccessKeyId: 'AKIAFAKEKMS',
    Cognate__Lambda__Kms__SecretAccessKey: 'fake-kms-secret',
  });
  idp = new CognitoIdentityProviderClient({ endpoint: cognate.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });

  // The guide's handler, with its KMS client pointed at the fake KMS.
  const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
  const clientProvider = getClient(KMS, { endpoint: aws.url, credentials: { accessKeyId: 'AKIAFAKEKMS', secretAccessKey: 'x' } });
  const keyring = new KmsKeyringNode({ generatorKeyId: KEY_ARN, keyIds: [KEY_ARN], clientProvider });
  decryptCode = async (b64) => decrypt(keyring, Buffer.from(b64, 'base64'));
});

after(async () => {
  await cognate?.stop();
  await aws?.close();
});

async function senderPool(extra = {}) {
  const { UserPool } = await idp.send(new CreateUserPoolCommand({
    PoolName: `senders-${RUN}-${randomBytes(2).toString('hex')}`,
    AutoVerifiedAttributes: ['email'],
    LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: SENDER_ARN }, KMSKeyID: KEY_ARN },
    ...extra,
  }));
  const { UserPoolClient } = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: UserPool.Id, ClientName: 'app' }));
  return { poolId: UserPool.Id, clientId: UserPoolClient.ClientId };
}

test('SignUp: the CustomEmailSender event carries a code that @aws-crypto/client-node decrypts and ConfirmSignUp accepts', async () => {
  const { poolId, clientId } = await senderPool();
  const username = `jane-${RUN}`;
  const out = await idp.send(new SignUpCommand({
    ClientId: clientId, Username: username, Password: 'Sender-Pass-1a!',
    UserAttributes: [{ Name: 'email', Value: `jane-${RUN}@example.com` }],
    ClientMetadata: { campaign: 'spring' },
  }));
  assert.equal(out.UserConfirmed, false);
  assert.equal(out.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');

  const inv = await aws.waitForInvocation((i) => i.event.userPoolId === poolId && i.event.triggerSource === 'CustomEmailSender_SignUp');
  assert.equal(inv.invocationType, 'Event');
  assert.ok(inv.functionName === SENDER_ARN || inv.functionName === 'custom-email-sender', inv.functionName);
  const ev = inv.event;
  assert.equal(ev.version, '1');
  assert.equal(ev.region, REGION);
  assert.equal(ev.request.type, 'customEmailSenderRequestV1');
  assert.equal(ev.request.userAttributes.email, `jane-${RUN}@example.com`);
  assert.equal(ev.request.userAttributes['cognito:user_status'], 'UNCONFIRMED');
  assert.deepEqual(ev.response, {});
  assert.match(ev.request.code, /^AYADe/, 'ESDK v1 message, suite 0x0378, as Cognito sends');

  // KMS saw one GenerateDataKey under the pool's key, bound to the pool.
  const gdk = aws.kmsCalls.filter((c) => c.op === 'GenerateDataKey' && c.context['userpool-id'] === poolId);
  assert.equal(gdk.length, 1);
  assert.equal(gdk[0].keyId, KEY_ARN);
  assert.equal(gdk[0].numberOfBytes, 32);

  const { plaintext, messageHeader } = await decryptCode(ev.request.code);
  assert.equal(messageHeader.encryptionContext['userpool-id'], poolId);
  assert.equal(messageHeader.suiteId, 0x0378);
  const code = plaintext.toString('utf8');
  assert.match(code, /^\d{6}$/);

  await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code }));
  const user = await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  assert.equal(user.UserStatus, 'CONFIRMED');
});

test('AdminCreateUser: the temporary password arrives encrypted (CustomEmailSender_AdminCreateUser)', async () => {
  const { poolId } = await senderPool();
  const username = `inv-${RUN}`;
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, TemporaryPassword: 'Temp-Pass-9z!',
    DesiredDeliveryMediums: ['EMAIL'], UserAttributes: [{ Name: 'email', Value: `inv-${RUN}@example.com` }],
  }));
  const inv = await aws.waitForInvocation((i) => i.event.userPoolId === poolId && i.event.triggerSource === 'CustomEmailSender_AdminCreateUser');
  assert.equal(inv.event.callerContext.clientId, 'CLIENT_ID_NOT_APPLICABLE');
  const { plaintext } = await decryptCode(inv.event.request.code);
  assert.ok(plaintext.toString('utf8') === 'Temp-Pass-9z!', 'the decrypted code is the temporary password');
});

test('ForgotPassword: CustomEmailSender_ForgotPassword; the code is bound to its pool (another userpool-id in the header: refused)', async () => {
  const { poolId, clientId } = await senderPool();
  const username = `fp-${RUN}`;
  await idp.send(new AdminCreateUserCommand({
    UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `fp-${RUN}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  }));
  await idp.send(new ForgotPasswordCommand({ ClientId: clientId, Username: username }));
  const inv = await aws.waitForInvocation((i) => i.event.userPoolId === poolId && i.event.triggerSource === 'CustomEmailSender_ForgotPassword');
  const { messageHeader } = await decryptCode(inv.event.request.code);
  assert.equal(messageHeader.encryptionContext['userpool-id'], poolId);

  // Rewrite the pool id in the header's encryption context (same length): the header tag and KMS's context binding both refuse.
  const bytes = Buffer.from(inv.event.request.code, 'base64');
  const at = bytes.indexOf(Buffer.from(poolId, 'utf8'));
  assert.ok(at > 0);
  bytes[at + poolId.length - 1] ^= 0x01;
  await assert.rejects(decryptCode(bytes.toString('base64')));
});

test('CreateUserPool with a custom sender and no KMSKeyID: InvalidParameterException', async () => {
  await assert.rejects(
    idp.send(new CreateUserPoolCommand({
      PoolName: `nokms-${RUN}`,
      LambdaConfig: { CustomEmailSender: { LambdaVersion: 'V1_0', LambdaArn: SENDER_ARN } },
    })),
    (err) => err.name === 'InvalidParameterException',
  );
});
