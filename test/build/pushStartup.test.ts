import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

/**
 * A preload (NODE_OPTIONS' --require) that notes, as the process exits, whether anything read
 * `process.stdin`: the getter opens the stream, 5 ms of a 10-record push (bench/README.md).
 */
const STDIN_PROBE = tempFile(
  [
    "const own = Object.getOwnPropertyDescriptor(process, 'stdin');",
    'let opened = false;',
    "Object.defineProperty(process, 'stdin', { configurable: true, enumerable: own.enumerable, get() { opened = true; return own.get.call(process); } });",
    "process.on('exit', () => process.stderr.write(`\\nstdin-opened=${opened}\\n`));",
  ].join('\n'),
  'stdin-probe.cjs',
);

async function stdinOpened(args: string[], stdin?: string): Promise<{ code: number | null; opened: string | undefined }> {
  const run = await runApp(args, { env: { NODE_OPTIONS: `--require ${STDIN_PROBE}` }, stdin });
  return { code: run.code, opened: /stdin-opened=(\w+)/.exec(run.stderr)?.[1] };
}

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

describe('what a push of a file leaves alone at start-up', () => {
  it('stdin: a push, a dry run and validate of a file never open it', async () => {
    const file = tempFile(SIMPLEPIPE_EXAMPLE);
    expect(await stdinOpened([file, 'no_stdin', '--gateway', gateway.url])).toEqual({ code: 0, opened: 'false' });
    expect(await gateway.group({ job: 'no_stdin' })).toBeDefined();
    expect(await stdinOpened([file, '--dry-run'])).toEqual({ code: 0, opened: 'false' });
    expect(await stdinOpened(['validate', file])).toEqual({ code: 0, opened: 'false' });
  });

  it('is seen by the probe: a push of - reads stdin', async () => {
    expect(await stdinOpened(['-', 'from_stdin', '--gateway', gateway.url], JSON.stringify(SIMPLEPIPE_EXAMPLE))).toEqual({ code: 0, opened: 'true' });
    expect(await gateway.group({ job: 'from_stdin' })).toBeDefined();
  });
});
