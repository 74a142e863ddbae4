import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { findBinary, startProcess } from './processes.js';

export interface Tinyproxy {
  /** The proxy's URL, as HTTP_PROXY or HTTPS_PROXY takes it (userinfo added by the caller). */
  url: string;
  /** The lines of its log that record a request passed on: `GET http://host:port/path` or `CONNECT host:port`. */
  requests: () => string[];
  stop: () => Promise<void>;
}

/**
 * Starts a real tinyproxy (Debian's) on a free loopback port, logging every request it passes on, in
 * the foreground so the test owns it. With no ConnectPort line it tunnels (CONNECT) to any port, as the
 * test servers are not on 443; with `basicAuth` it asks for those credentials (407 without them).
 */
export async function startTinyproxy(options: { basicAuth?: { user: string; password: string } } = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-tinyproxy-'));
  const port = await freePort();
  const log = join(dir, 'tinyproxy.log');
  const config = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Timeout 30',
    `LogFile "${log}"`,
    'LogLevel Connect',
    'MaxClients 20',
    'Allow 127.0.0.1',
    'DisableViaHeader Yes',
    ...(options.basicAuth ? [`BasicAuth ${options.basicAuth.user} ${options.basicAuth.password}`] : []),
  ];
  writeFileSync(join(dir, 'tinyproxy.conf'), `${config.join('\n')}\n`);
  const server = startProcess(findBinary('tinyproxy'), ['-d', '-c', join(dir, 'tinyproxy.conf')]);
  const readLog = (): string => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '';
    }
  };
  // Ready once it listens: a connection is accepted (no request, so the log holds only the test's own).
  const deadline = Date.now() + 15_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`tinyproxy did not start:\n${server.output()}\n${readLog()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () =>
      readLog()
        .split('\n')
        .flatMap((line) => /Request \(file descriptor \d+\): (\S+ \S+)/.exec(line)?.[1] ?? []),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
