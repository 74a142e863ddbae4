import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { OutOfMemoryError } from './errors.js';

/**
 * What a run may use: the container's memory limit (its cgroup) and V8's heap limit, and what an input
 * of a given size needs of each. A push that will not fit is refused before it is read, in one line,
 * rather than killed by the kernel without a word (137) or ended by V8 with a crash trace (134).
 */
export interface MemoryBudget {
  /** The cgroup's limit in bytes and the file it was read from; undefined where there is none. */
  container?: { bytes: number; source: string };
  /** V8's heap limit in bytes (--max-old-space-size, or Node's default for the machine or container). */
  heapBytes: number;
  /** Of it, the old generation's, where a parsed input lives: the young generation (3 semi-spaces) holds none of it for long. */
  oldSpaceBytes: number;
}

/**
 * Memory a push needs per byte of input, beyond what the process holds when it starts. Measured in the
 * image under podman --memory limits (bench/imageGuard.mjs, docs/image.md), records of one series each:
 * the kernel killed (137) 5.2 MiB of input under 64 MiB and, in one run of three, 13.5 MiB under 128 MiB
 * (13 MiB anonymous at start), so about 24 MiB plus 8 bytes per input byte; with USABLE's 10% kept back,
 * the guard admits about 4.3 and 11.5 MiB there, and 4.5 and 13 MiB pushed. The old space needed about 3
 * per input byte (docs/security.md, Memory). A file of long observation arrays needs more: the check
 * between validation steps (`checkMemory`) stops that one.
 */
export const RESIDENT_BYTES_PER_INPUT_BYTE = 8;
export const HEAP_BYTES_PER_INPUT_BYTE = 3.5;
/**
 * The node binary's file-backed pages that a run cannot do without. The kernel drops the others under a
 * limit and reads them again; without this reserve the guard admitted inputs the kernel then killed, in
 * some runs and not others (cgroup v1 charging a container for the pages it is first to read, probably).
 */
const RESIDENT_WORKING_SET_BYTES = 10 * 2 ** 20;
/** The share of a limit a run may plan to reach: the rest is slack for garbage not yet collected. */
const USABLE = 0.9;

const CGROUP_FILES = [
  { path: 'memory.max', source: 'cgroup v2 memory.max' },
  { path: 'memory/memory.limit_in_bytes', source: 'cgroup v1 memory.limit_in_bytes' },
];

