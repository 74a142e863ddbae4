import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../../support/files.js';
import { useGatewayBehindProxy } from '../../support/gatewayFixture.js';
import { APP, runApp } from '../../support/runApp.js';

/**
 * Statements at the top level of each encoder package, as they stand in the bundle: they run when, and only
 * when, the package is evaluated. Library text, not names the minifier chooses.
 */
const MODULE_BODIES = {
  protobufjs: 'build="light"',
  snappyjs: '"Argument compressed must be type of ArrayBuffer, Buffer, or Uint8Array"',
};

interface Range {
  startOffset: number;
  endOffset: number;
  count: number;
}

/**
 * Runs dist/app.js under V8's precise coverage (NODE_V8_COVERAGE) and tells, for each package, whether the
 * code at its marker ran: the count of the innermost covered range holding the marker's offset.
 */
async function evaluatedPackages(args: string[]): Promise<{ code: number | null; evaluated: Record<string, boolean> }> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-coverage-'));
  try {
    const run = await runApp(args, { env: { NODE_V8_COVERAGE: dir } });
    const url = pathToFileURL(APP).href;
    const ranges: Range[] = readdirSync(dir).flatMap((file) => {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { result: { url: string; functions: { ranges: Range[] }[] }[] };
      return report.result.filter((script) => script.url === url).flatMap((script) => script.functions.flatMap((fn) => fn.ranges));
    });
    expect(ranges.length).toBeGreaterThan(0);
    const bundle = readFileSync(APP, 'utf8');
    const evaluated = Object.fromEntries(
      Object.entries(MODULE_BODIES).map(([name, marker]) => {
        const offset = bundle.indexOf(marker);
        expect(offset, `${name}'s marker is in the bundle`).toBeGreaterThan(0);
        expect(bundle.indexOf(marker, offset + 1), `${name}'s marker is unique`).toBe(-1);
        const innermost = ranges
          .filter((range) => range.startOffset <= offset && offset < range.endOffset)
          .sort((a, b) => a.endOffset - a.startOffset - (b.endOffset - b.startOffset))[0];
        return [name, (innermost?.count ?? 0) > 0];
      }),
    );
    return { code: run.code, evaluated };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixture = useGatewayBehindProxy();

describe('the remote-write encoders (protobufjs, snappyjs) in the bundle', () => {
  it('are never evaluated by a Pushgateway push', async () => {
    const run = await evaluatedPackages([tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--gateway', fixture.gateway.url]);
    expect(run.code).toBe(0);
    expect(run.evaluated).toEqual({ protobufjs: false, snappyjs: false });
  });

  it('are never evaluated by validate or by a remote-write --dry-run, which encode nothing', async () => {
    expect((await evaluatedPackages(['validate', tempFile(SIMPLEPIPE_EXAMPLE)])).evaluated).toEqual({ protobufjs: false, snappyjs: false });
    const dry = await evaluatedPackages([tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--dry-run']);
    expect(dry).toEqual({ code: 0, evaluated: { protobufjs: false, snappyjs: false } });
  });

  it('are evaluated by a remote write, which encodes before it sends (the check sees them when they load)', async () => {
    // Nothing listens on port 1: the write fails at once, after encoding.
    const run = await evaluatedPackages([tempFile(SIMPLEPIPE_EXAMPLE), 'lazy', '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--retries', '0']);
    expect(run).toEqual({ code: 75, evaluated: { protobufjs: true, snappyjs: true } });
  });
});
