import { tempFile } from './files.js';

let probe: string | undefined;

/**
 * Environment for runApp that caps the app's V8 heap and makes it report its peak resident memory on exit,
 * so a test can show an input was refused without being held whole (a measure, not a timing).
 */
export function boundedMemoryEnv(heapMiB: number): Record<string, string> {
  probe ??= tempFile(
    "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib=${process.resourceUsage().maxRSS}\\n`));\n",
    'peak-rss.cjs',
  );
  return { NODE_OPTIONS: `--max-old-space-size=${heapMiB} --require ${probe}` };
}

/** The peak resident memory the probe reported, in MiB. */
export function peakRssMiB(stderr: string): number {
  const match = /peak-rss-kib=(\d+)/.exec(stderr);
  if (!match) throw new Error(`no peak-rss report in:\n${stderr}`);
  return Number(match[1]) / 1024;
}
