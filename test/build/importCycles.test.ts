import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../support/importGraph.js';

const SOURCE = join(import.meta.dirname, '../../src');

describe('the import graph of src/', () => {
  it('has no cycle: each stage imports only what comes before it', () => {
    const graph = importGraph(SOURCE);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});

describe('importCycles', () => {
  const root = mkdtempSync(join(tmpdir(), 'import-cycles-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(root, 'case-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it('finds a cycle through a type import, a re-export and a folder', () => {
    const dir = write({
      'a.ts': "import { b } from './sub/b.js';\nexport const a = b;\n",
      'sub/b.ts': "export { c as b } from '../c.js';\n",
      'c.ts': "import type { A } from './a.js';\nexport const c: A | 1 = 1;\n",
      'd.ts': "import { a } from './a.js';\nexport const d = a;\n",
    });
    expect(importCycles(importGraph(dir))).toEqual([['a.ts', 'sub/b.ts', 'c.ts', 'a.ts']]);
  });

  it('finds a cycle through a dynamic import, and one of a file importing itself', () => {
    const dir = write({
      'x.ts': "export const load = () => import('./y.js');\n",
      'y.ts': "import { load } from './x.js';\nexport const y = load;\n",
      'self.ts': "import { self } from './self.js';\nexport { self };\n",
    });
    expect(importCycles(importGraph(dir)).sort()).toEqual([['self.ts', 'self.ts'], ['x.ts', 'y.ts', 'x.ts']]);
  });

  it('finds none in a graph without one, however its files are shared', () => {
    const dir = write({
      'top.ts': "import { l } from './left.js';\nimport { r } from './right.js';\nexport const top = [l, r];\n",
      'left.ts': "import { base } from './base.js';\nexport const l = base;\n",
      'right.ts': "import { base } from './base.js';\nexport const r = base;\n",
      'base.ts': "import { readFileSync } from 'node:fs';\nexport const base = readFileSync;\n",
    });
    expect(importCycles(importGraph(dir))).toEqual([]);
  });
});
