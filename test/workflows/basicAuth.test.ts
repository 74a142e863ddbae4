import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.js';
import { findBinary, startProcess } from '../support/processes.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { docSection } from '../support/readme.js';
import { runApp } from '../support/runApp.js';
import { spec } from './argoTemplates.js';
import {
  copyOfPushgatewayTree,
  kustomize,
  OVERLAYS_DIR,
  operatorFiles,
  overlayNames,
  renderedManifest,
  renderOverlay,
  secretValues,
  type RenderedOverlay,
} from './kustomize.js';
import { findManifest } from './manifests.js';
import { namespaceOf, serviceMonitorScrapeConfig } from './scrapeConfigs.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface GatewayContainer {
  args: string[];
  volumeMounts: { name: string; mountPath: string }[];
  readinessProbe: Record<string, unknown>;
  livenessProbe: Record<string, unknown>;
  ports: { name: string }[];
}

const WEB_CONFIG_FLAG = '--web.config.file=';

function gatewayPod(overlay: RenderedOverlay) {
  const template = (renderedManifest(overlay, 'Deployment', 'pushgateway').object.spec as {
    template: { spec: { containers: GatewayContainer[]; volumes: { name: string; secret?: { secretName: string } }[] } };
  }).template;
  return { container: template.spec.containers[0]!, volumes: template.spec.volumes };
}

/** The web config the rendered Deployment hands the gateway: the flag's path, through its mount, to the Secret's key. */
function renderedWebConfig(overlay: RenderedOverlay): string | undefined {
  const { container, volumes } = gatewayPod(overlay);
  const path = container.args.find((arg) => arg.startsWith(WEB_CONFIG_FLAG))?.slice(WEB_CONFIG_FLAG.length);
  if (path === undefined) return undefined;
  const mount = container.volumeMounts.find((m) => posix.dirname(path) === m.mountPath);
  const secretName = volumes.find((v) => v.name === mount?.name)?.secret?.secretName;
  if (!secretName) throw new Error(`overlay ${overlay.name}: ${path} is not in a mounted Secret`);
  const content = secretValues(overlay, secretName)[posix.basename(path)];
  if (content === undefined) throw new Error(`overlay ${overlay.name}: Secret ${secretName} has no key ${posix.basename(path)}`);
  return content;
}

interface PruneContainer {
  args: string[];
  env: EnvVar[];
}
const pruneContainer = (findManifest('CronJob', 'pushgateway-prune').object.spec as { jobTemplate: { spec: { template: { spec: { containers: PruneContainer[] } } } } })
  .jobTemplate.spec.template.spec.containers[0]!;

/** Every container that runs simplepipe and takes gateway credentials from a Secret: the Argo templates, the Seldon hook, the prune CronJob. */
const pushers: [string, EnvVar[]][] = [
  ...spec(findManifest('WorkflowTemplate', 'push-metrics')).templates.map((t): [string, EnvVar[]] => [`WorkflowTemplate push-metrics/${t.name}`, (t.container as { env?: EnvVar[] }).env ?? []]),
  [
    'Job churn-classifier-push-metrics',
    (findManifest('Job', 'churn-classifier-push-metrics').object.spec as { template: { spec: { containers: { env: EnvVar[] }[] } } }).template.spec.containers[0]!.env,
  ],
  ['CronJob pushgateway-prune', pruneContainer.env],
];

/** The gateway variables a pusher's env gives it, each resolved from the overlay's rendered Secrets. */
function credentialEnv(overlay: RenderedOverlay, env: EnvVar[]): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const variable of env.filter((e) => e.name.startsWith('PUSHGATEWAY_'))) {
    const reference = variable.valueFrom?.secretKeyRef;
    if (!reference) throw new Error(`${variable.name} is not taken from a Secret`);
    const value = secretValues(overlay, reference.name)[reference.key];
    if (value === undefined) throw new Error(`overlay ${overlay.name}: Secret ${reference.name} has no key ${reference.key}`);
    resolved[variable.name] = value;
  }
  return resolved;
}

const basic = (username: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });

const authOverlays = overlayNames().filter((name) => renderedWebConfig(renderOverlay(name)) !== undefined);

