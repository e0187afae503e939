// Managed login / OAuth management API through @aws-sdk/client-cognito-identity-provider: user pool domains (prefix and
// custom), resource servers and custom scopes on app clients, hosted UI (classic) customization and managed login branding.
// Attacks shown to fail: claiming another pool's domain (also as a burst of racing creates over many connections),
// registering redirect URIs that leak codes/tokens (plain http, javascript:), CSS that loads remote resources or breaks out
// of the style element, and a non-image logo.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateManagedLoginBrandingCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  DescribeResourceServerCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  GetUICustomizationCommand,
  ListResourceServersCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { RUN, adminClient, rejectsWith, requireEndpoint } from '../lib/helpers.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('domains, resource servers, UI customization and branding (AWS SDK v3)', { timeout: 120000 }, () => {
  let admin, poolA, poolB;
  const prefix = `node-login-${RUN}`;
  const custom = `auth-${RUN}.example.com`;

  before(async () => {
    requireEndpoint();
    admin = adminClient();
    poolA = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-domains-a-${RUN}` }))).UserPool.Id;
    poolB = (await admin.send(new CreateUserPoolCommand({ PoolName: `node-domains-b-${RUN}` }))).UserPool.Id;
  });

  after(async () => {
    for (const id of [poolA, poolB]) if (id) await admin.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    admin?.destroy();
  });

  it('creates, describes, updates and deletes prefix and custom domains', async () => {
    const created = await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolA, Domain: prefix }));
    assert.equal(created.ManagedLoginVersion, 1);
    const createdCustom = await admin.send(new CreateUserPoolDomainCommand({
      UserPoolId: poolA, Domain: custom, ManagedLoginVersion: 2, CustomDomainConfig: { CertificateArn: CERT },
    }));
    assert.match(createdCustom.CloudFrontDomain, /^d[a-z2-7]{13}\.cloudfront\.net$/);

    const d = (await admin.send(new DescribeUserPoolDomainCommand({ Domain: custom }))).DomainDescription;
    assert.equal(d.UserPoolId, poolA);
    assert.equal(d.Status, 'ACTIVE');
    assert.equal(d.ManagedLoginVersion, 2);
    assert.equal(d.CustomDomainConfig.CertificateArn, CERT);
    assert.equal(d.CloudFrontDistribution, createdCustom.CloudFrontDomain);
    assert.deepEqual((await admin.send(new DescribeUserPoolDomainCommand({ Domain: `nobody-${RUN}` }))).DomainDescription, {});

    const pool = (await admin.send(new DescribeUserPoolCommand({ UserPoolId: poolA }))).UserPool;
    assert.equal(pool.Domain, prefix);
    assert.equal(pool.CustomDomain, custom);

    const updated = await admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolA, Domain: prefix, ManagedLoginVersion: 2 }));
    assert.equal(updated.ManagedLoginVersion, 2);
    const reserved = await rejectsWith(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolB, Domain: `my-aws-${RUN}` })), 'InvalidParameterException');
    assert.equal(reserved.message, 'Domain cannot contain reserved word: aws');
    await rejectsWith(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolA, Domain: `second-${RUN}` })), 'InvalidParameterException');
  });

  it('attack: another pool cannot take over, update or delete a domain it does not own', async () => {
    const taken = await rejectsWith(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolB, Domain: prefix })), 'InvalidParameterException');
    assert.equal(taken.message, 'Domain already associated with another user pool.');
    await rejectsWith(admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolB, Domain: custom, CustomDomainConfig: { CertificateArn: CERT } })), 'InvalidParameterException');
    const del = await rejectsWith(admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolB, Domain: prefix })), 'InvalidParameterException');
    assert.equal(del.message, 'No such domain or user pool exists.');
    await rejectsWith(admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolB, Domain: custom, CustomDomainConfig: { CertificateArn: CERT } })), 'InvalidParameterException');
    assert.equal((await admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription.UserPoolId, poolA);
  });

  it('attack: a burst of racing creates for one free prefix from 8 pools over many connections leaves exactly one owner', async () => {
    const pools = [];
    for (let i = 0; i < 8; i++) pools.push((await admin.send(new CreateUserPoolCommand({ PoolName: `node-race-${i}-${RUN}` }))).UserPool.Id);
    const racers = pools.map(() => adminClient());
    try {
      const name = `race-${RUN}`;
      const results = await Promise.allSettled(pools.flatMap((id, i) =>
        [0, 1, 2].map(() => racers[i].send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: name })))));
      const won = results.filter((r) => r.status === 'fulfilled').length;
      assert.equal(won, 1, 'exactly one create wins');
      for (const r of results.filter((x) => x.status === 'rejected')) assert.equal(r.reason.name, 'InvalidParameterException');
      const owner = (await admin.send(new DescribeUserPoolDomainCommand({ Domain: name }))).DomainDescription.UserPoolId;
      assert.ok(pools.includes(owner));
    } finally {
      racers.forEach((c) => c.destroy());
      for (const id of pools) await admin.send(new DeleteUserPoolCommand({ UserPoolId: id })).catch(() => {});
    }
  });

  it('resource servers define custom scopes that clients may use only while they exist', async () => {
    const rs = await admin.send(new CreateResourceServerCommand({
      UserPoolId: poolA, Identifier: 'https://orders.example.com', Name: 'orders',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read orders' }, { ScopeName: 'write', ScopeDescription: 'Write orders' }],
    }));
    assert.equal(rs.ResourceServer.Scopes.length, 2);
    await rejectsWith(admin.send(new CreateResourceServerCommand({ UserPoolId: poolA, Identifier: 'https://orders.example.com', Name: 'x' })), 'InvalidParameterException');
    const got = await admin.send(new DescribeResourceServerCommand({ UserPoolId: poolA, Identifier: 'https://orders.example.com' }));
    assert.equal(got.ResourceServer.Name, 'orders');

    const m2m = (await admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolA, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://orders.example.com/read'],
    }))).UserPoolClient;
    assert.deepEqual(m2m.AllowedOAuthScopes, ['https://orders.example.com/read']);
    await rejectsWith(admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolA, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://orders.example.com/admin'],
    })), 'ScopeDoesNotExistException');
    await rejectsWith(admin.send(new CreateUserPoolClientCommand({
      UserPoolId: poolA, ClientName: 'm2m', GenerateSecret: true, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['openid'],
    })), 'InvalidOAuthFlowException');

    await admin.send(new UpdateResourceServerCommand({
      UserPoolId: poolA, Identifier: 'https://orders.example.com', Name: 'orders v2', Scopes: [{ ScopeName: 'read', ScopeDescription: 'Read' }],
    }));
    await admin.send(new CreateResourceServerCommand({ UserPoolId: poolA, Identifier: 'billing', Name: 'billing' }));
    const page1 = await admin.send(new ListResourceServersCommand({ UserPoolId: poolA, MaxResults: 1 }));
    assert.equal(page1.ResourceServers[0].Identifier, 'billing');
    const page2 = await admin.send(new ListResourceServersCommand({ UserPoolId: poolA, MaxResults: 1, NextToken: page1.NextToken }));
    assert.equal(page2.ResourceServers[0].Name, 'orders v2');

    await admin.send(new DeleteResourceServerCommand({ UserPoolId: poolA, Identifier: 'https://orders.example.com' }));
    await rejectsWith(admin.send(new DescribeResourceServerCommand({ UserPoolId: poolA, Identifier: 'https://orders.example.com' })), 'ResourceNotFoundException');
    await rejectsWith(admin.send(new UpdateUserPoolClientCommand({
      UserPoolId: poolA, ClientId: m2m.ClientId, AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['client_credentials'], AllowedOAuthScopes: ['https://orders.example.com/read'],
    })), 'ScopeDoesNotExistException');
  });

  it('attack: redirect URIs that would leak codes or tokens are refused; https, localhost and app schemes are kept', async () => {
    const web = (u) => ({
      UserPoolId: poolA, ClientName: 'web', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'], SupportedIdentityProviders: ['COGNITO'], CallbackURLs: u,
    });
    for (const bad of ['http://attacker.example/cb', 'javascript:alert(document.cookie)', 'https://app.example/cb#x']) {
      await rejectsWith(admin.send(new CreateUserPoolClientCommand(web([bad]))), 'InvalidParameterException', `${bad}: `);
    }
    await rejectsWith(admin.send(new CreateUserPoolClientCommand({ ...web(['https://app.example/cb']), DefaultRedirectURI: 'https://attacker.example/cb' })), 'InvalidParameterException');
    await rejectsWith(admin.send(new CreateUserPoolClientCommand({ ...web(['https://app.example/cb']), SupportedIdentityProviders: ['Evil'] })), 'InvalidParameterException');
    await rejectsWith(admin.send(new CreateUserPoolClientCommand({ ...web(null) })), 'InvalidOAuthFlowException');
    const ok = ['https://app.example/cb', 'http://localhost:3000/cb', 'myapp://callback'];
    const client = (await admin.send(new CreateUserPoolClientCommand({ ...web(ok), DefaultRedirectURI: ok[0] }))).UserPoolClient;
    assert.deepEqual(client.CallbackURLs, ok);
  });

  it('UI customization: CSS whitelist and PNG/JPEG logo per pool and per client; attacks refused', async () => {
    const client = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolA, ClientName: 'ui' }))).UserPoolClient.ClientId;
    await rejectsWith(admin.send(new SetUICustomizationCommand({ UserPoolId: poolB, CSS: '.logo-customizable{width:1px}' })), 'InvalidParameterException', 'no domain: ');
    const set = (await admin.send(new SetUICustomizationCommand({ UserPoolId: poolA, ClientId: 'ALL', CSS: '.logo-customizable{max-width:60%}', ImageFile: PNG }))).UICustomization;
    assert.equal(set.ClientId, 'ALL');
    assert.ok(set.ImageUrl.includes(`/_ui/${poolA}/ALL/logo.png`));
    assert.ok(set.LastModifiedDate instanceof Date);
    for (const css of [
      '.background-customizable{background-image:url(https://attacker.example/leak)}',
      '@import "https://attacker.example/a.css";',
      '.logo-customizable{color:red}</style><script>alert(1)</script>',
      'input[type=password]{color:red}',
    ]) {
      await rejectsWith(admin.send(new SetUICustomizationCommand({ UserPoolId: poolA, CSS: css })), 'InvalidParameterException', `${css}: `);
    }
    await rejectsWith(admin.send(new SetUICustomizationCommand({ UserPoolId: poolA, ImageFile: Buffer.from('<svg onload="alert(1)"/>') })), 'InvalidParameterException', 'svg: ');
    const inherited = (await admin.send(new GetUICustomizationCommand({ UserPoolId: poolA, ClientId: client }))).UICustomization;
    assert.equal(inherited.CSS, '.logo-customizable{max-width:60%}');
    await admin.send(new SetUICustomizationCommand({ UserPoolId: poolA, ClientId: client, CSS: '.submitButton-customizable:hover{background-color:#000}' }));
    const own = (await admin.send(new GetUICustomizationCommand({ UserPoolId: poolA, ClientId: client }))).UICustomization;
    assert.equal(own.ClientId, client);
    assert.equal(own.ImageUrl, undefined);
  });

  it('managed login branding: one style per client, settings and assets returned, reset and delete', async () => {
    const client = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolA, ClientName: 'branded' }))).UserPoolClient.ClientId;
    const settings = { categories: { global: { colorSchemeMode: 'LIGHT' } }, components: { pageBackground: { lightMode: { color: 'ffffffff' } } } };
    const created = (await admin.send(new CreateManagedLoginBrandingCommand({
      UserPoolId: poolA, ClientId: client, Settings: settings,
      Assets: [{ Category: 'PAGE_HEADER_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: PNG }],
    }))).ManagedLoginBranding;
    assert.deepEqual(created.Settings, settings);
    await rejectsWith(admin.send(new CreateManagedLoginBrandingCommand({ UserPoolId: poolA, ClientId: client, UseCognitoProvidedValues: true })), 'ManagedLoginBrandingExistsException');
    const byClient = (await admin.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolA, ClientId: client }))).ManagedLoginBranding;
    assert.equal(byClient.ManagedLoginBrandingId, created.ManagedLoginBrandingId);
    assert.deepEqual(Buffer.from(byClient.Assets[0].Bytes), PNG);
    const reset = (await admin.send(new UpdateManagedLoginBrandingCommand({
      UserPoolId: poolA, ManagedLoginBrandingId: created.ManagedLoginBrandingId, UseCognitoProvidedValues: true,
    }))).ManagedLoginBranding;
    assert.equal(reset.UseCognitoProvidedValues, true);
    const got = (await admin.send(new DescribeManagedLoginBrandingCommand({ UserPoolId: poolA, ManagedLoginBrandingId: created.ManagedLoginBrandingId }))).ManagedLoginBranding;
    assert.equal(got.Settings, undefined);
    await admin.send(new DeleteManagedLoginBrandingCommand({ UserPoolId: poolA, ManagedLoginBrandingId: created.ManagedLoginBrandingId }));
    await rejectsWith(admin.send(new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolA, ClientId: client })), 'ResourceNotFoundException');
  });

  it('deleting a pool frees its domains', async () => {
    await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolA }));
    assert.deepEqual((await admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription, {});
    const again = await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolB, Domain: prefix }));
    assert.equal(again.ManagedLoginVersion, 1);
    poolA = undefined;
  });
});
