import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { useGateway } from '../support/gatewayFixture.js';
import { runApp } from '../support/runApp.js';
import { runMain } from '../support/runMain.js';

const fixture = useGateway(runMain);
const { push, family } = fixture;

describe('stdin as the input', () => {
  it('reads the metric file from stdin when the file is -', async () => {
    const run = await push(['-', 'from-stdin'], JSON.stringify(SIMPLEPIPE_EXAMPLE));
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/read stdin/);
    expect((await family('from-stdin', 'simple'))?.metrics[0]?.value).toBe('6');
  });

  it("the bundle reads the file piped into its process's own stdin (a smoke test: runMain hands stdin over as a stream)", async () => {
    const run = await runApp(['-', 'piped-stdin', '--gateway', fixture.gateway.url], { stdin: Readable.from([JSON.stringify(SIMPLEPIPE_EXAMPLE)]) });
    expect(run.code, run.stderr).toBe(0);
    expect((await family('piped-stdin', 'simple'))?.metrics[0]?.value).toBe('6');
  });

  it('65: refuses stdin larger than --max-input-bytes and pushes nothing', async () => {
    const run = await push(['-', 'big-stdin', '--max-input-bytes', '1KiB'], JSON.stringify(SIMPLEPIPE_EXAMPLE).padEnd(5000, ' '));
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/stdin is larger than --max-input-bytes 1024/);
    expect(await fixture.gateway.group({ job: 'big-stdin' })).toBeUndefined();
  });
});

describe('a file larger than --max-input-bytes', () => {
  it('65: is refused by its size before it is read, and nothing is pushed', async () => {
    const file = tempFile(JSON.stringify(SIMPLEPIPE_EXAMPLE).padEnd(3000, ' '));
    const run = await push([file, 'big-file', '--max-input-bytes', '2048']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/is larger than --max-input-bytes 2048 \(3000 bytes\)/);
    expect(await fixture.gateway.group({ job: 'big-file' })).toBeUndefined();
  });
});

describe('inline --metric flags', () => {
  it('pushes the Argo exit handler’s metrics with no file at all', async () => {
    const run = await push(['--job', 'exit-handler', '--metric', 'workflow_duration_seconds=12.5', '--label', 'status=Succeeded']);
    expect(run.code).toBe(0);
    const duration = await family('exit-handler', 'workflow_duration_seconds');
    expect(duration?.type).toBe('GAUGE');
    expect(duration?.help).toBe('set by --metric');
    expect(duration?.metrics).toEqual([{ labels: { instance: '', job: 'exit-handler', status: 'Succeeded' }, value: '12.5' }]);
  });

  it('sets the type per metric with NAME:TYPE=VALUE, and for the others with --metric-type', async () => {
    const run = await push([
      '--job', 'typed',
      '--metric-type', 'counter',
      '--metric', 'steps_total=40',
      '--metric', 'queue_depth:gauge=-3',
      '--metric', 'job:rate5m=0.5',
    ]);
    expect(run.code).toBe(0);
    expect((await family('typed', 'steps_total'))?.type).toBe('COUNTER');
    expect((await family('typed', 'queue_depth'))?.metrics[0]?.value).toBe('-3');
    expect((await family('typed', 'queue_depth'))?.type).toBe('GAUGE');
    // A colon that names no type belongs to the metric name.
    expect((await family('typed', 'job:rate5m'))?.type).toBe('COUNTER');
  });

  it('joins --metric flags to a file’s records, which share the file’s common labels', async () => {
    const file = tempFile({ labels: { model: 'churn' }, metrics: [{ name: 'accuracy_ratio', description: 'd', value: 0.9, metric_type: 'gauge' }] });
    const run = await push([file, '--job', 'joined', '--metric', 'duration_seconds=61']);
    expect(run.code).toBe(0);
    expect((await family('joined', 'accuracy_ratio'))?.metrics[0]?.labels.model).toBe('churn');
    expect((await family('joined', 'duration_seconds'))?.metrics[0]?.labels.model).toBe('churn');
  });

  it('65: a bad value names the flag, every problem is listed, and nothing is pushed', async () => {
    const run = await push([
      '--job', 'bad-inline',
      '--metric', 'workflow_duration_seconds=12m3s',
      '--metric', 'retries_total:counter=-1',
      '--metric', 'ok_gauge=1',
    ]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/2 problems/);
    expect(run.stderr).toMatch(/^ {2}--metric workflow_duration_seconds: must be a number/m);
    expect(run.stderr).toMatch(/^ {2}--metric retries_total: a counter value/m);
    expect(await fixture.gateway.group({ job: 'bad-inline' })).toBeUndefined();
  });

  it('65: a --metric that repeats a series of the file is a duplicate, named by its flag', async () => {
    const run = await push([tempFile(SIMPLEPIPE_EXAMPLE), 'dup', '--metric', 'simple=7']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/--metric simple: duplicate series: same name and labels as \/0/);
  });

  it('64: a malformed flag, or a type --metric cannot express', async () => {
    const noValue = await push(['--job', 'j', '--metric', 'just_a_name']);
    expect(noValue.code).toBe(64);
    expect(noValue.stderr).toMatch(/expected NAME=VALUE or NAME:TYPE=VALUE/);
    const summary = await push(['--job', 'j', '--metric', 'latency:summary=1']);
    expect(summary.code).toBe(64);
    expect(summary.stderr).toMatch(/only gauge or counter/);
    expect((await push(['--job', 'j', '--metric', 'x=1', '--metric-type', 'histogram'])).code).toBe(64);
  });
});

