import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts a real Pushgateway on a free loopback port with its own empty persistence file (Debian's
 * package otherwise shares one), and waits until it answers /-/ready.
 */
export function startGateway(parent) {
  return startServer(parent, 'pgw-', 'prometheus-pushgateway', (port, dir) => [
    `--web.listen-address=127.0.0.1:${port}`,
    `--persistence.file=${join(dir, 'persistence')}`,
    '--log.level=warn',
  ]);
}

/**
 * Runs `binary` with the arguments `args(port, dir)` gives for a free loopback port and a fresh directory
 * under `parent`, and waits until it answers /-/ready. `stop()` ends it and removes the directory.
 */
export async function startServer(parent, prefix, binary, args, readyTimeoutMs = 30_000) {
  const port = await freePort();
  const dir = mkdtempSync(join(parent, prefix));
  const child = spawn(binary, args(port, dir), { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${url}/-/ready`, readyTimeoutMs);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${binary} output:\n${output}`);
  }
  return { url, dir, stop, pid: child.pid };
}

export async function waitReady(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await globalThis.fetch(url, { signal: globalThis.AbortSignal.timeout(1000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await sleep(25);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms: ${last}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
