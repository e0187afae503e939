// Shared pieces of the trigger journeys: the function ARNs of each transport, the PENDING list, pools, codes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateUserPoolClientCommand, CreateUserPoolCommand, DeleteUserPoolCommand,
} from '../../node/lib/sdk.js';
import { adminClient, RUN } from '../../node/lib/helpers.js';

export { RUN };

/** The transports the journeys run through: "invoke" (serverless-offline's Lambda Invoke API) and "webhook". */
export const TRANSPORTS = (process.env.RIG_TRANSPORTS ?? 'invoke webhook').split(/\s+/).filter(Boolean);

/** Test ids listed in run.sh's PENDING (their trigger is not on main yet): such tests are skipped, not failed. */
const PENDING = new Set((process.env.RIG_PENDING ?? '').split(/\s+/).filter(Boolean));

/** `it` options for test `id`: skipped with a reason while the id is pending. */
export const pending = (id) => (PENDING.has(id) ? { skip: `pending (PENDING in run.sh): ${id}` } : {});

const ACCOUNT = '000000000000';
/** The function ARN of serverless.yml's function `key` as the given transport reaches it. */
export function arn(transport, key) {
  const prefix = transport === 'webhook' ? 'cognate-rig-webhook' : 'cognate-rig-local';
  return `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${prefix}-${key}`;
}

export const admin = () => adminClient({ maxAttempts: 1 });

/** Creates a pool with `LambdaConfig` and one app client; returns { poolId, clientId, cleanup }. */
export async function poolWith(name, lambdaConfig, { client = {}, pool = {} } = {}) {
  const a = admin();
  const { UserPool } = await a.send(new CreateUserPoolCommand({
    PoolName: `rig-${name}-${RUN}`,
    LambdaConfig: lambdaConfig,
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: { MinimumLength: 8, RequireUppercase: false, RequireLowercase: false, RequireNumbers: false, RequireSymbols: false } },
    ...pool,
  }));
  const { UserPoolClient } = await a.send(new CreateUserPoolClientCommand({
    UserPoolId: UserPool.Id,
    ClientName: 'rig',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...client,
  }));
  return {
    poolId: UserPool.Id,
    clientId: UserPoolClient.ClientId,
    cleanup: () => a.send(new DeleteUserPoolCommand({ UserPoolId: UserPool.Id })).catch(() => {}),
  };
}

/** The magic code handlers/createAuthChallenge.js wrote for `userName` (waits up to 5 s). */
export async function magicCode(userName) {
  const dir = process.env.RIG_CODES_DIR;
  assert.ok(dir, 'RIG_CODES_DIR is not set (run via test/interop/triggers/run.sh)');
  const file = path.join(dir, encodeURIComponent(userName));
  const deadline = Date.now() + 5000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) assert.fail(`no magic code was written for ${userName}`);
    await sleep(100);
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Every event the handlers recorded so far, oldest first. */
export function recordedEvents() {
  const dir = process.env.RIG_RECORD_DIR;
  if (!dir || !fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((x, y) => x.t - y.t)
    .map(({ f }) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
}

/** Recorded events for `userName` (and `triggerSource` when given). */
export function eventsFor(userName, triggerSource) {
  return recordedEvents().filter((e) => e.userName === userName && (!triggerSource || e.triggerSource === triggerSource));
}
