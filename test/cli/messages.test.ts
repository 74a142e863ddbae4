import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const lines = (stderr: string): string[] => stderr.trimEnd().split('\n');

/** Command lines that fail with 64, each from a different place: commander itself, a flag's parser, our own checks. */
const USAGE_ERRORS: [string, string[]][] = [
  ['an unknown option', [tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--bogus']],
  ['a missing argument', ['delete']],
  ['a malformed duration', [tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--timeout', 'soon']],
  ['a choice not offered', ['--metric', 'a=1', '--job', 'j', '--metric-type', 'summary']],
  ['a malformed --metric', ['--metric', 'nonsense', '--job', 'j']],
  ['no input at all', ['--job', 'j']],
  ['no job', [tempFile(SIMPLEPIPE_EXAMPLE)]],
  ['the job given twice', [tempFile(SIMPLEPIPE_EXAMPLE), 'a', '--job', 'b']],
];

describe('one style for every error', () => {
  it.each(USAGE_ERRORS)('%s: one line, "simplepipe: error: … (see --help) exit=64"', async (_, args) => {
    const run = await runMain([...args, '--gateway', gateway.url]);
    expect(run.code).toBe(64);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^simplepipe: error: \S.* exit=64$/)]);
    expect(run.stderr).not.toMatch(/^error:/m);
  });

  it.each(USAGE_ERRORS)('%s: one JSON object with level, msg and exit under --log-format json', async (_, args) => {
    const run = await runMain([...args, '--gateway', gateway.url, '--log-format', 'json']);
    expect(run.code).toBe(64);
    const [line, ...more] = lines(run.stderr);
    expect(more).toEqual([]);
    expect(JSON.parse(line!)).toEqual({ time: expect.any(String), level: 'error', msg: expect.stringMatching(/\S/), exit: 64 });
  });

  it('every other exit code comes with the same "exit=" field', async () => {
    const cases: [string[], number][] = [
      [[tempFile([{ name: 'x', description: 'd', value: 'six', metric_type: 'gauge' }]), 'j'], 65],
      [['/nonexistent/metric-in.json', 'j'], 66],
      [[tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', 'ftp://gateway'], 78],
    ];
    for (const [args, code] of cases) {
      const run = await runMain([...args, '--log-format', 'json']);
      expect(run.code).toBe(code);
      const errors = lines(run.stderr).map((line) => JSON.parse(line) as { level: string; exit?: number }).filter((entry) => entry.level === 'error');
      expect(errors).toEqual([expect.objectContaining({ exit: code })]);
    }
  });
});

describe('messages say what happened', () => {
  const invalid = [{ name: 'x', description: 'd', value: 'six', metric_type: 'gauge' }];

  it('validate lists the problems and does not speak of pushing; push says nothing was pushed', async () => {
    const file = tempFile(invalid);
    const checked = await runMain(['validate', file]);
    expect(checked.code).toBe(65);
    expect(lines(checked.stderr)[0]).toBe(`simplepipe: error: ${file}: 1 problem: exit=65`);
    expect(checked.stderr).not.toMatch(/push/);

    const pushed = await runMain([file, 'j', '--gateway', gateway.url]);
    expect(pushed.code).toBe(65);
    expect(pushed.stderr).toContain(`simplepipe: error: ${file}: 1 problem; nothing was pushed: exit=65\n  /0/value: must be a number`);
  });

  it.each([
    ['{}', '/metrics: is required'],
    ['[]', '/: holds no metrics'],
    ['"metrics"', '/: must be array,object'],
    ['{"metrics": 3}', '/metrics: must be array'],
  ])('%s is reported like every other problem: "<file>: N problem(s)" and the list', async (content, issue) => {
    const file = tempFile(content);
    const run = await runMain(['validate', file]);
    expect(run.code).toBe(65);
    expect(lines(run.stderr)[0]).toMatch(new RegExp(`^simplepipe: error: ${file}: \\d+ problems?: exit=65$`));
    expect(run.stderr).toContain(`\n  ${issue}`);
  });

  it('names an unreachable gateway and its error once per line, and says why it stopped early', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', url, '--deadline', '2s']);
    expect(run.code).toBe(75);
    const gaveUp = lines(run.stderr).find((line) => line.includes('gave up'))!;
    expect(gaveUp).toMatch(
      new RegExp(`^simplepipe: error: gave up on PUT ${url}/metrics/job/j after \\d+ attempts in \\d+\\.\\ds \\(the next retry, in \\d+\\.\\ds, would pass the 2\\.0s deadline\\); last error: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+ exit=75$`),
    );
    for (const line of lines(run.stderr)) {
      expect(line.split(url).length, line).toBeLessThanOrEqual(2);
      expect(line.split('ECONNREFUSED').length, line).toBeLessThanOrEqual(2);
    }
  });

  it('says when the retries, not the deadline, ran out', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', url, '--retries', '1']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/ after 2 attempts in \d+\.\ds \(no retries left of --retries 1\); last error: connect ECONNREFUSED/);
  });

  it('--dry-run needs no job, and says on stderr that nothing was pushed', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), '--dry-run', '--gateway', gateway.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('# HELP simple generated random integer\n# TYPE simple gauge\nsimple 6\n');
    expect(lines(run.stderr).at(-1)).toBe('simplepipe: dry run: the exposition is on stdout; nothing was pushed series=1');
    expect(await gateway.groups()).toEqual([]);
  });

  it('logs the steps in the order they happen, counting series as Prometheus does', async () => {
    const file = tempFile([
      { name: 'batch_seconds', description: 'd', value: [0.5, 2], metric_type: 'histogram', buckets: [1, 5] },
      { name: 'rows', description: 'd', value: 3, metric_type: 'gauge' },
    ]);
    // A histogram with two bounds is five series (three buckets with +Inf, _sum, _count); the gauge one more.
    const run = await runMain([file, 'ordered', '--gateway', gateway.url, '--verify']);
    expect(run.code, run.stderr).toBe(0);
    expect(lines(run.stderr).map((line) => line.replace(/ \S+=.*$/, ''))).toEqual([
      `simplepipe: read ${file}`,
      'simplepipe: validated 2 records (6 series)',
      `simplepipe: pushed 6 series to ${gateway.url}/metrics/job/ordered`,
      'simplepipe: verified the push by reading it back',
    ]);
    const dryRun = await runMain([file, '--dry-run']);
    expect(dryRun.stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).toHaveLength(6);
  });
});
