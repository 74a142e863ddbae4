// @ts-check
/* global setTimeout */
// A program that depends on the packed simplepipe like any user's: every library entry point once,
// against the gateway named in argv, then a periodic pusher stopped by stop(). Prints one JSON line.
import { ConfigError, DataError, MetricCollector, push, toExposition, toRegistry, validate } from 'simplepipe';

const [gateway, file] = process.argv.slice(2);
if (gateway === undefined || file === undefined) throw new Error('usage: pushes.mjs <gateway> <metric file>');

// The Python Simplepipe's documented example, line for line.
/** @type {import('simplepipe').MetricRecord[]} */
const metrics = [{ name: 'example_metric', description: 'metric for example purposes', value: 0, metric_type: 'gauge' }];
const simplepipe = new MetricCollector(gateway);
await simplepipe.parseAndPush(metrics, 'example_from_dict');

/** @type {{ code: string, exitCode: number, message: string } | undefined} */
let wrongArgument;
try {
  // @ts-expect-error: a port where the URL belongs is refused, never replaced by the default gateway.
  new MetricCollector(9091);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  wrongArgument = { code: error.code, exitCode: error.exitCode, message: error.message };
}

const collector = new MetricCollector(gateway, { labels: { source: 'consumer' } });

await collector.parseAndPush([{ name: 'parsed', description: 'pushed by parseAndPush', value: '6', metric_type: 'gauge' }], 'consumer-parse');
await collector.loadAndPush(file, 'consumer-load');

const records = validate([{ name: 'composed', description: 'pushed by push()', value: 2, metric_type: 'counter' }], { job: 'consumer-push' });
await push(await toExposition(await toRegistry(records)), { gateway, job: 'consumer-push' });

/** @type {{ code: string, exitCode: number } | undefined} */
let refused;
try {
  await collector.parseAndPush([{ name: 'bad', description: 'd', value: 'six', metric_type: 'gauge' }], 'consumer-bad');
} catch (error) {
  if (!(error instanceof DataError)) throw error;
  refused = { code: error.code, exitCode: error.exitCode };
}

let collected = 0;
const pusher = collector.startPeriodicPush({
  job: 'consumer-periodic',
  intervalSeconds: 0.1,
  collect: ({ final }) => {
    collected++;
    return [
      { name: 'collections_total', description: 'times the pusher collected', value: collected, metric_type: 'counter' },
      { name: 'final_push', description: '1 on the push made by stop()', value: final ? 1 : 0, metric_type: 'gauge' },
    ];
  },
});
while (pusher.pushes < 2) await new Promise((resolve) => setTimeout(resolve, 20));
const beforeStop = pusher.pushes;
await pusher.stop();

// No process.exit: the test checks that nothing of the pusher keeps this process alive.
console.log(JSON.stringify({ refused, wrongArgument, beforeStop, afterStop: pusher.pushes, collected }));
