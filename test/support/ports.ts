import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A loopback port that was free a moment ago, for a test server to bind. It is drawn from below the OS's
 * ephemeral range (ip_local_port_range): a port the OS hands out for `listen(0)` is also one it gives to
 * outgoing connections, and a test's fetch took such a port before the server meant for it could bind
 * ("bind: address already in use"). Where that range cannot be read, the OS picks.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralRangeStart();
  if (below === undefined || below <= 11_000) return bindAndRelease(0);
  for (let tries = 0; tries < 50; tries++) {
    const port = 10_000 + Math.floor(Math.random() * (below - 10_000));
    if (await bindAndRelease(port).then(() => true, () => false)) return port;
  }
  return bindAndRelease(0);
}

function ephemeralRangeStart(): number | undefined {
  try {
    const start = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function bindAndRelease(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 15_000, init: RequestInit = {}, fetchFn: typeof fetch = fetch): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetchFn(url, { ...init, signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms: ${lastError}`);
}
