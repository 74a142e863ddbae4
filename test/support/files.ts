import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `content` (JSON-encoded unless a string or bytes) to a fresh temporary file and returns its path. */
export function tempFile(content: unknown, name = 'metrics.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-test-'));
  const path = join(dir, name);
  const data = typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content);
  writeFileSync(path, data);
  return path;
}

/** Simplepipe's own example metric file, byte for byte the format the Python tool read. */
export const SIMPLEPIPE_EXAMPLE = [
  { name: 'simple', description: 'generated random integer', value: '6', metric_type: 'gauge' },
];
