import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerEngineAvailable, logBackend } from './docker.js';
import { freePort, waitForHttp } from './ports.js';
import { findBinary, startProcess } from './processes.js';

export interface PushgatewayOptions {
  /** Serve under a path prefix, as `--web.route-prefix` does. */
  routePrefix?: string;
  /** Path of an exporter-toolkit web config (TLS, basic auth). Local backend only. */
  webConfigFile?: string;
  /** Scheme the readiness probe uses; https when webConfigFile turns TLS on. */
  scheme?: 'http' | 'https';
  /** Extra headers for the readiness probe and read-backs (basic auth). */
  probeHeaders?: Record<string, string>;
  /** fetch for the probe and read-backs, e.g. one trusting a test CA for a TLS gateway. */
  probeFetch?: typeof fetch;
  /** Wait for readiness before returning (default true). */
  waitReady?: boolean;
  /** Use this port instead of a fresh one. */
  port?: number;
  /** Serve the admin API (`--web.enable-admin-api`), which `wipe()` needs. Local backend only. */
  adminApi?: boolean;
  /**
   * Further arguments, e.g. a Deployment's rendered ones. One of them naming `--persistence.file` replaces the
   * harness's own fresh file, which the caller then owns (it outlives stop(): a restart finds it). Local backend only.
   */
  args?: string[];
}

/** One metric family of a group, as the gateway's /api/v1/metrics reports it. */
export interface GatewayFamily {
  type: string;
  help: string;
  metrics: { labels: Record<string, string>; value?: string; buckets?: Record<string, string>; quantiles?: Record<string, string>; count?: string; sum?: string }[];
}

export interface GatewayGroup {
  labels: Record<string, string>;
  last_push_successful: boolean;
  [family: string]: GatewayFamily | Record<string, string> | boolean;
}

export interface Pushgateway {
  /** Base URL to pass as --gateway, prefix included. */
  url: string;
  port: number;
  /** All groups the gateway holds, from /api/v1/metrics. */
  groups: () => Promise<GatewayGroup[]>;
  /** The group whose labels are exactly `labels`, if any. */
  group: (labels: Record<string, string>) => Promise<GatewayGroup | undefined>;
  /** The gateway's own /metrics exposition. */
  exposition: () => Promise<string>;
  /**
   * The groups once `until` holds of them. The gateway answers a DELETE (202) before it applies it, so a
   * read right after a delete may still see the group.
   */
  groupsWhen: (until: (groups: GatewayGroup[]) => boolean, timeoutMs?: number) => Promise<GatewayGroup[]>;
  /** Deletes every group through the admin API, without going through the code under test; resolves once none is left. */
  wipe: () => Promise<void>;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real Pushgateway on a free loopback port with its own empty persistence file, so parallel
 * tests never see each other's groups (Debian's package shares one file by default).
 */
export async function startPushgateway(options: PushgatewayOptions = {}): Promise<Pushgateway> {
  if (dockerEngineAvailable() && options.webConfigFile === undefined && !options.adminApi && options.args === undefined) return startContainer(options);
  logBackend('pushgateway', 'local prometheus-pushgateway binary (no Docker engine answers)');
  const binary = findBinary('prometheus-pushgateway', 'pushgateway');
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-pgw-'));
  const ownPersistence = !(options.args ?? []).some((arg) => arg.startsWith('--persistence.file'));
  const args = [
    `--web.listen-address=127.0.0.1:${port}`,
    ...(ownPersistence ? [`--persistence.file=${join(dir, 'persistence')}`] : []),
    '--log.level=warn',
    ...(options.args ?? []),
  ];
  if (options.routePrefix) args.push(`--web.route-prefix=${options.routePrefix}`);
  if (options.webConfigFile) args.push(`--web.config.file=${options.webConfigFile}`);
  if (options.adminApi) args.push('--web.enable-admin-api');
  const server = startProcess(binary, args);
  const base = `${options.scheme ?? 'http'}://127.0.0.1:${port}${options.routePrefix ?? ''}`;
  const gateway = describe(base, port, options.probeHeaders ?? {}, options.probeFetch ?? fetch, server.output, async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  if (options.waitReady !== false) {
    try {
      await waitForHttp(`${base}/-/ready`, 15_000, { headers: options.probeHeaders }, options.probeFetch);
    } catch (error) {
      await gateway.stop();
      throw new Error(`${String(error)}\npushgateway output:\n${server.output()}`);
    }
  }
  return gateway;
}

async function startContainer(options: PushgatewayOptions): Promise<Pushgateway> {
  logBackend('pushgateway', 'testcontainers prom/pushgateway (a Docker engine answers)');
  const { GenericContainer, Wait } = await import('testcontainers');
  const command = options.routePrefix ? [`--web.route-prefix=${options.routePrefix}`] : [];
  const container = await new GenericContainer('prom/pushgateway')
    .withCommand(command)
    .withExposedPorts(9091)
    .withWaitStrategy(Wait.forHttp(`${options.routePrefix ?? ''}/-/ready`, 9091))
    .start();
  const port = container.getMappedPort(9091);
  const base = `http://${container.getHost()}:${port}${options.routePrefix ?? ''}`;
  return describe(base, port, {}, fetch, () => '', async () => {
    await container.stop();
  });
}

function describe(
  base: string,
  port: number,
  headers: Record<string, string>,
  fetch: typeof globalThis.fetch,
  output: () => string,
  stop: () => Promise<void>,
): Pushgateway {
  const groups = async (): Promise<GatewayGroup[]> => {
    const response = await fetch(`${base}/api/v1/metrics`, { headers });
    if (!response.ok) throw new Error(`GET /api/v1/metrics: HTTP ${response.status}`);
    const json = (await response.json()) as { data: GatewayGroup[] };
    return json.data;
  };
  const groupsWhen = async (until: (held: GatewayGroup[]) => boolean, timeoutMs = 10_000): Promise<GatewayGroup[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const held = await groups();
      if (until(held)) return held;
      if (Date.now() > deadline) throw new Error(`the gateway's groups did not settle within ${timeoutMs} ms: ${JSON.stringify(held.map((g) => g.labels))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    url: base,
    port,
    groups,
    group: async (labels) => {
      const wanted = JSON.stringify(Object.entries(labels).sort());
      return (await groups()).find((g) => JSON.stringify(Object.entries(g.labels).sort()) === wanted);
    },
    exposition: async () => (await fetch(`${base}/metrics`, { headers })).text(),
    groupsWhen,
    wipe: async () => {
      const response = await fetch(`${base}/api/v1/admin/wipe`, { method: 'PUT', headers });
      if (!response.ok) throw new Error(`PUT /api/v1/admin/wipe: HTTP ${response.status} (start the gateway with adminApi)`);
      await groupsWhen((held) => held.length === 0);
    },
    output,
    stop,
  };
}
