import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCKERFILE = fileURLToPath(new URL('../../Dockerfile', import.meta.url));

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions: comments dropped, `\` continuations joined, ARGs before FROM kept apart. */
export function parseDockerfile(text = readFileSync(DOCKERFILE, 'utf8')): { globalArgs: Record<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [from = '', as, name] = args.split(/\s+/);
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else if (stages.length === 0) {
      if (upper !== 'ARG') throw new Error(`Dockerfile: ${keyword} before the first FROM`);
      const [key = '', value = ''] = args.split('=');
      globalArgs[key] = value;
    } else {
      stages.at(-1)!.instructions.push({ keyword: upper, args });
    }
  }
  return { globalArgs, stages };
}

/** A file the final stage copies: where it comes from in the repository, and where it lands in the image. */
export interface CopiedFile {
  source: string;
  target: string;
}

/** The last WORKDIR set in a stage (absolute), as later relative paths resolve against it. */
export function workdir(stage: Stage): string {
  const set = stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1);
  return set ? set.args : '/';
}

/**
 * Resolves the final stage's COPY lines into repository files: a `--from=<stage>` source is taken back
 * through that stage's WORKDIR to the repository path its build wrote (`/src/dist/app.js` → `dist/app.js`);
 * a plain source is already a repository path. Only single files are supported, which keeps the image explicit.
 */
export function finalStageFiles(parsed = parseDockerfile()): CopiedFile[] {
  const final = parsed.stages.at(-1);
  if (!final) throw new Error('Dockerfile has no FROM');
  let target = '/';
  const files: CopiedFile[] = [];
  for (const instruction of final.instructions) {
    if (instruction.keyword === 'WORKDIR') target = posix.resolve(target, instruction.args);
    if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') continue;
    if (instruction.keyword === 'ADD') throw new Error('the final stage uses ADD: use COPY, whose sources are explicit');
    const words = instruction.args.split(/\s+/);
    const flags = words.filter((word) => word.startsWith('--'));
    const [source, destination, ...extra] = words.filter((word) => !word.startsWith('--'));
    if (!source || !destination || extra.length > 0) throw new Error(`COPY ${instruction.args}: expected one source and one destination`);
    const from = flags.find((flag) => flag.startsWith('--from='))?.slice('--from='.length);
    // A destination that names a folder (`.`, `./`, `dir/`) keeps the source's file name, as docker does.
    const into = destination === '.' || destination.endsWith('/') ? posix.join(destination, posix.basename(source)) : destination;
    files.push({ source: repositoryPath(parsed.stages, from, source), target: posix.resolve(target, into) });
  }
  return files;
}

function repositoryPath(stages: Stage[], from: string | undefined, source: string): string {
  if (from === undefined) return source;
  const stage = stages.find((s) => s.name === from);
  if (!stage) throw new Error(`COPY --from=${from}: no stage of that name (copies from other images are not part of the repository)`);
  const root = `${workdir(stage)}/`;
  if (!source.startsWith(root)) throw new Error(`COPY --from=${from} ${source}: not under that stage's WORKDIR ${root}`);
  return source.slice(root.length);
}

/** The final stage's ENV settings (one NAME=value per ENV line, as this Dockerfile writes them). */
export function finalStageEnv(parsed = parseDockerfile()): Record<string, string> {
  const final = parsed.stages.at(-1)!;
  const lines = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}
