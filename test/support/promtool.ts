import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './processes.js';

/** promtool's linter, which exits non-zero on text Prometheus would not parse; returns its lint output. */
export function promtoolCheck(text: string): string {
  const promtool = findBinary('promtool');
  try {
    return execFileSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { status: number; stdout: string; stderr: string };
    // promtool exits 3 for lint warnings only (e.g. a missing _total suffix), 1 for parse errors.
    if (failure.status === 3) return failure.stdout + failure.stderr;
    throw new Error(`promtool rejected the exposition:\n${failure.stdout}${failure.stderr}\n---\n${text}`);
  }
}

/**
 * What `promtool check metrics` lints in exposition text, as `<metric> <text>` lines, each once and sorted
 * (promtool repeats a label's problem for every series that carries the label). Throws when promtool
 * cannot parse the text.
 */
export function promtoolLint(text: string): string[] {
  const result = spawnSync(findBinary('promtool'), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  // promtool exits 3 for lint problems only, 1 for text it cannot parse.
  if (result.status !== 0 && result.status !== 3) throw new Error(`promtool rejected the exposition:\n${result.stdout}${result.stderr}\n---\n${text}`);
  return [...new Set(`${result.stdout}${result.stderr}`.split('\n').filter((line) => line !== ''))].sort();
}

export interface RuleFileVerdict {
  ok: boolean;
  /** promtool's words on the file: "SUCCESS: 3 rules found", or its error. */
  message: string;
}

/**
 * `promtool check rules` on several rule files in one run (file name → YAML text); returns its verdict on
 * each. One process for all of them: promtool stops at a file's first error, so a file holds one case.
 */
export function promtoolCheckRules(files: Record<string, string>): Record<string, RuleFileVerdict> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-rules-'));
  try {
    const names = Object.keys(files);
    names.forEach((name, i) => writeFileSync(join(dir, `${i}.yml`), files[name]!));
    const run = spawnSync(findBinary('promtool'), ['check', 'rules', ...names.map((_, i) => `${i}.yml`)], { cwd: dir, encoding: 'utf8' });
    const verdicts: Record<string, RuleFileVerdict> = {};
    names.forEach((name, i) => {
      const success = new RegExp(`^Checking ${i}\\.yml\\n {2}(SUCCESS: .*)$`, 'm').exec(run.stdout);
      const failure = new RegExp(`^${i}\\.yml: (.*)$`, 'm').exec(run.stderr);
      verdicts[name] = success ? { ok: true, message: success[1]! } : { ok: false, message: failure?.[1] ?? `${run.stdout}${run.stderr}` };
    });
    return verdicts;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `promtool test rules` on a unit-test file (YAML text) and the rule files it names (file name → YAML text),
 * all in one folder. Throws with promtool's own report when a test fails.
 */
export function promtoolTestRules(testFile: string, ruleFiles: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-rule-tests-'));
  try {
    for (const [name, content] of Object.entries(ruleFiles)) writeFileSync(join(dir, name), content);
    writeFileSync(join(dir, 'tests.yml'), testFile);
    const run = spawnSync(findBinary('promtool'), ['test', 'rules', 'tests.yml'], { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`promtool test rules failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    return run.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Backfills OpenMetrics text (samples with timestamps, `# EOF` at the end) into TSDB blocks in `dataDir`
 * with `promtool tsdb create-blocks-from openmetrics`, for a Prometheus started on that folder.
 */
export function backfillOpenMetrics(text: string, dataDir: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-backfill-'));
  try {
    writeFileSync(join(dir, 'history.om'), text);
    const run = spawnSync(findBinary('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), dataDir], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
