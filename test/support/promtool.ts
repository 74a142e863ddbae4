import { execFileSync } from 'node:child_process';
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
