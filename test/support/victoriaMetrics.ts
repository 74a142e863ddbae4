import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InstantSample } from './prometheus.js';
import { freePort, waitForHttp } from './ports.js';
import { findBinary, startProcess } from './processes.js';

/** One series as VictoriaMetrics's /api/v1/export gives it: every sample it stored, copies included. */
export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

export interface VictoriaMetrics {
  url: string;
  /** Its Prometheus-compatible remote-write endpoint. */
  writeUrl: string;
  /** An instant PromQL (MetricsQL) query at `time` (Unix seconds), after making every write searchable. */
  query: (promql: string, options?: { time?: number }) => Promise<InstantSample[]>;
  /** Every stored sample of the series `match` selects, as written: what a query's deduplication hides. */
  exported: (match: string) => Promise<ExportedSeries[]>;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real single-node VictoriaMetrics (Debian's `victoria-metrics`, 1.79) on a free loopback port,
 * with its own -storageDataPath in a temporary directory. Queries see samples up to the present
 * (-search.latencyOffset=0s) and nothing is served from its response cache, so a test reads what it wrote.
 * `flags` are added to its command line (`-dedup.minScrapeInterval=1ms`).
 */
export async function startVictoriaMetrics(options: { flags?: string[] } = {}): Promise<VictoriaMetrics> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-vm-'));
  const port = await freePort();
  const server = startProcess(findBinary('victoria-metrics'), [
    `-httpListenAddr=127.0.0.1:${port}`,
    `-storageDataPath=${join(dir, 'data')}`,
    '-search.latencyOffset=0s',
    '-search.disableCache',
    '-loggerLevel=ERROR',
    ...(options.flags ?? []),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${url}/health`, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${String(error)}\nvictoria-metrics output:\n${server.output()}`);
  }
  // A write is searchable only once VictoriaMetrics has flushed it (within a second or so); a test asks for it at once.
  const flush = async (): Promise<void> => {
    const response = await fetch(`${url}/internal/force_flush`);
    if (!response.ok) throw new Error(`force_flush: HTTP ${response.status}`);
  };
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    output: server.output,
    stop,
    query: async (promql, options = {}) => {
      await flush();
      const params = new URLSearchParams({ query: promql });
      if (options.time !== undefined) params.set('time', String(options.time));
      const response = await fetch(`${url}/api/v1/query?${params}`);
      const json = (await response.json()) as { status: string; data: { result: InstantSample[] } };
      if (json.status !== 'success') throw new Error(`query ${promql} failed: ${JSON.stringify(json)}`);
      return json.data.result;
    },
    exported: async (match) => {
      await flush();
      const response = await fetch(`${url}/api/v1/export?${new URLSearchParams({ 'match[]': match })}`);
      if (!response.ok) throw new Error(`export ${match}: HTTP ${response.status} ${await response.text()}`);
      const text = await response.text();
      // One JSON object per line; VictoriaMetrics writes NaN and Inf bare, which JSON.parse cannot read.
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line.replace(/([[,])([+-]?Inf|NaN)(?=[,\]])/g, '$1"$2"')) as ExportedSeries)
        .map((series) => ({ ...series, values: series.values.map((value) => (value === ('+Inf' as unknown) ? Infinity : value === ('-Inf' as unknown) ? -Infinity : Number(value))) }));
    },
  };
}
