import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { unpackInput } from '../../src/source/unpack.js';

const text = Buffer.from('[{"name": "a", "description": "d", "value": 1, "metric_type": "gauge"}]');

/** A tar archive made by GNU tar of `files` (name → content), gzipped when asked. */
function tarOf(files: Record<string, string>, gzip = false): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-unpack-'));
  mkdirSync(join(dir, 'in'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, 'in', name), content);
  return execFileSync('tar', [gzip ? '-cz' : '-c', '-f', '-', '-C', join(dir, 'in'), ...Object.keys(files)]);
}

async function refusal(bytes: Buffer, maxBytes = 1 << 20): Promise<DataError> {
  const error: unknown = await unpackInput(bytes, 'm', maxBytes).then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('unpacking an input by its magic bytes', () => {
  it('leaves plain text as it is, and unpacks gzip, tar and tar+gzip to the one file they hold', async () => {
    expect(await unpackInput(text, 'm', 1 << 20)).toEqual({ bytes: text });
    expect(await unpackInput(gzipSync(text), 'm', 1 << 20)).toEqual({ bytes: text, packing: 'gzip' });
    expect(await unpackInput(tarOf({ 'metric-in.json': text.toString() }), 'm', 1 << 20)).toEqual({ bytes: text, packing: 'tar', name: 'metric-in.json' });
    expect(await unpackInput(tarOf({ 'metrics.jsonl': text.toString() }, true), 'm', 1 << 20)).toEqual({ bytes: text, packing: 'tar+gzip', name: 'metrics.jsonl' });
  });

  it('reads concatenated gzip members as one stream, as gunzip does', async () => {
    const unpacked = await unpackInput(Buffer.concat([gzipSync(text.subarray(0, 10)), gzipSync(text.subarray(10))]), 'm', 1 << 20);
    expect(unpacked.bytes).toEqual(text);
  });

  it('65: a gzip stream cut short, an archive of two files, a decompressed size past the limit', async () => {
    const gzipped = gzipSync(text);
    expect((await refusal(gzipped.subarray(0, gzipped.length - 12))).message).toMatch(/^m starts as gzip but cannot be decompressed: /);
    expect((await refusal(tarOf({ 'a.json': '1', 'b.json': '2' }))).message).toMatch(/^m is a tar archive of 2 files \(a\.json, b\.json\)/);
    expect((await refusal(gzipSync(Buffer.alloc(4 << 20)), 1 << 20)).message).toBe('input m (decompressed) is larger than maxInputBytes 1048576 (more than that)');
  });
});
