import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { runApp } from '../support/runApp.js';
import { evaluateExpressions, inputValues, spec, substitute, taskTemplate, template, type Task } from './argoTemplates.js';
import { findManifest } from './manifests.js';

/**
 * The example workflow's steps replayed on this machine as Argo would run them: its `{{...}}` values
 * filled in, its script run by the built app's Node, its containers' args handed to the built app.
 */
export const exampleWorkflow = findManifest('Workflow', 'timed-job-');
const tasks = template(exampleWorkflow, spec(exampleWorkflow).entrypoint!).dag!.tasks;
/** The task whose script writes the metric file, and the task that pushes it. */
export const producer: Task = tasks.find((task) => taskTemplate(exampleWorkflow, task).script)!;
export const pusher: Task = tasks.find((task) => task.templateRef?.template === 'push-metrics')!;

/** What `argo submit -p name=value ...` would give the workflow's `{{workflow.*}}` placeholders. */
export function workflowValues(overrides: Record<string, string> = {}, workflowName = 'timed-job-replay'): Record<string, string> {
  const values: Record<string, string> = { 'workflow.name': workflowName };
  for (const parameter of spec(exampleWorkflow).arguments?.parameters ?? []) values[`workflow.parameters.${parameter.name}`] = parameter.value ?? '';
  for (const [name, value] of Object.entries(overrides)) values[`workflow.parameters.${name}`] = value;
  return values;
}

/** Runs the producer's script as Argo runs a script template (the source in a file, run by its command); returns the metric file it wrote. */
export async function replayProducer(globals: Record<string, string>, dir: string): Promise<string> {
  const job = taskTemplate(exampleWorkflow, producer);
  expect(job.script!.command).toEqual(['node']);
  const outputPath = job.outputs!.artifacts!.find((a) => a.name === 'metrics')!.path!;
  const producedFile = join(dir, 'metric-out.json');
  const scriptFile = join(dir, 'script');
  writeFileSync(scriptFile, substitute(job.script!.source, globals).replaceAll(outputPath, producedFile));
  const produced = await runApp([], { script: scriptFile });
  expect(produced.code, produced.stderr).toBe(0);
  return producedFile;
}

/** The push-metrics container's args for the pusher task, its input artifact at `metricFile`; and the job it pushes as. */
export function pusherArgs(globals: Record<string, string>, metricFile: string): { args: string[]; job: string } {
  const push = taskTemplate(exampleWorkflow, pusher);
  expect(push.container!.command).toEqual(['node']);
  const inputPath = push.inputs!.artifacts!.find((a) => a.name === 'metrics')!.path!;
  const inputs = inputValues(pusher, push, globals);
  const [script, ...args] = push.container!.args!.map((arg) => substitute(evaluateExpressions(arg, inputs), inputs).replaceAll(inputPath, metricFile));
  expect(script).toBe('app.js');
  return { args, job: inputs['inputs.parameters.job']! };
}

/** The onExit handler's push-outcome args for a run that ended with `status` after `duration` seconds; and the job it pushes as. */
export function exitHandlerArgs(gateway: string, status: string, duration: string): { args: string[]; job: string } {
  const handler = template(exampleWorkflow, spec(exampleWorkflow).onExit!);
  const task = handler.steps!.flat()[0]!;
  const pushOutcome = taskTemplate(exampleWorkflow, task);
  const globals: Record<string, string> = { ...workflowValues({ gateway }), 'workflow.duration': duration, 'workflow.status': status };
  const inputs = inputValues(task, pushOutcome, globals);
  const [script, ...args] = pushOutcome.container!.args!.map((arg) => substitute(evaluateExpressions(arg, inputs), inputs));
  expect(script).toBe('app.js');
  return { args, job: inputs['inputs.parameters.job']! };
}
