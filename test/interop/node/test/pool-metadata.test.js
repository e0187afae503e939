// Pool metadata through the JS SDK v3: tags on a pool's ARN (one set with DescribeUserPool's UserPoolTags), terms documents
// including DescribeTermsByClient (which botocore 1.43 does not know), and the log delivery configuration. The SDK parses the
// terms' CreationDate / LastModifiedDate (epoch seconds) into Date objects.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTermsCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteTermsCommand,
  DeleteUserPoolCommand,
  DescribeTermsByClientCommand,
  DescribeUserPoolCommand,
  GetLogDeliveryConfigurationCommand,
  ListTagsForResourceCommand,
  ListTermsCommand,
  SetLogDeliveryConfigurationCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTermsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { RUN, adminClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

describe('pool metadata: tags, terms, log delivery (JS SDK v3)', () => {
  let admin;
  let poolId;
  let arn;
  let clientId;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    const pool = (await admin.send(new CreateUserPoolCommand({ PoolName: `meta-${RUN}`, UserPoolTags: { team: 'identity' } }))).UserPool;
    poolId = pool.Id;
    arn = pool.Arn;
    clientId = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app' }))).UserPoolClient.ClientId;
  });

  after(async () => {
    if (poolId) await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
  });

  it('TagResource / UntagResource / ListTagsForResource share UserPoolTags', async () => {
    await admin.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'prod' } }));
    assert.deepEqual((await admin.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'identity', env: 'prod' });
    await admin.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    const described = (await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool.UserPoolTags;
    assert.deepEqual(described, { env: 'prod' });
    await rejectsWith(admin.send(new ListTagsForResourceCommand({ ResourceArn: arn.replace(/:\d{12}:/, ':999999999999:') })), 'ResourceNotFoundException');
  });

  it('CreateTerms .. DescribeTermsByClient .. DeleteTerms', async () => {
    const links = { 'cognito:default': 'https://example.com/privacy' };
    const created = (await admin.send(new CreateTermsCommand({
      UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: links,
    }))).Terms;
    assert.ok(created.CreationDate instanceof Date);
    const byClient = (await admin.send(new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy' }))).Terms;
    assert.equal(byClient.TermsId, created.TermsId);
    assert.deepEqual(byClient.Links, links);
    await rejectsWith(admin.send(new DescribeTermsByClientCommand({ UserPoolId: poolId, ClientId: clientId, TermsName: 'terms-of-use' })), 'ResourceNotFoundException');
    await rejectsWith(admin.send(new CreateTermsCommand({
      UserPoolId: poolId, ClientId: clientId, TermsName: 'privacy-policy', TermsSource: 'LINK', Enforcement: 'NONE', Links: links,
    })), 'TermsExistsException');
    const updated = (await admin.send(new UpdateTermsCommand({ UserPoolId: poolId, TermsId: created.TermsId, Links: { 'cognito:german': 'https://example.com/de' } }))).Terms;
    assert.deepEqual(updated.Links, { 'cognito:german': 'https://example.com/de' });
    const listed = (await admin.send(new ListTermsCommand({ UserPoolId: poolId }))).Terms;
    assert.deepEqual(listed.map((t) => t.TermsId), [created.TermsId]);
    await admin.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: created.TermsId }));
    assert.equal((await admin.send(new ListTermsCommand({ UserPoolId: poolId }))).Terms.length, 0);
  });

  it('SetLogDeliveryConfiguration / GetLogDeliveryConfiguration', async () => {
    const LogConfigurations = [{ LogLevel: 'ERROR', EventSource: 'userNotification', CloudWatchLogsConfiguration: { LogGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:/node-${RUN}` } }];
    await admin.send(new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations }));
    const got = (await admin.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }))).LogDeliveryConfiguration;
    assert.equal(got.UserPoolId, poolId);
    assert.deepEqual(got.LogConfigurations, LogConfigurations);
    await rejectsWith(admin.send(new SetLogDeliveryConfigurationCommand({
      UserPoolId: poolId, LogConfigurations: [{ LogLevel: 'INFO', EventSource: 'userAuthEvents', S3Configuration: { BucketArn: 'arn:aws:s3:::auth-logs' } }],
    })), 'FeatureUnavailableInTierException');
  });
});
