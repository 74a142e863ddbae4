import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { useGatewayBehindProxy } from '../support/gatewayFixture.js';
import { tempFile } from '../support/files.js';
import { boundedMemoryEnv, peakRssMiB } from '../support/memoryProbe.js';
import type { GatewayFamily } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

const fixture = useGatewayBehindProxy();

const HEAP_MIB = 64;
/** Runs the app on hostile input with a capped heap, through the counting proxy. */
async function refuse(input: string, options: { stdin?: Readable; flags?: string[] } = {}) {
  const before = fixture.sharedProxy.requests.length;
  const run = await runApp([input, 'hostile', '--gateway', fixture.sharedProxy.url, ...(options.flags ?? [])], {
    env: boundedMemoryEnv(HEAP_MIB),
    stdin: options.stdin,
  });
  return { ...run, requests: fixture.sharedProxy.requests.length - before };
}
const record = (fields: Record<string, unknown> = {}) => ({ name: 'h', description: 'd', value: 1, metric_type: 'gauge', ...fields });

/** A stream of `total` bytes made as it is read, so the test never holds the input either. */
function generatedStream(total: number): Readable {
  const chunk = Buffer.alloc(1 << 16, 0x20);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      sent += chunk.length;
      this.push(sent === chunk.length ? Buffer.concat([Buffer.from('['), chunk.subarray(1)]) : chunk);
    },
  });
}

describe('hostile input is refused with exit 65, within bounded memory, and nothing is pushed', () => {
  it('a regular file over --max-input-bytes is refused before it is read', async () => {
    const run = await refuse(tempFile(Buffer.alloc(3 * 1024 * 1024, 0x20)), { flags: ['--max-input-bytes', '1MiB'] });
    expect(run.stderr).toMatch(/is larger than --max-input-bytes 1048576 \(3145728 bytes\); nothing was pushed/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('a stdin stream four times the default 64 MiB limit is cut off at what the 64 MiB heap allows (71), not held whole', async () => {
    const run = await refuse('-', { stdin: generatedStream(256 * 1024 * 1024) });
    expect(run.stderr).toMatch(/stdin is larger than this process's memory allows .*; nothing was pushed exit=71/);
    expect(run.code).toBe(71);
    expect(run.requests).toBe(0);
    expect(peakRssMiB(run.stderr)).toBeLessThan(256);
  });

  it('JSON nested 200 000 levels deep', async () => {
    const run = await refuse(tempFile(`${'['.repeat(200_000)}${']'.repeat(200_000)}`));
    expect(run.stderr).toMatch(/\/0: must be object/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('a label value nested 100 000 objects deep', async () => {
    const deep = `${'{"a":'.repeat(100_000)}"x"${'}'.repeat(100_000)}`;
    const run = await refuse(tempFile(`[{"name":"h","description":"d","value":1,"metric_type":"gauge","labels":${deep}}]`));
    expect(run.stderr).toMatch(/\/0\/labels\/a: must be string/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('an array of two million non-records stops after the first 100 problems', async () => {
    const run = await refuse(tempFile(`[${Array(2_000_000).fill('1').join(',')}]`));
    expect(run.stderr).toMatch(/: more than 100 problems \(the first 100 below\); nothing was pushed: exit=65$/m);
    expect(run.stderr).toMatch(/\/99: must be object/);
    expect(run.stderr).not.toMatch(/\/100: must be object/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('[{"name":"h","description":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","value":1,"metric_type":"gauge"}]')]);
    const run = await refuse(tempFile(bytes));
    expect(run.stderr).toMatch(/is not valid UTF-8 \(at byte 28\); nothing was pushed/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('numbers beyond float64’s range, with --strict (without, a warning: test/cli/existingFiles.test.ts)', async () => {
    const run = await refuse(tempFile('[{"name":"h","description":"d","value":1e400,"metric_type":"gauge"}]'), { flags: ['--strict'] });
    expect(run.stderr).toMatch(/\/0\/value: 1e400 is too large for a float64 and is read as \+Inf/);
    expect(run.code).toBe(65);
    expect(run.requests).toBe(0);
  });

  it('__proto__ keys, as a label, a record field (refused with --strict; without, an ignored field) and a document field', async () => {
    const cases: [string, RegExp, string[]][] = [
      ['[{"name":"h","description":"d","value":1,"metric_type":"gauge","labels":{"__proto__":"x"}}]', /\/0\/labels\/__proto__: label names starting with "__" are reserved/, []],
      ['[{"name":"h","description":"d","value":1,"metric_type":"gauge","__proto__":{"labels":{"a":"b"}}}]', /\/0\/__proto__: is not a known field$/m, ['--strict']],
      ['{"__proto__":{"metrics":[]},"metrics":[{"name":"h","description":"d","value":1,"metric_type":"gauge"}]}', /\/__proto__: is not a known field$/m, []],
    ];
    for (const [text, message, flags] of cases) {
      const run = await refuse(tempFile(text), { flags });
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(65);
      expect(run.requests).toBe(0);
    }
  });
});

describe('hostile input that is valid is pushed exactly as written', () => {
  const family = async (job: string, name: string) => ((await fixture.gateway.group({ job })) as unknown as Record<string, GatewayFamily>)?.[name];

  it('accepts a UTF-8 byte-order mark', async () => {
    const run = await runApp([tempFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify([record()]))])), 'bom', '--gateway', fixture.gateway.url]);
    expect(run.code).toBe(0);
    expect((await family('bom', 'h'))?.metrics[0]?.value).toBe('1');
  });

  it('stores label text that tries to inject exposition lines byte-exact, with no extra series', async () => {
    const injection = '"} 1\nfake 1';
    const run = await runApp([tempFile([record({ labels: { v: injection } })]), 'injection', '--gateway', fixture.gateway.url]);
    expect(run.code).toBe(0);
    const group = await fixture.gateway.group({ job: 'injection' });
    expect((await family('injection', 'h'))?.metrics).toEqual([{ labels: { instance: '', job: 'injection', v: injection }, value: '1' }]);
    expect(Object.keys(group ?? {}).sort()).toEqual(['h', 'labels', 'last_push_successful', 'push_failure_time_seconds', 'push_time_seconds']);
  });

  it('takes "constructor", "toString", "valueOf" and "hasOwnProperty" as ordinary metric and label names', async () => {
    const labels = { constructor: 'c', toString: 't', hasOwnProperty: 'h' };
    const file = [
      record({ name: 'constructor', labels }),
      record({ name: 'toString', metric_type: 'info', value: labels }),
      record({ name: 'valueOf', metric_type: 'summary', value: [1, 2], labels }),
      record({ name: 'hasOwnProperty', metric_type: 'histogram', value: 1, labels }),
    ];
    const run = await runApp([tempFile(file), 'prototype_names', '--gateway', fixture.gateway.url, '--verify']);
    expect(run.code).toBe(0);
    for (const name of ['constructor', 'toString_info', 'valueOf', 'hasOwnProperty']) {
      expect((await family('prototype_names', name))?.metrics[0]?.labels).toMatchObject(labels);
    }
  });
});
