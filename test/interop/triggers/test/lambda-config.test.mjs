// LambdaConfig as the AWS SDK for JavaScript v3 sends it: what Cognito refuses at CreateUserPool / UpdateUserPool.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand, DescribeUserPoolCommand, UpdateUserPoolCommand } from '../../node/lib/sdk.js';
import { rejectsWith, requireEndpoint } from '../../node/lib/helpers.js';
import { RUN, admin, arn, poolWith } from './rig.mjs';

requireEndpoint();
const KMS = 'arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('LambdaConfig validation (CreateUserPool / UpdateUserPool)', () => {
  const pools = [];
  after(async () => { for (const p of pools) await p.cleanup(); });

  it('an ARN outside the model pattern → InvalidParameterException naming lambdaConfig.preSignUp', async () => {
    const err = await rejectsWith(admin().send(new CreateUserPoolCommand({ PoolName: `bad-${RUN}`, LambdaConfig: { PreSignUp: 'pre-signup-function-name' } })), 'InvalidParameterException');
    assert.match(err.message, /at 'lambdaConfig\.preSignUp' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:/);
  });

  it('an ARN of something else than a function → InvalidParameterException', async () => {
    const err = await rejectsWith(admin().send(new CreateUserPoolCommand({
      PoolName: `bad-${RUN}`, LambdaConfig: { UserMigration: 'arn:aws:sns:us-east-1:000000000000:topic-name' },
    })), 'InvalidParameterException');
    assert.match(err.message, /^LambdaConfig\.UserMigration must be the ARN of a Lambda function/);
  });

  it('PreTokenGenerationConfig with LambdaVersion V4_0 → InvalidParameterException (enum)', async () => {
    const err = await rejectsWith(admin().send(new CreateUserPoolCommand({
      PoolName: `bad-${RUN}`, LambdaConfig: { PreTokenGenerationConfig: { LambdaArn: arn('invoke', 'preTokenGeneration'), LambdaVersion: 'V4_0' } },
    })), 'InvalidParameterException');
    assert.match(err.message, /Member must satisfy enum value set: \[V1_0, V2_0, V3_0\]/);
  });

  it('InboundFederation with LambdaVersion V2_0 or an ARN of something else → InvalidParameterException; V1_0 is described back', async () => {
    const version = await rejectsWith(admin().send(new CreateUserPoolCommand({
      PoolName: `bad-${RUN}`, LambdaConfig: { InboundFederation: { LambdaArn: arn('invoke', 'inboundFederation'), LambdaVersion: 'V2_0' } },
    })), 'InvalidParameterException');
    assert.match(version.message, /Member must satisfy enum value set: \[V1_0\]/);
    const target = await rejectsWith(admin().send(new CreateUserPoolCommand({
      PoolName: `bad-${RUN}`, LambdaConfig: { InboundFederation: { LambdaArn: 'arn:aws:sns:us-east-1:000000000000:topic-name', LambdaVersion: 'V1_0' } },
    })), 'InvalidParameterException');
    assert.match(target.message, /^LambdaConfig\.InboundFederation\.LambdaArn must be the ARN of a Lambda function/);
    const inbound = { LambdaArn: arn('invoke', 'inboundFederation'), LambdaVersion: 'V1_0' };
    const p = await poolWith('inbound', { InboundFederation: inbound });
    pools.push(p);
    const { UserPool } = await admin().send(new DescribeUserPoolCommand({ UserPoolId: p.poolId }));
    assert.deepEqual(UserPool.LambdaConfig, { InboundFederation: inbound });
  });

  it('a custom sender without KMSKeyID → InvalidParameterException; with it the pool is created and described', async () => {
    const sender = { LambdaArn: arn('invoke', 'customMessage'), LambdaVersion: 'V1_0' };
    const err = await rejectsWith(admin().send(new CreateUserPoolCommand({ PoolName: `bad-${RUN}`, LambdaConfig: { CustomEmailSender: sender } })), 'InvalidParameterException');
    assert.equal(err.message, 'KMSKeyID must be provided when CustomEmailSender or CustomSMSSender is configured.');
    const p = await poolWith('senders', { CustomEmailSender: sender, KMSKeyID: KMS });
    pools.push(p);
    const { UserPool } = await admin().send(new DescribeUserPoolCommand({ UserPoolId: p.poolId }));
    assert.deepEqual(UserPool.LambdaConfig, { CustomEmailSender: sender, KMSKeyID: KMS });
  });

  it('UpdateUserPool with differing PreTokenGeneration ARNs → InvalidParameterException, config unchanged', async () => {
    const p = await poolWith('update', { PreSignUp: arn('invoke', 'preSignUp') });
    pools.push(p);
    await rejectsWith(admin().send(new UpdateUserPoolCommand({
      UserPoolId: p.poolId,
      LambdaConfig: { PreTokenGeneration: arn('invoke', 'preTokenGeneration'), PreTokenGenerationConfig: { LambdaArn: arn('invoke', 'preSignUp'), LambdaVersion: 'V2_0' } },
    })), 'InvalidParameterException');
    const { UserPool } = await admin().send(new DescribeUserPoolCommand({ UserPoolId: p.poolId }));
    assert.deepEqual(UserPool.LambdaConfig, { PreSignUp: arn('invoke', 'preSignUp') });
  });
});
