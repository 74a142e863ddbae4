import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startFaultProxy, type FaultProxy } from '../support/faultProxy.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

/** The stderr lines of a run. */
const lines = (stderr: string): string[] => stderr.trim().split('\n');

/** A large valid file: 100,000 records, about 14 MB, a few seconds of validation on a busy machine. */
function largeFile(records: number): string {
  const list = Array.from({ length: records }, (_, i) => ({
    name: `metric_${i % 100}`,
    description: 'a metric',
    metric_type: 'gauge',
    value: i,
    labels: { model: `m${i}`, stage: 'train' },
  }));
  return tempFile(list);
}

describe('SIGTERM at any moment ends the run within a second, with one line', () => {
  it('75, "nothing was pushed", when the signal comes the moment the app can hear it (while it is still loading)', async () => {
    // Sends the signal as soon as the app installs its handler: everything after that moment is still loading.
    const preload = tempFile(
      "process.on('newListener', (event) => { if (event === 'SIGTERM') process.nextTick(() => process.kill(process.pid, 'SIGTERM')); });\n",
      'sigterm-on-handler.mjs',
    );
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'early', '--gateway', gateway.url], {
      env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` },
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(75);
    expect(lines(run.stderr)).toEqual(['simplepipe: error: stopped (received SIGTERM) before anything was sent; nothing was pushed exit=75']);
    expect(await gateway.group({ job: 'early' })).toBeUndefined();
  });

  it('the handler is installed before the bundle evaluates its dependencies', async () => {
    // The bundle's CommonJS dependencies (commander, the AWS SDK...) load Node's modules through
    // process.getBuiltinModule as they are evaluated: none may have done so when the handler appears.
    const preload = tempFile(
      [
        'let loaded = 0;',
        'const getBuiltinModule = process.getBuiltinModule;',
        'process.getBuiltinModule = (id) => (loaded++, getBuiltinModule(id));',
        "process.on('newListener', (event) => { if (event === 'SIGTERM') process.stderr.write(`builtins loaded before the handler: ${loaded}\\n`); });",
      ].join('\n'),
      'handler-order.mjs',
    );
    const run = await runApp(['--version'], { env: { NODE_OPTIONS: `--import=${pathToFileURL(preload).href}` } });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^builtins loaded before the handler: 0$/m);
  });

  it('75 within a second during the validation of a large file, and nothing pushed', async () => {
    const input = largeFile(100_000);
    let signalled = 0;
    let validationStarted = (): void => {};
    const validating = new Promise<void>((resolve) => (validationStarted = resolve));
    const onStderr = (text: string): void => {
      // "read <file>" is logged once the file is parsed, as validation begins.
      if (/read .*format=json/.test(text) && signalled === 0) {
        signalled = performance.now();
        validationStarted();
      }
    };
    const run = await runApp([input, 'large_stopped', '--gateway', gateway.url], { onStderr, sigtermWhen: validating });
    const afterSignal = performance.now() - signalled;
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/simplepipe: error: stopped \(received SIGTERM\) before anything was sent; nothing was pushed exit=75\n$/);
    expect(afterSignal).toBeLessThan(1000);
    expect(await gateway.group({ job: 'large_stopped' })).toBeUndefined();
  });
});

describe('SIGTERM after the whole body was sent, before the answer', () => {
  let hanging: FaultProxy;
  beforeAll(async () => {
    hanging = await startFaultProxy(gateway.url, { fault: { kind: 'hang' } });
  });
  afterAll(() => hanging?.close());

  it('143, saying the push may have been stored: not 75, which Argo would retry on a guess', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'unanswered', '--gateway', hanging.url, '--timeout', '60s', '--deadline', '60s'], {
      // The proxy has read the whole request (it hangs only then); the small body left the app long before.
      sigtermWhen: hanging.waitForRequests(1).then(() => delay(300)),
    });
    expect(run.code).toBe(143);
    expect(run.signal).toBeNull();
    expect(lines(run.stderr).at(-1)).toMatch(
      /^simplepipe: error: stopped \(received SIGTERM\) on PUT http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/unanswered after its whole body was sent, before the answer: the push may have been stored; read the group back, or push again .* exit=143$/,
    );
  });
});

describe('SIGTERM while --verify reads a stored push back', () => {
  let readBackHangs: FaultProxy;
  beforeAll(async () => {
    readBackHangs = await startFaultProxy(gateway.url, { fault: { kind: 'hang' }, methods: ['GET'] });
  });
  afterAll(() => readBackHangs?.close());

  it('143, saying the gateway stored the push, not "stopped before the push succeeded"', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'verified_stop', '--gateway', readBackHangs.url, '--verify', '--timeout', '60s', '--deadline', '60s'], {
      // The PUT, then the read-back's GET, which the proxy never answers.
      sigtermWhen: readBackHangs.waitForRequests(2).then(() => delay(300)),
    });
    expect(run.code).toBe(143);
    expect(lines(run.stderr).at(-1)).toMatch(/^simplepipe: error: the gateway stored the push \(HTTP 200\); stopped before --verify had read it back exit=143$/);
    expect(await gateway.group({ job: 'verified_stop' })).toBeDefined();
  });
});
