// What a PreTokenGeneration trigger adds to a sign-in: N sequential USER_PASSWORD_AUTH sign-ins against a pool without
// triggers and against one whose PreTokenGenerationConfig (V2_0) points at the rig's function under serverless-offline;
// prints p50 / p95 / mean of each and the difference. Run by bench/triggers.sh (which starts everything).
// Env: COGNATE_ENDPOINT, BENCH_FUNCTION_ARN, BENCH_SIGNINS (default 300), BENCH_WARMUP (default 30).
import { performance } from 'node:perf_hooks';
import {
  AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
} from '../test/interop/node/lib/sdk.js';
import { adminClient } from '../test/interop/node/lib/helpers.js';

const endpoint = process.env.COGNATE_ENDPOINT;
const fn = process.env.BENCH_FUNCTION_ARN;
const n = Number(process.env.BENCH_SIGNINS ?? 300);
const warmup = Number(process.env.BENCH_WARMUP ?? 30);
const PW = 'Bench-Passw0rd!';

async function pool(name, lambdaConfig) {
  const a = adminClient();
  const { UserPool } = await a.send(new CreateUserPoolCommand({ PoolName: name, LambdaConfig: lambdaConfig, UserPoolTier: 'ESSENTIALS' }));
  const { UserPoolClient } = await a.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id, ClientName: 'bench', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  }));
  await a.send(new AdminCreateUserCommand({ UserPoolId: UserPool.Id, Username: 'bench', MessageAction: 'SUPPRESS' }));
  await a.send(new AdminSetUserPasswordCommand({ UserPoolId: UserPool.Id, Username: 'bench', Password: PW, Permanent: true }));
  return UserPoolClient.ClientId;
}

async function signIn(clientId) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'bench', PASSWORD: PW } }),
  });
  const body = await res.json();
  if (res.status !== 200 || !body.AuthenticationResult) throw new Error(`sign-in failed: ${res.status} ${body.__type ?? ''} ${body.message ?? ''}`);
  return body.AuthenticationResult.AccessToken;
}

async function measure(clientId) {
  for (let i = 0; i < warmup; i++) await signIn(clientId);
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await signIn(clientId);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { p50: at(0.5), p95: at(0.95), mean: ms.reduce((a, b) => a + b, 0) / ms.length };
}

const plain = await pool('bench-no-triggers', {});
const withTrigger = await pool('bench-pretoken', { PreTokenGenerationConfig: { LambdaArn: fn, LambdaVersion: 'V2_0' } });
const token = await signIn(withTrigger);
const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
const invoked = claims['custom:tier'] === 'gold';
// alternate the two so that machine noise hits both alike
const a1 = await measure(plain); const b1 = await measure(withTrigger);
const a2 = await measure(plain); const b2 = await measure(withTrigger);
const avg = (x, y) => ({ p50: (x.p50 + y.p50) / 2, p95: (x.p95 + y.p95) / 2, mean: (x.mean + y.mean) / 2 });
const a = avg(a1, a2); const b = avg(b1, b2);
const f = (v) => v.toFixed(2).padStart(8);
console.log(`sequential USER_PASSWORD_AUTH sign-ins, ${2 * n} per pool (after ${warmup} warm-up), milliseconds`);
console.log(`pool                          p50      p95     mean`);
console.log(`no triggers              ${f(a.p50)} ${f(a.p95)} ${f(a.mean)}`);
console.log(`PreTokenGeneration V2    ${f(b.p50)} ${f(b.p95)} ${f(b.mean)}`);
console.log(`added by the trigger     ${f(b.p50 - a.p50)} ${f(b.p95 - a.p95)} ${f(b.mean - a.mean)}`);
if (!invoked) {
  console.log('NOTE: the access token carries no custom:tier claim: the PreTokenGeneration trigger did not run (not built on this branch?), so the difference above is noise.');
  process.exitCode = 2;
}
