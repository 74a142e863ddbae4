import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of the .ts files under `root`: for each file (relative to `root`), the files it imports.
 * Every kind of import counts, `import type` and `export … from` and `import('…')` included: a cycle
 * through types alone still ties two modules together, and is how a runtime one starts.
 */
export function importGraph(root: string): Map<string, string[]> {
  const files = tsFiles(root);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const imported = new Set<string>();
    for (const match of text.matchAll(IMPORT_SPECIFIER)) {
      const specifier = match[1] ?? match[2]!;
      if (!specifier.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(file), specifier)).replace(/\.js$/, '.ts');
      if (known.has(target)) imported.add(target);
    }
    graph.set(file, [...imported].sort());
  }
  return graph;
}

/** `from '…'` ends every static import and re-export; `import('…')` is a dynamic one. */
const IMPORT_SPECIFIER = /\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function tsFiles(root: string, under = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(join(root, under), { withFileTypes: true })) {
    const path = under === '' ? entry.name : `${under}/${entry.name}`;
    if (entry.isDirectory()) files.push(...tsFiles(root, path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files.sort();
}

/**
 * Every cycle of the graph, each once, as the files along it with the first repeated at the end
 * (`a.ts → b.ts → a.ts`): the strongly connected components (Tarjan) of more than one file, or of one
 * that imports itself, each shown by one cycle through it.
 */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) components.push(component.sort());
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components.map((component) => cycleThrough(component, graph));
}

/** One cycle inside a strongly connected component, from its first file back to it (breadth first: the shortest). */
function cycleThrough(component: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    for (const next of graph.get(queue[at]!) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let file = queue[at]!; file !== start; file = previous.get(file)!) path.splice(1, 0, file);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, queue[at]!);
        queue.push(next);
      }
    }
  }
  return [...component];
}
