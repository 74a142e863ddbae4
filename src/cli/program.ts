import { Command } from 'commander';
import { DEFAULT_RETRY_POLICY } from '../net/retry.js';
import { commands } from './commands/index.js';
import { registerPush } from './commands/push.js';
import type { Invocation, RegisterCommand } from './context.js';
import { formatDuration } from './flags/values.js';

/**
 * Builds the command line from the subcommands in commands/: `[push] <file> <job>` (the default
 * command, Simplepipe's shape), `validate <file>`, `delete <job>`, ... The action handlers only record what was asked.
 * Given the arguments, it builds only the subcommands they can reach (`commandsReachedBy`).
 */
export function buildProgram(version: string, onInvoke: (invocation: Invocation) => void, argv?: readonly string[]): Command {
  const program = new Command('simplepipe')
    .description('Validate a metric file and push it to a Prometheus Pushgateway, or write it to a remote-write receiver.')
    .version(version);
  for (const register of argv === undefined ? commands : commandsReachedBy(argv)) register(program, onInvoke);

  program.addHelpText(
    'after',
    `
--args-json '["--flag", "value"]' anywhere on the line stands for the arguments it holds.

Exit codes: 0 ok, 64 usage, 65 bad data (also a gateway's or receiver's 400), 66 input not found (delete: no such group),
71 the input will not fit this process's memory, 75 temporary failure after retries (or stopped before
anything was sent), 77 credentials refused, 78 bad configuration, 79 a value outside its "expect" (--gate;
the metrics were pushed), 143 stopped after a request was sent whole, before its answer: it may have been stored.

Examples:
  simplepipe /tmp/metric-in.json simple
  simplepipe - my-job < metrics.json
  simplepipe s3://artifacts/metric-json my-job
  simplepipe --job exit-handler --metric workflow_duration_seconds=12.5 --label status=Succeeded
  simplepipe metrics.jsonl my-job                                # JSON Lines, a record per line
  simplepipe mlpipeline-metrics.json my-job --name-prefix kfp_   # Kubeflow Pipelines metrics
  simplepipe metrics.json my-job --gateway http://localhost:9091 --grouping instance=a
  simplepipe metrics.json my-job --remote-write http://prometheus:9090/api/v1/write --grouping run=42
  simplepipe metrics.json my-job --remote-write http://mimir:8080/api/v1/push --tenant team-a
  simplepipe watch /shared/metrics.json train --interval 30s    # a sidecar: push on each change, and on SIGTERM
  simplepipe validate metrics.json
  simplepipe metrics.json my-job --ttl 7d --grouping '{"split":"test"}'   # prune deletes the group 7 days after this push
  simplepipe delete my-job --grouping instance=a                   # exit 66 if there is no such group
  simplepipe prune --older-than 30d --dry-run
  simplepipe rules --namespace team-a                              # the rules that watch the namespace's gateway
  simplepipe rules metrics.json my-job > my-job.prometheusrule.yaml

Default retry policy: --timeout ${formatDuration(DEFAULT_RETRY_POLICY.timeoutMs)} per attempt, --retries ${DEFAULT_RETRY_POLICY.retries}, --deadline ${formatDuration(DEFAULT_RETRY_POLICY.deadlineMs)} for the whole run.`,
  );
  return program;
}

/** Names that, first on the line, choose a command other than the default push: the subcommands and commander's `help`. */
const OTHER_COMMANDS = new Set(['watch', 'validate', 'delete', 'prune', 'rules', 'dashboard', 'help']);

/**
 * The subcommands a command line can reach: a push alone, unless the line may ask for another command,
 * for help (which lists every command, even after a push's arguments) or the version, or holds
 * --args-json, whose arguments are not read here. Building the push alone saves a 10-record push 3 ms of
 * start-up (bench/README.md). commander takes the first argument, or the one after a first `--`, as the
 * command when it names one; anything else (a file, `-`, an option the program does not know) goes to
 * the default command, push, with the whole line. `cli/program.property.test.ts` holds the two builds
 * to the same result on generated command lines.
 */
export function commandsReachedBy(argv: readonly string[]): readonly RegisterCommand[] {
  const asksForEverything = argv.some(
    (arg) => arg.startsWith('--help') || arg.startsWith('--version') || arg.startsWith('--args-json') || /^-[^-]*[hV]/.test(arg),
  );
  const first = argv[0] === '--' ? argv[1] : argv[0];
  if (asksForEverything || first === undefined || OTHER_COMMANDS.has(first)) return commands;
  return [registerPush];
}
