import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { startServer } from './gateway.mjs';

/**
 * Starts a real Prometheus (Debian's) on a free loopback port with its own empty storage, accepting
 * remote write on /api/v1/write, and waits until it answers /-/ready.
 */
export async function startReceiver(parent) {
  const server = await startServer(parent, 'prom-', 'prometheus', (port, dir) => {
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 1m}\n');
    return [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ];
  });
  return { ...server, writeUrl: `${server.url}/api/v1/write` };
}

/**
 * A loopback server that keeps the body of every request and answers `status`: it collects the app's own
 * remote-write requests (or its push, with `path: ''` as the gateway's base URL), so that curl can send
 * exactly those bytes.
 */
export async function recordBodies(run, { path = '/api/v1/write', status = 204 } = {}) {
  const bodies = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(status).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${server.address().port}${path}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  return bodies;
}
