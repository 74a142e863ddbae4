#!/usr/bin/env node
// First, before anything else is evaluated: see stopSignal.ts.
import { forceSignal, stopSignal } from './cli/stopSignal.js';
import { main } from './cli/main.js';
import { VERSION } from './version.js';

// On Node before 22, the AWS SDK prints an eight-line notice at the first s3:// input: SDK versions
// published after January 2027 will need Node 22. The SDK bundled here is not one of them, so the CLI
// keeps its Node 20 support quiet, through the SDK's documented switch; a user who sets it keeps theirs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const code = await main(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    signal: stopSignal,
    forceSignal,
  },
  VERSION,
);
process.exitCode = code;
