import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A metric file cut off while it was written (a step killed mid-write, an artifact truncated) ends
// anywhere: inside a string, after a backslash that began an escape. The reader must refuse every such
// text, at once. momoa, the tolerant parser behind the reader, never returned from a text whose last
// character is a backslash, and a loop that never returns blocks its whole thread: neither a test's
// timeout nor a SIGTERM is heard. So the texts are read in a worker thread, which is ended when it takes
// too long, and the test then fails naming the text.

const dir = mkdtempSync(join(tmpdir(), 'simplepipe-truncated-'));
const bundle = join(dir, 'reader.mjs');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  // The reader as a module a worker can load: a worker runs JavaScript, not the tests' TypeScript.
  await build({
    stdin: {
      contents: `import { parentPort } from 'node:worker_threads';
import { parseJsonText, JsonSyntaxError } from './src/source/jsonText.ts';
parentPort.on('message', (texts) => {
  texts.forEach((text, index) => {
    parentPort.postMessage({ reading: index });
    try { parseJsonText(text); } catch (error) { if (!(error instanceof JsonSyntaxError)) throw error; }
  });
  parentPort.postMessage({ done: true });
});`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  });
});

/** Reads every text in a worker: resolves when all are read (returned, or refused with a JsonSyntaxError), rejects naming the one that took over `limitMs`. */
function readAll(texts: string[], limitMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(bundle);
    let reading = -1;
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the reader did not return within ${limitMs} ms from ${JSON.stringify(texts[reading])}`));
    }, limitMs);
    worker.on('message', (message: { reading?: number; done?: boolean }) => {
      if (message.reading !== undefined) reading = message.reading;
      if (message.done) {
        clearTimeout(timer);
        void worker.terminate().then(() => resolve());
      }
    });
    worker.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.postMessage(texts);
  });
}

/** A record as Python's json.dump writes it, with the characters a cut may fall between: escapes, quotes, braces. */
const record = fc.record({
  name: fc.string({ unit: fc.constantFrom('a', '_', '\\', '"', '{', '}', ',', 'é', '\n'), maxLength: 8 }),
  description: fc.string({ unit: fc.constantFrom('a', ' ', '\\', '"', '\t', 'ü'), maxLength: 8 }),
  value: fc.oneof(fc.double(), fc.constantFrom('NaN', 'Infinity', '1e-400')),
  metric_type: fc.constant('gauge'),
});

describe('a metric file cut off anywhere', () => {
  it('is refused at once, wherever the cut falls: inside a string, an escape, a number or between records', async () => {
    const documents = fc.sample(fc.array(record, { minLength: 1, maxLength: 3 }), { numRuns: 40, seed: 28 });
    const texts = documents.flatMap((records) => {
      const text = JSON.stringify(records, null, records.length > 1 ? 1 : undefined);
      return Array.from({ length: text.length }, (_, cut) => text.slice(0, cut));
    });
    // The class that hung, whatever comes before: a text that ends in a backslash.
    texts.push('"\\', '["a\\', '[{"nam\\{: ""}\\', '{"a": "b\\\\\\', "'a\\");
    await readAll(texts);
    expect(texts.length).toBeGreaterThan(1_000);
  }, 60_000);
});
