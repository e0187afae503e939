// The rig's functions, for serverless.yml (`functions: ${file(./functions.js)}`) and run.sh: every handlers/*.js that exports
// `handler` is a function named after its file (handlers/preSignUp.js → key preSignUp → cognate-rig-local-preSignUp), and
// handlers/failing.js adds `throws` and `garbage`. Handler files added by the trigger branches are served the same way.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function functions() {
  const dir = path.join(__dirname, 'handlers');
  const out = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    const name = file.slice(0, -3);
    const mod = require(path.join(dir, file));
    for (const exp of Object.keys(mod).filter((k) => typeof mod[k] === 'function' && k !== 'record')) {
      const key = exp === 'handler' ? name : exp;
      out[key] = { handler: `handlers/${name}.${exp}` };
    }
  }
  return out;
}

module.exports = functions;

// `node functions.js routes` prints "key module/export" lines for run.sh's webhook configuration.
if (require.main === module && process.argv[2] === 'routes') {
  for (const [key, { handler }] of Object.entries(functions())) {
    const [, mod, exp] = /^handlers\/(.+)\.([^.]+)$/.exec(handler);
    process.stdout.write(`${key} ${mod}/${exp}\n`);
  }
}
