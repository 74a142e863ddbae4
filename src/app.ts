#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from './cli/main.js';
import { VERSION } from './version.js';

// undici reads HTTP responses with a WebAssembly parser. V8 would re-compile it optimised in the
// background, and Node waits for that compile before it exits: 50 to 100 ms added to every push, for
// a parser that reads one short response. The baseline compiler alone is ample for that.
setFlagsFromString('--liftoff-only');

// On Node before 22, the AWS SDK prints an eight-line notice at the first s3:// input: SDK versions
// published after January 2027 will need Node 22. The SDK bundled here is not one of them, so the CLI
// keeps its Node 20 support quiet, through the SDK's documented switch; a user who sets it keeps theirs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

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
  VERSION,
);
process.exitCode = code;