describe('the pushers’ gateway credentials', () => {
  it.each(pushers)('%s takes PUSHGATEWAY_USERNAME and PUSHGATEWAY_PASSWORD from a Secret, optional, never a value in the spec', (_, env) => {
    const variables = env.filter((e) => e.name.startsWith('PUSHGATEWAY_'));
    expect(variables.map((e) => e.name).sort()).toEqual(['PUSHGATEWAY_PASSWORD', 'PUSHGATEWAY_USERNAME']);
    for (const variable of variables) {
      expect(variable.value, variable.name).toBeUndefined();
      expect(variable.valueFrom?.secretKeyRef?.optional, `${variable.name}: a gateway without auth has no Secret`).toBe(true);
    }
  });

  it('at least one overlay runs the gateway with --web.config.file', () => {
    expect(authOverlays).not.toEqual([]);
  });
});

describe.each(authOverlays)('the overlay %s, rendered with its own generated credentials, run by a real Pushgateway', (name) => {
  let overlay: RenderedOverlay;
  let dir: string;
  let gateway: Pushgateway;
  let prometheus: Prometheus | undefined;

  beforeAll(async () => {
    overlay = renderOverlay(name);
    dir = mkdtempSync(join(tmpdir(), 'simplepipe-basic-auth-'));
    const webConfigFile = join(dir, 'web-config.yml');
    writeFileSync(webConfigFile, renderedWebConfig(overlay)!);
    const { username, password } = overlay.credentials!;
    gateway = await startPushgateway({ webConfigFile, probeHeaders: basic(username, password) });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a push without credentials: exit 77, nothing stored', async () => {
    const run = await runApp(['--job', 'anonymous', '--metric', 'auth_value=1', '--gateway', gateway.url]);
    expect(run.code, run.stderr).toBe(77);
    expect(await gateway.group({ job: 'anonymous' })).toBeUndefined();
  });

  it('refuses the right user with a wrong password: exit 77', async () => {
    const run = await runApp(['--job', 'guessed', '--metric', 'auth_value=1', '--gateway', gateway.url], {
      env: { PUSHGATEWAY_USERNAME: overlay.credentials!.username, PUSHGATEWAY_PASSWORD: 'not-the-password' },
    });
    expect(run.code, run.stderr).toBe(77);
  });

  it.each(pushers)('takes a push from %s with the credentials its env reads from the overlay’s Secret', async (pusher, env) => {
    const job = `authed-${pusher.replace(/\W+/g, '-')}`;
    const run = await runApp(['--job', job, '--metric', 'auth_value=1', '--gateway', gateway.url], { env: credentialEnv(overlay, env) });
    expect(run.code, run.stderr).toBe(0);
    expect(await gateway.group({ job })).toBeDefined();
  });

  it('is pruned by the CronJob’s rendered command, with the credentials its env reads from the overlay’s Secret', async () => {
    const env = credentialEnv(overlay, pruneContainer.env);
    const push = await runApp(['--job', 'authed-expiring', '--metric', 'auth_value=1', '--ttl', '1s', '--gateway', gateway.url], { env });
    expect(push.code, push.stderr).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const [script, ...args] = pruneContainer.args.map((arg) => arg.replace('http://pushgateway:9091', gateway.url));
    expect(script).toBe('app.js');
    const run = await runApp([...args, '--job', 'authed-expiring'], { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^deleted \{job="authed-expiring"\} /);
    expect((await runApp(args)).code).toBe(77);
  });

  it('answers /-/ready without credentials with 401, so the rendered probes are TCP checks of the gateway’s port', async () => {
    expect((await fetch(`${gateway.url}/-/ready`)).status).toBe(401);
    const { container } = gatewayPod(overlay);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      expect(probe.httpGet).toBeUndefined();
      expect(probe.tcpSocket).toEqual({ port: container.ports[0]!.name });
    }
  });

  it('is scraped by Prometheus with the ServiceMonitor’s basicAuth, and refuses a scrape without it', async () => {
    const target = `127.0.0.1:${gateway.port}`;
    prometheus = await startPrometheus({
      scrapeConfigs: [serviceMonitorScrapeConfig(overlay, target), { job_name: 'without-credentials', static_configs: [{ targets: [target] }] }],
    });
    const run = await runApp(['--job', 'scraped', '--metric', 'auth_scraped_value=5', '--gateway', gateway.url], {
      env: credentialEnv(overlay, pushers[0]![1]),
    });
    expect(run.code, run.stderr).toBe(0);
    const [sample] = await prometheus.eventually('auth_scraped_value');
    expect(sample?.metric).toMatchObject({ job: 'scraped', namespace: namespaceOf(renderedManifest(overlay, 'ServiceMonitor', 'pushgateway')) });
    const [refused] = await prometheus.eventually('up{job="without-credentials"}');
    expect(refused?.value[1]).toBe('0');
  });
});

