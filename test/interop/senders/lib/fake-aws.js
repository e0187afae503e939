// A tiny stand-in for the two AWS services a custom sender trigger touches, on one loopback port:
//  - the Lambda Invoke API (POST /2015-03-31/functions/{name}/invocations): records each event, answers 202 for `Event`
//    invocations (Cognito's custom senders are asynchronous) and 200 {} otherwise;
//  - the KMS JSON API (X-Amz-Target: TrentService.GenerateDataKey / TrentService.Decrypt): data keys wrapped with AES-256-GCM
//    under one random master key, the encryption context bound as AAD exactly as KMS binds it (Decrypt with another context
//    fails with InvalidCiphertextException).
// Signatures are not checked. Keys and codes are never logged.
import { createServer } from 'node:http';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0f6a3c52-7b9e-4c1d-9a55-3e2f1b7c8d90';

function contextAad(ctx = {}) {
  const sorted = Object.keys(ctx).sort().map((k) => [k, ctx[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

export async function startFakeAws() {
  const master = randomBytes(32);
  const invocations = []; // { functionName, invocationType, event }
  const kmsCalls = []; // { op, keyId, context, numberOfBytes }
  const waiters = [];

  function wrap(plaintext, ctx) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv);
    c.setAAD(contextAad(ctx));
    const enc = Buffer.concat([c.update(plaintext), c.final()]);
    return Buffer.concat([iv, enc, c.getAuthTag()]);
  }
  function unwrap(blob, ctx) {
    const d = createDecipheriv('aes-256-gcm', master, blob.subarray(0, 12));
    d.setAAD(contextAad(ctx));
    d.setAuthTag(blob.subarray(blob.length - 16));
    return Buffer.concat([d.update(blob.subarray(12, blob.length - 16)), d.final()]);
  }
  function kmsError(res, type, message) {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ __type: type, message }));
  }

  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const lambda = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      if (req.method === 'POST' && lambda) {
        const invocationType = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
        const entry = { functionName: decodeURIComponent(lambda[1]), invocationType, event: JSON.parse(body) };
        invocations.push(entry);
        for (const w of waiters.splice(0)) w();
        if (invocationType === 'Event') { res.writeHead(202); res.end(); return; }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(entry.event));
        return;
      }
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.method === 'POST' && target.startsWith('TrentService.')) {
        const input = JSON.parse(body || '{}');
        const op = target.slice('TrentService.'.length);
        kmsCalls.push({ op, keyId: input.KeyId, context: input.EncryptionContext ?? {}, numberOfBytes: input.NumberOfBytes });
        if (op === 'GenerateDataKey') {
          if (input.KeyId !== KEY_ARN) return kmsError(res, 'NotFoundException', `Key '${input.KeyId}' does not exist`);
          const plaintext = randomBytes(input.NumberOfBytes ?? 32);
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({
            KeyId: KEY_ARN,
            Plaintext: plaintext.toString('base64'),
            CiphertextBlob: wrap(plaintext, input.EncryptionContext).toString('base64'),
          }));
          return;
        }
        if (op === 'Decrypt') {
          let plaintext;
          try {
            plaintext = unwrap(Buffer.from(input.CiphertextBlob, 'base64'), input.EncryptionContext);
          } catch {
            return kmsError(res, 'InvalidCiphertextException', '');
          }
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ KeyId: KEY_ARN, Plaintext: plaintext.toString('base64'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }));
          return;
        }
        return kmsError(res, 'UnsupportedOperationException', op);
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;

  /** The first invocation matching `pred`, waiting up to `ms`. */
  async function waitForInvocation(pred, ms = 15000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = invocations.find(pred);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching Lambda invocation arrived');
      await new Promise((resolve) => { waiters.push(resolve); setTimeout(resolve, Math.min(left, 250)); });
    }
  }

  return { url, invocations, kmsCalls, waitForInvocation, close: () => new Promise((r) => server.close(r)) };
}
