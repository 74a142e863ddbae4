import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type GatewayFamily, type Pushgateway } from '../support/pushgateway.js';
import { runApp, type AppRun } from '../support/runApp.js';
import { runMain } from '../support/runMain.js';
import { startS3, type S3Server } from '../support/s3.js';

/**
 * The files users already have, each written by its real writer (Debian's python3 `json.dump`, gzip,
 * tar), pushed through the built CLI to a real Pushgateway and read back: issue 21's table, row by row.
 */

const dir = mkdtempSync(join(tmpdir(), 'simplepipe-existing-'));
const path = (name: string): string => join(dir, name);

/** Runs Python's own json.dump: `records` is a Python expression, `float('nan')` and all. */
function pythonDump(name: string, records: string, dumpArgs = ''): string {
  execFileSync('/usr/bin/python3', ['-c', `import json, sys\nwith open(sys.argv[1], 'w') as f: json.dump(${records}, f${dumpArgs})`, path(name)]);
  return path(name);
}

let gateway: Pushgateway;
let s3: S3Server;
beforeAll(async () => {
  [gateway, s3] = await Promise.all([startPushgateway(), startS3()]);
  await s3.createBucket('artifacts');
});
afterAll(async () => {
  await Promise.all([gateway?.stop(), s3?.stop()]);
});

const push = (args: string[], options: { stdin?: Buffer; env?: Record<string, string> } = {}): Promise<AppRun> =>
  runMain([...args, '--gateway', gateway.url], options);

/** Each series of `name` in the group of `job`, as label set → value, as the gateway holds it. */
async function held(job: string, name: string): Promise<Record<string, string | undefined>> {
  const family = (await gateway.group({ job }))?.[name] as GatewayFamily | undefined;
  // The gateway gives every series an instance label, empty when the push names none.
  const labels = (metric: GatewayFamily['metrics'][number]) => Object.fromEntries(Object.entries(metric.labels).filter(([, value]) => value !== ''));
  return Object.fromEntries((family?.metrics ?? []).map((metric) => [JSON.stringify(labels(metric)), metric.value]));
}

const gauge = (name: string, value: string): string => `{"name": "${name}", "description": "d", "value": ${value}, "metric_type": "gauge"}`;

describe('a file written by Python’s json.dump with NaN and the infinities', () => {
  it('pushes the values they mean: the diverged loss is NaN at the gateway, not a refusal', async () => {
    const file = pythonDump('nan.json', `[${gauge('train_loss', "float('nan')")}, ${gauge('grad_norm', "float('inf')")}, ${gauge('margin', "float('-inf')")}]`);
    expect(readFileSync(file, 'utf8')).toContain('"value": NaN');
    const run = await push([file, 'python-nan']);
    expect(run.stderr).not.toMatch(/warn|error/);
    expect(run.code).toBe(0);
    expect(await held('python-nan', 'train_loss')).toEqual({ '{"job":"python-nan"}': 'NaN' });
    expect(await held('python-nan', 'grad_norm')).toEqual({ '{"job":"python-nan"}': '+Inf' });
    expect(await held('python-nan', 'margin')).toEqual({ '{"job":"python-nan"}': '-Inf' });
  });

  it('reads them in observations, buckets’ neighbours and an indented file as well', async () => {
    const histogram = `{"name": "batch_seconds", "description": "d", "value": [0.2, 3.0], "metric_type": "histogram", "buckets": [1.0, 5.0]}`;
    const file = pythonDump('indented.json', `{"labels": {"run": "7"}, "metrics": [${histogram}, ${gauge('loss', "float('nan')")}]}`, ', indent=2');
    const run = await push([file, 'python-indented']);
    expect(run.code).toBe(0);
    expect(await held('python-indented', 'loss')).toEqual({ '{"job":"python-indented","run":"7"}': 'NaN' });
  });
});

describe('the prototype’s own example record with an extra "job", a record with a "unit"', () => {
  it('pushes them, warning that the extra fields are ignored, as the prototype ignored them', async () => {
    const file = pythonDump('extra.json', `[{"name": "simple", "description": "generated random integer", "value": "6", "metric_type": "gauge", "job": "simple"}, {"name": "run_seconds", "description": "d", "value": 61, "metric_type": "gauge", "unit": "seconds"}]`);
    const run = await push([file, 'prototype-extra']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warn: .*extra\.json: 2 warnings \(--strict makes these errors, exit 65\):\n {2}\/0\/job: is not a known field; ignored\n {2}\/1\/unit: is not a known field; ignored/);
    expect(await held('prototype-extra', 'simple')).toEqual({ '{"job":"prototype-extra"}': '6' });
    expect(await held('prototype-extra', 'run_seconds')).toEqual({ '{"job":"prototype-extra"}': '61' });
  });

  it('refuses them with --strict (65), nothing pushed', async () => {
    const run = await push([path('extra.json'), 'prototype-strict', '--strict']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/^ {2}\/0\/job: is not a known field$/m);
    expect(await gateway.group({ job: 'prototype-strict' })).toBeUndefined();
  });
});

