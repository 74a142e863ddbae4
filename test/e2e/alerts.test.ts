import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAlertmanager,
  startWebhookReceiver,
  type Alertmanager,
  type WebhookAlert,
  type WebhookNotification,
  type WebhookReceiver,
} from '../support/alertmanager.js';
import { tempFile } from '../support/files.js';
import { codeBlocks, docSection } from '../support/readme.js';
import { startPrometheus, type Prometheus } from '../support/prometheus.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

/**
 * The whole path of an alert, every component real: the built app pushes to a Pushgateway; Prometheus
 * scrapes it every second with honor_labels and evaluates the rules the app generated from the same
 * metric files; it sends to an Alertmanager, which posts to a webhook receiver in this test.
 */
/** docs/alerts.md's example file (examples/training-alerts.json), with the accuracy a run measured. */
const example = JSON.parse(readFileSync(new URL('../../examples/training-alerts.json', import.meta.url), 'utf8')) as { metrics: { value: unknown }[] };
const training = (accuracy: number) => {
  const file = structuredClone(example);
  file.metrics[0]!.value = accuracy;
  return file;
};
/** A job that must push at least every `every`; its one metric expects nothing. */
const periodic = (every: string, metric = { name: 'rows_total', description: 'rows', value: 1, metric_type: 'counter' }) => ({
  expect: { every },
  metrics: [metric],
});

let receiver: WebhookReceiver;
let alertmanager: Alertmanager;
let gateway: Pushgateway;
let prometheus: Prometheus;

async function rulesFor(document: unknown, job: string): Promise<string> {
  const run = await runApp(['rules', tempFile(document), job, '--format', 'prometheus']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

async function push(document: unknown, job: string): Promise<number> {
  const run = await runApp([tempFile(document), job, '--gateway', gateway.url]);
  return run.code ?? -1;
}

const named = (alertname: string, status: WebhookAlert['status']) => (alert: WebhookAlert) =>
  alert.labels.alertname === alertname && alert.status === status;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  [alertmanager, gateway] = await Promise.all([startAlertmanager({ webhookUrl: receiver.url }), startPushgateway()]);
  const ruleFiles = {
    'train.yml': await rulesFor(training(0.95), 'train'),
    'nightly.yml': await rulesFor(periodic('3s'), 'nightly'),
    'weekly.yml': await rulesFor(periodic('2s'), 'weekly'),
    'hourly.yml': await rulesFor(periodic('1h'), 'hourly'),
  };
  // A resend delay of 1s: an alert that fires before Prometheus has found the Alertmanager (the absent
  // one, within seconds of the start) would otherwise reach it only a minute later.
  prometheus = await startPrometheus({
    targets: [`127.0.0.1:${gateway.port}`],
    ruleFiles,
    alertmanagers: [alertmanager.address],
    interval: '1s',
    alertResendDelay: '1s',
  });
}, 90_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all([alertmanager?.stop(), gateway?.stop(), receiver?.stop()]);
});

describe('generated rules, fired by Prometheus, delivered by Alertmanager', () => {
  it('a value under min reaches the webhook as a firing alert with the series’ labels and the annotations; a good value resolves it', async () => {
    expect(await push(training(0.85), 'train')).toBe(0);
    const firing = await receiver.alert(named('TrainModelAccuracyRatioBelowMin', 'firing'), 45_000);
    expect(firing.labels).toEqual({ alertname: 'TrainModelAccuracyRatioBelowMin', job: 'train', model: 'churn-classifier', severity: 'critical' });
    expect(firing.annotations).toEqual({
      summary: 'model_accuracy_ratio is 0.85, expected at least 0.9',
      description: 'The last push of job train set model_accuracy_ratio to 0.85; its metric file expects at least 0.9.',
      runbook_url: 'https://runbooks.example/churn-classifier',
    });

    // docs/alerts.md shows this notification as delivered: all of it but the times and the addresses of this run.
    const notification = receiver.notifications.find((n) => n.alerts.includes(firing))!;
    const shown = JSON.parse(codeBlocks(docSection('docs/alerts.md', 'Alerts'), 'json')[1]!) as WebhookNotification;
    const lasting = ({ alerts, externalURL: _url, ...rest }: WebhookNotification) => ({
      ...rest,
      alerts: alerts.map(({ startsAt: _start, generatorURL: _generator, ...alert }) => alert),
    });
    expect(lasting(shown)).toEqual(lasting(notification));

    expect(await push(training(0.95), 'train')).toBe(0);
    const resolved = await receiver.alert((alert) => alert.fingerprint === firing.fingerprint && alert.status === 'resolved', 45_000);
    expect(resolved.labels).toEqual(firing.labels);
    expect(Date.parse(resolved.endsAt)).toBeGreaterThan(Date.parse(firing.startsAt));
  }, 120_000);

  it('a job that pushed once and then nothing for longer than every: the stale alert fires, not before every has passed', async () => {
    const pushedAt = Date.now();
    expect(await push(periodic('3s'), 'nightly')).toBe(0);
    const stale = await receiver.alert(named('NightlyGroupStale', 'firing'), 45_000);
    expect(Date.parse(stale.startsAt)).toBeGreaterThanOrEqual(pushedAt + 3000);
    expect(stale.labels).toEqual({ alertname: 'NightlyGroupStale', job: 'nightly', severity: 'warning' });
    expect(stale.annotations.summary).toMatch(/^Job nightly last pushed \d+(\.\d+)?s ago, expected every 3s$/);
  }, 120_000);

  it('a job that never pushed: the absent alert fires with the job as its label', async () => {
    const absent = await receiver.alert(named('WeeklyGroupAbsent', 'firing'), 45_000);
    expect(absent.labels).toEqual({ alertname: 'WeeklyGroupAbsent', job: 'weekly', severity: 'warning' });
    expect(absent.annotations.description).toBe('No push_time_seconds of job weekly for 2s: the job never pushed, its group was deleted, or the Pushgateway is not scraped.');
  }, 120_000);

  it('a push the gateway refuses after a good one: the failed-push alert fires', async () => {
    expect(await push(periodic('1h'), 'hourly')).toBe(0);
    // model_accuracy_ratio is a gauge in the group of job train: as a counter here, the gateway answers 400.
    const clash = { name: 'model_accuracy_ratio', description: 'Accuracy on the hold-out set', value: 1, metric_type: 'counter' };
    expect(await push(periodic('1h', clash), 'hourly')).toBe(65);
    const failed = await receiver.alert(named('HourlyLastPushFailed', 'firing'), 45_000);
    expect(failed.labels).toEqual({ alertname: 'HourlyLastPushFailed', job: 'hourly', severity: 'warning' });
    expect(failed.annotations.summary).toBe('The last push of job hourly failed');
  }, 120_000);
});
