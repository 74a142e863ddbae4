#!/usr/bin/env node
import { getEventListeners } from 'node:events';
import { main } from './cli/main.js';
import { VERSION } from './version.js';

// On Node before 22, the AWS SDK prints an eight-line notice at the first s3:// input: SDK versions
// published after January 2027 will need Node 22. The SDK bundled here is not one of them, so the CLI
// keeps its Node 20 support quiet, through the SDK's documented switch; a user who sets it keeps theirs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const controller = new AbortController();
const force = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (!controller.signal.aborted) {
    controller.abort(new Error(`received ${signal}`));
    return;
  }
  for (const name of SIGNALS) process.removeListener(name, onSignal);
  // A command finishing its work on the first signal (watch) stops at once on the second; any other
  // command ends as it would without these handlers, by the signal's default action.
  if (getEventListeners(force.signal, 'abort').length > 0) force.abort(new Error(`received ${signal} again`));
  else process.kill(process.pid, signal);
};
for (const name of SIGNALS) process.on(name, onSignal);

const code = await main(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: controller.signal,
    forceSignal: force.signal,
  },
  VERSION,
);
process.exitCode = code;