/** The process's memory limits. `cgroupRoot` is /sys/fs/cgroup; a test passes a directory of its own. */
export function readMemoryBudget(cgroupRoot = '/sys/fs/cgroup', env: NodeJS.ProcessEnv = process.env): MemoryBudget {
  const heapBytes = getHeapStatistics().heap_size_limit;
  const args = [...process.execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  // --max-old-space-size is the old generation's limit exactly; without it, the heap limit less the young generation.
  const oldSpaceMiB = nodeFlagMiB(args, 'max-old-space-size');
  const youngBytes = 3 * (nodeFlagMiB(args, 'max-semi-space-size') ?? defaultSemiSpaceMiB()) * 2 ** 20;
  const oldSpaceBytes = oldSpaceMiB !== undefined ? Math.min(heapBytes, oldSpaceMiB * 2 ** 20) : Math.max(heapBytes / 4, heapBytes - youngBytes);
  return { container: readCgroupLimit(cgroupRoot), heapBytes, oldSpaceBytes };
}

/** A `--name=<MiB>` V8 flag as given to Node (the last one wins, as in V8), if given. */
function nodeFlagMiB(args: readonly string[], name: string): number | undefined {
  let mib: number | undefined;
  const pattern = new RegExp(`^--${name.replace(/-/g, '[-_]')}=(\\d+)$`);
  for (const arg of args) {
    const match = pattern.exec(arg);
    if (match) mib = Number(match[1]);
  }
  return mib;
}

/**
 * V8's largest semi-space on 64-bit when no flag sets it: 16 MiB under Node 20; 64 MiB measured under Node 24
 * (heap limit 224 MiB for --max-old-space-size=32). Newer Nodes are taken as 24: the larger young generation
 * leaves the smaller old space, the safer guess.
 */
function defaultSemiSpaceMiB(): number {
  return Number(process.versions.node.split('.')[0]) <= 20 ? 16 : 64;
}

function readCgroupLimit(root: string): MemoryBudget['container'] {
  for (const { path, source } of CGROUP_FILES) {
    let text: string;
    try {
      text = readFileSync(`${root}/${path}`, 'utf8').trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    // "max" (v2), or v1's "no limit", a page-rounded 2^63: nothing to plan around.
    if (text === 'max' || !Number.isSafeInteger(bytes) || bytes <= 0) return undefined;
    return { bytes, source };
  }
  return undefined;
}

/** The largest input that fits what is left of both limits now; Infinity when neither binds. */
export function inputBytesThatFit(budget: MemoryBudget): number {
  const heapRoom = (USABLE * budget.oldSpaceBytes - process.memoryUsage().heapUsed) / HEAP_BYTES_PER_INPUT_BYTE;
  const residentRoom =
    budget.container === undefined ? Infinity : (USABLE * budget.container.bytes - anonymousResident() - RESIDENT_WORKING_SET_BYTES) / RESIDENT_BYTES_PER_INPUT_BYTE;
  return Math.max(0, Math.floor(Math.min(heapRoom, residentRoom)));
}

/**
 * The process's resident memory that the kernel cannot drop: RssAnon of /proc/self/status. The pages of
 * the node binary (about 40 MiB of Node 24's resident set) are file-backed, dropped and read again under a
 * limit (docs/image.md), so counting them would refuse pushes that fit. Elsewhere, the whole resident set.
 */
function anonymousResident(): number {
  try {
    const match = /^RssAnon:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage.rss();
}

/** The refusal of an input that will not fit: what it needs, what there is, and what to change. */
export function inputWillNotFit(origin: string, inputBytes: number | undefined, budget: MemoryBudget): OutOfMemoryError {
  const size = inputBytes === undefined ? 'is larger than' : `(${mib(inputBytes)}) is larger than`;
  return new OutOfMemoryError(
    `${origin} ${size} this process's memory allows (${limitsText(budget)}, about ${mib(inputBytesThatFit(budget))} of input): ` +
      'raise the memory limit (the container’s: about 9 times the input plus 32 MiB; or --max-old-space-size in NODE_OPTIONS) or split the input; nothing was pushed',
  );
}

/**
 * Between steps of a run: stop, in one line, once the process is close to a limit, before the kernel
 * or V8 end it. Returns without cost while far from both.
 */
export function checkMemory(budget: MemoryBudget, doing: string): void {
  // process.memoryUsage() reads the resident set from /proc as well: 100 µs a call, 200 calls in a 100,000-record run.
  const heapUsed = getHeapStatistics().used_heap_size;
  const rss = budget.container === undefined ? 0 : anonymousResident();
  const nearContainer = budget.container !== undefined && rss > 0.95 * budget.container.bytes;
  if (nearContainer || heapUsed > 0.95 * budget.oldSpaceBytes) {
    throw new OutOfMemoryError(
      `ran out of memory ${doing} (${nearContainer ? `${mib(rss)} resident` : `${mib(heapUsed)} of heap`}; ${limitsText(budget)}): ` +
        'raise the memory limit (the container’s, or --max-old-space-size in NODE_OPTIONS) or split the input; nothing was pushed',
    );
  }
}

function limitsText(budget: MemoryBudget): string {
  const heap = `heap limit ${mib(budget.heapBytes)}, ${mib(budget.oldSpaceBytes)} of it old space`;
  return budget.container === undefined ? heap : `${budget.container.source} ${mib(budget.container.bytes)}, ${heap}`;
}

const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;