describe('which job, and whether there is any input', () => {
  it('64: neither a file nor --metric', async () => {
    const run = await push(['--job', 'nothing']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/no input: give a metric file, - for stdin, s3:\/\/bucket\/key, or --metric/);
  });

  it('64: --metric without a job', async () => {
    const run = await push(['--metric', 'x=1']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/no job/);
  });

  it('64: the job given twice, differently; 0 when both agree', async () => {
    const file = tempFile(SIMPLEPIPE_EXAMPLE);
    const twice = await push([file, 'one', '--job', 'two']);
    expect(twice.code).toBe(64);
    expect(twice.stderr).toMatch(/the job is given twice: "one" as an argument and "two" with --job/);
    expect(await fixture.gateway.group({ job: 'one' })).toBeUndefined();
    expect((await push([file, 'same', '--job', 'same'])).code).toBe(0);
  });

  it('takes <file> --job <job> as well as <file> <job>', async () => {
    expect((await push([tempFile(SIMPLEPIPE_EXAMPLE), '--job', 'flag-job'])).code).toBe(0);
    expect(await fixture.gateway.group({ job: 'flag-job' })).toBeDefined();
  });
});

describe('labels on every series', () => {
  it('record labels win over the file’s common labels, which win over --label', async () => {
    const file = tempFile({
      labels: { team: 'file', env: 'file' },
      metrics: [
        { name: 'own', description: 'd', value: 1, metric_type: 'gauge', labels: { team: 'record' } },
        { name: 'common', description: 'd', value: 2, metric_type: 'gauge' },
      ],
    });
    const run = await push([file, 'labelled', '--label', 'env=flag', '--label', 'region=eu']);
    expect(run.code).toBe(0);
    expect((await family('labelled', 'own'))?.metrics[0]?.labels).toMatchObject({ team: 'record', env: 'file', region: 'eu' });
    expect((await family('labelled', 'common'))?.metrics[0]?.labels).toMatchObject({ team: 'file', env: 'file', region: 'eu' });
  });

  it('65: a --label that names a grouping-key label', async () => {
    const run = await push([tempFile(SIMPLEPIPE_EXAMPLE), 'grouped', '--grouping', 'instance=a', '--label', 'instance=b']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/--label instance: "instance" is part of the grouping key/);
  });
});

