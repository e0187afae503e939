// Every command of @aws-sdk/client-cognito-identity-provider (the 140 of today's Cognito API, as the SDK pinned in
// package.json lists them) reaches a Cognate handler: sent with an empty input by the SDK itself (signed, as the SDK signs
// every command), none answers UnsupportedOperationException or UnknownOperationException, and none a 5xx. An empty input is
// refused by the model's validation, by a missing token/session, or answered (a list of pools) — all of which mean "built".
// The dispatcher looks for a handler before it validates the input (src/Cognate.Server/Protocol/Dispatcher.cs), so an action
// that is not built would answer UnsupportedOperationException here whatever the body.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, requireEndpoint } from '../lib/helpers.js';

const commands = Object.entries(sdk)
  .filter(([name, value]) => name.endsWith('Command') && typeof value === 'function' && name !== 'Command')
  .map(([name, value]) => [name.slice(0, -'Command'.length), value])
  .sort(([a], [b]) => a.localeCompare(b));

describe('all 140 actions of the Cognito API (JS SDK v3 commands)', () => {
  let client;
  before(() => {
    requireEndpoint();
    client = adminClient();
  });

  it('the SDK lists 140 commands', () => {
    assert.equal(commands.length, 140, `the pinned SDK has ${commands.length} commands`);
  });

  it('no command answers UnsupportedOperationException, UnknownOperationException or a 5xx', async () => {
    const missing = [];
    for (const [name, Command] of commands) {
      try {
        await client.send(new Command({}));
      } catch (err) {
        const status = err?.$metadata?.httpStatusCode ?? 0;
        if (['UnsupportedOperationException', 'UnknownOperationException'].includes(err?.name) || status >= 500 || status === 0) {
          missing.push(`${name}: ${err?.name} (${status})`);
        }
      }
    }
    assert.deepEqual(missing, [], `not built: ${missing.length}\n${missing.join('\n')}`);
  });
});
