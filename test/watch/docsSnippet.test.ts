import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { watchFile } from '../../src/watch/watcher.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { codeBlocks } from '../support/readme.js';
import { recordingLogger } from './harness.js';

const docs = readFileSync(new URL('../../docs/watch.md', import.meta.url), 'utf8');

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(async () => {
  await gateway?.stop();
});

it('the Python writer of docs/watch.md replaces the file whole each epoch: the watch pushes its last epoch and refuses none', async () => {
  const [snippet] = codeBlocks(docs, 'python');
  expect(snippet).toMatch(/os\.replace\(temporary, path\)/);
  const directory = mkdtempSync(join(tmpdir(), 'simplepipe-watch-docs-'));
  const script = join(directory, 'train.py');
  writeFileSync(script, snippet!);
  const path = join(directory, 'metrics.json');
  const recorder = recordingLogger();
  const stop = new AbortController();
  const watching = watchFile({ path, job: 'docs-snippet', gateway: gateway.url, debounceMs: 10, pollMs: 50, intervalMs: 60_000, stop: stop.signal, logger: recorder.logger });

  const epochs = 40;
  const python = spawn('/usr/bin/python3', [script], { env: { ...process.env, METRICS_FILE: path, EPOCHS: String(epochs), EPOCH_SECONDS: '0.02' }, stdio: 'inherit' });
  expect(await new Promise((resolve) => python.once('exit', resolve))).toBe(0);
  await gateway.groupsWhen((groups) => groups.some((g) => g.labels.job === 'docs-snippet' && (g.train_epochs as { metrics: { value: string }[] } | undefined)?.metrics[0]?.value === String(epochs)));
  stop.abort();
  const summary = await watching;

  expect(summary.invalid).toBe(0);
  expect(summary.pushes).toBeGreaterThan(1);
  // No temporary file left behind, and the file readable by a sidecar running as another user.
  expect(readdirSync(directory).sort()).toEqual(['metrics.json', 'train.py']);
  expect(statSync(path).mode & 0o044).toBe(0o044);
});
