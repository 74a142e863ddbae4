import { UsageError } from '../errors.js';

const FLAG = '--args-json';

/**
 * Expands `--args-json=<JSON array of strings>` into the arguments it holds, where it stands. A container
 * step's args are a fixed list; this lets a template hand its caller's extra flags over in one
 * parameter (workflows/push-metrics.workflowtemplate.yaml), each kept whole, with no shell to split it.
 */
export function expandArgsJson(argv: readonly string[]): string[] {
  const expanded: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') return [...expanded, ...argv.slice(i)];
    if (arg !== FLAG && !arg.startsWith(`${FLAG}=`)) {
      expanded.push(arg);
      continue;
    }
    const text = arg === FLAG ? argv[(i += 1)] : arg.slice(FLAG.length + 1);
    if (text === undefined) throw new UsageError(`${FLAG} needs a JSON array of arguments, e.g. ${FLAG}='["--verify"]'`);
    expanded.push(...parseArgs(text));
  }
  return expanded;
}

function parseArgs(text: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${FLAG}: not JSON: ${text.slice(0, 60)}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new UsageError(`${FLAG}: expected a JSON array of strings, got ${text.slice(0, 60)}`);
  }
  if (parsed.some((item) => item === FLAG || item.startsWith(`${FLAG}=`))) throw new UsageError(`${FLAG} inside ${FLAG} is not expanded`);
  return parsed;
}
