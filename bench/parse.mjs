// Times the reading of a metric file's text in a fresh process: bare JSON.parse (the floor, and what the
// reader did before it read Python's JSON), the reader's common path (JSON.parse, then the cheap checks
// for a dropped duplicate key or an underflow: src/source/jsonText.ts), and the same text with one bare
// NaN, as Python's json.dump writes it, which the tolerant parser reads. Prints one JSON object.
// Usage: node bench/parse.mjs <file> [runs]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [file, runsArgument] = process.argv.slice(2);
const runs = Number(runsArgument ?? 5);
// The reader is not part of the library's API: bundled from its source, exactly the code the CLI runs.
const bundled = await build({
  entryPoints: [new URL('../src/source/jsonText.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { parseJsonText } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const text = readFileSync(file, 'utf8');
// The first value of the file made NaN: the one token JSON.parse refuses.
const withNaN = text.replace(/"value":\s*[-0-9.e+]+/, '"value": NaN');
if (withNaN === text) throw new Error(`${file} has no numeric "value" to make NaN`);

const time = (work) => {
  const started = performance.now();
  work();
  return performance.now() - started;
};
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const jsonParse = [];
const reader = [];
const pythonNaN = [];
// Interleaved, so that each sees the same heap and load; the first round warms up and is not counted.
for (let i = 0; i <= runs; i++) {
  const a = time(() => JSON.parse(text));
  const b = time(() => parseJsonText(text));
  const c = time(() => parseJsonText(withNaN));
  if (i === 0) continue;
  jsonParse.push(a);
  reader.push(b);
  pythonNaN.push(c);
}
console.log(JSON.stringify({ bytes: Buffer.byteLength(text), jsonParseMs: median(jsonParse), readerMs: median(reader), pythonNaNMs: median(pythonNaN) }));
