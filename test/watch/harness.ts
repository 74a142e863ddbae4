import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LogFields, Logger } from '../../src/log.js';
import type { GatewayGroup } from '../support/pushgateway.js';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps every line, and waits for the lines to say something: a condition, not a sleep. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields: LogFields = {}) => void lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const count = (pattern: RegExp, level?: LogLine['level']): number =>
    lines.filter((line) => (level === undefined || line.level === level) && pattern.test(line.message)).length;
  const when = async (until: () => boolean, what: string, timeoutMs = 20_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!until()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; the watcher logged:\n${lines.map((l) => `${l.level}: ${l.message}`).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { logger, lines, count, when, pushes: () => count(/^(pushed|wrote) /, 'info'), invalid: () => count(/^not pushed \(/, 'warn') };
}

/** What metricWriter.py writes at step `step`: three metrics that agree with each other. */
export function trainingDocument(step: number): string {
  return JSON.stringify({
    labels: { run: 'watch-test' },
    metrics: [
      { name: 'train_step', description: 'training step', value: step, metric_type: 'gauge' },
      { name: 'train_loss', description: 'loss', value: 1 / (step + 1), metric_type: 'gauge' },
      { name: 'train_samples_total', description: 'samples seen', value: step * 32, metric_type: 'counter' },
    ],
  });
}

export interface TrainingSnapshot {
  step: number;
  /** All three metrics are there and agree: the push was of one whole version of the file. */
  whole: boolean;
  pushTime: number;
}

/** The training metrics of a group as the gateway holds them. */
export function trainingSnapshot(group: GatewayGroup): TrainingSnapshot {
  const value = (name: string): number | undefined => {
    const family = group[name] as { metrics?: { value?: string }[] } | undefined;
    const text = family?.metrics?.[0]?.value;
    return text === undefined ? undefined : Number(text);
  };
  const [step, loss, samples, pushTime] = ['train_step', 'train_loss', 'train_samples_total', 'push_time_seconds'].map(value);
  const whole = step !== undefined && loss !== undefined && samples !== undefined && Math.abs(loss - 1 / (step + 1)) < 1e-9 && Math.abs(samples - step * 32) < 1e-6;
  return { step: step ?? Number.NaN, whole, pushTime: pushTime ?? Number.NaN };
}

const WRITER = fileURLToPath(new URL('./metricWriter.py', import.meta.url));

/**
 * Runs metricWriter.py in Debian's python3 for `steps` steps, each after `burst` passing versions. At each
 * of its pauses ("half 3": the file is half-written; "settled 3": step 3 is whole) it waits for `on` to have
 * checked what it must, then lets the writer go on. Resolves with the steps settled on, once it has exited 0.
 */
export async function runWriter(
  path: string,
  mode: 'in-place' | 'rename',
  { steps, burst }: { steps: number; burst: number },
  on: { half: (step: number) => Promise<void>; settled: (step: number) => Promise<void> },
): Promise<number[]> {
  const child = spawn('/usr/bin/python3', [WRITER, path, mode, String(steps), String(burst)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const settled: number[] = [];
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      const [what, number] = line.split(' ');
      const step = Number(number);
      if (what === 'half') await on.half(step);
      else {
        await on.settled(step);
        settled.push(step);
      }
      child.stdin.write('\n');
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`metricWriter.py exited with ${code}`);
  return settled;
}
