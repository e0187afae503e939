// Starts a Cognate server (the Release build) on a free loopback port with a fresh SQLite file, for this suite alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const DLL = join(ROOT, 'src/Cognate.Server/bin/Release/net10.0/Cognate.Server.dll');

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

export async function startCognate(env) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cognate-senders-'));
  let log = '';
  const child = spawn('dotnet', [DLL, '--urls', `http://127.0.0.1:${port}`], {
    cwd: ROOT,
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Development', ConnectionStrings__Cognate: `Data Source=${join(dir, 'cognate.db')}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Cognate exited early:\n${log.slice(-2000)}`);
    try {
      const r = await fetch(`${url}/health/live`);
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { child.kill(); throw new Error(`Cognate did not start:\n${log.slice(-2000)}`); }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(); else child.once('exit', r); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
