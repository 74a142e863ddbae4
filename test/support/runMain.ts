import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { VERSION } from '../../src/version.js';
import { CLEARED_VARIABLES, type AppRun } from './runApp.js';

export interface MainRunOptions {
  /** Added to the test process's environment (a copy: process.env is never changed). */
  env?: Record<string, string | undefined>;
  /** Bytes for stdin, or a stream read as it. Without it, stdin is empty, as runApp's is. */
  stdin?: string | Buffer | Readable;
  /** Called with the run's stderr so far, each time more arrives: lets a test wait for a step. */
  onStderr?: (stderrSoFar: string) => void;
  /** Stop the run after this many ms (default 60 s), as a SIGTERM would: it ends promptly with its exit code. */
  timeoutMs?: number;
}

/**
 * Runs the CLI in this process, through `main(argv, io)`: the same result as `runApp` (code, stdout,
 * stderr, durationMs) without starting Node and loading the bundle for each run. For tests of exit codes,
 * messages and outputs; what only a process shows (signals, the memory guard's heap, the bundle itself,
 * piping into a real stdin) stays with runApp.
 *
 * Every run gets its own environment object, streams and stop signal, so runs are independent of one
 * another and of the test process: nothing here reads or writes process.env, process.stdin or the exit code.
 */
export async function runMain(args: readonly string[], options: MainRunOptions = {}): Promise<AppRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of CLEARED_VARIABLES) delete env[key];
  Object.assign(env, options.env);
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];

  let stdout = '';
  let stderr = '';
  const stdin = options.stdin instanceof Readable ? options.stdin : Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const stop = new AbortController();
  const force = new AbortController();
  const timer = setTimeout(() => stop.abort(new Error(`runMain: no exit within ${options.timeoutMs ?? 60_000} ms`)), options.timeoutMs ?? 60_000);
  const started = performance.now();
  const code = await main(
    args,
    {
      stdout: (text) => (stdout += text),
      stderr: (text) => {
        stderr += text;
        options.onStderr?.(stderr);
      },
      env: env as NodeJS.ProcessEnv,
      stdin,
      signal: stop.signal,
      forceSignal: force.signal,
    },
    VERSION,
  ).finally(() => clearTimeout(timer));
  return { code, signal: null, stdout, stderr, durationMs: performance.now() - started };
}
