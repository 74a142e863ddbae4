import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort, waitForHttp } from './ports.js';
import { findBinary, startProcess } from './processes.js';

/** One alert of a webhook notification (Alertmanager's webhook payload, version 4). */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** What Alertmanager POSTs to a webhook receiver. */
export interface WebhookNotification {
  version: string;
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

/** An HTTP server in the test that records every notification posted to it. */
export interface WebhookReceiver {
  url: string;
  notifications: WebhookNotification[];
  /** Resolves with the first alert (received so far or later) that `matches`; rejects after `timeoutMs`. */
  alert: (matches: (alert: WebhookAlert) => boolean, timeoutMs?: number) => Promise<WebhookAlert>;
  stop: () => Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: WebhookNotification[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      notifications.push(JSON.parse(body) as WebhookNotification);
      response.end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  const find = (matches: (alert: WebhookAlert) => boolean) => notifications.flatMap((n) => n.alerts).find(matches);
  return {
    url: `http://127.0.0.1:${port}/`,
    notifications,
    alert: (matches, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find(matches);
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = notifications.flatMap((n) => n.alerts).map((a) => `${a.status} ${JSON.stringify(a.labels)}`);
          reject(new Error(`no matching alert within ${timeoutMs} ms; received:\n${seen.join('\n') || '(nothing)'}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface AlertmanagerOptions {
  /** Where every notification goes: a webhook receiver with send_resolved. */
  webhookUrl: string;
  /** Route timings; short by default so a test sees a notification within a second or two. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface Alertmanager {
  url: string;
  /** host:port, as Prometheus' alerting config names it. */
  address: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, with its own
 * storage and no cluster (an empty --cluster.listen-address), routing every alert to one webhook with
 * send_resolved. `group_by: ['...']` gives each alert a group of its own, so one alert's notification
 * never waits for another's.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<Alertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-am-'));
  const config = {
    route: {
      receiver: 'test',
      group_by: ['...'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [{ name: 'test', webhook_configs: [{ url: options.webhookUrl, send_resolved: true }] }],
  };
  writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
  // amtool names a bad configuration plainly; a server that fails to start only logs it.
  execFileSync(findBinary('amtool'), ['check-config', join(dir, 'alertmanager.yml')], { stdio: 'pipe' });
  const port = await freePort();
  const server = startProcess(findBinary('prometheus-alertmanager', 'alertmanager'), [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const alertmanager: Alertmanager = {
    url,
    address: `127.0.0.1:${port}`,
    output: server.output,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
  } catch (error) {
    await alertmanager.stop();
    throw new Error(`${String(error)}\nalertmanager output:\n${server.output()}`);
  }
  return alertmanager;
}
