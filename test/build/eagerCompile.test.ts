import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { APP, runApp } from '../support/runApp.js';

interface FunctionCoverage {
  functionName: string;
  ranges: { startOffset: number; endOffset: number; count: number }[];
}

/** The functions of dist/app.js that a run of it called, by their offset in the bundle, from V8's coverage. */
async function calledFunctions(args: string[]): Promise<{ code: number | null; called: Set<number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'simplepipe-coverage-'));
  try {
    const run = await runApp(args, { env: { NODE_V8_COVERAGE: dir } });
    const url = pathToFileURL(APP).href;
    const scripts = readdirSync(dir).flatMap((file) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { result: { url: string; functions: FunctionCoverage[] }[] }).result);
    const functions = scripts.find((script) => script.url === url)?.functions ?? [];
    return { code: run.code, called: new Set(functions.filter((fn) => fn.ranges[0]!.count > 0).map((fn) => fn.ranges[0]!.startOffset)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bundle's top-level function declarations and its arrow functions, each said to be in parentheses or not. */
function functionsOfTheBundle(): { start: number; name: string; parenthesized: boolean }[] {
  const source = readFileSync(APP, 'utf8');
  const parsed = ts.createSourceFile(APP, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: { start: number; name: string; parenthesized: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.parent === parsed && node.asteriskToken === undefined) {
      found.push({ start: node.getStart(parsed), name: `function ${node.name?.text}`, parenthesized: false });
    } else if ((ts.isFunctionExpression(node) && ts.isVariableDeclaration(node.parent.parent)) || ts.isArrowFunction(node)) {
      const name = ts.isFunctionExpression(node) ? `function ${node.name?.text}` : `arrow at ${node.getStart(parsed)}`;
      found.push({ start: node.getStart(parsed), name, parenthesized: ts.isParenthesizedExpression(node.parent) || ts.isExpressionStatement(node.parent) });
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed);
  return found;
}

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

describe('the functions a push calls are compiled as the bundle loads (scripts/build.mjs)', () => {
  it('every top-level function and arrow function a push to a real gateway calls is written in parentheses, V8’s sign to compile it at once', async () => {
    const run = await calledFunctions([tempFile(SIMPLEPIPE_EXAMPLE), 'eager', '--gateway', gateway.url, '--grouping', 'instance=a']);
    expect(run.code).toBe(0);
    expect(await gateway.group({ job: 'eager', instance: 'a' })).toBeDefined();
    const functions = functionsOfTheBundle();
    const called = functions.filter((fn) => run.called.has(fn.start));
    expect(called.length, 'the push called functions of the bundle').toBeGreaterThan(100);
    expect(called.filter((fn) => !fn.parenthesized && !fn.name.startsWith('arrow at')).map((fn) => fn.name)).toEqual([]);
    // An arrow function that is a whole statement is left as it is; the rest are in parentheses.
    expect(called.filter((fn) => !fn.parenthesized).map((fn) => fn.name)).toEqual([]);
  });

  it('and only those: what a push never calls stays lazy, compiled when first called', () => {
    const functions = functionsOfTheBundle();
    expect(functions.filter((fn) => !fn.parenthesized).length).toBeGreaterThan(functions.filter((fn) => fn.parenthesized).length);
  });
});
