import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dockerEngineAvailable, logBackend } from './docker.js';
import { freePort, waitForHttp } from './ports.js';
import { findBinary, startProcess } from './processes.js';

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Prometheus {
  url: string;
  /** Runs an instant PromQL query over the HTTP API (at `time`, Unix seconds, when given) and returns its vector. */
  query: (promql: string, options?: { time?: number }) => Promise<InstantSample[]>;
  /** The values `label` takes on the series `match` selects, as Grafana's `label_values(match, label)` asks for them. */
  labelValues: (label: string, match: string) => Promise<string[]>;
  /** Polls a query until it returns at least one sample (or `until` accepts the result), or the timeout passes. */
  eventually: (promql: string, options?: { timeoutMs?: number; until?: (result: InstantSample[]) => boolean }) => Promise<InstantSample[]>;
  output: () => string;
  stop: () => Promise<void>;
}

export interface PrometheusOptions {
  /** host:port targets scraped as job "pushgateway" with honor_labels, as a ServiceMonitor with honorLabels does. */
  targets?: string[];
  /** Scrape configs as prometheus.yml's `scrape_configs` entries, instead of (or besides) `targets`. */
  scrapeConfigs?: Record<string, unknown>[];
  /** Rule files to load: file name → content (YAML text). */
  ruleFiles?: Record<string, string>;
  /** Alertmanager addresses (host:port) the alerts are sent to. */
  alertmanagers?: string[];
  /** Accept remote write on /api/v1/write (--web.enable-remote-write-receiver). */
  remoteWriteReceiver?: boolean;
  /** Scrape and rule-evaluation interval (default 1s, so tests see a push within a second or two). */
  interval?: string;
  /** `global.external_labels`. */
  externalLabels?: Record<string, string>;
  /**
   * How long Prometheus waits before sending a still-firing alert again (--rules.alert.resend-delay,
   * default 1m). An alert that fires before the notifier has found its Alertmanagers is lost until then.
   */
  alertResendDelay?: string;
  /** Path of an exporter-toolkit web config (basic auth, TLS): `--web.config.file`. Local backend only. */
  webConfigFile?: string;
  /** Headers the harness's own queries and readiness probe send (basic auth under `webConfigFile`). */
  probeHeaders?: Record<string, string>;
  /** Start on this TSDB folder (blocks backfilled with promtool) instead of an empty one. Local backend only; kept on stop. */
  dataDir?: string;
}

/**
 * Starts a real Prometheus on a free loopback port with its own empty storage. Given a bare host:port it
 * scrapes that target every second with honor_labels, the way a ServiceMonitor with honorLabels: true
 * scrapes a Pushgateway, so pushed job/instance labels survive.
 */
export async function startPrometheus(options: PrometheusOptions | string = {}): Promise<Prometheus> {
  const settings: PrometheusOptions = typeof options === 'string' ? { targets: [options] } : options;
  const interval = settings.interval ?? '1s';
  const ruleFiles = Object.keys(settings.ruleFiles ?? {});
  const scrapeConfigs = [
    ...(settings.targets?.length ? [{ job_name: 'pushgateway', honor_labels: true, static_configs: [{ targets: settings.targets }] }] : []),
    ...(settings.scrapeConfigs ?? []),
  ];
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, ...(settings.externalLabels ? { external_labels: settings.externalLabels } : {}) },
    ...(ruleFiles.length ? { rule_files: ruleFiles } : {}),
    ...(settings.alertmanagers?.length ? { alerting: { alertmanagers: [{ static_configs: [{ targets: settings.alertmanagers }] }] } } : {}),
    ...(scrapeConfigs.length ? { scrape_configs: scrapeConfigs } : {}),
  };
  const files: Record<string, string> = { 'prometheus.yml': stringify(config), ...settings.ruleFiles };
  const flags = [
    ...(settings.remoteWriteReceiver ? ['--web.enable-remote-write-receiver'] : []),
    ...(settings.alertResendDelay ? [`--rules.alert.resend-delay=${settings.alertResendDelay}`] : []),
    ...(settings.webConfigFile ? [`--web.config.file=${settings.webConfigFile}`] : []),
  ];
  if (dockerEngineAvailable() && !settings.webConfigFile && !settings.dataDir) return startContainer(files, flags);

  logBackend('prometheus', 'local prometheus binary (no Docker engine answers)');
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-prom-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const port = await freePort();
  const server = startProcess(findBinary('prometheus'), [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${settings.dataDir ?? join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
    ...flags,
  ]);
  const url = `http://127.0.0.1:${port}`;
  const headers = settings.probeHeaders ?? {};
  const prometheus = api(url, server.output, async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }, headers);
  try {
    await waitForHttp(`${url}/-/ready`, 30_000, { headers });
  } catch (error) {
    await prometheus.stop();
    throw new Error(`${String(error)}\nprometheus output:\n${server.output()}`);
  }
  return prometheus;
}

async function startContainer(files: Record<string, string>, flags: string[]): Promise<Prometheus> {
  logBackend('prometheus', 'testcontainers prom/prometheus on the host network (a Docker engine answers)');
  const { GenericContainer, Wait } = await import('testcontainers');
  // Servers of the test listen on the host's loopback; on the host network the container reaches them as is.
  const port = await freePort();
  // Rule file names in prometheus.yml are relative to it, so every file goes beside it.
  const container = await new GenericContainer('prom/prometheus')
    .withNetworkMode('host')
    .withCopyContentToContainer(Object.entries(files).map(([name, content]) => ({ content, target: `/etc/prometheus/${name}` })))
    .withCommand(['--config.file=/etc/prometheus/prometheus.yml', `--web.listen-address=127.0.0.1:${port}`, ...flags])
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return api(`http://127.0.0.1:${port}`, () => '', async () => {
    await container.stop();
  });
}

function api(url: string, output: () => string, stop: () => Promise<void>, headers: Record<string, string> = {}): Prometheus {
  const query: Prometheus['query'] = async (promql, options = {}) => {
    const params = new URLSearchParams({ query: promql });
    if (options.time !== undefined) params.set('time', String(options.time));
    const response = await fetch(`${url}/api/v1/query?${params}`, { headers });
    const json = (await response.json()) as { status: string; data: { result: InstantSample[] } };
    if (json.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(json)}`);
    return json.data.result;
  };
  const labelValues: Prometheus['labelValues'] = async (label, match) => {
    const response = await fetch(`${url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`);
    const json = (await response.json()) as { status: string; data: string[] };
    if (json.status !== 'success') throw new Error(`label values of ${label} on ${match} failed: ${JSON.stringify(json)}`);
    return json.data;
  };
  return {
    url,
    output,
    stop,
    query,
    labelValues,
    // Prometheus sees a push only at its next scrape, and a rule only at its next evaluation.
    eventually: async (promql, { timeoutMs = 30_000, until = (result: InstantSample[]) => result.length > 0 } = {}) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const result = await query(promql);
        if (until(result) || Date.now() > deadline) return result;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    },
  };
}
