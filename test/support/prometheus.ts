import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAvailable, logBackend } from './docker.js';
import { freePort, waitForHttp } from './ports.js';
import { findBinary, startProcess } from './processes.js';

export interface Prometheus {
  url: string;
  /** Runs an instant PromQL query over the HTTP API and returns its vector result. */
  query: (promql: string) => Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real Prometheus scraping `target` (host:port) every second with honor_labels, the way a
 * ServiceMonitor with honorLabels: true scrapes a Pushgateway, so pushed job/instance labels survive.
 */
export async function startPrometheus(target: string): Promise<Prometheus> {
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: pushgateway',
    '    honor_labels: true',
    '    static_configs:',
    `      - targets: ['${target}']`,
    '',
  ].join('\n');
  if (dockerEngineAvailable()) return startContainer(config);
  logBackend('prometheus', 'local prometheus binary (no Docker engine answers)');
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const server = startProcess(findBinary('prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  const prometheus = api(url, server.output, async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  try {
    await waitForHttp(`${url}/-/ready`, 30_000);
  } catch (error) {
    await prometheus.stop();
    throw new Error(`${String(error)}\nprometheus output:\n${server.output()}`);
  }
  return prometheus;
}

async function startContainer(config: string): Promise<Prometheus> {
  logBackend('prometheus', 'testcontainers prom/prometheus on the host network (a Docker engine answers)');
  const { GenericContainer, Wait } = await import('testcontainers');
  // The gateway listens on the host's loopback; on the host network the container reaches it as is.
  const port = await freePort();
  const container = await new GenericContainer('prom/prometheus')
    .withNetworkMode('host')
    .withCopyContentToContainer([{ content: config, target: '/etc/prometheus/prometheus.yml' }])
    .withCommand(['--config.file=/etc/prometheus/prometheus.yml', `--web.listen-address=127.0.0.1:${port}`])
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return api(`http://127.0.0.1:${port}`, () => '', async () => {
    await container.stop();
  });
}

function api(url: string, output: () => string, stop: () => Promise<void>): Prometheus {
  return {
    url,
    output,
    stop,
    query: async (promql) => {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const json = (await response.json()) as { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (json.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(json)}`);
      return json.data.result;
    },
  };
}
