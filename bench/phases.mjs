// Times the stages of one run in a fresh process, as the CLI runs them once and cold: reading and
// parsing the input, validating it, and rendering the exposition text, both directly (what the CLI
// does) and through a prom-client Registry (what it did before). Prints one JSON object.
import { performance } from 'node:perf_hooks';

const library = await import(new URL('../dist/index.js', import.meta.url).href);
const [file, renderer] = process.argv.slice(2);

const started = performance.now();
const input = await library.loadInput({ input: file });
const read = performance.now();
const records = library.validate(input.document, { job: 'bench' });
const validated = performance.now();
const text =
  renderer === 'prom-client' ? await library.toExposition(await library.toRegistry(records)) : await library.renderExposition(records);
const rendered = performance.now();

console.log(JSON.stringify({ readMs: read - started, validateMs: validated - read, renderMs: rendered - validated, bytes: text.length }));