describe('an info record whose fact a common label also sets', () => {
  it('65: names the fact and the --label, and pushes nothing', async () => {
    const file = tempFile([{ name: 'build', description: 'build facts', value: { version: '1.2' }, metric_type: 'info' }]);
    const run = await push([file, 'info-clash', '--label', 'version=2']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/\/0\/value\/version: "version" is also a label of every series \(--label version\)/);
    expect(await fixture.gateway.group({ job: 'info-clash' })).toBeUndefined();
  });
});

describe('a grouping key the gateway cannot take', () => {
  it('78: validate, push (a dry run too) and delete refuse it alike, with one message, and send nothing', async () => {
    const file = tempFile(SIMPLEPIPE_EXAMPLE);
    const runs = await Promise.all([
      runMain(['validate', file, '--grouping', 'a-b=1']),
      push([file, 'bad-key', '--grouping', 'a-b=1']),
      push([file, 'bad-key', '--grouping', 'a-b=1', '--dry-run']),
      push(['delete', 'bad-key', '--grouping', 'a-b=1']),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(78);
      expect(run.stderr).toMatch(/--grouping a-b: "a-b" is not a valid label name/);
      expect(run.stdout).toBe('');
    }
    expect(await fixture.gateway.group({ job: 'bad-key', 'a-b': '1' })).toBeUndefined();
  });
});

describe('names that break Prometheus naming conventions', () => {
  const file = () => tempFile([{ name: 'rows', description: 'rows read', value: 12, metric_type: 'counter' }]);
  const warning = /warn: 1 naming problem, as promtool check metrics would report.*\n {2}\/0\/name: "rows": counter metrics should have "_total" suffix/;

  it('0: validate and push warn, and the name is pushed as written', async () => {
    const checked = await runMain(['validate', file()]);
    expect(checked.code).toBe(0);
    expect(checked.stderr).toMatch(warning);
    const pushed = await push([file(), 'lint-warned']);
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toMatch(warning);
    expect((await family('lint-warned', 'rows'))?.metrics[0]?.value).toBe('12');
  });

  it('65: --strict makes them errors on validate and push, and nothing is pushed', async () => {
    for (const run of [await runMain(['validate', file(), '--strict']), await push([file(), 'lint-strict', '--strict'])]) {
      expect(run.code).toBe(65);
      expect(run.stderr).toMatch(/\/0\/name: "rows": counter metrics should have "_total" suffix/);
    }
    expect(await fixture.gateway.group({ job: 'lint-strict' })).toBeUndefined();
  });

  it('names the line of a JSON Lines input', async () => {
    const run = await runMain(['validate', '-', '--format', 'jsonl'], { stdin: '{"name": "rows", "description": "d", "value": 1, "metric_type": "counter"}\n' });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/line 1 \/name: "rows": counter metrics should have "_total" suffix/);
  });

  it('names the --metric flag of an inline metric', async () => {
    const run = await runMain(['validate', '--metric', 'rows:counter=1']);
    expect(run.stderr).toMatch(/--metric rows: "rows": counter metrics should have "_total" suffix/);
  });
});

describe('validate with inline metrics', () => {
  it('checks --metric flags without a file and pushes nothing', async () => {
    expect((await runMain(['validate', '--metric', 'x=1'])).code).toBe(0);
    const run = await runMain(['validate', '--metric', 'x=abc']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/--metric x: must be a number/);
  });

  it('lists the input forms in --help', async () => {
    const help = await runMain(['push', '--help']);
    expect(help.stdout).toMatch(/--metric <name=value>/);
    expect(help.stdout).toMatch(/--metric-type <type>/);
    expect(help.stdout).toMatch(/--s3-endpoint <url>/);
    expect(help.stdout).toMatch(/--job <name>/);
  });
});