describe('"value": true', () => {
  it('pushes 1 (and false 0), as the prototype did', async () => {
    const file = pythonDump('bool.json', `[${gauge('model_deployed', 'True')}, ${gauge('model_rolled_back', 'False')}]`);
    const run = await push([file, 'python-bool']);
    expect(run.code).toBe(0);
    expect(await held('python-bool', 'model_deployed')).toEqual({ '{"job":"python-bool"}': '1' });
    expect(await held('python-bool', 'model_rolled_back')).toEqual({ '{"job":"python-bool"}': '0' });
  });
});

describe('a Kubeflow Pipelines metrics file as KFP’s backend reads it', () => {
  it('pushes number_value, numberValue and NaN, with a top-level runId', async () => {
    const file = pythonDump(
      'mlpipeline-metrics.json',
      `{"runId": "run-42", "metrics": [{"name": "accuracy-score", "number_value": 0.91, "format": "PERCENTAGE"}, {"name": "loss", "numberValue": float('nan')}, {"name": "auc", "numberValue": "Infinity", "nodeId": "train"}]}`,
    );
    const run = await push([file, 'kfp-variants']);
    expect(run.stderr).not.toMatch(/warn|error/);
    expect(run.code).toBe(0);
    expect(await held('kfp-variants', 'accuracy_score')).toEqual({ '{"job":"kfp-variants"}': '0.91' });
    expect(await held('kfp-variants', 'loss')).toEqual({ '{"job":"kfp-variants"}': 'NaN' });
    expect(await held('kfp-variants', 'auc')).toEqual({ '{"job":"kfp-variants"}': '+Inf' });
  });
});

describe('compressed inputs, found by their magic bytes', () => {
  /** What Argo archives by default: the file, tarred and gzipped, under its own name. */
  function argoArchive(): string {
    const inner = pythonDump('metric-in.json', `[${gauge('rows_read', '1200')}]`);
    execFileSync('tar', ['-czf', path('metric-in.tgz'), '-C', dir, 'metric-in.json']);
    expect(readFileSync(inner, 'utf8')).toContain('rows_read');
    return path('metric-in.tgz');
  }

  it('pushes an artifact Argo archived as .tgz, from a path', async () => {
    const run = await push([argoArchive(), 'argo-tgz-path']);
    expect(run.code).toBe(0);
    expect(await held('argo-tgz-path', 'rows_read')).toEqual({ '{"job":"argo-tgz-path"}': '1200' });
  });

  it('pushes the same archive from s3://, whatever its key says', async () => {
    await s3.putObject('artifacts', 'workflow/step/metric-json', readFileSync(argoArchive()));
    // Run as a process: the AWS SDK reads its credentials from the process's environment, not the run's.
    const run = await runApp(['s3://artifacts/workflow/step/metric-json', 'argo-tgz-s3', '--gateway', gateway.url], { env: s3.env });
    expect(run.stderr).toMatch(/packing=tar\+gzip/);
    expect(run.code).toBe(0);
    expect(await held('argo-tgz-s3', 'rows_read')).toEqual({ '{"job":"argo-tgz-s3"}': '1200' });
  });

  it('pushes a gzip file from stdin, and a gzipped JSON Lines file by its .jsonl.gz name', async () => {
    const gzipped = execFileSync('gzip', ['-c', pythonDump('plain.json', `[${gauge('epochs', '12')}]`)]);
    const run = await push(['-', 'gzip-stdin'], { stdin: gzipped });
    expect(run.code).toBe(0);
    expect(await held('gzip-stdin', 'epochs')).toEqual({ '{"job":"gzip-stdin"}': '12' });

    writeFileSync(path('lines.jsonl'), `${gauge('a', '1')}\n${gauge('b', '2')}\n`);
    execFileSync('gzip', ['-f', path('lines.jsonl')]);
    const lines = await push([path('lines.jsonl.gz'), 'gzip-jsonl']);
    expect(lines.code).toBe(0);
    expect(await held('gzip-jsonl', 'b')).toEqual({ '{"job":"gzip-jsonl"}': '2' });
  });

  it('refuses a decompression bomb by its decompressed size, without expanding it (65)', async () => {
    // 64 MiB of zeros gzip to about 64 KiB; the limit is 1 MiB.
    const bomb = execFileSync('bash', ['-c', 'head -c 67108864 /dev/zero | gzip -c'], { maxBuffer: 1 << 20 });
    expect(bomb.length).toBeLessThan(1 << 20);
    const run = await push(['-', 'bomb', '--max-input-bytes', '1MiB'], { stdin: bomb });
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/stdin \(decompressed\) is larger than --max-input-bytes 1048576/);
    expect(await gateway.group({ job: 'bomb' })).toBeUndefined();
  });

  it('refuses an archive of several files, naming them (65)', async () => {
    writeFileSync(path('a.json'), `[${gauge('a', '1')}]`);
    writeFileSync(path('b.json'), `[${gauge('b', '1')}]`);
    execFileSync('tar', ['-czf', path('two.tgz'), '-C', dir, 'a.json', 'b.json']);
    const run = await push([path('two.tgz'), 'two-files']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/two\.tgz is a tar archive of 2 files \(a\.json, b\.json\); simplepipe reads an archive of one file/);
  });
});

