import { OptionError } from '../errors.js';
import { GROUP_EVERY_METRIC, GROUP_TTL_METRIC } from '../sink/pushgateway/groupMetadata.js';
import { DEFAULT_SEVERITY, type RuleGroup } from './rules.js';
import { promqlString } from './selector.js';

/**
 * How long a group may stay past its TTL before the alert fires: the prune CronJob of every overlay runs
 * every 15 minutes, so a group still there an hour after its time means prune is not doing its work.
 */
const PAST_TTL_FOR = '1h';

/**
 * The rules that watch a namespace's gateway itself, for every job at once, in one group: the gateway is
 * down or not scraped at all, and a group is past its TTL or its `every` (the gauges a push stores in its
 * group, groupMetadata.ts). `up` carries the target labels both scrape setups give it (the ServiceMonitor,
 * workflows/prometheus/prometheus.yml): namespace and service; its `job` differs between them.
 */
export function gatewayRules(namespace: string): RuleGroup {
  if (namespace === '') throw new OptionError(['namespace'], 'must not be empty');
  const inNamespace = `namespace=${promqlString(namespace)}`;
  const up = `up{${inNamespace},service="pushgateway"}`;
  const age = `time() - push_time_seconds{${inNamespace}}`;
  return {
    name: `simplepipe/namespace/${namespace}`,
    rules: [
      {
        alert: 'PushgatewayDown',
        expr: `${up} == 0`,
        for: '5m',
        labels: { severity: 'critical' },
        annotations: {
          summary: `The Pushgateway of namespace ${namespace} does not answer Prometheus's scrape`,
          description: `Prometheus has failed to scrape {{ $labels.instance }} for 5 minutes: pushes to it fail (exit 75, retried by Argo) and its groups are not collected.`,
        },
      },
      {
        alert: 'PushgatewayNotScraped',
        expr: `absent(${up})`,
        for: '15m',
        labels: { severity: 'critical' },
        annotations: {
          summary: `No Prometheus target is the Pushgateway of namespace ${namespace}`,
          description: 'For 15 minutes Prometheus has had no target for the gateway: its ServiceMonitor (or scrape job) is missing or selects nothing, so every pushed value is invisible.',
        },
      },
      {
        alert: 'PushgatewayGroupPastTtl',
        expr: `${age} > ${GROUP_TTL_METRIC}{${inNamespace}}`,
        for: PAST_TTL_FOR,
        labels: { severity: DEFAULT_SEVERITY },
        annotations: {
          summary: 'The group of job {{ $labels.job }} is past its TTL and still served',
          description: `The last push of this group was {{ $value | humanizeDuration }} ago, beyond the TTL its push declared, for over ${PAST_TTL_FOR}: the prune CronJob is not deleting it.`,
        },
      },
      {
        alert: 'PushgatewayGroupPastEvery',
        expr: `${age} > ${GROUP_EVERY_METRIC}{${inNamespace}}`,
        labels: { severity: DEFAULT_SEVERITY },
        annotations: {
          summary: 'Job {{ $labels.job }} last pushed {{ $value | humanizeDuration }} ago, later than its push interval',
          description: `The last successful push of this group was {{ $value | humanizeDuration }} ago, longer than the "every" its push declared (${GROUP_EVERY_METRIC}): the job has stopped pushing, or fails before it pushes.`,
        },
      },
    ],
  };
}
