// Pools and app clients for the hosted-login suites (node/hosted/): a pool with a prefix domain (so the discovery document
// advertises the OAuth endpoints, as Cognito), a public SPA client and a confidential web client, both on the code grant
// with the OIDC scopes, exact callback and logout URLs on http://localhost (the one plain-http host Cognito allows).
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { API, PW1, RUN, adminClient, createApiResourceServer } from './helpers.js';

export const OIDC_SCOPES = ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'];
export { API };

/**
 * A pool on `endpoint` with a prefix domain `{tag}-{RUN}`, a resource server `API` (read, write) and two clients sharing
 * `callbackUrls` / `logoutUrls`: `spa` (public) and, unless `confidential` is false, `web` (secret), with `flows`, `scopes` and `explicitAuthFlows` (null = Cognito's
 * defaults, as a Terraform client without explicit_auth_flows). `emailUsername` makes email the username (the pages then
 * label the username input `Email`). Resolves with { admin, poolId, domain, spa, web, createUser, cleanup }.
 */
export async function hostedPool({
  endpoint, region, tag, callbackUrls, logoutUrls = [], emailUsername = false, flows = ['code'], scopes = [...OIDC_SCOPES, `${API}/read`],
  explicitAuthFlows = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH'], confidential = true, pool = {},
}) {
  const admin = adminClient({ endpoint, region });
  const poolId = (await admin.send(new CreateUserPoolCommand({
    PoolName: `node-hosted-${tag}-${RUN}`,
    AutoVerifiedAttributes: ['email'],
    ...(emailUsername ? { UsernameAttributes: ['email'] } : {}),
    ...pool,
  }))).UserPool.Id;
  const domain = `nh-${tag}-${RUN}`.toLowerCase();
  await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  await createApiResourceServer(admin, poolId);
  const oauth = {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: flows,
    AllowedOAuthScopes: scopes,
    CallbackURLs: callbackUrls,
    ...(logoutUrls.length ? { LogoutURLs: logoutUrls } : {}),
    SupportedIdentityProviders: ['COGNITO'],
    ...(explicitAuthFlows ? { ExplicitAuthFlows: explicitAuthFlows } : {}),
  };
  const spa = (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'spa', ...oauth }))).UserPoolClient;
  const web = confidential && (await admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', GenerateSecret: true, ...oauth }))).UserPoolClient;

  /** A confirmed user with a permanent password and a verified email. */
  async function createUser(username, email, password = PW1) {
    await admin.send(new AdminCreateUserCommand({
      UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
  }

  const cleanup = async () => {
    await admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain })).catch(() => {});
    await admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })).catch(() => {});
    admin.destroy();
  };
  return { admin, poolId, domain, spa, web, createUser, cleanup };
}