describe('a file that needs fixing: one line saying how', () => {
  it('one record without the surrounding [ ]: "wrap it in [ ]", and nothing else', async () => {
    const file = pythonDump('one.json', gauge('simple', '6'), ', indent=2');
    const run = await push([file, 'one-record']);
    expect(run.code).toBe(65);
    const errors = run.stderr.split('\n').filter((line) => line.includes('error'));
    expect(errors).toEqual([expect.stringMatching(/one\.json holds one record, not a list of them: wrap it in \[ \]/)]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a trailing comma: its line and column, and "remove the trailing comma", on one line', async () => {
    writeFileSync(path('comma.json'), `[\n  ${gauge('a', '1')},\n  ${gauge('b', '2')},\n]\n`);
    const run = await push([path('comma.json'), 'trailing-comma']);
    expect(run.code).toBe(65);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/comma\.json is not valid JSON: line 3, column \d+: a comma before "\]": remove the trailing comma/)]);
  });

  it('a JSON Lines artifact saved as /tmp/metric-in.json is read as JSON Lines, by its content', async () => {
    execFileSync('/usr/bin/python3', ['-c', `import json, sys\nwith open(sys.argv[1], 'w') as f:\n  for i in range(3): f.write(json.dumps({"name": f"step{i}_seconds", "description": "d", "value": i, "metric_type": "gauge"}) + "\\n")`, path('lines-in.json')]);
    const run = await push([path('lines-in.json'), 'jsonl-as-json']);
    expect(run.stderr).toMatch(/format=jsonl/);
    expect(run.code).toBe(0);
    expect(await held('jsonl-as-json', 'step2_seconds')).toEqual({ '{"job":"jsonl-as-json"}': '2' });
  });

  it('JSON Lines given --format json: the line and column, and the hint that it is JSON Lines', async () => {
    const run = await push([path('lines-in.json'), 'jsonl-told-json', '--format', 'json']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/is not valid JSON: line 2, column 1: unexpected "\{": one value per line is JSON Lines: name the file \.jsonl or give --format jsonl/);
  });
});

describe('what JSON.parse would read silently', () => {
  const text = `[{"name": "x", "description": "d", "value": 1e-400, "metric_type": "gauge", "name": "y"}, ${gauge('big', '1e400')}]`;

  it('a duplicate key and numbers beyond float64: warnings naming the record and field, then pushed as read', async () => {
    writeFileSync(path('silent.json'), text);
    const run = await push([path('silent.json'), 'silent']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('/0/value: 1e-400 is too small for a float64 and is read as 0 (line 1, column 45)');
    expect(run.stderr).toContain('/0/name: "name" is given twice in one object, and the last is read (line 1, column 3 and line 1, column 77)');
    expect(run.stderr).toContain('/1/value: 1e400 is too large for a float64 and is read as +Inf');
    expect(await held('silent', 'y')).toEqual({ '{"job":"silent"}': '0' });
  });

  it('with --strict, errors (65), nothing pushed; in JSON Lines, by line', async () => {
    const run = await push([path('silent.json'), 'silent-strict', '--strict']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/3 problems; nothing was pushed/);
    expect(await gateway.group({ job: 'silent-strict' })).toBeUndefined();

    writeFileSync(path('silent.jsonl'), `${gauge('ok', '1')}\n{"name": "a", "name": "b", "description": "d", "value": 1, "metric_type": "gauge"}\n`);
    const lines = await push([path('silent.jsonl'), 'silent-lines', '--strict']);
    expect(lines.code).toBe(65);
    expect(lines.stderr).toMatch(/^ {2}line 2 \/name: "name" is given twice in one object, and the last is read \(column 2 and column 15\)$/m);
  });
});
