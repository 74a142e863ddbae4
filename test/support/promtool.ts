import { execFileSync, spawnSync } from 'node:child_process';
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
