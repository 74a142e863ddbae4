import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { docSection } from '../support/readme.js';

const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const ROOT = new URL('../../', import.meta.url);

/** What src/index.ts exports, as the compiler resolves it (an `export *` included). */
function exportedNames(): string[] {
  const program = ts.createProgram([INDEX], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, strict: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(INDEX)!)!;
  return checker.getExportsOfModule(module).map((symbol) => symbol.name).sort();
}

/** The names the "API reference" section lists: the code spans of each item, before the colon that starts its description. */
function referencedNames(): string[] {
  const items = docSection('docs/library.md', 'API reference')
    .split('\n')
    .filter((line) => line.startsWith('- '));
  expect(items.length).toBeGreaterThan(10);
  return items.flatMap((item) => [...item.slice(0, item.search(/(?<=`|\))\s*:\s/)).matchAll(/`([A-Za-z_$][\w$]*)`/g)].map((match) => match[1]!)).sort();
}

/** Every name a code block of the README or a docs/ page imports from the package. */
function importedInDocs(): { page: string; name: string }[] {
  const pages = ['README.md', ...readdirSync(new URL('docs/', ROOT)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
  return pages.flatMap((page) =>
    [...readFileSync(new URL(page, ROOT), 'utf8').matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'simplepipe'/g)].flatMap((match) =>
      match[1]!
        .split(',')
        .map((name) => name.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!)
        .filter((name) => name !== '')
        .map((name) => ({ page, name })),
    ),
  );
}

describe('the public API', () => {
  const exported = exportedNames();

  it('is what docs/library.md lists under "API reference", no more and no less', () => {
    const listed = referencedNames();
    expect(new Set(listed).size, 'a name listed twice').toBe(listed.length);
    expect({ exportedButNotListed: exported.filter((name) => !listed.includes(name)), listedButNotExported: listed.filter((name) => !exported.includes(name)) }).toEqual({
      exportedButNotListed: [],
      listedButNotExported: [],
    });
  });

  it('exports every name the README and the docs/ pages import from simplepipe', () => {
    const imported = importedInDocs();
    expect(imported.map(({ name }) => name)).toContain('MetricCollector');
    expect(imported.filter(({ name }) => !exported.includes(name))).toEqual([]);
  });

  it('is a short list, each name exported by name with a doc comment, none through export *', () => {
    const text = readFileSync(INDEX, 'utf8');
    const source = ts.createSourceFile(INDEX, text, ts.ScriptTarget.ES2023, true);
    const undocumented: string[] = [];
    for (const statement of source.statements) {
      if (!ts.isExportDeclaration(statement)) continue;
      expect(statement.exportClause, 'an export * would export whatever the module adds').toBeDefined();
      for (const specifier of (statement.exportClause as ts.NamedExports).elements) {
        const comments = ts.getLeadingCommentRanges(text, specifier.getFullStart()) ?? [];
        if (!comments.some((range) => text.startsWith('/**', range.pos))) undocumented.push(specifier.name.text);
      }
    }
    expect(undocumented).toEqual([]);
    expect(exported.length).toBeLessThan(80);
  });
});
