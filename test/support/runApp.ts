import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The built bundle the tests run, exactly as the container runs it. */
export const APP = fileURLToPath(new URL('../../dist/app.js', import.meta.url));

/** Settings of the test machine's own environment that would send a run elsewhere: every run starts without them. */
export const CLEARED_VARIABLES = ['PUSHGATEWAY_URL', 'PUSH_GATEWAY_HOSTNAME', 'PUSHGATEWAY_USERNAME', 'PUSHGATEWAY_PASSWORD', 'REMOTE_WRITE_USERNAME', 'REMOTE_WRITE_PASSWORD'] as const;

export interface AppRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Bytes for stdin, or a stream piped into it (for inputs too large to hold). */
  stdin?: string | Buffer | Readable;
  cwd?: string;
  /** Send SIGTERM after this many ms. */
  sigtermAfterMs?: number;
  /** Called with the app's stderr so far, each time more arrives: lets a test wait for a step. */
  onStderr?: (stderrSoFar: string) => void;
  /** Send SIGTERM once this settles: a readiness signal, not a guess at timing. Several: one SIGTERM as each settles, in order. */
  sigtermWhen?: Promise<unknown> | Promise<unknown>[];
  /** Send SIGKILL once this settles: a kill the app cannot see coming (an OOM kill, an evicted pod). */
  sigkillWhen?: Promise<unknown>;
  timeoutMs?: number;
  /** Run this script instead of dist/app.js. */
  script?: string;
}

/**
 * Runs `node dist/app.js ...args` with the Node running the tests (so CI's Node 24 pass runs the app on
 * Node 24 too). The environment starts clean of gateway settings unless the test sets them.
 */
export function runApp(args: string[], options: RunOptions = {}): Promise<AppRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of CLEARED_VARIABLES) delete env[key];
  Object.assign(env, options.env);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.script ?? APP, ...args], {
      cwd: options.cwd,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      options.onStderr?.(stderr);
    });
    child.stdin.on('error', () => {});
    if (options.stdin instanceof Readable) {
      options.stdin.on('error', () => {});
      options.stdin.pipe(child.stdin);
    } else child.stdin.end(options.stdin ?? '');
    const timers: NodeJS.Timeout[] = [];
    void [options.sigtermWhen ?? []].flat().reduce<Promise<unknown>>((previous, next) => previous.then(() => next).then(() => child.kill('SIGTERM')), Promise.resolve());
    void options.sigkillWhen?.then(() => child.kill('SIGKILL'));
    if (options.sigtermAfterMs !== undefined) timers.push(setTimeout(() => child.kill('SIGTERM'), options.sigtermAfterMs));
    timers.push(setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      timers.forEach(clearTimeout);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}
