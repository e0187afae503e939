// The webhook side of the rig: the same handler modules behind plain HTTP, as Cognate's second transport
// (Cognate:Lambda:Functions:{arn}:Url) calls them. POST /{module}/{export} with the event JSON → 200 with the answered event;
// a handler that throws → 500 with a Lambda-style error body {"errorMessage", "errorType"}.
// Usage: node webhook.js PORT   (listens on 127.0.0.1 only; prints "listening PORT" when ready)
'use strict';
const http = require('node:http');
const path = require('node:path');

const port = Number(process.argv[2] || 0);
const handlersDir = path.join(__dirname, 'handlers');

const server = http.createServer((req, res) => {
  const m = /^\/([A-Za-z0-9-]+)\/([A-Za-z0-9_]+)$/.exec(req.url || '');
  if (req.method !== 'POST' || !m) {
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'POST /{module}/{export}' }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    let fn;
    try {
      fn = require(path.join(handlersDir, `${m[1]}.js`))[m[2]];
    } catch {
      fn = undefined;
    }
    if (typeof fn !== 'function') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `no handler ${m[1]}.${m[2]}` }));
      return;
    }
    try {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = await fn(event, { functionName: `${m[1]}.${m[2]}` });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errorType: (e && e.name) || 'Error', errorMessage: (e && e.message) || String(e) }));
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
