// @ts-check
// A long-running job that pushes every 0.1 s until SIGTERM, and lets the pusher make the last push.
import { MetricCollector } from 'simplepipe';

const [gateway] = process.argv.slice(2);
let collected = 0;
new MetricCollector({ gateway }).startPeriodicPush({
  job: 'consumer-sigterm',
  intervalSeconds: 0.1,
  handleSigterm: true,
  collect: ({ final }) => {
    collected++;
    return [
      { name: 'collections_total', description: 'times the pusher collected', value: collected, metric_type: 'counter' },
      { name: 'final_push', description: '1 on the push made on SIGTERM', value: final ? 1 : 0, metric_type: 'gauge' },
    ];
  },
});
