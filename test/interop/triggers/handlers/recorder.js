// Records every event a handler receives (the rig compares one per trigger with shapes/*.json, field by field).
// RIG_RECORD_DIR is set by run.sh; each event is one JSON file named {functionName}-{n}.json. Without it, nothing is written.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let counter = 0;

/** Writes a deep copy of `event` as received, before the handler changes its response. */
exports.record = (name, event) => {
  const dir = process.env.RIG_RECORD_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  counter += 1;
  const file = path.join(dir, `${name}-${process.pid}-${Date.now()}-${counter}.json`);
  fs.writeFileSync(file, JSON.stringify(event));
};
