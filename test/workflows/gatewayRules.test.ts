import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runPipeline } from '../../src/index.js';
import { tempFile } from '../support/files.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { promtoolCheckRules, promtoolTestRules } from '../support/promtool.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { OVERLAYS_DIR, overlayNames, renderOverlay } from './kustomize.js';
import { parseManifests } from './manifests.js';
import { namespaceOf, serviceMonitorScrapeConfig } from './scrapeConfigs.js';

/**
 * Each overlay ships the rules that watch its gateway (pushgateway.prometheusrule.yaml, from `rules --namespace`):
 * the gateway down or not scraped, and a group past the TTL or the `every` its push stored in it.
 */
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
}
interface Group {
  name: string;
  rules: Rule[];
}

const shippedGroups = (namespace: string): Group[] =>
  (parseManifests(join(OVERLAYS_DIR, namespace, 'pushgateway.prometheusrule.yaml'))[0]!.object.spec as { groups: Group[] }).groups;

describe.each(overlayNames())('the overlay %s', (overlay) => {
  it('renders the PrometheusRule of its own namespace: one group, what `rules --namespace` generates for it', async () => {
    const rendered = renderOverlay(overlay).manifests.filter((m) => m.kind === 'PrometheusRule');
    expect(rendered).toHaveLength(1);
    const namespace = namespaceOf(rendered[0]!);
    const run = await runApp(['rules', '--namespace', namespace, '--format', 'prometheus']);
    expect(run.code, run.stderr).toBe(0);
    const groups = (rendered[0]!.object.spec as { groups: Group[] }).groups;
    expect(groups).toHaveLength(1);
    expect({ groups }).toEqual(parse(run.stdout));
  });
});

describe('the gateway rules, checked by promtool', () => {
  const groups = shippedGroups('team-a');

  it('pass promtool check rules', () => {
    expect(promtoolCheckRules({ rules: stringify({ groups }) })).toEqual({ rules: { ok: true, message: 'SUCCESS: 4 rules found' } });
  });

  it('fire as promtool test rules expects, each after its `for`', () => {
    const ns = 'namespace="team-a"';
    // Minute by minute: the gateway answers for 2 minutes, then not; group a was pushed at 0 with ttl 10m and every 1h.
    const tests = {
      rule_files: ['rules.yml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: `up{${ns},service="pushgateway",instance="10.0.0.1:9091"}`, values: '1 1 0x20' },
            { series: `push_time_seconds{${ns},job="a"}`, values: '0x100' },
            { series: `simplepipe_group_ttl_seconds{${ns},job="a"}`, values: '600x100' },
            { series: `simplepipe_group_every_seconds{${ns},job="a"}`, values: '3600x100' },
            { series: `push_time_seconds{${ns},job="fresh"}`, values: '0+60x100' },
            { series: `simplepipe_group_ttl_seconds{${ns},job="fresh"}`, values: '600x100' },
            { series: `simplepipe_group_every_seconds{${ns},job="fresh"}`, values: '600x100' },
          ],
          alert_rule_test: [
            { eval_time: '5m', alertname: 'PushgatewayDown', exp_alerts: [] },
            {
              eval_time: '8m',
              alertname: 'PushgatewayDown',
              exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'team-a', service: 'pushgateway', instance: '10.0.0.1:9091' } }],
            },
            { eval_time: '20m', alertname: 'PushgatewayNotScraped', exp_alerts: [] },
            { eval_time: '60m', alertname: 'PushgatewayGroupPastTtl', exp_alerts: [] },
            { eval_time: '75m', alertname: 'PushgatewayGroupPastTtl', exp_alerts: [{ exp_labels: { severity: 'warning', namespace: 'team-a', job: 'a' } }] },
            { eval_time: '59m', alertname: 'PushgatewayGroupPastEvery', exp_alerts: [] },
            { eval_time: '61m', alertname: 'PushgatewayGroupPastEvery', exp_alerts: [{ exp_labels: { severity: 'warning', namespace: 'team-a', job: 'a' } }] },
          ],
        },
        {
          // No target at all: the gateway is not scraped.
          interval: '1m',
          input_series: [{ series: 'up{namespace="team-b",service="pushgateway"}', values: '1x30' }],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'PushgatewayNotScraped', exp_alerts: [] },
            { eval_time: '16m', alertname: 'PushgatewayNotScraped', exp_alerts: [{ exp_labels: { severity: 'critical', namespace: 'team-a', service: 'pushgateway' } }] },
          ],
        },
      ],
    };
    // promtool compares annotations whole, templates expanded; what it tests here is when each rule fires, and on which series.
    const withoutAnnotations = groups.map((group) => ({ ...group, rules: group.rules.map((rule) => ({ ...rule, annotations: {} })) }));
    promtoolTestRules(stringify(tests), { 'rules.yml': stringify({ groups: withoutAnnotations }) });
  });
});

describe('the gateway rules, fired by a real Prometheus scraping a real gateway as team-a’s ServiceMonitor does', () => {
  let gateway: Pushgateway;
  let prometheus: Prometheus;
  const firing = (alertname: string, matchers = '') => `ALERTS{alertname="${alertname}",alertstate="firing"${matchers}}`;

  beforeAll(async () => {
    gateway = await startPushgateway();
    // The shipped rules of team-a and team-b, their `for` left out: promtool checks those on its own clock above.
    const withoutFor = (groups: Group[]) => groups.map((group) => ({ ...group, rules: group.rules.map(({ for: _, ...rule }) => rule) }));
    const ruleFiles = Object.fromEntries(['team-a', 'team-b'].map((ns) => [`${ns}.yml`, stringify({ groups: withoutFor(shippedGroups(ns)) })]));
    prometheus = await startPrometheus({ scrapeConfigs: [serviceMonitorScrapeConfig(renderOverlay('team-a'), `127.0.0.1:${gateway.port}`)], ruleFiles });
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await gateway?.stop();
  });

  it('a group past its TTL or its every fires, one within both does not; a namespace whose gateway nobody scrapes fires NotScraped', async () => {
    const file = (every: string) => tempFile({ expect: { every }, metrics: [{ name: 'rows_total', description: 'rows', value: 1, metric_type: 'counter' }] });
    await runPipeline({ input: file('1s'), job: 'retired', gateway: gateway.url, ttl: '1s' });
    await runPipeline({ input: file('1d'), job: 'daily', gateway: gateway.url, ttl: '7d' });
    const [pastTtl] = await prometheus.eventually(firing('PushgatewayGroupPastTtl'));
    expect(pastTtl?.metric).toMatchObject({ job: 'retired', namespace: 'team-a', severity: 'warning' });
    const pastEvery = await prometheus.eventually(firing('PushgatewayGroupPastEvery'));
    expect(pastEvery.map((sample) => sample.metric.job)).toEqual(['retired']);
    expect(await prometheus.query(firing('PushgatewayGroupPastTtl', ',job="daily"'))).toEqual([]);
    const [notScraped] = await prometheus.eventually(firing('PushgatewayNotScraped'));
    expect(notScraped?.metric).toMatchObject({ namespace: 'team-b' });
    expect(await prometheus.query(firing('PushgatewayDown'))).toEqual([]);
  });

  it('a stopped gateway fires PushgatewayDown for its namespace', async () => {
    await prometheus.eventually('up{namespace="team-a",service="pushgateway"} == 1');
    await gateway.stop();
    const [down] = await prometheus.eventually(firing('PushgatewayDown'));
    expect(down?.metric).toMatchObject({ namespace: 'team-a', service: 'pushgateway', severity: 'critical' });
  });
});
