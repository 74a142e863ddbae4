import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempFile } from '../support/files.js';
import { runMain } from '../support/runMain.js';

const example = (name: string): string => readFileSync(fileURLToPath(new URL(`../../examples/${name}`, import.meta.url)), 'utf8');

/**
 * Every command that reads a metric file reads every format, and takes the format from the same choice:
 * `--format` where the command prints no format of its own, `--input-format` where `--format` names its output.
 */
const COMMANDS_READING_INPUT: [string, (file: string, flag: string[]) => string[]][] = [
  ['push --dry-run', (file, flag) => [file, '--dry-run', ...flag]],
  ['validate', (file, flag) => ['validate', file, ...flag]],
  ['dashboard', (file, flag) => ['dashboard', file, 'train', ...flag]],
  // A JSON Lines or KFP file cannot say how often it is pushed; --every does.
  ['rules', (file, flag) => ['rules', file, 'train', '--every', '1d', ...flag]],
];
const formatFlag = (command: string): string => (command === 'dashboard' || command === 'rules' ? '--input-format' : '--format');

describe.each(COMMANDS_READING_INPUT)('%s', (command, args) => {
  it.each([
    ['jsonl', example('metrics.jsonl')],
    ['kfp', example('mlpipeline-metrics.json')],
    ['json', example('training-run.json')],
  ])('reads a %s file named .txt when told its format', async (format, content) => {
    const file = tempFile(content, 'metrics.txt');
    const run = await runMain(args(file, [formatFlag(command), format]));
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
  });

  it('refuses a format that does not fit the file with 65, naming the file', async () => {
    const file = tempFile(example('training-run.json'), 'metrics.txt');
    const run = await runMain(args(file, [formatFlag(command), 'jsonl']));
    expect(run.code).toBe(65);
    expect(run.stderr).toContain(file);
  });
});
