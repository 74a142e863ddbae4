#!/usr/bin/env node
import { main } from './cli/main.js';

declare const SIMPLEPIPE_VERSION: string;

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}

const code = await main(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: controller.signal,
  },
  typeof SIMPLEPIPE_VERSION === 'string' ? SIMPLEPIPE_VERSION : 'dev',
);
process.exitCode = code;