describe.each(overlayNames().filter((name) => operatorFiles(name).length > 0))('the checked-in examples of %s', (name) => {
  const example = (file: string) => join(OVERLAYS_DIR, name, `${file}.example`);

  it('web-config.yml.example is not a working config: a gateway given it stops at once, naming the hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simplepipe-example-'));
    try {
      const server = startProcess(findBinary('prometheus-pushgateway', 'pushgateway'), [
        `--web.listen-address=127.0.0.1:${await freePort()}`,
        `--persistence.file=${join(dir, 'persistence')}`,
        `--web.config.file=${example('web-config.yml')}`,
      ]);
      const exited = once(server.child, 'exit');
      const stopped = await Promise.race([exited.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!stopped) await server.stop();
      expect(stopped, server.output()).toBe(true);
      expect(server.output()).toMatch(/bcrypt/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('credentials.env.example has no password: simplepipe given it stops before sending anything (exit 78)', async () => {
    const values = Object.fromEntries(
      readFileSync(example('credentials.env'), 'utf8')
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(values.password).toBe('');
    const env: Record<string, string> = {};
    for (const variable of pushers[0]![1].filter((e) => e.name.startsWith('PUSHGATEWAY_'))) env[variable.name] = values[variable.valueFrom!.secretKeyRef!.key]!;
    const run = await runApp(['--job', 'example', '--metric', 'auth_value=1', '--gateway', 'http://127.0.0.1:9'], { env });
    expect(run.code, run.stderr).toBe(78);
  });
});

describe('the basic-auth recipe of docs/multi-tenancy.md', () => {
  const section = docSection('docs/multi-tenancy.md', 'Basic auth');
  const recipe = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';

  it('writes credential files that the overlay renders into a web config the gateway runs with, and Secrets a pusher gets in with', async () => {
    const lines = recipe.split('\n').filter((line) => line.trim() !== '');
    const overlayDir = /^cd (\S+)$/.exec(lines[0]!)?.[1];
    expect(overlayDir, recipe).toMatch(/^workflows\/pushgateway\/overlays\//);
    expect(lines.at(-1)).toBe('kubectl apply -k .');
    const copy = copyOfPushgatewayTree();
    let gateway: Pushgateway | undefined;
    try {
      // Everything but the apply, in a copy of the tree, with the tools the recipe names (htpasswd, openssl).
      execFileSync('bash', ['-euo', 'pipefail', '-c', lines.slice(0, -1).join('\n')], { cwd: copy, stdio: ['ignore', 'pipe', 'pipe'] });
      const overlay: RenderedOverlay = { name: 'docs recipe', manifests: kustomize(join(copy, overlayDir!), overlayDir) };
      const webConfigFile = join(copy, 'rendered-web-config.yml');
      writeFileSync(webConfigFile, renderedWebConfig(overlay)!);
      const env = credentialEnv(overlay, pushers[0]![1]);
      gateway = await startPushgateway({ webConfigFile, probeHeaders: basic(env.PUSHGATEWAY_USERNAME!, env.PUSHGATEWAY_PASSWORD!) });
      expect((await runApp(['--job', 'recipe', '--metric', 'auth_value=1', '--gateway', gateway.url])).code).toBe(77);
      const run = await runApp(['--job', 'recipe', '--metric', 'auth_value=1', '--gateway', gateway.url], { env });
      expect(run.code, run.stderr).toBe(0);
    } finally {
      await gateway?.stop();
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
