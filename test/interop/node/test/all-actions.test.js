// Every command of @aws-sdk/client-cognito-identity-provider (the 140 of today's Cognito API, as the SDK pinned in
// package.json lists them) is sent with an empty input by the SDK itself (signed, as the SDK signs every command). An action
// docs/compatibility.md marks "built" must reach its handler: no UnsupportedOperationException, no UnknownOperationException,
// no 5xx (an empty input is refused by the model's validation, by a missing token/session, or answered — all of which mean
// "built"). An action it marks "not built" must answer Cognito's UnsupportedOperationException, so the table cannot claim
// more or less than the server does. The dispatcher looks for a handler before it validates the input
// (src/Cognate.Server/Protocol/Dispatcher.cs), so an action that is not built answers UnsupportedOperationException whatever
// the body.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, requireEndpoint } from '../lib/helpers.js';

const commands = Object.entries(sdk)
  // The SDK also exports its `$Command` base class (smithy's), which is no Cognito action.
  .filter(([name, value]) => /^[A-Z]\w*Command$/.test(name) && typeof value === 'function' && name !== 'Command')
  .map(([name, value]) => [name.slice(0, -'Command'.length), value])
  .sort(([a], [b]) => a.localeCompare(b));

// action -> "built" | "not built", from the generated table (tools/gen-compatibility.py).
const table = new Map(
  readFileSync(new URL('../../../../docs/compatibility.md', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.match(/^\| (\w+) \|[^|]*\|[^|]*\| (built|not built) \|$/))
    .filter(Boolean)
    .map((m) => [m[1], m[2]]),
);

describe('all 140 actions of the Cognito API (JS SDK v3 commands)', () => {
  let client;
  before(() => {
    requireEndpoint();
    client = adminClient();
  });

  it('the SDK lists 140 commands', () => {
    assert.equal(commands.length, 140, `the pinned SDK has ${commands.length} commands`);
  });

  it('docs/compatibility.md lists every SDK command with its status', () => {
    assert.deepEqual([...table.keys()].sort((a, b) => a.localeCompare(b)), commands.map(([name]) => name));
  });

  it('built commands reach a handler (no UnsupportedOperationException, UnknownOperationException or 5xx); not built ones answer UnsupportedOperationException', async () => {
    const wrong = [];
    for (const [name, Command] of commands) {
      let outcome = 'answered';
      try {
        await client.send(new Command({}));
      } catch (err) {
        const status = err?.$metadata?.httpStatusCode ?? 0;
        if (status >= 500 || status === 0) outcome = `${err?.name} (${status})`;
        else if (['UnsupportedOperationException', 'UnknownOperationException'].includes(err?.name)) outcome = err.name;
      }
      const built = table.get(name) === 'built';
      if (built && outcome !== 'answered') wrong.push(`${name} is marked built but answered ${outcome}`);
      if (!built && outcome !== 'UnsupportedOperationException') wrong.push(`${name} is marked not built but answered ${outcome}`);
    }
    assert.deepEqual(wrong, [], wrong.join('\n'));
  });
});
