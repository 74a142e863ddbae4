import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** `--flag` in text: two dashes and a lower-case letter, not inside a longer run of dashes or a word. */
const FLAG = /(?<![\w-])--[a-z][\w.-]*/g;

/**
 * The `--flags` a library module (outside src/cli/) may still write in a string, each with why. The library
 * names its options (`tls.caFile`) and a command line renders them as its flags (errors' OptionMessage,
 * `nameOption`); what is left here is no simplepipe flag at all, or is no message (a command, data).
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  // Flags of other programs, named as their users know them: Node's V8 heap flag read from NODE_OPTIONS,
  // the Pushgateway's route prefix, Prometheus's remote-write receiver switch.
  'memory.ts': ['--max-old-space-size', '--max-old-space-size'],
  'sink/pushgateway/responses.ts': ['--web.route-prefix'],
  'sink/remoteWrite/receiver.ts': ['--web.enable-remote-write-receiver'],
  // The header of a generated rule file says how to regenerate it: a command, not a message.
  'generate/ruleFile.ts': ['--namespace'],
  // Data, not messages: the HELP text pushed with an inline metric, and where an inline record was written
  // (its place and the input's origin), which validate/ reads back by the `--metric ` prefix to sort issues
  // (validate/index.ts sortByPointer: inline records are appended after a file's, so their issues sort last;
  // the prefix is the place source/ wrote, not a message's wording, and reads the same for every caller).
  'source/inline.ts': ['--metric', '--metric'],
  'source/index.ts': ['--metric', '--metric'],
  'validate/index.ts': ['--metric'],
};

function tsFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.split('\\').join('/'))
    .sort();
}

/** Every `--flag` in the string and template literals of a module's text (comments are not read), in order. */
function flagsInStrings(text: string): string[] {
  const source = ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
      for (const match of node.text.matchAll(FLAG)) found.push(match[0]);
    }
    node.forEachChild(visit);
  };
  visit(source);
  return found;
}

describe('the library names its options, never a command line’s flags', () => {
  const library = tsFiles(SRC).filter((file) => !file.startsWith('cli/'));

  it('no string of a module outside src/cli/ holds a --flag beyond the commented allow-list', () => {
    const found = Object.fromEntries(
      library.map((file) => [file, flagsInStrings(readFileSync(join(SRC, file), 'utf8'))] as const).filter(([, flags]) => flags.length > 0),
    );
    expect(found).toEqual(ALLOWED);
  });

  it('the scan sees a flag in a string, a template and a thrown message, and none in a comment or a dash rule', () => {
    const text = [
      "const a = 'give --ca-file';",
      'const b = `lower --max-samples-per-request ${1}`;',
      "throw new Error(`x ${'y'} --password-file`);",
      '// --not-a-string',
      "const rule = '---';",
      "const word = 'e--mail';",
    ].join('\n');
    const found = flagsInStrings(text);
    expect(found).toEqual(['--ca-file', '--max-samples-per-request', '--password-file']);
  });
});
