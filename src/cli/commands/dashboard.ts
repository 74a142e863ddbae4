import { Option, type Command } from 'commander';
import { UsageError } from '../../errors.js';
import { SIDECAR_LABEL } from '../../generate/dashboard/configMap.js';
import { parsePrometheusDuration } from '../../validate/duration.js';
import { groupingPath } from '../../sink/pushgateway/groupingKey.js';
import type { Invocation, RegisterCommand, RunContext } from '../context.js';
import { addCommonOptions } from '../flags/common.js';
import { addInputOptions } from '../flags/input.js';
import { collectKeyValue, kubernetesLabelArgument } from '../flags/values.js';
import { addEveryOption, generatorTarget, readForGenerator, type GeneratorFlags } from '../generatorInput.js';

export interface DashboardFlags extends GeneratorFlags {
  overview?: boolean;
  format: 'json' | 'configmap';
  configmapLabel: { name: string; value: string };
}

/** `dashboard <file> <job>` and `dashboard --overview`: Grafana dashboard JSON, or a ConfigMap of it, on stdout. */
export const registerDashboard: RegisterCommand = (program: Command, onInvoke: (invocation: Invocation) => void) => {
  const command = program
    .command('dashboard')
    .description('print a Grafana dashboard of [file] as pushed for <job>, or with --overview of every job in a namespace; send nothing')
    .argument('[file]', 'metric file, - for stdin, or s3://bucket/key')
    .argument('[job]', 'job the file is pushed as (or --job)')
    .option('--job <name>', 'job name, instead of the <job> argument')
    .option('--grouping <key=value>', 'grouping label the file is pushed with: a variable of the dashboard, this value selected at first; repeatable', collectKeyValue)
    .option('--overview', 'one dashboard of every job pushed in a namespace; takes no file')
    .addOption(new Option('--format <format>', 'json: the dashboard; configmap: a ConfigMap of it for Grafana’s dashboard sidecar (a large one in parts, a ConfigMap each, to stay within what kubectl apply can store)').choices(['json', 'configmap']).default('json'))
    .addOption(
      new Option('--configmap-label <name=value>', 'label Grafana’s sidecar finds dashboard ConfigMaps by, as kube-prometheus-stack sets it up')
        .argParser(kubernetesLabelArgument)
        .default(SIDECAR_LABEL, `${SIDECAR_LABEL.name}=${SIDECAR_LABEL.value}`),
    );
  addInputOptions(addEveryOption(addCommonOptions(command)), '--input-format').action((file: string | undefined, job: string | undefined, flags: DashboardFlags) =>
    onInvoke({ flags, run: (context) => dashboard([file, job], flags, context) }),
  );
};

async function dashboard(args: (string | undefined)[], flags: DashboardFlags, context: RunContext): Promise<void> {
  if (flags.overview && (args.some((arg) => arg !== undefined) || flags.job !== undefined || flags.metric || flags.grouping || flags.label || flags.every)) {
    throw new UsageError('--overview takes no file, job, --metric, --grouping, --label or --every: it shows every job in the namespace');
  }
  // The Grafana SDK is loaded here only, so that a push does not pay for it at start-up.
  const generate = await import('../../generate/dashboard.js');
  const label = flags.configmapLabel;
  let dashboards: { dashboard: ReturnType<typeof generate.overviewDashboard>; configMap: string }[];
  if (flags.overview) {
    dashboards = [{ dashboard: generate.overviewDashboard(), configMap: generate.OVERVIEW_CONFIGMAP }];
  } else {
    const { input, job } = generatorTarget(args, flags);
    groupingPath(job, flags.grouping); // the same checks as a push of this job and grouping key, before the input is read
    const { records, expect } = (await readForGenerator(input, job, flags, context)).document;
    const { ranges, conflicting } = generate.expectedRanges(records);
    for (const name of conflicting) {
      context.logger.warn(`"${name}" has records expecting different ranges; its panel draws none (a panel has one set of thresholds)`);
    }
    const every = expect?.every === undefined ? undefined : parsePrometheusDuration(expect.every);
    const maxPushAgeSeconds = every !== undefined && 'ms' in every ? every.ms / 1000 : undefined;
    const options = { job, grouping: flags.grouping, expectedRanges: ranges, maxPushAgeSeconds };
    const name = generate.jobConfigMapName(job);
    // A ConfigMap must stay within what `kubectl apply` can annotate it with; JSON on stdout has no such limit.
    const fits = (dashboard: Parameters<typeof generate.dashboardJson>[0], part: number) =>
      generate.lastAppliedBytes(generate.dashboardJson(dashboard), { name: generate.partConfigMapName(name, part), label }) <= generate.LAST_APPLIED_BUDGET;
    const parts =
      flags.format === 'configmap'
        ? generate.jobDashboardParts(records, options, fits)
        : [generate.jobDashboard(records, options)];
    dashboards = parts.map((dashboard, index) => ({ dashboard, configMap: generate.partConfigMapName(name, index + 1) }));
    if (parts.length > 1) context.logger.info(`the dashboard is split in ${parts.length} parts, one ConfigMap each, to stay within what kubectl apply can store`);
  }
  const texts = dashboards.map(({ dashboard, configMap }) => ({ json: generate.dashboardJson(dashboard), name: configMap }));
  context.io.stdout(flags.format === 'configmap' ? generate.dashboardConfigMaps(texts, label) : texts[0]!.json);
  for (const { dashboard } of dashboards) context.logger.debug('generated dashboard', { uid: dashboard.uid, panels: dashboard.panels?.length ?? 0 });
}
