import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { yamlFiles } from '../workflows/manifests.js';

/** NODE_DEBUG=http (or net, tls, undici...) makes Node print every request's headers, Authorization among them. */
describe('nothing shipped sets NODE_DEBUG', () => {
  it.each(['Dockerfile', ...yamlFiles()])('%s', (path) => {
    const text = readFileSync(path.startsWith('/') ? path : new URL(`../../${path}`, import.meta.url), 'utf8');
    expect(text).not.toMatch(/NODE_DEBUG/);
  });
});
